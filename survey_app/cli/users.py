"""The `users` commands: staff, analyst and admin accounts."""

import click
from flask.cli import AppGroup

from ..accounts import AccountError, create_user
from ..db import database
from ..models import ROLES, User
from ..terminal import printable


@click.group("users", cls=AppGroup)
def users_group():
    """Manage staff accounts."""


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.password_option(help="At least 12 characters; asked for when left out.")
def create_user_command(username, role, password):
    """Create a staff account with a role."""
    try:
        with database.connection_context():
            user = create_user(username, password, role)
    except AccountError as error:
        raise click.UsageError(str(error)) from error
    click.echo(printable(f"Created {user.username} ({user.role}), pseudonym {user.pseudonym}."))


@users_group.command("list")
def list_users_command():
    """List the staff accounts (never their passwords)."""
    with database.connection_context():
        for user in User.select().order_by(User.username):
            click.echo(printable(user.username) + f"\t{user.role}\t{'active' if user.active else 'inactive'}")

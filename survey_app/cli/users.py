"""The `users` commands: staff, analyst and admin accounts."""

import click
from flask.cli import AppGroup

from ..accounts import MIN_PASSWORD_LENGTH, AccountError, create_user, reset_password, set_active
from ..db import database
from ..models import ROLES, User

PASSWORD_HELP = f"At least {MIN_PASSWORD_LENGTH} characters; asked for (twice) when left out."


@click.group("users", cls=AppGroup)
def users_group():
    """Manage staff accounts."""


def _run(work):
    try:
        with database.connection_context():
            return work()
    except AccountError as error:
        raise click.UsageError(str(error)) from error


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.password_option(help=PASSWORD_HELP)
def create_user_command(username, role, password):
    """Create a staff account with a role."""
    user = _run(lambda: create_user(username, password, role))
    click.echo(f"Created {user.username} ({user.role}), pseudonym {user.pseudonym}.")
    click.echo("Staff log in at /staff/login; analysts find the results at /results/ after logging in.")


@users_group.command("reset-password")
@click.argument("username")
@click.password_option(help=PASSWORD_HELP)
def reset_password_command(username, password):
    """Give an account a new password; its open sessions end."""
    user = _run(lambda: reset_password(username, password))
    click.echo(f"New password set for {user.username}; their open sessions have ended.")


@users_group.command("disable")
@click.argument("username")
def disable_command(username):
    """Stop an account from logging in; its open sessions end at once."""
    user = _run(lambda: set_active(username, False))
    click.echo(f"Disabled {user.username}.")


@users_group.command("enable")
@click.argument("username")
def enable_command(username):
    """Let a disabled account log in again."""
    user = _run(lambda: set_active(username, True))
    click.echo(f"Enabled {user.username}.")


@users_group.command("list")
def list_users_command():
    """List the accounts: name, role, active or not, the day of the last login (never passwords)."""
    with database.connection_context():
        users = list(User.select().order_by(User.username))
    if not users:
        click.echo("No accounts yet: flask --app survey_app users create NAME --role admin")
        return
    click.echo("username\trole\tstatus\tlast login")
    for user in users:
        last = user.last_login.isoformat() if user.last_login else "never"
        click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}\t{last}")

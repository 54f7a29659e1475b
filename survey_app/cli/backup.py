"""The `backup` commands: a copy of the whole database, and putting one back."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..backup import BackupError, create_backup, restore_backup
from ..db import database


@click.group("backup", cls=AppGroup)
def backup_group():
    """Back up the database (SQLite or PostgreSQL) and restore a backup."""


@backup_group.command("create")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def create_backup_command(destination):
    """Write a consistent copy of the database into DESTINATION, a new file (mode 0600), while the app runs."""
    try:
        create_backup(current_app.config["DATABASE_URL"], destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {destination} ({destination.stat().st_size} bytes).")


@backup_group.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do it: replaces everything in the database by the backup.")
def restore_backup_command(source, yes):
    """Replace the whole database by the backup in SOURCE (stop the servers first)."""
    if not yes:
        raise click.UsageError("restore replaces everything in the database by the backup; add --yes to do so")
    if not database.is_closed():
        database.close()
    if hasattr(database.obj, "close_all"):
        database.obj.close_all()  # no pooled connection of ours holds a lock or an old schema
    try:
        restore_backup(current_app.config["DATABASE_URL"], source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the database from {source}. Run `flask --app survey_app init-db` if the backup is older than this version of the app.")

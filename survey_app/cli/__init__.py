"""Command-line tasks: thin click wrappers around the domain modules, one module per command group."""

from flask import Flask

from ..web.results import export_command
from .backup import backup_group
from .database import init_db_command, stats_command, upkeep_command
from .questionnaires import questionnaires_group
from .report import report_command
from .translations import translations_group
from .users import users_group


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
    for command in (
        init_db_command, questionnaires_group, users_group, stats_command, translations_group, export_command, upkeep_command,
        report_command, backup_group,
    ):
        app.cli.add_command(command)

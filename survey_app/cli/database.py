"""Database commands: create or migrate the schema, count the responses, upkeep for cron."""

import click
from peewee import fn

from ..db import database
from ..migrations import migrate_database
from ..models import Questionnaire, Response
from ..upkeep import upkeep


@click.command("init-db")
def init_db_command():
    """Create the database or bring its schema up to date (safe to run again)."""
    with database.connection_context():
        applied = migrate_database()
    click.echo("Applied: " + ", ".join(applied) if applied else "The database is up to date.")


@click.command("upkeep")
def upkeep_command():
    """Checkpoint SQLite's write-ahead log now, as the servers' upkeep thread does (for cron when UPKEEP_SECONDS is 0)."""
    checkpoint = upkeep()["checkpoint"]
    if checkpoint is None:
        click.echo("PostgreSQL: nothing to do (its autovacuum keeps the tables).")
    else:
        pages, copied = checkpoint
        click.echo(f"Checkpoint: {copied} of {pages} pages of the write-ahead log are in the database file.")


@click.command("stats")
def stats_command():
    """Show how many responses each questionnaire version has, per language."""
    with database.connection_context():
        rows = (
            Response.select(Questionnaire.slug, Questionnaire.version, Response.language, fn.COUNT(Response.id).alias("n"))
            .join(Questionnaire)
            .group_by(Questionnaire.slug, Questionnaire.version, Response.language)
            .order_by(Questionnaire.slug, Questionnaire.version, Response.language)
            .tuples()
        )
        rows = list(rows)
        versions = list(Questionnaire.select().order_by(Questionnaire.slug, Questionnaire.version))
    counts = {(slug, version): {} for slug, version in ((q.slug, q.version) for q in versions)}
    for slug, version, language, n in rows:
        counts.setdefault((slug, version), {})[language] = n
    click.echo(f"{'questionnaire':32} {'version':>7} {'responses':>9}  by language")
    for q in versions:
        by_language = counts[(q.slug, q.version)]
        detail = ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items())) or "-"
        click.echo(f"{q.slug:32} {q.version:>7} {sum(by_language.values()):>9}  {detail}  ({q.state})")
    click.echo(f"{'total':32} {'':>7} {sum(n for *_, n in rows):>9}")

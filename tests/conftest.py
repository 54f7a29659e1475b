"""Fixtures: a fresh real database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest

from survey_app import create_app, translations
from survey_app.accounts import create_user
from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.migrations import migrate_database

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
TRANSLATIONS = ROOT / "translations"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """Return the URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'survey.sqlite3'}"
        return
    url = os.environ["TEST_DATABASE_URL"]
    # A schema of our own per test process: parallel runs on one server never meet.
    schema = f"survey_test_{os.getpid()}"
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    if hasattr(database.obj, "close_all"):
        database.obj.close_all()
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    connection.close()


def make_app(database_url, **overrides):
    """Return an app on database_url with its schema migrated."""
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
        "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
    }
    app = create_app(config | overrides)
    with database.connection_context():
        migrate_database()
    return app


def limited_app(database_url, **limits):
    """Return an app with the content package whose rate limits count, from zero."""
    from survey_app.web.extensions import limiter

    app = make_app(database_url, RATELIMIT_ENABLED=True, **limits)
    with app.app_context():
        limiter.reset()  # counts of earlier tests in this process
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    return app


def prepare_for_servers(database_url):
    """Migrate database_url and load the content package, then let go of it: other processes serve it."""
    make_app(database_url)
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    database.obj.close_all()


@pytest.fixture
def empty_app(database_url):
    """An app with a migrated, empty database."""
    yield make_app(database_url)
    if not database.is_closed():
        database.close()
    database.obj.close_all()  # the pool's connections to this test's database


@pytest.fixture
def app(empty_app):
    """An app with the content package loaded."""
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    return empty_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A connection for a test that reads or writes the database directly."""
    with database.connection_context():
        yield database


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
RESPONSE_ID = re.compile(r'id="response_id" name="response_id" type="hidden" value="([^"]*)"')


def csrf_token(html: str) -> str:
    """Return the CSRF token in a page."""
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


class Staff:
    """Creates staff accounts and logs them in through the real login form."""

    def __init__(self, client):
        self.client = client

    def create(self, username, role):
        with database.connection_context():
            return create_user(username, PASSWORD, role)

    def login(self, username, password=PASSWORD):
        page = self.client.get("/staff/login")
        return self.client.post(
            "/staff/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        )


@pytest.fixture
def staff(client):
    return Staff(client)


def compile_into(target: Path, source: Path = TRANSLATIONS) -> Path:
    """Copy the catalogs of source into target and compile them there; return target."""
    for language, domain in translations.existing_catalogs(source):
        destination = translations.catalog_path(target, language, domain)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(translations.catalog_path(source, language, domain), destination)
        translations.compile_catalog(target, language, domain)
    return target


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    """The repository's catalogs compiled in a temporary folder (.mo files are never committed)."""
    return compile_into(tmp_path_factory.mktemp("translations"))

"""Settings come from the environment; production refuses to start without its secrets."""

import pytest

from survey_app import create_app
from survey_app.config import SETTINGS, finish_settings, read_settings
from survey_app.errors import ConfigError


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    values = read_settings({"SURVEY_ENV": "production", "DATABASE_URL": "sqlite:///x"})
    with pytest.raises(ConfigError, match="production needs SECRET_KEY"):
        finish_settings(values, tmp_path)


def test_production_refuses_a_short_secret_key(tmp_path):
    values = read_settings({"SURVEY_ENV": "production", "DATABASE_URL": "sqlite:///x", "SECRET_KEY": "short"})
    with pytest.raises(ConfigError, match="too short"):
        finish_settings(values, tmp_path)


def test_production_sends_cookies_over_https_only(tmp_path):
    values = read_settings({"SURVEY_ENV": "production", "DATABASE_URL": "sqlite:///x", "SECRET_KEY": "k" * 40})
    assert finish_settings(values, tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_local_secret_once_readable_by_the_owner_only(tmp_path):
    first = finish_settings(read_settings({}), tmp_path)["SECRET_KEY"]
    second = finish_settings(read_settings({}), tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert finish_settings(read_settings({}), tmp_path)["DATABASE_URL"].endswith("survey_app.sqlite3")


@pytest.mark.parametrize("name, value", [("DRAFT_LIFETIME_MINUTES", "-3"), ("MAX_CONTENT_LENGTH", "veel"), ("SESSION_COOKIE_SECURE", "misschien"), ("TRUSTED_PROXIES", "-1"),
                                         ("PUBLISHED_VERSION_SECONDS", "een"), ("PUBLISHED_VERSION_SECONDS", "nan"),
                                         ("PUBLISHED_VERSION_SECONDS", "-1"), ("PUBLISHED_VERSION_SECONDS", "inf")])
def test_a_bad_value_names_the_setting(name, value):
    with pytest.raises(ConfigError, match=name):
        read_settings({name: value})


def test_an_unknown_database_scheme_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        create_app({"DATABASE_URL": "mysql://x", "SECRET_KEY": "x"})


def test_every_setting_has_help_and_is_documented_in_the_readme():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert setting.help
        assert f"`{setting.name}`" in readme, setting.name


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("0.5", 0.5), ("1", 1.0), ("3600", 3600.0)])
def test_published_version_seconds_takes_a_number_of_seconds(value, seconds):
    assert read_settings({"PUBLISHED_VERSION_SECONDS": value})["PUBLISHED_VERSION_SECONDS"] == seconds

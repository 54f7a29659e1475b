"""The Content-Security-Policy allows no inline script or style: no template may need one."""

import re

import pytest

from ..conftest import ROOT

TEMPLATES = sorted((ROOT / "survey_app" / "templates").glob("*.html"))
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_have_no_inline_script_handler_or_style(template):
    text = template.read_text(encoding="utf-8")
    for attributes in SCRIPT.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, (template.name, attributes)
    assert not HANDLER.search(text), template.name
    assert not STYLE.search(text), template.name


def test_the_policy_forbids_inline_script_and_style(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.parametrize("target, safe", [
    ("/s/werk/?lang=nl", True), ("/", True), ("/staff/", True),
    ("//evil.example", False), ("/\t/evil.example", False), ("/\\evil.example", False), ("/%5Cevil", True),
    ("/a\r\nb", False), ("/a b", False), ("http://evil.example", False), ("evil.example", False), ("", False),
    (None, False), ("/\x00", False), ("/é", False), ("/" + "a" * 3000, False),
])
def test_safe_next_lets_only_local_paths_through(target, safe):
    from survey_app.web.security import safe_next

    assert safe_next(target) == (target if safe else None)


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil.example", "/a\r\nLocation: //evil", "/a\nb"])
def test_choosing_a_language_never_redirects_off_the_site(client, target):
    from urllib.parse import unquote

    page = client.get("/")
    response = client.post("/language", data={"lang": "fr", "next": unquote(target), "csrf_token": _token(page.text)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def _token(html):
    from ..conftest import csrf_token

    return csrf_token(html)


@pytest.mark.parametrize("path", ["/s/%00/", "/s/werk%00/1", "/opvolging/%00", "/preview/%00/nl", "/preview/werk/n%00",
                                  "/results/%00/", "/results/%00/export", "/offline/%00/nl.json", "/s/%1b%5b2J/klaar"])
def test_a_control_character_in_a_url_part_matches_no_route(client, staff, path):
    # On PostgreSQL a NUL reached a query and gave 500 (tests/web/test_fuzz_forms.py found it).
    staff.create("beheer", "admin")
    staff.login("beheer")
    assert client.get(path).status_code == 404


def test_a_nul_in_a_form_is_refused_with_400(client, staff):
    # A login name with a NUL gave 500 on PostgreSQL (tests/web/test_fuzz_forms.py found it).
    page = client.get("/staff/login")
    reply = client.post("/staff/login", data={"username": "beheer\x00", "password": "x" * 12, "csrf_token": _token(page.text)})
    assert reply.status_code == 400


def headers_as_before(response, *, endpoint, secure):
    """The security headers as add_security_headers set them before it took one pass (a setdefault each)."""
    from survey_app.web.security import HEADERS

    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    if secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


@pytest.mark.parametrize("path", ["/s/werk/", "/static/survey.css", "/nowhere"])
@pytest.mark.parametrize("base_url", ["http://localhost", "https://survey.example"])
@pytest.mark.parametrize("own", [
    {},
    {"X-Frame-Options": "SAMEORIGIN", "content-security-policy": "default-src 'none'"},
    {"Expires": "Thu, 01 Jan 2099 00:00:00 GMT", "Cache-Control": "max-age=60"},
    {"Strict-Transport-Security": "max-age=1"},
])
def test_the_security_headers_are_what_a_setdefault_per_header_gave(app, path, base_url, own):
    from flask import Response, request

    from survey_app.web.security import add_security_headers

    with app.test_request_context(path, base_url=base_url):
        assert (request.endpoint == "static") is path.startswith("/static/")
        ours = add_security_headers(Response("x", headers=own))
        before = headers_as_before(Response("x", headers=own), endpoint=request.endpoint, secure=request.is_secure)
    assert sorted(ours.headers.items()) == sorted(before.headers.items())

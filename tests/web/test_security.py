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

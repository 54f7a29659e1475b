"""Every form of the app under hostile input: never a 500, nothing half-written, CSRF on every POST.

The routes come from the app's url_map and the resident's pages from the question types'
table, so a new form, page or question type is covered, or fails
test_every_post_route_has_a_fuzz_case / test_the_fuzz_package_asks_every_question_type
until it gets its case here. The sync endpoint has its own module (test_fuzz_sync.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import url_for
from hypothesis import given
from hypothesis import strategies as st

from survey_app import create_app
from survey_app.catalog import load_package
from survey_app.content.types import QUESTION_TYPES
from survey_app.db import database

from ..conftest import PASSWORD, csrf_token
from ..hostile import form_body, fuzz, hostile_text, quoted
from ..resident import page_form

FUZZ_PACKAGE = Path(__file__).resolve().parent / "fuzz_package"
SLUG = "alles"  # tests/web/fuzz_package/alles.yaml: one page per question type
PIN = "2580"
# The words of the CSRF refusal (errorpages.CSRF_MESSAGE): a 400 for another reason is not one.
CSRF_REFUSAL = "Deze pagina was te lang open"
# Written on a refused login whatever else happens: the failure counters.
THROTTLE_TABLES = {"login_throttle"}


def _rules():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:", "SECRET_KEY": "rules"})
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


RULES = _rules()
POST_ENDPOINTS = sorted({rule.endpoint for rule in RULES if "POST" in rule.methods})
GET_RULES = [rule for rule in RULES if "GET" in rule.methods and rule.endpoint != "static"]
PATH_VALUES = {"slug": SLUG, "number": 1, "lang": "nl", "language": "nl", "format": "html"}


def snapshot() -> dict[str, int]:
    """Return the number of rows of every table."""
    with database.connection_context():
        return {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in database.get_tables()}


def grown(before: dict, after: dict) -> set[str]:
    return {table for table, count in after.items() if count != before.get(table)}


# --- How to reach each form as a person would, and what a valid submission of it holds. ---

def as_admin(client) -> None:
    page = client.get("/staff/login")
    reply = client.post("/staff/login", data={"username": "fuzzadmin", "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert reply.status_code == 302, reply.status_code


def in_kiosk(client) -> None:
    as_admin(client)
    page = client.get("/kiosk/start")
    reply = client.post("/kiosk/start", data={"surveys": [SLUG], "pin": PIN, "pin_again": PIN, "csrf_token": csrf_token(page.text)})
    assert reply.status_code == 302, reply.status_code
    client.post("/language", data={"lang": "nl", "csrf_token": csrf_token(client.get("/").text)})


def at_first_page(client) -> str:
    intro = client.get(f"/s/{SLUG}/")
    started = client.post(f"/s/{SLUG}/start", data={"csrf_token": csrf_token(intro.text)})
    # Page 1 is the answer to Begin (an older flow redirected to it).
    return started.text if started.status_code == 200 else client.get(started.headers["Location"]).text


def at_intake_consent(client) -> None:
    as_admin(client)
    page = client.get("/staff/")
    reply = client.post("/staff/", data={"survey": SLUG, "channel": "counter", "language": "nl", "csrf_token": csrf_token(page.text)})
    assert reply.status_code == 302


@dataclass(frozen=True)
class FormCase:
    """One form: how to reach it (returns the page that carries it), a valid post, what it may write."""

    reach: Callable[[object], str]
    valid: Callable[[str], dict]
    fields: tuple[str, ...]
    writes: frozenset[str] = field(default_factory=frozenset)
    # A success ends the state the form needs (a kiosk started or ended): reach it again after one.
    again: bool = False


def _get(path: str, before: Callable | None = None) -> Callable[[object], str]:
    def reach(client) -> str:
        if before is not None:
            before(client)
        return client.get(path).text
    return reach


FORM_CASES = {
    "survey.choose_language": FormCase(_get("/"), lambda html: {"lang": "fr", "next": "/"}, ("lang", "next")),
    "survey.start": FormCase(_get(f"/s/{SLUG}/"), lambda html: {"form": ""}, ("form",)),
    "survey.stop": FormCase(at_first_page, lambda html: {}, ()),
    "survey.page": FormCase(
        at_first_page,
        lambda html: page_form(html, action="next", kanaal="loket"),
        ("action", "draft", "response_id", "kanaal"),
        frozenset({"response"}),
    ),
    "auth.login": FormCase(
        _get("/staff/login"), lambda html: {"username": "fuzzadmin", "password": PASSWORD, "next": "/staff/"},
        ("username", "password", "next"), frozenset({"user"}),
    ),
    "auth.logout": FormCase(_get("/staff/", as_admin), lambda html: {}, ()),
    "staff.home": FormCase(
        _get("/staff/", as_admin), lambda html: {"survey": SLUG, "channel": "counter", "language": "nl"},
        ("survey", "channel", "language"),
    ),
    "staff.consent": FormCase(_get("/staff/intake", at_intake_consent), lambda html: {"confirmed": "y"}, ("confirmed",)),
    "kiosk.start": FormCase(
        _get("/kiosk/start", as_admin), lambda html: {"surveys": [SLUG], "pin": PIN, "pin_again": PIN},
        ("surveys", "pin", "pin_again"), frozenset({"kiosk"}), again=True,
    ),
    "kiosk.reset": FormCase(_get("/", in_kiosk), lambda html: {}, ()),
    "kiosk.leave": FormCase(_get("/kiosk/leave", in_kiosk), lambda html: {"pin": PIN}, ("pin",), frozenset({"kiosk"}), again=True),
    "results.make_release": FormCase(
        _get(f"/results/{SLUG}/", as_admin), lambda html: {}, (), frozenset({"release", "export_log"}),
    ),
    "results.export": FormCase(
        _get(f"/results/{SLUG}/export", as_admin),
        lambda html: {"formats": ["csv"], "purpose": "Een test", "labels_language": "nl", "date_precision": "month", "delimiter": ","},
        ("formats", "versions", "date_from", "date_to", "labels_language", "date_precision", "delimiter",
         "include_free_text", "raw", "purpose"),
        frozenset({"export_log", "release"}),
    ),
}
# Checked with its own strategies (JSON, the X-CSRFToken header) in test_fuzz_sync.py.
ELSEWHERE = {"offline.receive_response"}


@pytest.fixture
def fuzz_app(app):
    """The app with the content package and the fuzz package (every question type), and an admin."""
    from survey_app.accounts import create_user

    with database.connection_context():
        load_package(FUZZ_PACKAGE)
        create_user("fuzzadmin", PASSWORD, "admin")
    return app


def post_path(client, endpoint: str) -> str:
    rule = next(rule for rule in RULES if rule.endpoint == endpoint and "POST" in rule.methods)
    with client.application.test_request_context():
        return url_for(endpoint, **{name: PATH_VALUES[name] for name in rule.arguments})


def test_every_post_route_has_a_fuzz_case():
    assert set(POST_ENDPOINTS) == set(FORM_CASES) | ELSEWHERE


def test_the_fuzz_package_asks_every_question_type():
    text = (FUZZ_PACKAGE / f"{SLUG}.yaml").read_text(encoding="utf-8")
    assert {name for name in QUESTION_TYPES if f"type: {name}\n" not in text} == set()


@pytest.mark.parametrize("endpoint", sorted(FORM_CASES))
def test_every_form_refuses_a_post_without_its_csrf_token_and_writes_nothing(fuzz_app, endpoint):
    case = FORM_CASES[endpoint]
    client = fuzz_app.test_client()
    html = case.reach(client)
    other = fuzz_app.test_client()
    foreign = csrf_token(other.get("/staff/login").text)  # valid, but another browser's
    path = post_path(client, endpoint)
    before = snapshot()
    for token in (None, "", "x" * 90, foreign):
        data = {name: value for name, value in case.valid(html).items() if name != "csrf_token"}
        if token is not None:
            data["csrf_token"] = token
        reply = client.post(path, data=data)
        assert reply.status_code == 400 and CSRF_REFUSAL in reply.text, (endpoint, token, reply.status_code)
        assert snapshot() == before, (endpoint, token)
    # The same post with its token passes the check: the refusals above were the token's.
    reply = client.post(path, data=case.valid(html) | {"csrf_token": csrf_token(html)})
    assert CSRF_REFUSAL not in reply.text and reply.status_code < 500, (endpoint, reply.status_code)


def hostile_values() -> st.SearchStrategy:
    return hostile_text() | st.lists(hostile_text(max_size=30), min_size=2, max_size=4)


def fields_of(case: FormCase, html: str) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Return a strategy of form posts: each field valid, hostile, repeated or left out, plus strays."""
    valid = case.valid(html)

    @st.composite
    def posts(draw) -> list[tuple[str, str]]:
        pairs = []
        for name in dict.fromkeys((*valid, *case.fields)):
            choice = draw(st.sampled_from(["valid", "hostile", "absent"]))
            values = valid.get(name) if choice == "valid" else draw(hostile_values()) if choice == "hostile" else None
            if values is None:
                continue
            pairs += [(name, str(value)) for value in (values if isinstance(values, list) else [values])]
        strays = draw(st.lists(st.tuples(hostile_text(max_size=20), hostile_text(max_size=40)), max_size=3))
        return pairs + strays

    return posts()


def attack(client, path: str, token: str, pairs: list[tuple[str, str]]):
    return client.post(path, data=form_body([("csrf_token", token), *pairs]),
                       content_type="application/x-www-form-urlencoded")


def check(reply, before: dict, writes: frozenset) -> None:
    assert reply.status_code < 500, reply.status_code
    changed = grown(before, snapshot()) - THROTTLE_TABLES
    allowed = writes if reply.status_code in (200, 302, 303) else frozenset()
    assert changed <= allowed, (reply.status_code, changed)


@pytest.mark.parametrize("endpoint", sorted(FORM_CASES))
def test_hostile_input_to_any_form_is_answered_without_a_server_error(fuzz_app, endpoint):
    case = FORM_CASES[endpoint]
    state = {}

    def reach():
        state["client"] = fuzz_app.test_client()
        state["html"] = case.reach(state["client"])

    reach()
    path = post_path(state["client"], endpoint)

    @fuzz(10)
    @given(pairs=fields_of(case, state["html"]))
    def hostile_post(pairs):
        before = snapshot()
        reply = attack(state["client"], path, csrf_token(state["html"]), pairs)
        check(reply, before, case.writes)
        if case.again and reply.status_code == 302:
            reach()

    hostile_post()


def walk_to(client, page_key: str) -> tuple[int, str]:
    """Answer the fuzz survey validly up to the page with page_key; return (its number, its html)."""
    from survey_app.catalog import definition_of
    from survey_app.models import Questionnaire

    from bench.answers import answer_for

    with database.connection_context():
        definition = definition_of(Questionnaire.current(SLUG))
    html, known = at_first_page(client), {}
    for number, page in enumerate(definition.pages, start=1):
        if page.key == page_key:
            return number, html
        answers = {}
        for question in page.questions:
            answers.update(answer_for(question, known))
        reply = client.post(f"/s/{SLUG}/{number}", data=page_form(html, action="next") | answers)
        assert reply.status_code == 200, (page.key, reply.status_code)
        html = reply.text
    raise AssertionError(f"the fuzz survey has no page {page_key}")


ACTIONS = st.sampled_from(["next", "back", "resume", "language:ar", "language:xx", "language:"]) | hostile_text(max_size=20)


@pytest.mark.parametrize("question_type", sorted(QUESTION_TYPES))
def test_hostile_answers_to_every_question_type_never_break_a_page(fuzz_app, question_type):
    client = fuzz_app.test_client()
    number, html = walk_to(client, f"p_{question_type}")
    names = sorted(set(re.findall(r'name="([a-z_]+)"', html)) - {"csrf_token", "draft", "response_id", "action"})
    assert names, html[:500]

    @fuzz(15)
    @given(answers=st.lists(st.tuples(st.sampled_from(names) | hostile_text(max_size=15), hostile_text()), max_size=6),
           action=ACTIONS, tamper=st.sampled_from(["none", "draft", "response_id"]))
    def hostile_page(answers, action, tamper):
        fields = page_form(html, action=action)
        if tamper != "none":
            fields[tamper] = fields[tamper][::-1]
        before = snapshot()
        reply = client.post(f"/s/{SLUG}/{number}", data=form_body([*fields.items(), *answers]),
                            content_type="application/x-www-form-urlencoded")
        check(reply, before, frozenset())  # p_end comes after every fuzzed page: nothing is stored

    hostile_page()


@pytest.mark.parametrize("rule", GET_RULES, ids=lambda rule: rule.endpoint)
def test_hostile_paths_and_query_strings_never_give_a_server_error(fuzz_app, rule):
    client = fuzz_app.test_client()
    as_admin(client)
    converters = rule._converters

    @fuzz(6)
    @given(values=st.fixed_dictionaries({name: st.just(PATH_VALUES[name]) | hostile_text(max_size=30) for name in rule.arguments}),
           query=st.lists(st.tuples(hostile_text(max_size=15), hostile_text(max_size=60)), max_size=4))
    def hostile_get(values, query):
        path = rule.rule
        for name, value in values.items():
            converter = converters[name]
            if type(converter).__name__ in ("IntegerConverter", "AnyConverter"):
                value = PATH_VALUES[name]  # the route would not match: nothing to attack
            path = re.sub(rf"<[^>]*\b{name}>", quoted(str(value)), path)
        reply = client.get(path + "?" + form_body(query).decode())
        assert reply.status_code < 500, (path, reply.status_code)

    hostile_get()

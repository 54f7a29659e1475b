"""Sealed drafts: readable only with their own nonce, for their own questionnaire, while alive."""

import base64
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app import drafts

SECRET = "a secret key of the server"
LIFETIME = datetime.timedelta(minutes=30)
NOW = 1_800_000_000.0


def sealed(draft, *, nonce="nonce-1", lifetime=LIFETIME, now=NOW):
    return drafts.seal_draft(draft, secret=SECRET, nonce=nonce, lifetime=lifetime, now=now)


def opened(text, *, nonce="nonce-1", questionnaire_id=7, now=NOW, secret=SECRET):
    return drafts.open_draft(text, secret=secret, nonce=nonce, questionnaire_id=questionnaire_id, now=now)


def test_a_sealed_draft_opens_whole_with_its_nonce():
    draft = drafts.start_draft(7, language="tr", mode="assisted", channel="phone", staff_id=3)
    draft = drafts.Draft(**{**draft.__dict__, "answers": {"werksituatie": "werkzoekend", "talen": ["nl", "tr"]}})
    assert opened(sealed(draft)) == draft
    assert draft.response_uuid and draft.staff_id == 3


def test_a_new_draft_is_empty_with_a_fresh_client_id():
    first, second = drafts.start_draft(7, language="nl"), drafts.start_draft(7, language="nl")
    assert first.answers == {} and (first.mode, first.channel, first.staff_id) == ("self", "web", None)
    assert first.response_uuid != second.response_uuid


def test_without_its_nonce_a_sealed_draft_cannot_be_opened():
    text = sealed(drafts.start_draft(7, language="nl"))
    assert opened(text, nonce="nonce-2") is None
    assert opened(text, nonce=None) is None
    assert opened(text, nonce="") is None


def test_a_draft_opens_only_for_its_own_questionnaire_and_secret():
    text = sealed(drafts.start_draft(7, language="nl"))
    assert opened(text, questionnaire_id=8) is None
    assert opened(text, secret="another secret") is None


def test_an_expired_draft_cannot_be_opened():
    text = sealed(drafts.start_draft(7, language="nl"))
    assert opened(text, now=NOW + LIFETIME.total_seconds() - 1) is not None
    assert opened(text, now=NOW + LIFETIME.total_seconds()) is None


def test_an_altered_or_foreign_text_is_refused_quietly():
    text = sealed(drafts.start_draft(7, language="nl"))
    raw = bytearray(base64.urlsafe_b64decode(text))
    raw[-1] ^= 1
    for bad in (base64.urlsafe_b64encode(bytes(raw)).decode(), text[:-4], "", None, "not base64 ~~", "é" * 40,
                "x" * (drafts.MAX_SEALED_CHARS + 1)):
        assert opened(bad) is None, bad


@settings(deadline=None)  # AES and HKDF timings vary on a shared machine
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.one_of(st.text(max_size=200), st.integers(-(2**63), 2**63 - 1), st.lists(st.text(max_size=10)))))
def test_any_answers_come_back_and_none_can_be_read_in_the_sealed_text(answers):
    draft = drafts.Draft(7, "0b0f9a53-4d5b-4a39-9a7b-7d0c3f3bde11", "nl", answers=answers)
    text = sealed(draft)
    assert opened(text) == draft
    raw = base64.urlsafe_b64decode(text)
    for value in answers.values():
        if isinstance(value, str) and len(value) >= 8:
            assert value not in text and value.encode() not in raw


def test_each_seal_is_different_even_for_the_same_draft():
    draft = drafts.start_draft(7, language="nl")
    assert sealed(draft) != sealed(draft)


def test_the_nonce_is_short_enough_for_a_cookie_and_fresh_each_time():
    nonces = {drafts.new_nonce() for _ in range(100)}
    assert len(nonces) == 100 and all(len(n) <= 24 for n in nonces)


def test_a_cipher_passed_in_seals_and_opens_as_the_derived_one():
    draft = drafts.start_draft(7, language="nl")
    cipher = drafts.draft_cipher(SECRET, "nonce-1")
    text = drafts.seal_draft(draft, secret=SECRET, nonce="nonce-1", lifetime=LIFETIME, now=NOW, cipher=cipher)
    assert opened(text) == draft
    assert drafts.open_draft(sealed(draft), secret=SECRET, nonce="nonce-1", questionnaire_id=7, now=NOW, cipher=cipher) == draft
    other = drafts.draft_cipher(SECRET, "nonce-2")
    assert drafts.open_draft(text, secret=SECRET, nonce="nonce-2", questionnaire_id=7, now=NOW, cipher=other) is None


def test_the_page_s_cipher_is_the_request_s_own_and_its_nonce_s(app):
    from flask import g, session

    from survey_app.web import survey

    draft = drafts.start_draft(7, language="nl")
    row = type("Row", (), {"id": 7})()
    with app.test_request_context("/"):
        session["draft"] = "nonce-a"
        text_a = survey._seal(draft)
        assert survey._open(text_a, row) == draft
        session["draft"] = "nonce-b"  # another draft begun in the same request: its own key
        assert survey._open(text_a, row) is None
        text_b = survey._seal(draft)
        assert opened(text_b, nonce="nonce-b", secret=app.config["SECRET_KEY"], now=None) == draft
        assert opened(text_b, nonce="nonce-a", secret=app.config["SECRET_KEY"], now=None) is None
        survey.forget_draft()
        assert "_draft_cipher" not in g and "draft" not in session
    with app.test_request_context("/"):
        assert "_draft_cipher" not in g  # nothing of the last request's key is kept
        session["draft"] = "nonce-a"
        assert survey._open(text_a, row) == draft
        assert survey._open("x" * (drafts.MAX_SEALED_CHARS + 1), row) is None

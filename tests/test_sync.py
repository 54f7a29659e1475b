"""Synced responses: stored once, re-sends acknowledged, conflicts and invalid ones kept aside."""

import uuid

import pytest

from survey_app.catalog import definition_of
from survey_app.drafts import start_draft
from survey_app.errors import PayloadError
from survey_app.models import Questionnaire, Response, ResponseConflict
from survey_app.sync import SyncedResponse, accept_synced_response, read_synced_response

from .resident import answer_for


def filled_answers(slug, form=None):
    """Return accepted raw answers for every question a resident sees (of a form), in questionnaire order."""
    definition = definition_of(Questionnaire.current(slug), form=form)
    known, raw = {}, {}
    for page in definition.pages:
        if page.show_if is not None and not page.show_if.is_true(known):
            continue
        for question in page.questions:
            if question.show_if is None or question.show_if.is_true(known):
                raw.update(answer_for(question, known))
    return raw


def synced(slug="werk", answers=None, **fields):
    row = Questionnaire.current(slug)
    values = {"id": str(uuid.uuid4()), "slug": slug, "version": row.version, "language": "nl",
              "answers": filled_answers(slug) if answers is None else answers}
    values.update(fields)
    return SyncedResponse(values["id"], values["slug"], values["version"], values["language"], values["answers"],
                          values.get("channel", "web"))


def test_a_new_response_is_stored(db):
    item = synced(channel="tablet")
    assert accept_synced_response(item) == "stored"
    stored = Response.get(Response.uuid == item.uuid)
    assert (stored.mode, stored.channel, stored.staff) == ("self", "tablet", None)


def test_the_same_response_sent_again_is_acknowledged_and_stored_once(db):
    item = synced()
    assert accept_synced_response(item) == "stored"
    assert accept_synced_response(item) == "duplicate"
    assert accept_synced_response(item) == "duplicate"
    assert Response.select().count() == 1
    assert ResponseConflict.select().count() == 0


def test_the_same_id_with_other_answers_is_kept_aside_once_never_dropped(db):
    item = synced()
    accept_synced_response(item)
    changed = dict(item.answers)
    changed["werksituatie"] = ["student"] if changed.get("werksituatie") != ["student"] else ["werk"]
    other = SyncedResponse(item.uuid, item.slug, item.version, "nl", changed)
    assert accept_synced_response(other) == "kept_aside"
    assert accept_synced_response(other) == "kept_aside"
    assert Response.select().count() == 1
    conflict = ResponseConflict.get()
    assert (conflict.response_uuid, conflict.reason, conflict.answers) == (item.uuid, "different_content", changed)


def test_invalid_answers_are_kept_aside_with_what_is_wrong(db):
    item = synced(answers={"werksituatie": "maan", "bestaat_niet": "x"})
    assert accept_synced_response(item) == "kept_aside"
    assert Response.select().count() == 0
    conflict = ResponseConflict.get()
    assert conflict.reason == "invalid"
    assert conflict.problems["werksituatie"] == "unknown_choice"
    assert conflict.problems["bestaat_niet"] == "unknown_question"


def test_an_unknown_questionnaire_version_is_kept_aside(db):
    item = synced(version=99)
    assert accept_synced_response(item) == "kept_aside"
    assert ResponseConflict.get().reason == "unknown_questionnaire"


def test_a_closed_version_still_takes_what_was_answered_while_it_was_open(db):
    item = synced()
    Questionnaire.update(state="closed").where(Questionnaire.slug == "werk").execute()
    assert accept_synced_response(item) == "stored"


def test_a_survey_started_online_and_finished_offline_is_stored_once_under_its_id(db):
    # Nothing of the online part was stored (drafts are sealed in the form): the id is the link.
    draft = start_draft(Questionnaire.current("werk").id, language="nl")
    item = synced(id=draft.response_uuid)
    assert accept_synced_response(item) == "stored"
    assert accept_synced_response(item) == "duplicate"
    assert [r.uuid for r in Response.select()] == [draft.response_uuid]


def test_a_response_reads_from_json():
    payload = {"id": str(uuid.uuid4()).upper(), "questionnaire": "werk", "version": 1, "language": "ar",
               "answers": {"a": "tekst", "b": 3, "c": ["x", "y"]}, "kiosk": None}
    item = read_synced_response(payload, channel="tablet")
    assert item.uuid == payload["id"].lower()
    assert item.answers == {"a": "tekst", "b": "3", "c": ["x", "y"]}
    assert item.channel == "tablet"


@pytest.mark.parametrize("change, message", [
    ({"id": "not-a-uuid"}, "'id'"),
    ({"questionnaire": ""}, "'questionnaire'"),
    ({"version": "1"}, "'version'"),
    ({"version": True}, "'version'"),
    ({"language": "xx"}, "'language'"),
    ({"answers": []}, "'answers'"),
    ({"answers": {"a": {"b": 1}}}, "'a'"),
    ({"answers": {"a": True}}, "'a'"),
    ({"answers": {"a": "x" * 10_001}}, "'a'"),
    ({"answers": {"a": ["x"] * 101}}, "'a'"),
    ({"answers": {str(n): "x" for n in range(501)}}, "'answers'"),
    ({"form": 1}, "'form'"),
    ({"form": "Kort; DROP"}, "'form'"),
    ({"form": "k" * 17}, "'form'"),
])
def test_a_payload_of_the_wrong_shape_is_refused(change, message):
    payload = {"id": str(uuid.uuid4()), "questionnaire": "werk", "version": 1, "language": "nl", "answers": {}}
    payload.update(change)
    with pytest.raises(PayloadError, match=message):
        read_synced_response(payload)


def test_a_payload_that_is_not_an_object_is_refused():
    with pytest.raises(PayloadError):
        read_synced_response(["not", "an", "object"])


def test_an_unpaired_surrogate_makes_a_response_malformed_not_a_crash(db):
    from survey_app.sync import keep_malformed_aside

    payload = {"id": str(uuid.uuid4()), "questionnaire": "werk", "version": 1, "language": "nl",
               "answers": {"opmerking": "bedankt \ud83d"}}
    with pytest.raises(PayloadError, match="surrogate"):
        read_synced_response(payload)
    assert keep_malformed_aside(payload, "surrogate") == "kept_aside"
    kept = ResponseConflict.get()
    assert (kept.reason, kept.response_uuid) == ("malformed", payload["id"])
    assert kept.answers == {"opmerking": "bedankt \ufffd"}
    # Sent again, it is kept once.
    assert keep_malformed_aside(payload, "surrogate") == "kept_aside"
    assert ResponseConflict.select().count() == 1


def test_a_payload_without_an_id_is_not_kept(db):
    from survey_app.sync import keep_malformed_aside

    assert keep_malformed_aside({"id": "x", "answers": {}}, "no id") is None
    assert keep_malformed_aside([1, 2], "no object") is None
    assert ResponseConflict.select().count() == 0


def test_deep_json_is_refused_with_a_reason():
    from survey_app.sync import decode_payload

    with pytest.raises(PayloadError, match="nested too deeply"):
        decode_payload(b"[" * 2000 + b"]" * 2000)
    with pytest.raises(PayloadError, match="JSON object"):
        decode_payload(b"{not json")


@pytest.mark.parametrize("answers", ["left out", None])
def test_a_payload_with_an_id_and_no_answers_is_really_kept_aside(db, answers):
    # It was acknowledged as kept aside while the insert failed (answers may not be null):
    # the tablet forgot a response the server never kept.
    from survey_app.sync import keep_malformed_aside

    payload = {"id": str(uuid.uuid4()), "questionnaire": "werk", "version": 1, "language": "nl", "antwoorden": {"a": "1"}}
    if answers is None:
        payload["answers"] = None
    assert keep_malformed_aside(payload, "no answers") == "kept_aside"
    kept = ResponseConflict.get(ResponseConflict.response_uuid == payload["id"])
    assert kept.answers == {"antwoorden": {"a": "1"}} | ({"answers": None} if answers is None else {})


def test_a_nul_in_the_questionnaire_is_malformed_and_kept_as_text_any_database_stores(db):
    from survey_app.sync import keep_malformed_aside

    payload = {"id": str(uuid.uuid4()), "questionnaire": "werk\x00", "version": 1, "language": "nl\x00", "answers": {}}
    with pytest.raises(PayloadError, match="'questionnaire'"):
        read_synced_response(payload)
    assert keep_malformed_aside(payload, "nul") == "kept_aside"
    kept = ResponseConflict.get(ResponseConflict.response_uuid == payload["id"])
    assert (kept.questionnaire_slug, kept.language) == ("werk\ufffd", "nl\ufffd")


def test_a_payload_names_the_form_it_answered_and_an_older_tablet_answered_every_question():
    payload = {"id": str(uuid.uuid4()), "questionnaire": "werk", "version": 2, "language": "nl", "answers": {}}
    assert read_synced_response(payload).form == "volledig"
    assert read_synced_response(payload | {"form": "kort"}).form == "kort"


def test_a_short_form_answered_offline_is_checked_as_that_form_and_stored_with_its_name(db):
    row = Questionnaire.current("werk")
    answers = filled_answers("werk", form="kort")
    short = SyncedResponse(str(uuid.uuid4()), "werk", row.version, "nl", answers, "tablet", "kort")
    assert accept_synced_response(short) == "stored"
    stored = Response.get(Response.uuid == short.uuid)
    assert (stored.form, stored.channel) == ("kort", "tablet")
    # An answer to a question the short form leaves out does not belong to it: kept aside for review.
    extra = SyncedResponse(str(uuid.uuid4()), "werk", row.version, "nl", answers | {"stage_stad": "ja"}, "tablet", "kort")
    assert accept_synced_response(extra) == "kept_aside"
    kept = ResponseConflict.get(ResponseConflict.response_uuid == extra.uuid)
    assert (kept.problems, kept.form) == ({"stage_stad": "unknown_question"}, "kort")
    full = SyncedResponse(str(uuid.uuid4()), "werk", row.version, "nl", answers | {"stage_stad": "ja"}, "tablet", "volledig")
    assert accept_synced_response(full) == "stored"
    item = synced()
    accept_synced_response(item)
    assert Response.get(Response.uuid == item.uuid).form == "volledig"


def test_a_form_the_questionnaire_does_not_have_is_kept_aside(db):
    row = Questionnaire.current("werk")
    item = SyncedResponse(str(uuid.uuid4()), "werk", row.version, "nl", filled_answers("werk", form="kort"), "web", "heel_kort")
    assert accept_synced_response(item) == "kept_aside"
    kept = ResponseConflict.get(ResponseConflict.response_uuid == item.uuid)
    assert (kept.reason, kept.problems, kept.form) == ("invalid", {"form": "unknown_form"}, "heel_kort")
    assert Response.select().count() == 0

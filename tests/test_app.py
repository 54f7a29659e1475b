"""The Flask class of the app (survey_app.SurveyFlask)."""

from survey_app import SurveyFlask


def test_ensure_sync_keeps_its_answer_for_plain_functions_and_asks_flask_for_coroutines():
    app = SurveyFlask(__name__)

    def plain():
        return "ok"

    async def coroutine():
        return "ok"

    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    assert app._sync == {plain: plain}
    # A coroutine function is Flask's to run: wrapped, or refused without the async extra.
    try:
        wrapped = app.ensure_sync(coroutine)
    except RuntimeError as error:
        assert "async" in str(error).lower()
    else:
        assert wrapped is not coroutine and wrapped() == "ok"


def test_only_so_many_answers_are_kept(monkeypatch):
    app = SurveyFlask(__name__)
    monkeypatch.setattr(SurveyFlask, "_SYNC_KEPT", 2)
    functions = [lambda: n for n in range(4)]
    assert [app.ensure_sync(f) for f in functions] == functions
    assert len(app._sync) == 2


def test_an_unhashable_callable_is_still_answered():
    class Unhashable(list):
        def __call__(self):
            return "ok"

    app = SurveyFlask(__name__)
    handler = Unhashable([1, 2])
    assert app.ensure_sync(handler) is handler

"""The resident's flow: start page, intro, one form per page, thank-you page."""

import math
from dataclasses import replace
from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh

from .. import drafts
from . import kiosk
from ..catalog import definition_of, open_questionnaire
from ..content.duration import opening_seconds, page_seconds
from ..content.answers import check_page, check_response, expected_page_count, is_shown, visible_pages
from .extensions import limiter
from .forms import build_page_form, error_message
from .i18n import chosen_language, known_language
from ..models import Questionnaire, Response
from .. import published
from ..responses import VersionNotPublished, is_response_id, store_response
from .security import safe_next
from .templating import constraint_message, error_summary_html, kept_minutes, questions_html, render_kept

bp = Blueprint("survey", __name__)
# Residents' pages are never throttled: many residents share one tablet, and so one address.
limiter.exempt(bp)
DRAFT_FIELD = "draft"  # the hidden field that carries the sealed answers so far


def _lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["DRAFT_LIFETIME_MINUTES"])


def _cipher(secret: str, nonce: str | None):
    # A page's post opens the draft and seals it again under the same nonce: one key derivation
    # for both. Kept on g, so it goes with the request (after a stop or submit the nonce must be
    # nowhere), and under the secret and nonce it was made for.
    if not nonce:
        return None
    kept = g.get("_draft_cipher")
    if kept is None or kept[0] != (secret, nonce):
        kept = g._draft_cipher = ((secret, nonce), drafts.draft_cipher(secret, nonce))
    return kept[1]


def _seal(draft: drafts.Draft) -> str:
    secret, nonce = current_app.config["SECRET_KEY"], session["draft"]
    return drafts.seal_draft(draft, secret=secret, nonce=nonce, lifetime=_lifetime(), cipher=_cipher(secret, nonce))


def _open(sealed: str | None, row) -> drafts.Draft | None:
    secret, nonce = current_app.config["SECRET_KEY"], session.get("draft")
    if not sealed or not nonce or len(sealed) > drafts.MAX_SEALED_CHARS:
        return None  # as open_draft answers, without deriving a key
    return drafts.open_draft(
        sealed, secret=secret, nonce=nonce, questionnaire_id=row.id, cipher=_cipher(secret, nonce)
    )


def begin_draft(
    row, *, mode: str = "self", channel: str = "web", staff_id: int | None = None, form: str = "", keep_page_one: bool = True,
    language: str | None = None,
) -> drafts.Draft:
    """Start a new draft for row in this session (a fresh nonce) and return it, empty.

    The nonce replaces any earlier one, so an earlier draft's sealed copies are unreadable now.
    form is the shorter form being answered ('' for the full questionnaire). keep_page_one
    seals the draft into the session for one GET of page 1, after a redirect (a staff intake);
    the resident's Begin shows page 1 in its own answer instead.
    """
    session["draft"] = drafts.new_nonce()
    session["form"] = form
    session.pop("sent", None)
    language = language or str(get_locale())  # a staff intake: the resident's, not the page's
    draft = drafts.start_draft(row.id, language=language, mode=mode, channel=channel, staff_id=staff_id)
    if keep_page_one:
        session["draft_start"] = _seal(draft)
    else:
        session.pop("draft_start", None)
    return draft


def forget_draft() -> None:
    """Forget the draft of this session: its sealed copies cannot be opened any more."""
    session.pop("draft", None)
    session.pop("draft_start", None)
    session.pop("form", None)
    g.pop("_draft_cipher", None)


@bp.get("/")
def index():
    if chosen_language() is None:
        # A shared tablet starts with the welcome and the language picker, whatever the browser prefers.
        minutes = _longest_minutes()
        return render_kept("language.html", (minutes,), {}, minutes=minutes)
    rows = _offered_here()
    surveys = [(row, definition_of(row)) for row in rows]
    # Kept per list of versions shown (a kiosk offers some of them).
    key = tuple((row.id, row.content_hash, row.state) for row in rows)
    return render_kept("index.html", key, {}, surveys=surveys)


def _offered_here() -> list:
    """Return the published versions offered here: all of them, or a kiosk's."""
    rows = published.published_versions()
    offered = kiosk.offered_slugs()
    return rows if offered is None else [row for row in rows if row.slug in offered]


def _longest_minutes() -> int | None:
    """Return the minutes the longest survey offered here takes, or None when none is open."""
    return max((survey_minutes(row) for row in _offered_here()), default=None)


def survey_minutes(row) -> int:
    """Return the minutes a survey takes with every question shown: a promise it keeps on any path."""
    return kept_minutes(definition_of(row), _every_question_minutes)


def _every_question_minutes(definition) -> int:
    seconds = opening_seconds(definition) + sum(page_seconds(page) for page in definition.pages)
    return max(1, math.ceil(seconds / 60))


@bp.post("/language")
def choose_language():
    """Keep the chosen language in the session and go back to where the resident was."""
    code = known_language(request.form.get("lang"))
    if code and request.form.get("for") == "resident" and session.get("intake"):
        # The intake's consent page: the resident's language changes, the staff member's stays.
        session["intake"] = session["intake"] | {"lang": code}
    elif code:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("survey.index"))


@bp.get("/s/<slug>/")
def intro(slug):
    row, definition = open_questionnaire(slug)
    return _render_intro(row, definition)


def _render_intro(row, definition, *, sealed: str = "", number: int = 1):
    """Render the intro; a sealed draft rides along in its start form, so 'Begin' can offer to go on.

    Without one, survey.js puts in the copy the tab kept of the last page, but only when this
    session has a draft in progress (in_progress): after a stop, submit or reset it has none.
    """
    # Kept per version and state of the page; the sealed answers are filled in per request.
    shown = {
        "number": number, "in_progress": "draft" in session, "stopped": bool(request.args.get("stopped")),
        "sent": session.get("sent") == row.slug, "expired": bool(request.args.get("expired")),
    }
    key = (row.id, row.content_hash, row.state, definition.form_name, *shown.values())
    return render_kept("intro.html", key, {"sealed": sealed}, row=row, definition=definition, **shown)


def _start_limit() -> str:
    return current_app.config["START_RATE_LIMIT"]


@bp.post("/s/<slug>/start")
@limiter.limit(_start_limit)  # per address: a busy kiosk starts a few a minute, a script thousands
def start(slug):
    row, definition = open_questionnaire(slug)
    channel = "web" if kiosk.current_kiosk() is None else "tablet"
    # The intro's first button starts the short form (tablets in the street, kiosks), the
    # second every question; without a choice (an older page), every question.
    chosen = request.form.get("form", "")
    form = chosen if chosen in definition.forms else ""
    if session.get("sent") == slug and not request.form.get("sent"):
        # A start form from before the answers were sent, posted again by the back button.
        return redirect(url_for("survey.thanks", slug=slug, sent=1))
    if request.form.get("restart") != "yes":
        sealed = request.form.get(DRAFT_FIELD, "")
        draft = _open(sealed, row)
        if draft is not None:
            # 'Begin' while answers are in progress: offer to go on rather than wipe them.
            pages = visible_pages(definition_of(row, form=session.get("form")), dict(draft.answers))
            return render_template(
                "resume.html", row=row, definition=definition, sealed=sealed, chosen=form,
                number=_page_number(request.form.get("page"), len(pages)),
            )
    draft = begin_draft(row, channel=channel, form=form, keep_page_one=False)
    # Page 1 is the answer to Begin: one request less than a redirect and a GET, and the
    # session holds only the nonce. Like every page after it, it is the answer to a post.
    definition = definition_of(row, form=form)
    return _render_page(row, definition, draft, visible_pages(definition, {}), 1, {}, errors={})


def _page_number(value: str | None, count: int) -> int:
    """Return value as a page number from 1 to count; 1 for anything else."""
    try:
        number = int(value or "")
    except ValueError:
        return 1
    return number if 1 <= number <= count else 1


@bp.post("/s/<slug>/stop")
def stop(slug):
    """Throw away the answers so far (asked for and confirmed): nothing of them stays anywhere."""
    if kiosk.current_kiosk() is not None:
        # On a kiosk the next person starts from the welcome, in their own language.
        kiosk.reset_resident()
        return redirect(url_for("survey.index"))
    forget_draft()
    return redirect(url_for("survey.intro", slug=slug, stopped=1))


@bp.route("/s/<slug>/<int:number>", methods=["GET", "POST"])
def page(slug, number):
    """Show or take one page. Within a draft every page is the answer to a post of the one before.

    The answers so far come with the post (sealed, in the hidden field 'draft'), so the
    server writes nothing before the final submit. A GET shows only page 1 of a draft just
    begun; any other GET has no answers to show and sends the resident to the start.
    """
    # The form this session's draft answers: the short form or the full questionnaire.
    row, definition = open_questionnaire(slug, form=session.get("form"))
    if not 1 <= number <= len(definition.pages):
        abort(404)
    if request.method == "GET":
        draft = _open(session.pop("draft_start", None), row) if number == 1 else None
    else:
        draft = _open(request.form.get(DRAFT_FIELD), row)
    if draft is None:
        return _without_draft(slug, row)
    answers = dict(draft.answers)
    pages = visible_pages(definition, answers)
    if not 1 <= number <= len(pages):
        abort(404)
    current = pages[number - 1]
    action = request.form.get("action", "")
    staffed = draft.staff_id is not None
    if staffed:
        # A staff intake: the questions in the resident's language, the rest in the staff member's.
        g.resident_language = draft.language
        if request.method == "POST" and action != "resume" and "intake" in session:
            session["intake"] = session["intake"] | {"dutch": request.form.get("dutch") == "1"}
    if request.method == "GET" or action == "resume":
        # 'resume' shows the page again as it was sealed (a kept copy brought back by the browser).
        return _render_page(row, definition, draft, pages, number, answers, errors={})

    values, errors = check_page(current, answers, request.form.to_dict(flat=False), enforce_required=draft.channel != "paper")
    if errors and not (action in ("back", "stop") or action.startswith("language:")):
        # What was typed is shown again with the messages; the sealed answers stay as they were.
        return _render_page(row, definition, draft, pages, number, answers, errors=errors, formdata=request.form)
    own = {name for q in current.questions for name in q.variables}
    answers = {k: v for k, v in answers.items() if k not in own} | values
    switch = _language_switch(action)
    if switch and staffed:
        g.resident_language = switch
        if "intake" in session:
            session["intake"] = session["intake"] | {"lang": switch}
    elif switch:
        # The language buttons submit the page's own form: keep what was typed, show the page again.
        session["lang"] = switch
        refresh()
    draft = replace(draft, language=g.resident_language if staffed else str(get_locale()), answers=answers)
    pages = visible_pages(definition, answers)
    if switch is not None:
        return _render_page(row, definition, draft, pages, min(number, len(pages)), answers, errors={})
    if action == "stop":
        # Ask first; the answers so far (with what was typed here) go along, in case of 'no'.
        return render_template(
            "stop.html", row=row, definition=definition, sealed=_seal(draft), number=min(number, len(pages))
        )
    if action == "back":
        if number == 1:
            return _render_intro(row, definition_of(row), sealed=_seal(draft), number=1)
        return _render_page(row, definition, draft, pages, min(number - 1, len(pages)), answers, errors={})
    if number < len(pages):
        return _render_page(row, definition, draft, pages, number + 1, answers, errors={})
    return _submit(row, definition, draft)


def _language_switch(action: str) -> str | None:
    """Return the language of a 'language:xx' action ('' for an unknown code), or None for other actions."""
    if not action.startswith("language:"):
        return None
    return known_language(action.removeprefix("language:")) or ""


def _submit(row, definition, draft):
    clean, errors = check_response(definition, draft.answers, enforce_required=draft.channel != "paper")
    if errors:
        # An earlier page no longer holds (its skip logic changed): show the resident that page.
        pages = visible_pages(definition, clean)
        for index, candidate in enumerate(pages, start=1):
            own = {name for q in candidate.questions for name in q.variables}
            if own & errors.keys():
                mine = {name: error for name, error in errors.items() if name in own}
                return _render_page(row, definition, draft, pages, index, dict(draft.answers), errors=mine)
        abort(400)
    try:
        store_response(
            questionnaire=row,
            response_uuid=draft.response_uuid,
            answers=clean,
            language=draft.language,
            mode=draft.mode,
            channel=draft.channel,
            staff=draft.staff_id,
            form=definition.answered_form,
            published_only=True,
        )
    except VersionNotPublished:
        # Closed or replaced by a newer version since this process last read it (published.py):
        # as when a page finds its version gone, the answers cannot be sent; the intro says so.
        published.forget()
        forget_draft()
        return redirect(url_for("survey.intro", slug=row.slug, expired=1))
    forget_draft()
    # The back button after this page finds the answers sent, not lost (see _without_draft).
    session["sent"] = row.slug
    if draft.mode == "assisted" or draft.channel == "paper":
        # Back to the intake list (staff entered it), in the staff member's own language.
        session.pop("intake", None)
        return redirect(url_for("staff.home", stored=1))
    # The thank-you page is the answer to the last post, as every page was the answer to the one
    # before: one round trip less on the tablet's wifi. A reload posts again and finds the
    # answers sent (_without_draft), so nothing is stored twice.
    return _render_thanks(row, sent=False)


def _without_draft(slug, row):
    """No answers to show: say they were sent, offer to go on, or start again.

    A repeated final post finds its stored response, and the back button after a submit finds
    the survey sent in this session: both say so. A page address opened while a draft is in
    progress goes to the intro, whose 'Begin' offers to go on (survey.js kept the last page).
    """
    response_id = request.form.get("response_id", "")
    if request.method == "POST" and is_response_id(response_id):
        if Response.select().where((Response.uuid == response_id.lower()) & (Response.questionnaire == row)).exists():
            return redirect(url_for("survey.thanks", slug=slug, sent=1))
    if session.get("sent") == slug:
        return redirect(url_for("survey.thanks", slug=slug, sent=1))
    if request.method == "GET" and "draft" in session:
        return redirect(url_for("survey.intro", slug=slug))
    return redirect(url_for("survey.intro", slug=slug, expired=1))


def _render_page(row, definition, draft, pages, number, answers, *, errors, formdata=None):
    current = pages[number - 1]
    questions = [q for q in current.questions if is_shown(q, answers)]
    form = build_page_form(current, questions, answers=answers, formdata=formdata)
    form.response_id.data = draft.response_uuid
    form.draft.data = _seal(replace(draft, answers=answers))
    owner = {name: q.key for q in current.questions for name in q.variables}
    messages = {name: error_message(error, constraint_message(definition, owner.get(name, name))) for name, error in errors.items()}
    context = {
        "row": row, "definition": definition, "page": current, "questions": questions, "form": form, "errors": messages,
        "number": number, "total": expected_page_count(definition, answers, current), "is_last": number == len(pages),
        "draft_answers": answers, "dutch_beside": bool((session.get("intake") or {}).get("dutch")),
    }
    slots = {
        "response_id": form.response_id.data or "", "sealed": form.draft.data or "",
        "error_summary": error_summary_html(definition, questions, messages),
        "question_htmls": questions_html(row, definition, questions, form, messages),
    }
    # Kept per version, page and what it shows; the answers and messages are only in the slots.
    key = (
        row.id, row.content_hash, row.state, definition.form_name, current.key, number, context["total"], context["is_last"],
        tuple(question.key for question in questions), context["dutch_beside"],
    )
    return render_kept("page.html", key, slots, private=("form", "draft_answers", "errors"), **context)


@bp.get("/s/<slug>/klaar")
def thanks(slug):
    row = Questionnaire.latest(slug)
    if row is None:
        abort(404)
    return _render_thanks(row, sent=bool(request.args.get("sent")))


def _render_thanks(row, *, sent: bool):
    # Kept per version and whether it says the answers were already sent.
    return render_kept("thanks.html", (row.id, row.content_hash, row.state, sent), {}, definition=definition_of(row), sent=sent)

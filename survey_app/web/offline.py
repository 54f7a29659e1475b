"""The offline layer: a service worker, the page it falls back to, and the API that takes queued responses.

It adds to the server-rendered flow and replaces none of it: without JavaScript, or while the
network works, residents use the ordinary pages. Once a survey was opened, the service
worker keeps a copy of it (offline.html plus one JSON file per language); when the network
fails it shows that copy, the resident answers on, and the finished response waits in the
browser's IndexedDB until POST /api/responses acknowledges it. See docs/fieldwork.md.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

import click
import orjson
from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from ..catalog import definition_of
from ..content.client import client_definition
from ..content.types import AGREEMENT_VALUES, NOT_APPLICABLE
from .csrf import generate_csrf
from ..db import database, is_postgres
from ..errors import ConflictsFull, PayloadError
from .extensions import limiter
from .forms import AGREEMENT_LABELS, ERROR_MESSAGES
from ..kiosks import ticket_kiosk
from ..languages import LANGUAGES, SOURCE_LANGUAGE, known_language
from ..published import current_version
from ..sync import (
    OUTCOMES,
    accept_synced_response,
    decode_payload,
    keep_malformed_aside,
    kept_aside,
    purge_kept_aside,
    read_synced_response,
)
from ..security_events import record_event
from ..terminal import printable
from .templating import translated_text

bp = Blueprint("offline", __name__)

# What the service worker keeps for every survey, besides the survey's own JSON files.
SHELL_ASSETS = ("survey.css", "survey.js", "offline.js", "expressions.js", "faces.svg")


@lru_cache(maxsize=8)
def _asset_version(static_folder: str, template: str) -> str:
    digest = hashlib.sha256()
    for name in (*SHELL_ASSETS, "sw.js"):
        digest.update((Path(static_folder) / name).read_bytes())
    digest.update(Path(template).read_bytes())
    return digest.hexdigest()[:12]


def asset_version() -> str:
    """Return a short hash of the offline assets: a new one makes the service worker refresh them."""
    template = Path(current_app.root_path) / "templates" / "offline.html"
    return _asset_version(current_app.static_folder, str(template))


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from the root, so its scope is the whole site."""
    source = (Path(current_app.static_folder) / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", asset_version(), 1)
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def shell():
    """The one page the service worker shows offline; offline.js fills it from the cached JSON."""
    languages = [[lang.code, lang.name, lang.direction] for lang in LANGUAGES.values()]
    with force_locale(SOURCE_LANGUAGE):
        dutch = interface_strings()
    return render_template("offline.html", languages=languages, interface=dutch, version=asset_version())


def interface_strings() -> dict:
    """Return the interface words the offline page needs, in the current language."""
    strings = {
        "begin": _("Begin"),
        "begin_short": _("Begin: korte vragenlijst, ongeveer %(minutes)s minuten"),
        "begin_full": _("Alle vragen, ongeveer %(minutes)s minuten"),
        "back": _("Vorige"),
        "next": _("Volgende"),
        "send": _("Versturen"),
        "required": _("verplicht"),
        "progress": _("Pagina %(number)s van %(total)s"),
        "check_answers": _("Kijk uw antwoorden na"),
        "consent_title": _("Wat gebeurt er met uw antwoorden?"),
        "stop": _("Stoppen en mijn antwoorden wissen"),
        "thanks_title": _("Bedankt!"),
        "thanks_offline": _("Uw antwoorden zijn bewaard op dit toestel. Ze worden verstuurd zodra er weer internet is."),
        "to_start": _("Terug naar het begin"),
        "choose_language": _("Kies uw taal"),
        "choose_survey": _("Geef uw mening"),
        "choose_survey_lead": _("De stad Genk wil beter werken voor u. Kies een vragenlijst."),
        "offline_notice": _("Er is nu geen internet. U kunt gewoon verder invullen."),
        "scale_low": _("heel slecht"),
        "scale_high": _("heel goed"),
        "brand": _("Stad Genk"),
        "skip": _("Ga naar de inhoud"),
        "still_there": _("Bent u er nog?"),
        "still_there_text": _("Als u niets doet, wissen we straks uw antwoorden voor de volgende persoon."),
        "continue": _("Ja, ik ga verder"),
        "waiting": _("Wachten op verzending:"),
        "attention": _("Niet aanvaard, bewaard voor een medewerker:"),
        "language": _("Taal"),
    }
    for code, message in ERROR_MESSAGES.items():
        strings["error_" + code] = str(message)
    return strings


def _translate(definition):
    def translate(key: str, text: str):
        translated = translated_text(definition, key, text)
        return [text, SOURCE_LANGUAGE] if translated is None else translated

    return translate


def agreement_list(question) -> str:
    """Return the name of the list of agreement labels a question uses (sent once per survey)."""
    name = "agreement_dk" if question.dont_know else "agreement"
    return name if question.not_applicable else f"{name}_without_na"


def _options(definition, translate):
    def options(question):
        if question.is_agreement:
            # The same labels for every agreement question: sent once (data["agreement"]),
            # offline.js puts them back, so nine languages of a survey stay within the budget.
            return agreement_list(question)
        if question.type == "scale":
            return [(value, str(value)) for value in question.answer_values]
        return [(o.value, translate(f"{question.key}.option.{o.value}", o.label)) for o in question.options]

    return options


@bp.get("/offline/<slug>/<lang>.json")
def survey_data(slug, lang):
    """Return one published survey in one language, with the interface words, for offline use."""
    row = current_version(slug)
    if row is None or known_language(lang) is None:
        abort(404)
    definition = definition_of(row)
    with force_locale(lang):
        translate = _translate(definition)
        data = client_definition(definition, translate=translate, options=_options(definition, translate))
        data["ui"] = interface_strings()
        with_na = AGREEMENT_VALUES + (NOT_APPLICABLE,)
        data["agreement"] = {
            "agreement": [(value, str(AGREEMENT_LABELS[value])) for value in with_na],
            "agreement_without_na": [(value, str(AGREEMENT_LABELS[value])) for value in AGREEMENT_VALUES],
        }
        # The variants with 'Weet ik niet' only where the survey asks one: each weighs per language.
        for question in definition.questions():
            if question.is_agreement and question.dont_know:
                data["agreement"][agreement_list(question)] = [
                    (value, str(AGREEMENT_LABELS[value])) for value in question.answer_values
                ]
    language = LANGUAGES[lang]
    data.update(lang=language.code, dir=language.direction, language_name=language.name)
    # UTF-8 as it is: Arabic or Bulgarian escaped as \uXXXX would weigh three times more.
    return Response(orjson.dumps(data), mimetype="application/json")


@bp.get("/api/csrf")
def csrf_token():
    """Return a fresh CSRF token for the queue's next round of sending."""
    return jsonify(csrf_token=generate_csrf())


def _sync_limit() -> str:
    return current_app.config["SYNC_RATE_LIMIT"]


def _tablet_count_limit() -> str:
    return current_app.config["SYNC_TABLET_RATE_LIMIT"]


def _tablet_bytes_limit() -> str:
    return current_app.config["SYNC_TABLET_BYTES_LIMIT"]


def _read_payload() -> None:
    """Decode the body and its kiosk ticket once per request, into g (the limits need the tablet first)."""
    if "sync_payload" in g:
        return
    try:
        g.sync_payload, g.sync_error = decode_payload(request.get_data()), None
    except PayloadError as error:
        g.sync_payload, g.sync_error = None, error
    ticket = g.sync_payload.get("kiosk") if isinstance(g.sync_payload, dict) else None
    g.sync_kiosk = ticket_kiosk(ticket, current_app.config["SECRET_KEY"])


def _tablet_key() -> str:
    """Return who a sync is counted against: the kiosk its valid ticket names, else its address."""
    _read_payload()
    return f"kiosk:{g.sync_kiosk}" if g.sync_kiosk is not None else f"address:{request.remote_addr}"


def _body_bytes() -> int:
    return max(1, request.content_length or 0)


@bp.post("/api/responses")
@limiter.limit(_sync_limit)
# Per tablet, in responses and in bytes: one tablet (or one address without a kiosk) cannot
# fill the disk; past either limit it gets 429 and its outbox keeps the response for later.
@limiter.limit(_tablet_count_limit, key_func=_tablet_key, scope="sync-tablet-count")
@limiter.limit(_tablet_bytes_limit, key_func=_tablet_key, scope="sync-tablet-bytes", cost=_body_bytes)
def receive_response():
    """Take one queued response; 2xx means the tablet may forget it (stored, known, or kept aside)."""
    _read_payload()
    payload = g.sync_payload
    if g.sync_error is not None:
        record_event("sync_refused", status=400, reason=str(g.sync_error), address=request.remote_addr)
        return jsonify(error=str(g.sync_error)), 400
    channel = "tablet" if g.sync_kiosk is not None else "web"
    try:
        item = read_synced_response(payload, channel=channel)
    except PayloadError as error:
        # With an id it is kept aside and acknowledged; refused, it would be sent again forever.
        try:
            outcome = keep_malformed_aside(payload, str(error), channel=channel, max_kept=current_app.config["CONFLICTS_MAX"])
        except ConflictsFull:
            return _conflicts_full()
        if outcome is None:
            record_event("sync_refused", status=400, reason=str(error), address=request.remote_addr)
            return jsonify(error=str(error)), 400
        record_event("sync_kept_aside", reason="malformed", address=request.remote_addr)
        return jsonify(status=outcome, id=payload["id"].lower(), problem=str(error)), OUTCOMES[outcome]
    try:
        outcome = accept_synced_response(item, max_kept=current_app.config["CONFLICTS_MAX"])
    except ConflictsFull:
        return _conflicts_full()
    if outcome == "kept_aside":
        record_event("sync_kept_aside", reason="checks", address=request.remote_addr)
    return jsonify(status=outcome, id=item.uuid), OUTCOMES[outcome]


@bp.errorhandler(429)
def too_many(error):
    """A rate limit of the API: JSON the outbox reads, and a Retry-After; the tablet keeps the response."""
    record_event("sync_refused", status=429, reason="rate_limit", address=request.remote_addr)
    reply = jsonify(error=f"too many responses from this tablet or address ({error.description}); the tablet keeps them and sends them later")
    return reply, 429


def _conflicts_full():
    current_app.logger.error("CONFLICTS_MAX reached: synced responses wait on tablets; review with `flask offline conflicts`")
    record_event("sync_refused", status=503, reason="conflicts_full", address=request.remote_addr)
    return jsonify(error="too many responses kept aside; try again later"), 503, {"Retry-After": "3600"}


@bp.cli.command("purge")
@click.option("--before", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="Delete those received before this day (YYYY-MM-DD).")
def purge_command(before):
    """Delete the responses kept aside that were received before a day (after review)."""
    with database.connection_context():
        count = purge_kept_aside(before=before.date())
        if not is_postgres():
            # secure_delete zeroed them in the file; the checkpoint empties the write-ahead log.
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    click.echo(f"{count} response(s) kept aside deleted.")


@bp.cli.command("conflicts")
@click.option("--answers", is_flag=True, help="Print each response whole, as JSON, to review it.")
def conflicts_command(answers):
    """List the synced responses kept aside for review (never dropped)."""
    with database.connection_context():
        rows = kept_aside()
    # Anyone can send what is kept aside: every control character is printed as an escape.
    for row in rows:
        if answers:
            click.echo(printable(orjson.dumps({
                "id": row.response_uuid, "questionnaire": row.questionnaire_slug,
                "version": row.questionnaire_version, "language": row.language, "channel": row.channel,
                "reason": row.reason, "problems": row.problems, "received_on": row.received_on.isoformat(),
                "answers": row.answers,
            }).decode()))
        else:
            click.echo(printable(f"{row.received_on}  {row.reason:<21} {row.questionnaire_slug} v{row.questionnaire_version}"
                                 f"  {row.response_uuid}  {', '.join(sorted(row.problems))}"))
    if not answers:
        click.echo(f"{len(rows)} response(s) kept aside.")

"""What every template may call: the current language, questionnaire text, answer choices."""

import datetime
import re
import secrets
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from ..content.answers import latest_date
from ..content.definition import Definition, Question
from ..content.duration import consent_minutes
from ..content.extract import message_context
from ..content.types import OFF_SCALE
from ..followup.reader import load_followup
from ..followup.texts import WAVES_SLUG, wave_key
from .forms import AGREEMENT_LABELS
from .i18n import LANGUAGES, SOURCE_LANGUAGE
from ..translations import compiled_translations


def current_language():
    """Return the Language of this request."""
    locale = get_locale()
    kept = g.get("current_language")
    # Kept per request and locale: a page asks it for every question, and a language switch
    # (flask_babel.refresh) gives a new locale.
    if kept is None or kept[0] is not locale:
        kept = g.current_language = (locale, LANGUAGES.get(str(locale), LANGUAGES[SOURCE_LANGUAGE]))
    return kept[1]


def questionnaire_language(current=None):
    """Return the Language the questions are shown in: the resident's during a staff intake
    (g.resident_language, set by the intake's views), else the page's own (current, when the
    caller has it)."""
    code = g.get("resident_language")
    return LANGUAGES[code] if code in LANGUAGES else current or current_language()


def interface_translations():
    """Return the interface catalog of this request's language (Flask-Babel's, looked up once per locale)."""
    locale = get_locale()
    kept = g.get("interface_translations")
    if kept is None or kept[0] is not locale:
        kept = g.interface_translations = (locale, get_translations())
    return kept[1]


def remembering_url_for(app: Flask):
    """Return the app's url_for for templates, keeping the paths it built (bounded).

    A page asks for a dozen paths (styles, scripts, icons, the same few forms), and building
    each through the URL map was a tenth of a page's cost. Only relative paths are kept, by
    script root, endpoint and values; this app registers no url_defaults that could change them.
    """
    build = app.url_for
    paths: dict[tuple, str] = {}

    def url_for(endpoint: str, **values) -> str:
        if not has_request_context() or any(name.startswith("_") for name in values):
            return build(endpoint, **values)
        try:
            key = (request.script_root, endpoint, *sorted(values.items()))
            return paths[key]
        except TypeError:  # a value that cannot be a key (a list): build it each time
            return build(endpoint, **values)
        except KeyError:
            if len(paths) >= _PATHS_KEPT:
                paths.clear()
            path = paths[key] = build(endpoint, **values)
            return path

    return url_for


_PATHS_KEPT = 5000


def translated_text(definition: Definition, key: str, text: str) -> str | None:
    """Return the translation of a questionnaire string in the current language, or None.

    Dutch needs none. A missing or fuzzy (stale) translation gives None: fuzzy entries are
    never compiled, so a resident never reads an outdated translation.
    """
    return _translated(definition.slug, key, text)


def _translated(slug: str, key: str, text: str) -> str | None:
    language = questionnaire_language().code
    if language == SOURCE_LANGUAGE or not text:
        return text
    return _questionnaire_catalog(language).get((message_context(slug, key), text))


def _questionnaire_catalog(language: str) -> dict:
    """Return the compiled questionnaire catalog of language, looked up once per request."""
    catalogs = g.setdefault("questionnaire_catalogs", {})
    if language not in catalogs:
        catalogs[language] = compiled_translations(current_app.config["TRANSLATIONS_DIR"], language, "questionnaires")
    return catalogs[language]


def questionnaire_text(definition: Definition, key: str, text: str) -> Markup:
    """Return a questionnaire string as safe HTML in the current language.

    Without a translation the Dutch text is shown, wrapped in <span lang="nl" dir="ltr"> so
    screen readers switch voice. Use it in element content; in attributes and <title> use
    questionnaire_plain_text (`qt_plain`), which never adds markup.
    """
    translated = translated_text(definition, key, text)
    if translated is None:
        return Markup('<span lang="{}" dir="ltr">{}</span>').format(SOURCE_LANGUAGE, text)
    shown = questionnaire_language()
    if shown is not current_language():  # a staff intake: the resident's words in the staff's page
        return Markup('<span lang="{}" dir="{}">{}</span>').format(shown.code, shown.direction, translated)
    return escape(translated)


def questionnaire_plain_text(definition: Definition, key: str, text: str) -> str:
    """Return a questionnaire string as plain text: the translation, or the Dutch text."""
    translated = translated_text(definition, key, text)
    return text if translated is None else translated


def wave_title(wave) -> Markup:
    """Return the title of a follow-up wave in the current language (the Dutch, marked lang="nl", without a translation)."""
    translated = _translated(WAVES_SLUG, wave_key(wave.key), wave.title)
    if translated is not None:
        return escape(translated)
    return Markup('<span lang="{}" dir="ltr">{}</span>').format(SOURCE_LANGUAGE, wave.title)


def wave_label(title: str) -> str:
    """Return a wave's title, given as its Dutch title (chart labels), in the current language as plain text (SVG holds no <span>)."""
    if "wave_keys" not in g:  # read once per request: a report draws a chart per indicator
        package, _ = load_followup(Path(current_app.config["QUESTIONNAIRES_DIR"]))
        g.wave_keys = {w.title: w.key for w in package.waves}
    key = g.wave_keys.get(title)
    translated = _translated(WAVES_SLUG, wave_key(key), title) if key else None
    return title if translated is None else translated


MINUTES_PLACEHOLDER = "%(minuten)s"
_MINUTES_KEPT = 200
_minutes: dict[tuple, tuple[dict, int]] = {}


def kept_minutes(definition: Definition, reckon) -> int:
    """Return reckon(definition), a number of minutes, reckoned once per version, form and reckoning."""
    # Every copy of a version (another state, a form of it) shares its source mapping: an
    # estimate reads every question's words, and the intro and the welcome ask for one on each
    # view. The mapping is kept with the figure, so a new definition never meets the figure of
    # an old one's id.
    source = definition.source_mapping
    key = (reckon, definition.slug, definition.version, definition.form_name, id(source))
    kept = _minutes.get(key)
    if kept is None or kept[0] is not source:
        if len(_minutes) >= _MINUTES_KEPT:
            _minutes.clear()
        kept = _minutes[key] = (source, reckon(definition))
    return kept[1]


def minutes_of(definition: Definition) -> int:
    """Return the minutes a consent promises for this form: its longest path by the estimate."""
    return kept_minutes(definition, consent_minutes)


def consent_html(definition: Definition, mode: str = "self") -> Markup:
    """Return the consent for a mode (self-completed or staff-assisted) in the current language,
    with the minutes computed from the questionnaire (the form being answered) filled in."""
    key, text = definition.consent_for(mode)
    html = questionnaire_text(definition, key, text)
    if MINUTES_PLACEHOLDER not in text:
        return html
    try:
        return html % {"minuten": minutes_of(definition)}
    except (KeyError, ValueError, TypeError):  # a translation that lost or broke the placeholder
        return html


def isolate(value) -> Markup:
    """Return value wrapped in <bdi>, so numbers and Latin names keep their order in Arabic text."""
    return Markup("<bdi>{}</bdi>").format(value)


def constraint_message(definition: Definition, question_key: str):
    """Return a function that words a question's constraint message in the current language."""
    return lambda text: questionnaire_text(definition, f"{question_key}.constraint_message", text) if text else text


def option_pairs(definition: Definition, question: Question) -> list[tuple[object, str]]:
    """Return (value, label) for each answer a choice-like question offers."""
    if question.is_agreement:
        return [(value, str(AGREEMENT_LABELS[value])) for value in question.answer_values]
    if question.type == "scale":
        return [(value, str(value)) for value in question.answer_values]
    return [
        (option.value, questionnaire_text(definition, f"{question.key}.option.{option.value}", option.label))
        for option in question.options
    ]


# The welcome of the first screen, said in every language at once.
WELCOME = {
    "greeting": _l("Geef uw mening"),
    "duration": _l("Ongeveer %(minutes)s minuten"),
}


def in_every_language(key: str, **params) -> list[tuple]:
    """Return (Language, text) for a WELCOME text in each of the nine languages."""
    said = []
    for language in LANGUAGES.values():
        with force_locale(language.code):
            text = str(WELCOME[key])
        said.append((language, text % params if params else text))
    return said


# Answers that are no point on a scale: shown apart from it, so they do not read as one more point.
SET_APART = {"agreement": set(OFF_SCALE), "single_choice": {"weet_niet"}, "multiple_choice": {"weet_niet"}}


def split_options(question: Question, options: list[tuple[object, str]]) -> dict:
    """Return the options as {"points": [...], "aside": [...]}, each (value, label, position from 1)."""
    kind = question.scale if question.type == "matrix" else question.type
    apart = SET_APART.get(kind, set())
    split = {"points": [], "aside": []}
    for position, (value, label) in enumerate(options, start=1):
        split["aside" if value in apart else "points"].append((value, label, position))
    return split


# The HTML of questions nobody has answered yet, per app, by version, question and language.
# Most pages a resident opens are new to them, and rendering their questions was most of a
# page's cost.
BLANK_QUESTIONS = "survey_app.blank_questions"  # the key of the cache in app.extensions
_BLANK_QUESTIONS_KEPT = 4000  # six questionnaires x 20 questions x 9 languages, and room for new versions


def questions_html(row, definition: Definition, questions: list[Question], form, errors: dict) -> list[Markup]:
    """Return the HTML of each question on a page (the `question` macro of questions.html)."""
    macro = current_app.jinja_env.get_template("questions.html").module.question
    current = current_language()  # once per page: each look-up walks Flask-Babel's context
    shown = questionnaire_language(current)
    if shown is not current:
        # A staff intake: the question, its answers and their words in the resident's language,
        # marked as such, with the Dutch text beside it (shown on request, static/staff.css).
        with force_locale(shown.code):
            return [macro(definition, question, form, errors, resident=shown) for question in questions]
    language = current.code
    # A recompiled catalog is read as a new object: what the old one rendered is stale then.
    catalog = None if language == SOURCE_LANGUAGE else (_questionnaire_catalog(language) or None)
    cache = current_app.extensions[BLANK_QUESTIONS]
    # The day is in the key: a date question's last day is today when the questionnaire names none.
    where = (language, request.script_root, datetime.date.today())
    html = []
    for question in questions:
        if any(name in errors or form[name].data not in (None, "", []) for name in question.variables):
            html.append(macro(definition, question, form, errors))
            continue
        key = (row.content_hash, question.key, *where)
        kept = cache.get(key)
        if kept is None or kept[0] is not catalog:
            if len(cache) >= _BLANK_QUESTIONS_KEPT:
                cache.clear()
            # The macro's own output: Jinja escaped every value in it, and marks it safe itself.
            kept = cache[key] = (catalog, macro(definition, question, form, errors))
        html.append(kept[1])
    return html


# The header's language buttons, per app, by the language they mark and the form they submit:
# the same nine buttons on every page. Both parts of the key come from fixed sets (the
# languages, the templates' form ids), so the cache stays small.
LANGUAGE_BUTTONS = "survey_app.language_buttons"  # the key of the cache in app.extensions


def language_buttons(language_form: str | None, picked: str) -> Markup:
    """Return the HTML of the header's language buttons (the macro of language_menu.html).

    picked is the language the menu marks as chosen: the page's, or during a staff intake
    the resident's.
    """
    key = (picked, language_form)
    cache = current_app.extensions[LANGUAGE_BUTTONS]
    kept = cache.get(key)
    if kept is None:
        macro = current_app.jinja_env.get_template("language_menu.html").module.buttons
        kept = cache[key] = macro(language_form, picked)
    return kept


def error_summary_html(definition: Definition, questions: list[Question], errors: dict) -> Markup:
    """Return the summary above a page shown again with its messages (page_errors.html); nothing without messages."""
    if not errors:
        return Markup("")
    template = current_app.jinja_env.get_template("page_errors.html")
    # The template escapes what it prints (autoescaping), so its output is markup as it stands.
    return Markup(template.render(definition=definition, questions=questions, errors=errors))  # nosec B704


def here() -> str:
    """Return where a language choice goes back to: the page's address after a GET, its path
    after a post (whose answers are not in the address)."""
    return request.full_path if request.method == "GET" else request.path


@pass_context
def fieldwork_json(context) -> Markup:
    """Return what static/survey.js reads of a page (fieldwork.html), as JSON safe in <script>.

    The kiosk, the survey to keep offline and the answers so far for a hand-over to the
    offline page; nothing of a survey during a staff intake, which needs the network and its login.
    """
    data = {"kiosk": context.get("kiosk")}
    row = context.get("row")
    staff_user = context.get("staff_user")
    if row and hasattr(row, "slug") and not (staff_user and staff_user.is_authenticated):
        data["survey"] = {"slug": row.slug, "version": row.version, "lang": context.get("current_language").code}
        if "draft_answers" in context and "form" in context:
            # The form being answered, so the offline page goes on with the same (short or full) form.
            data["handover"] = {
                "id": context.get("form").response_id.data, "number": context.get("number"),
                "answers": context.get("draft_answers"),
                "form": context.get("definition").answered_form if "definition" in context else "volledig",
            }
    policies = current_app.jinja_env.policies
    return htmlsafe_json_dumps(data, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"])


# Pages kept as skeletons, per app: a resident's page rendered once per key with markers where
# its per-request values go (the CSRF token, the sealed answers, the questions' HTML, ...), then
# filled in per request. Rendering base.html and a page's own template was most of a page's cost.
KEPT_PAGES = "survey_app.kept_pages"  # the key of the cache in app.extensions
_KEPT_PAGES_KEPT = 1000
# A marker is two private-use characters around a per-process secret and the slot's name: no
# questionnaire text or translation can forge one.
_MARK_SECRET = secrets.token_hex(8)
_MARKS = re.compile("\ue000" + _MARK_SECRET + ":([A-Za-z0-9_.]+)\ue001")


def _mark(name: str) -> Markup:
    # A marker made here from a slot name of the code, never from outside text.
    return Markup("\ue000" + _MARK_SECRET + ":" + name + "\ue001")  # nosec B704


class _NotKept:
    """Stands for request, session and g in a kept page's template: a page kept for others must
    not hold what one request read of them. Such a value is a slot, or part of the key."""

    def __init__(self, name: str):
        self._name = name

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(f"a kept page read {self._name}: pass the value as a slot or put it in the key")

    __getattr__ = __getitem__ = __contains__ = __bool__ = __iter__ = __str__ = __call__ = _refuse


_NOT_KEPT = {name: _NotKept(name) for name in ("request", "session", "g", "get_flashed_messages")}


def render_kept(template_name: str, key: tuple, slots: dict, private: tuple = (), **context) -> str:
    """Return what render_template(template_name, **context, **slots) returns, from a skeleton kept per key.

    key must hold everything the template reads besides the slots; this adds what every page
    depends on (the interface and questionnaire language, an intake's resident language,
    kiosk or not, a signed-in staff member's role, the script root, the catalogs). slots are
    the per-request values, which the template may only print ({{ name }}); a list is a slot
    per item. The template's csrf_token(), here() and fieldwork_json() are slots too. The
    template cannot read request, session or g, nor the context's private names (a resident's
    answers, which fieldwork_json reads per request). Nothing of a slot is kept.
    """
    app = current_app._get_current_object()
    flat = {}
    for name, value in slots.items():
        if isinstance(value, list):
            flat.update((f"{name}.{index}", item) for index, item in enumerate(value))
        else:
            flat[name] = value
    context.update(slots)
    app.update_template_context(context)
    staff_user = context.get("staff_user")
    role = staff_user.role if staff_user and staff_user.is_authenticated else None
    language = context["current_language"].code
    resident = context["resident_language"]
    shown = resident.code if resident else language
    sizes = tuple(len(value) for value in slots.values() if isinstance(value, list))
    full_key = (template_name, key, sizes, language, shown, context.get("kiosk") is not None, role, request.script_root)
    # A recompiled questionnaire catalog is read as a new object: what the old one rendered is
    # stale then. The interface catalog is read once per process by Flask-Babel, as the language in the key.
    catalog = None if shown == SOURCE_LANGUAGE else (_questionnaire_catalog(shown) or None)
    cache = app.extensions[KEPT_PAGES]
    kept = cache.get(full_key)
    if kept is None or kept[0] is not catalog:
        skeleton = context | _NOT_KEPT | {name: _NotKept(name) for name in private} | {name: _mark(name) for name in flat}
        skeleton.update((name, [_mark(f"{name}.{index}") for index in range(len(value))])
                        for name, value in slots.items() if isinstance(value, list))
        skeleton.update(
            csrf_token=lambda: _mark("csrf_token"), here=lambda: _mark("here"),
            fieldwork_json=pass_context(lambda _: _mark("fieldwork_json")),
        )
        parts = _MARKS.split(app.jinja_env.get_template(template_name).render(skeleton))
        if len(cache) >= _KEPT_PAGES_KEPT:
            cache.clear()
        kept = cache[full_key] = (catalog, parts)
    parts = kept[1]
    html = [parts[0]]
    for index in range(1, len(parts), 2):
        name = parts[index]
        if name in flat:
            value = flat[name]
        elif name == "csrf_token":
            value = app.jinja_env.globals["csrf_token"]()  # what the template would have called
        elif name == "here":
            value = here()
        elif name == "fieldwork_json":
            value = fieldwork_json(context)
        else:
            raise KeyError(f"{template_name} kept a marker for {name}, which this request did not fill")
        html.append(escape(value))
        html.append(parts[index + 1])
    return "".join(html)


def error_links(errors: dict, prefix: str) -> list[tuple[str, str]]:
    """Return (link to the field, first message) for each field with an error."""
    links = []
    for name, messages in errors.items():
        message = messages[0] if isinstance(messages, (list, tuple)) else messages
        links.append((f"{prefix}{name}", message))
    return links


def question_error_links(definition: Definition, questions: list[Question], errors: dict) -> list[tuple]:
    """Return (link, message, question) for each answer with an error, in the order of the page.

    The question is named with each message: "Geef hier een antwoord." alone does not say where.
    """
    links = []
    for question in questions:
        for name in question.variables:
            if name not in errors:
                continue
            label = questionnaire_plain_text(definition, f"{question.key}.text", question.text)
            if question.type == "matrix":
                item = next(item for item in question.items if f"{question.key}_{item.value}" == name)
                label = questionnaire_plain_text(definition, f"{question.key}.item.{item.value}", item.label)
            links.append((f"#q-{name}", errors[name], label))
    return links


def selected_values(data) -> set[str]:
    """Return the submitted or stored values of a field as a set of strings."""
    if data is None:
        return set()
    if isinstance(data, (list, tuple)):
        return {str(v) for v in data}
    return {str(data)}


def init_app(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.extensions[BLANK_QUESTIONS] = {}
    app.extensions[LANGUAGE_BUTTONS] = {}
    app.extensions[KEPT_PAGES] = {}
    app.jinja_env.globals.update(
        qt=questionnaire_text,
        qt_plain=questionnaire_plain_text,
        wave_title=wave_title,
        wave_label=wave_label,
        consent_html=consent_html,
        minutes_of=minutes_of,
        bdi=isolate,
        option_pairs=option_pairs,
        split_options=split_options,
        in_every_language=in_every_language,
        language_buttons=language_buttons,
        here=here,
        fieldwork_json=fieldwork_json,
        selected_values=selected_values,
        error_links=error_links,
        question_error_links=question_error_links,
        latest_date=latest_date,
        LANGUAGES=LANGUAGES,
    )

    app.jinja_env.globals["url_for"] = remembering_url_for(app)
    # Flask-Babel's callables look the catalog up again on every _() (a page has a dozen).
    translations = interface_translations
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def language_context():
        current = current_language()
        shown = questionnaire_language(current)
        return {
            "current_language": current,
            # Set only during a staff intake in another language than the staff member's.
            "resident_language": shown if shown is not current else None,
        }

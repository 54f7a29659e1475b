"""The gettext workflow: extract templates, create and update catalogs, compile, report status.

Two domains live in translations/: `messages` (the interface, from Python and Jinja) and
`questionnaires` (every questionnaire string, with the context "<slug>:<key>"). Catalogs are
translations/<lang>/LC_MESSAGES/<domain>.po, templates translations/<domain>.pot. Plain
functions over paths; the click commands in cli.py are thin wrappers.
"""

import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from .content.definition import Definition
from .content.extract import message_context, questionnaire_texts
from .languages import LANGUAGES, SOURCE_LANGUAGE

DOMAINS = ("messages", "questionnaires")
QUESTIONNAIRE_EXTRACTOR = "survey_questionnaire"  # the entry point name used in babel.cfg
PROJECT = "survey_app (Stad Genk)"
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("Translators:",)
REVIEW_NOTE = "A native speaker must review this translation before fieldwork."
TARGET_LANGUAGES = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)


def header_comment(domain: str, language: str | None = None) -> str:
    """Return the comment at the top of a catalog (or template, when language is None)."""
    what = "the interface" if domain == "messages" else "the questionnaires"
    if language is None:
        first = f"# Template of {what} of survey_app (Stad Genk): Dutch source strings."
    else:
        first = f"# {LANGUAGES[language].name} ({language}): {what} of survey_app (Stad Genk)."
    return "\n".join(
        [
            first,
            f"# REVIEW: {REVIEW_NOTE}",
            "# Keep placeholders such as %(number)s exactly as they are.",
            "# Update with `flask --app survey_app translations update`; do not edit the .pot by hand.",
            "#",
        ]
    )


def template_path(directory: Path, domain: str) -> Path:
    """Return the path of a domain's template (.pot)."""
    return Path(directory) / f"{domain}.pot"


def catalog_path(directory: Path, language: str, domain: str, suffix: str = ".po") -> Path:
    """Return the path of one language's catalog of a domain."""
    return Path(directory) / language / "LC_MESSAGES" / f"{domain}{suffix}"


def method_maps(config_file: Path) -> dict[str, tuple[list, dict]]:
    """Return {domain: (method_map, options_map)} read from babel.cfg, split by extractor."""
    with open(config_file, encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    maps = {}
    for domain in DOMAINS:
        wanted = [(p, m) for p, m in method_map if (m == QUESTIONNAIRE_EXTRACTOR) == (domain == "questionnaires")]
        maps[domain] = (wanted, {p: options_map.get(p, {}) for p, _ in wanted})
    return maps


def extract_domain(domain: str, *, root: Path, config_file: Path) -> Catalog:
    """Return a template catalog of every string of a domain found under root."""
    method_map, options_map = method_maps(config_file)[domain]
    catalog = Catalog(project=PROJECT, header_comment=header_comment(domain), charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


_DATE_LINE = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): .*\n', re.MULTILINE)


def write_catalog(catalog: Catalog, path: Path) -> bool:
    """Write a .po or .pot file (with previous strings of fuzzy entries for translators).

    A file whose only change would be its dates is left alone, so catalogs do not churn in git.
    Returns whether the file was written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # File names without line numbers: a change to the code does not touch every catalog.
    write_po(buffer, catalog, width=76, include_previous=True, include_lineno=False)
    content = buffer.getvalue()
    if path.exists() and _DATE_LINE.sub(b"", path.read_bytes()) == _DATE_LINE.sub(b"", content):
        return False
    path.write_bytes(content)
    return True


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """Return the catalog in a .po or .pot file."""
    with open(path, "rb") as handle:
        return read_po(handle, locale=language, charset="utf-8")


def init_catalog(directory: Path, language: str, domain: str) -> Path:
    """Create a language's empty catalog of a domain from its template; return its path."""
    if language not in TARGET_LANGUAGES:
        raise ValueError(f"'{language}' is not one of the languages to translate into: {', '.join(TARGET_LANGUAGES)}")
    template = read_catalog(template_path(directory, domain))
    catalog = Catalog(
        locale=Locale.parse(language),
        domain=domain,
        header_comment=header_comment(domain, language),
        project=PROJECT,
        charset="utf-8",
        fuzzy=False,
        language_team=LANGUAGES[language].name,
    )
    catalog.revision_date = datetime.datetime.now(datetime.timezone.utc)
    for message in template:
        if message.id:
            catalog[message.id] = _blank(message)
    path = catalog_path(directory, language, domain)
    write_catalog(catalog, path)
    return path


def _blank(message: Message) -> Message:
    return Message(
        message.id,
        "" if isinstance(message.id, str) else ("",) * len(message.id),
        locations=message.locations,
        flags=message.flags - {"fuzzy"},
        auto_comments=message.auto_comments,
        context=message.context,
    )


def carry_over_by_context(catalog: Catalog, template: Catalog) -> dict[tuple[str, str], str]:
    """Move a translation to the new Dutch text of its context, marked fuzzy; return {(new, context): old}.

    A questionnaire string keeps its context when its Dutch text changes, so the old translation
    belongs to exactly that context: it is kept as a stale (fuzzy) suggestion with the previous
    Dutch text beside it, and is not shown to residents until a translator confirms it.
    """
    by_context = {m.context: m.id for m in template if m.id and m.context}
    moved = {}
    for old in list(catalog):
        if not old.id or not old.context or old.context not in by_context:
            continue
        new_id = by_context[old.context]
        if new_id == old.id or catalog.get(new_id, old.context) is not None:
            continue
        catalog.delete(old.id, old.context)
        if old.string:
            catalog[new_id] = Message(
                new_id,
                old.string,
                flags=(old.flags | {"fuzzy"}),
                user_comments=old.user_comments,
                previous_id=[old.id] if isinstance(old.id, str) else list(old.id),
                context=old.context,
            )
            moved[(new_id, old.context)] = old.id
    return moved


def update_catalog(directory: Path, language: str, domain: str) -> Path:
    """Bring one catalog in step with its template (creating it if absent); return its path."""
    path = catalog_path(directory, language, domain)
    if not path.exists():
        return init_catalog(directory, language, domain)
    template = read_catalog(template_path(directory, domain))
    catalog = read_catalog(path, language)
    if domain == "questionnaires":
        moved = carry_over_by_context(catalog, template)
        # The context names each string, so guessing across contexts would only mislead.
        catalog.update(template, no_fuzzy_matching=True)
        for (new_id, context), old_id in moved.items():
            message = catalog.get(new_id, context)
            if message is not None:
                message.previous_id = [old_id]  # shown to translators as "#| msgid"
    else:
        catalog.update(template)
    if REVIEW_NOTE not in catalog.header_comment:
        catalog.header_comment = header_comment(domain, language)  # translators' own header lines stay otherwise
    write_catalog(catalog, path)
    return path


@dataclass
class CompileResult:
    path: Path
    compiled: int = 0
    skipped_fuzzy: int = 0
    errors: list[str] = field(default_factory=list)


def compile_catalog(directory: Path, language: str, domain: str) -> CompileResult:
    """Write the .mo of a catalog; fuzzy and empty entries are left out, checker errors reported."""
    path = catalog_path(directory, language, domain)
    catalog = read_catalog(path, language)
    result = CompileResult(path=catalog_path(directory, language, domain, ".mo"))
    for message, errors in catalog.check():
        for error in errors:
            result.errors.append(f"{path}:{message.lineno}: {error}")
        # A wrong placeholder would break the page: leave the string out, residents read Dutch.
        message.string = "" if isinstance(message.id, str) else ("",) * len(message.string)
    catalog.fuzzy = False  # the header's own flag; entries keep theirs
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            result.skipped_fuzzy += 1
        elif message.string and (isinstance(message.string, str) or all(message.string)):
            result.compiled += 1
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    result.path.write_bytes(buffer.getvalue())
    return result


def existing_catalogs(directory: Path, languages: Iterable[str] = TARGET_LANGUAGES) -> Iterator[tuple[str, str]]:
    """Yield (language, domain) for every catalog present."""
    for language in languages:
        for domain in DOMAINS:
            if catalog_path(directory, language, domain).exists():
                yield language, domain


@lru_cache(maxsize=64)
def _read_translations(path: str, modified: float) -> dict[tuple[str | None, str], str]:
    with open(path, "rb") as handle:
        catalog = read_mo(handle)
    return {(m.context, m.id): m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


def compiled_translations(directory: Path, language: str, domain: str) -> dict[tuple[str | None, str], str]:
    """Return {(context, Dutch text): translation} from a compiled catalog ({} when there is none)."""
    path = catalog_path(directory, language, domain, ".mo")
    try:
        modified = path.stat().st_mtime
    except OSError:
        return {}
    return _read_translations(str(path), modified)


@dataclass
class Count:
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    @property
    def complete(self) -> bool:
        return self.fuzzy == 0 and self.missing == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.translated / self.total)


@dataclass
class Gap:
    """One string a catalog does not (yet) translate."""

    language: str
    domain: str
    context: str | None
    text: str
    state: str  # 'missing' or 'fuzzy'


def classify(catalog: Catalog | None, context: str | None, text: str) -> str:
    """Return 'translated', 'fuzzy' (stale) or 'missing' for one source string in a catalog."""
    if catalog is None:
        return "missing"
    message = catalog.get(text, context)
    if message is not None:
        if message.fuzzy:
            return "fuzzy"
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        return "translated" if strings and all(strings) else "missing"
    if context and any(m.context == context and m.string for m in catalog if m.id):
        return "fuzzy"  # translated under an older Dutch text: run `translations update`
    return "missing"


def questionnaire_sources(definitions: Iterable[Definition]) -> dict[str, list[tuple[str, str]]]:
    """Return {slug: [(context, Dutch text), ...]} for every string residents read."""
    return {
        d.slug: [(message_context(d.slug, t.key), t.text) for t in questionnaire_texts(d)] for d in definitions
    }


def interface_sources(template: Catalog) -> list[tuple[str | None, str]]:
    """Return [(context, Dutch text)] of the interface from an extracted template."""
    return [(m.context, m.id) for m in template if m.id]


def count_strings(catalog: Catalog | None, sources: Iterable[tuple[str | None, str]], *, language: str, domain: str, gaps: list[Gap] | None = None) -> Count:
    """Return how many of sources a catalog translates; collect what it lacks in gaps."""
    count = Count()
    for context, text in sources:
        state = classify(catalog, context, text if isinstance(text, str) else text[0])
        setattr(count, state, getattr(count, state) + 1)
        if state != "translated" and gaps is not None:
            gaps.append(Gap(language, domain, context, text if isinstance(text, str) else text[0], state))
    return count


def load_catalog(directory: Path, language: str, domain: str) -> Catalog | None:
    """Return a language's catalog of a domain, or None when it does not exist."""
    path = catalog_path(directory, language, domain)
    return read_catalog(path, language) if path.exists() else None


@dataclass
class StatusRow:
    language: str
    part: str  # 'interface' or a questionnaire slug
    count: Count
    published: bool = False

    @property
    def flagged(self) -> bool:
        """A published questionnaire (or the interface) that residents would see partly in Dutch."""
        return self.published and not self.count.complete


def translation_status(
    directory: Path,
    *,
    interface: list[tuple[str | None, str]],
    definitions: list[Definition],
    languages: Iterable[str] = TARGET_LANGUAGES,
    followup: dict[str, tuple[list[tuple[str, str]], bool]] | None = None,
) -> list[StatusRow]:
    """Return a row per language and part (interface, each questionnaire, then each follow-up part).

    followup: {part: (sources, published)}, see survey_app.followup.texts.followup_sources.
    """
    questionnaires = questionnaire_sources(definitions)
    published = {d.slug: d.state == "published" for d in definitions}
    for part, (sources, shown) in (followup or {}).items():
        questionnaires[part] = sources
        published[part] = shown
    rows = []
    for language in languages:
        messages = load_catalog(directory, language, "messages")
        rows.append(StatusRow(language, "interface", count_strings(messages, interface, language=language, domain="messages"), True))
        catalog = load_catalog(directory, language, "questionnaires")
        for slug, sources in questionnaires.items():
            count = count_strings(catalog, sources, language=language, domain="questionnaires")
            rows.append(StatusRow(language, slug, count, published[slug]))
    return rows


def format_status(rows: list[StatusRow]) -> str:
    """Return the status rows as a text table; flagged rows end with '<- not ready'."""
    width = max([len(r.part) for r in rows] + [len("part")])
    lines = [f"{'lang':4}  {'part':{width}}  {'translated':>10}  {'fuzzy':>5}  {'missing':>7}  {'%':>4}"]
    for row in rows:
        c = row.count
        flag = "  <- not ready" if row.flagged else ("" if row.published else "  (not published)")
        lines.append(f"{row.language:4}  {row.part:{width}}  {c.translated:>10}  {c.fuzzy:>5}  {c.missing:>7}  {c.percent:>3}%{flag}")
    return "\n".join(lines)

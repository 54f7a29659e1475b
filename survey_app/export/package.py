"""A whole export: read, anonymise (unless raw), write every file, log it, and say what was done.

The package goes to `<destination>/<slug>/<YYYYmmdd-HHMMSS>/`:

| file | what |
| --- | --- |
| `<slug>-codes.csv` | one row per response, one column per variable, with codes |
| `<slug>-labels-<lang>.csv` | the same with labels in the chosen language |
| `<slug>-long.csv` | one row per answer: respondent, variable, value |
| `<slug>-codebook.csv` | the codebook |
| `datapackage.json` | the codebook as a Frictionless data package |
| `disclosure.json`, `LEESMIJ.txt` | the disclosure report, for tools and for people |
| `<slug>.xlsx`, `<slug>.sav`, `<slug>.dta` | Excel, SPSS and Stata, when asked for |
"""

import getpass
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..db import database
from ..models import ExportLog, User
from ..security_events import record_event
from .anonymise import DATE_PRECISIONS, Disclosure, anonymise_frame, raw_disclosure
from .codebook import HEADER, Translations, codebook_rows, datapackage
from .csvfiles import Dialect, write_long, write_rows, write_wide
from .errors import ExportError
from .excel import MAX_ROWS, write_workbook
from .frame import Frame, read_frame, select_versions
from .release import Made, filter_release, newest_release, release_period
from .labelled import write_dta, write_sav
from .missing import empty_reasons
from .labels import N_, Translator

FORMATS = {
    "csv": N_("CSV: antwoorden met codes en met labels, lang formaat, codeboek"),
    "xlsx": N_("Excel-werkboek"),
    "sav": N_("SPSS (.sav) met labels"),
    "dta": N_("Stata (.dta) met labels"),
}
DELIMITERS = {",": N_("komma (,)"), ";": N_("puntkomma (;) voor Excel met Belgische instellingen")}
PERIOD_WORDS = {"week": "per ISO-week", "month": "per maand", "quarter": "per kwartaal"}
RAW_ROLES = ("admin",)
EXPORT_ROLES = ("analyst", "admin")
PURPOSE_MAX = 500
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
CSV_WRITERS = 2  # threads writing CSV files at once (the machines have two cores)


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how; the defaults make an anonymised CSV package with Dutch labels."""

    formats: tuple[str, ...] = ("csv",)
    versions: tuple[int, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    labels_language: str = "nl"
    include_free_text: bool = False
    raw: bool = False
    date_precision: str = "month"
    delimiter: str = ","
    bom: bool = True


@dataclass(frozen=True)
class Actor:
    """Who asks for an export: a staff account, or the person at the command line."""

    username: str
    role: str
    user: User | None = None

    @classmethod
    def of(cls, user: User | None) -> "Actor":
        """Return the actor for a staff account, or for the logged-in system user when None."""
        if user is None:
            return cls(f"shell:{getpass.getuser()}", "shell")
        return cls(user.username, user.role, user)


@dataclass
class ExportSummary:
    """What an export wrote."""

    folder: Path
    files: list[str]
    rows: int
    versions: tuple[int, ...]
    disclosure: Disclosure
    untranslated: int
    log_id: int | None = None
    long_rows: int = 0
    notes: list[str] = field(default_factory=list)


def check_options(options: ExportOptions, *, actor: Actor, purpose: str) -> str:
    """Return the purpose, cleaned; raise ExportError for options that cannot be honoured."""
    purpose = " ".join((purpose or "").split())[:PURPOSE_MAX]
    if not purpose:
        raise ExportError("purpose_missing")
    if options.raw and actor.role not in RAW_ROLES:
        raise ExportError("raw_needs_admin")
    for name in options.formats:
        if name not in FORMATS:
            raise ExportError("unknown_format", format=name, known=", ".join(FORMATS))
    if options.date_from and options.date_to and options.date_from > options.date_to:
        raise ExportError("bad_date_range", date_from=options.date_from, date_to=options.date_to)
    if options.date_precision not in DATE_PRECISIONS:
        raise ExportError("unknown_format", format=options.date_precision, known=", ".join(DATE_PRECISIONS))
    if options.delimiter not in DELIMITERS:
        raise ExportError("unknown_format", format=options.delimiter, known=" ".join(DELIMITERS))
    if not LANGUAGE_CODE.match(options.labels_language):
        raise ExportError("unknown_format", format=options.labels_language, known="nl, en, fr, ...")
    return purpose


def build_frame(slug: str, options: ExportOptions, *, seed: int | None = None) -> tuple[Frame, Disclosure]:
    """Return the frame to write (anonymised unless raw) and its disclosure report."""
    rows = select_versions(slug, options.versions or None)
    frame = read_frame(
        rows,
        date_from=options.date_from,
        date_to=options.date_to,
        free_text=options.include_free_text or options.raw,
        identify=options.raw,
    )
    if frame.rows == 0:
        period = ""
        if options.date_from or options.date_to:
            period = f" from {options.date_from or 'the start'} to {options.date_to or 'today'}"
        raise ExportError("no_responses", slug=slug, versions=", ".join(str(r.version) for r in rows), period=period)
    if options.raw:  # no suppression, but the routing and the versions still explain empty cells
        return replace(frame, empty=empty_reasons(frame)), raw_disclosure(frame)
    anonymised, disclosure = anonymise_frame(frame, date_precision=options.date_precision, seed=seed)
    if anonymised.rows == 0:
        raise ExportError("too_few_to_anonymise", rows=disclosure.rows_read, k=disclosure.k)
    return anonymised, disclosure


def build_release(slug: str, options: ExportOptions, *, today: date | None = None, waves: tuple = ()) -> tuple[Frame, Disclosure, Made]:
    """Return the newest safe release (made now when the ledger allows it), with the analyst's filters applied.

    waves: the follow-up's fieldwork periods, for a questionnaire whose releases follow them.
    """
    select_versions(slug, options.versions or None)  # an unknown questionnaire or version gets its own reason
    made = newest_release(
        slug, today=today, free_text=options.include_free_text, date_precision=options.date_precision, period=release_period(slug), waves=waves
    )
    frame = filter_release(made.frame, versions=options.versions, date_from=options.date_from, date_to=options.date_to)
    if frame.rows == 0:
        raise ExportError("no_responses", slug=slug, versions=", ".join(str(v) for v in options.versions) or "all", period=" in the chosen period of the release")
    disclosure = made.disclosure
    if frame.rows != made.frame.rows:
        disclosure.release["rows_after_filter"] = frame.rows
    if made.notes:
        disclosure.release["notes"] = made.notes
    return frame, disclosure, made


def _new_folder(destination: Path, slug: str, now: datetime, *, private: bool = False) -> Path:
    """Return a new, empty folder for one export; private: only its owner may open it (mode 0700)."""
    base = Path(destination) / slug
    stamp = now.strftime("%Y%m%d-%H%M%S")
    try:
        base.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, 100):
            folder = base / (stamp if attempt == 1 else f"{stamp}-{attempt}")
            try:
                folder.mkdir(mode=0o700 if private else 0o777)  # 0777 less the umask, as mkdir does
                return folder
            except FileExistsError:
                continue
        raise FileExistsError(str(base / stamp))
    except OSError as error:
        raise ExportError("unwritable", path=str(base), reason=error.strerror or str(error)) from error


def report_lines(frame: Frame, disclosure: Disclosure, options: ExportOptions, translations: Translations) -> list[tuple[str, object]]:
    """Return the disclosure report as (what, value) lines in Dutch, for people."""
    lines: list[tuple[str, object]] = [
        ("vragenlijst", f"{frame.title} ({frame.slug})"),
        ("versies", ", ".join(str(v) for v in frame.versions)),
        ("van", options.date_from.isoformat() if options.date_from else "begin"),
        ("tot en met", options.date_to.isoformat() if options.date_to else "vandaag"),
        ("geanonimiseerd", "ja" if disclosure.anonymised else "NEE: ruwe gegevens, alleen voor beheerders"),
        ("antwoorden gelezen", disclosure.rows_read),
        ("antwoorden in de export", disclosure.rows_exported),
        ("antwoorden weggelaten (bleven herkenbaar)", disclosure.rows_left_out),
    ]
    if disclosure.anonymised:
        lines += [
            ("k gevraagd (minimale groepsgrootte)", disclosure.k),
            ("k bereikt (kleinste groep)", disclosure.k_reached),
            ("periode van het antwoord (telt mee als quasi-identificator)", PERIOD_WORDS.get(disclosure.period, disclosure.period)),
            (
                "antwoord-id",
                "vast per antwoord in elke vrijgave van deze vragenlijst: twee downloads van dezelfde vrijgave zijn "
                "dezelfde bestanden; een latere vrijgave bevat elke rij van een eerdere met dezelfde id, en geen waarde "
                "preciezer dan eerder. Wie twee vrijgaven naast elkaar legt, ziet dus welke antwoorden nieuw zijn, "
                "maar dat zijn er telkens minstens k.",
            ),
        ]
        for qi in disclosure.quasi_identifiers:
            step = qi["generalisation"]
            lines.append(
                (
                    f"quasi-identificator {qi['name']}",
                    f"{step}; {qi['values_generalised']} waarden veralgemeend, {qi['values_suppressed']} weggelaten"
                    + (f"; opties weggelaten: {', '.join(qi['options_hidden'])}" if qi["options_hidden"] else ""),
                )
            )
    if disclosure.release:
        release = disclosure.release
        lines.append(("vrijgave", f"nummer {release['number']}, antwoorden tot en met {release['holds_responses_up_to']} (laatste periode {release['last_period']})"))
        for check in release["ledger_checks"]:
            lines.append(
                (
                    f"controle tegen vrijgave {check['against_release']}",
                    f"{check['only_in_new']} alleen in deze, {check['only_in_earlier']} alleen in de eerdere, "
                    f"{check['in_both']} in beide: {'in orde (elk deel 0 of minstens k)' if check['result'] == 'ok' else 'GEWEIGERD'}",
                )
            )
        if not release["ledger_checks"]:
            lines.append(("controle tegen eerdere vrijgaven", "geen: dit is de eerste vrijgave"))
        if "rows_after_filter" in release:
            lines.append(("antwoorden na uw filter (versies, periode)", release["rows_after_filter"]))
        for note in release.get("notes", []):
            lines.append(("opmerking", note))
    if disclosure.free_text:
        removed = ", ".join(f"{kind} {count}" for kind, count in disclosure.personal_data_removed.items()) or "niets gevonden"
        lines.append(("vrije tekst", "opgenomen" + (f"; persoonsgegevens vervangen: {removed}" if disclosure.anonymised else "")))
    else:
        lines.append(("vrije tekst", "niet opgenomen"))
    if disclosure.unknown_values:
        lines.append(("onbekende waarden (leeg gelaten)", ", ".join(f"{k} {v}" for k, v in disclosure.unknown_values.items())))
    lines.append(("taal van de labels", options.labels_language))
    return lines


def write_package(
    folder: Path,
    frame: Frame,
    disclosure: Disclosure,
    options: ExportOptions,
    *,
    translations_dir: Path | None,
    created: datetime,
) -> ExportSummary:
    """Write every file of the package into folder; return what was written."""
    slug = frame.slug
    labels = Translator(options.labels_language, translations_dir)
    translations = Translations(Translator("nl", translations_dir), Translator("en", translations_dir))
    dialect = Dialect(options.delimiter, options.bom)
    files: dict[str, str] = {}
    long_rows = 0
    if "csv" in options.formats:
        files["codes"] = f"{slug}-codes.csv"
        files["labels"] = f"{slug}-labels-{options.labels_language}.csv"
        files["long"] = f"{slug}-long.csv"
        files["codebook"] = f"{slug}-codebook.csv"
        # Arrow writes without the GIL: the three data files are written side by side, and
        # the codebook is made meanwhile.
        with ThreadPoolExecutor(max_workers=CSV_WRITERS, thread_name_prefix="export-csv") as pool:
            jobs = [
                pool.submit(write_long, folder / files["long"], frame, dialect=dialect),
                pool.submit(write_wide, folder / files["codes"], frame, dialect=dialect),
                pool.submit(write_wide, folder / files["labels"], frame, dialect=dialect, translate=labels),
            ]
            rows = codebook_rows(frame, translations)
            write_rows(folder / files["codebook"], HEADER, rows, dialect=dialect)
            long_rows = jobs[0].result()
            for job in jobs[1:]:
                job.result()
    else:
        rows = codebook_rows(frame, translations)
    report = report_lines(frame, disclosure, options, translations)
    if "xlsx" in options.formats:
        if frame.rows > MAX_ROWS:
            raise ExportError("too_many_rows_for_excel", limit=MAX_ROWS, rows=frame.rows)
        files["xlsx"] = f"{slug}.xlsx"
        write_workbook(
            folder / files["xlsx"],
            frame,
            translate=labels,
            labels_sheet=f"labels-{options.labels_language}",
            codebook=(HEADER, rows),
            report=report,
        )
    if "sav" in options.formats:
        files["sav"] = f"{slug}.sav"
        write_sav(folder / files["sav"], frame, translate=labels)
    if "dta" in options.formats:
        files["dta"] = f"{slug}.dta"
        write_dta(folder / files["dta"], frame, translate=labels)
    files["disclosure"] = "disclosure.json"
    (folder / files["disclosure"]).write_text(json.dumps(disclosure.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    descriptor = datapackage(
        frame,
        translations,
        resources={k: v for k, v in files.items() if k in ("codes", "labels", "long", "codebook")},
        delimiter=options.delimiter,
        created=created,
        disclosure_path=files["disclosure"],
    )
    files["datapackage"] = "datapackage.json"
    (folder / files["datapackage"]).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    untranslated = len(labels.fallbacks) if options.labels_language != "nl" else 0
    if untranslated:
        report.append(("labels nog niet vertaald (Nederlands getoond)", untranslated))
    files["readme"] = "LEESMIJ.txt"
    (folder / files["readme"]).write_text(
        "\n".join(f"{name}: {value}" for name, value in report) + "\n\nBestanden:\n" + "\n".join(f"- {f}" for f in files.values()) + "\n",
        encoding="utf-8",
    )
    return ExportSummary(folder, list(files.values()), frame.rows, frame.versions, disclosure, untranslated, long_rows=long_rows)


def export_questionnaire(
    slug: str,
    options: ExportOptions,
    *,
    purpose: str,
    actor: Actor,
    via: str,
    destination: Path,
    translations_dir: Path | None = None,
    seed: int | None = None,
    now: datetime | None = None,
    waves: tuple = (),
) -> ExportSummary:
    """Make, write and log one export; return its summary. Raises ExportError with a clear reason."""
    purpose = check_options(options, actor=actor, purpose=purpose)
    now = now or datetime.now()
    if options.raw:
        frame, disclosure = build_frame(slug, options, seed=seed)
        created = now
    else:
        frame, disclosure, made = build_release(slug, options, today=now.date(), waves=waves)
        created = made.entry.created_at  # the same files on every download
    frame_created = created
    # Raw answers name people: their folder and files are for the account that exported them only,
    # never for every local user as the usual umask (0022) would leave them.
    folder = _new_folder(destination, slug, now, private=options.raw)
    try:
        summary = write_package(folder, frame, disclosure, options, translations_dir=translations_dir, created=frame_created)
        if options.raw:
            for path in folder.iterdir():
                os.chmod(path, 0o600)
        with database.atomic():
            entry = ExportLog.create(
                user=actor.user,
                username=actor.username,
                role=actor.role,
                via=via,
                questionnaire=slug,
                versions=",".join(str(v) for v in frame.versions),
                formats=",".join(options.formats),
                date_from=options.date_from,
                date_to=options.date_to,
                labels_language=options.labels_language,
                anonymised=not options.raw,
                free_text=disclosure.free_text,
                rows=frame.rows,
                purpose=purpose,
            )
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise ExportError("unwritable", path=str(folder), reason=error.strerror or str(error)) from error
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # no package without its line in the log
        raise
    summary.log_id = entry.id
    record_event("export", account=actor.username, role=actor.role, via=via, questionnaire=slug, rows=frame.rows,
                 anonymised=not options.raw, free_text=disclosure.free_text)
    return summary

"""The CSV files of a package, compared as exact text: codes, labels, long, codebook."""

import csv
import io

import pytest

from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.models import User

from .conftest import add_response

ADMIN = Actor("beheer", "admin")
BOM = "\ufeff"


@pytest.fixture
def three(kort):
    """Three responses to kort: a full one, an assisted one in Turkish, an empty one."""
    helper = User.create(username="intake", password_hash="-", role="staff", pseudonym="ab12cd34")
    add_response(
        kort,
        {
            "kanaal": "loket",
            "vriendelijk": 4,
            "cijfer": 8,
            "info": ["website", "folder"],
            "datum_contact": "2025-03-10",
            "opmerking": '=1+1 "goed", echt',
            "geboortejaar": 1980,
            "wijk": "centrum",
        },
        uuid="00000000-0000-4000-8000-000000000001",
        day="2025-03-14",
    )
    add_response(
        kort,
        {"kanaal": "telefoon", "vriendelijk": 9, "cijfer": 3, "info": ["folder"], "geboortejaar": 1990, "wijk": "zwartberg"},
        uuid="00000000-0000-4000-8000-000000000002",
        day="2025-03-20",
        language="tr",
        mode="assisted",
        channel="counter",
        staff=helper,
    )
    add_response(kort, {}, uuid="00000000-0000-4000-8000-000000000003", day="2025-04-02", form=None)
    return kort


def read(path) -> str:
    return path.read_bytes().decode("utf-8")


def test_raw_codes_csv_is_exactly_this(three, tmp_path):
    summary = export_questionnaire(
        "kort", ExportOptions(raw=True), purpose="test", actor=ADMIN, via="cli", destination=tmp_path
    )
    assert read(summary.folder / "kort-codes.csv") == BOM + (
        '"respondent","versie","datum","antwoordtaal","afnamewijze","afnamekanaal","medewerker","vorm",'
        '"kanaal","vriendelijk","cijfer","info_website","info_folder","datum_contact","opmerking","geboortejaar","wijk"\r\n'
        '"00000000-0000-4000-8000-000000000001",1,2025-03-14,"nl","self","web",,"volledig",'
        '"loket",4,8,1,1,2025-03-10,"\'=1+1 ""goed"", echt",1980,"centrum"\r\n'
        '"00000000-0000-4000-8000-000000000002",1,2025-03-20,"tr","assisted","counter","ab12cd34","volledig",'
        '"telefoon",9,3,0,1,,,1990,"zwartberg"\r\n'
        '"00000000-0000-4000-8000-000000000003",1,2025-04-02,"nl","self","web",,,,,,,,,,,\r\n'
    )


def test_raw_labels_csv_is_exactly_this(three, tmp_path):
    summary = export_questionnaire(
        "kort", ExportOptions(raw=True), purpose="test", actor=ADMIN, via="cli", destination=tmp_path
    )
    assert read(summary.folder / "kort-labels-nl.csv") == BOM + (
        '"respondent","versie","datum","antwoordtaal","afnamewijze","afnamekanaal","medewerker","vorm",'
        '"kanaal","vriendelijk","cijfer","info_website","info_folder","datum_contact","opmerking","geboortejaar","wijk"\r\n'
        '"00000000-0000-4000-8000-000000000001","versie 1",2025-03-14,"Nederlands","Zelf ingevuld","Website",,"Volledige vragenlijst",'
        '"Aan het loket","Eens","8","Gekozen","Gekozen",2025-03-10,"\'=1+1 ""goed"", echt",1980,"Centrum"\r\n'
        '"00000000-0000-4000-8000-000000000002","versie 1",2025-03-20,"Turks","Met hulp van een medewerker","Aan het loket","ab12cd34","Volledige vragenlijst",'
        '"Aan de telefoon","Niet van toepassing","3","Niet gekozen","Gekozen",,,1990,"Zwartberg"\r\n'
        '"00000000-0000-4000-8000-000000000003","versie 1",2025-04-02,"Nederlands","Zelf ingevuld","Website",,,,,,,,,,,\r\n'
    )


def test_raw_long_csv_is_exactly_this(three, tmp_path):
    summary = export_questionnaire(
        "kort", ExportOptions(raw=True, delimiter=";"), purpose="test", actor=ADMIN, via="cli", destination=tmp_path
    )
    assert read(summary.folder / "kort-long.csv") == BOM + (
        '"respondent";"variabele";"waarde"\r\n'
        '"00000000-0000-4000-8000-000000000001";"kanaal";"loket"\r\n'
        '"00000000-0000-4000-8000-000000000001";"vriendelijk";"4"\r\n'
        '"00000000-0000-4000-8000-000000000001";"cijfer";"8"\r\n'
        '"00000000-0000-4000-8000-000000000001";"info";"website"\r\n'
        '"00000000-0000-4000-8000-000000000001";"info";"folder"\r\n'
        '"00000000-0000-4000-8000-000000000001";"datum_contact";"2025-03-10"\r\n'
        '"00000000-0000-4000-8000-000000000001";"opmerking";"\'=1+1 ""goed"", echt"\r\n'
        '"00000000-0000-4000-8000-000000000001";"geboortejaar";"1980"\r\n'
        '"00000000-0000-4000-8000-000000000001";"wijk";"centrum"\r\n'
        '"00000000-0000-4000-8000-000000000002";"kanaal";"telefoon"\r\n'
        '"00000000-0000-4000-8000-000000000002";"vriendelijk";"9"\r\n'
        '"00000000-0000-4000-8000-000000000002";"cijfer";"3"\r\n'
        '"00000000-0000-4000-8000-000000000002";"info";"folder"\r\n'
        '"00000000-0000-4000-8000-000000000002";"geboortejaar";"1990"\r\n'
        '"00000000-0000-4000-8000-000000000002";"wijk";"zwartberg"\r\n'
    )
    assert summary.long_rows == 15


def test_semicolon_and_no_bom_are_options(three, tmp_path):
    summary = export_questionnaire(
        "kort",
        ExportOptions(raw=True, delimiter=";", bom=False),
        purpose="test",
        actor=ADMIN,
        via="cli",
        destination=tmp_path,
    )
    text = read(summary.folder / "kort-codes.csv")
    assert text.startswith('"respondent";"versie";"datum"')
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [len(r) for r in rows] == [17, 17, 17, 17]
    assert rows[1][14] == "'=1+1 \"goed\", echt"


def test_codebook_csv_has_a_row_per_column_and_marks_missing_english(three, tmp_path):
    summary = export_questionnaire(
        "kort", ExportOptions(raw=True), purpose="test", actor=ADMIN, via="cli", destination=tmp_path
    )
    rows = list(csv.DictReader(io.StringIO(read(summary.folder / "kort-codebook.csv").lstrip(BOM), newline="")))
    header = next(csv.reader(io.StringIO(read(summary.folder / "kort-codes.csv").lstrip(BOM), newline="")))
    assert [r["variabele"] for r in rows] == header
    vriendelijk = next(r for r in rows if r["variabele"] == "vriendelijk")
    assert vriendelijk == vriendelijk | {
        "vraag": "vriendelijk",
        "tekst_nl": "De medewerker was vriendelijk.",
        "tekst_en": "De medewerker was vriendelijk.",  # no English catalog in the test: Dutch, marked
        "tekst_en_vertaald": "nee",
        "type": "agreement",
        "opslag": "code",
        "codes_nl": "1 = Helemaal oneens | 2 = Oneens | 3 = Niet eens, niet oneens | 4 = Eens | 5 = Helemaal eens | 9 = Niet van toepassing",
        "aanbevelingen": "KT1",
        "versies": "1",
        "quasi_identificator": "nee",
        "ontbrekend": "9 in CSV, -9 in SPSS, .b in Stata = Niet van toepassing"
        " | leeg in CSV, -1 in SPSS, .c in Stata = Niet getoond (de vragenlijst sloeg deze vraag over)"
        " | leeg in CSV, -2 in SPSS, .d in Stata = Niet beantwoord (getoond, leeg gelaten)"
        " | leeg in CSV, -3 in SPSS, .e in Stata = Onderdrukt (anonimisering)"
        " | leeg in CSV, -4 in SPSS, .f in Stata = Niet gevraagd in deze versie",
        "taal": "",
    }
    assert next(r for r in rows if r["variabele"] == "opmerking")["taal"] == "de taal van de kolom antwoordtaal: waarin de vragenlijst werd ingevuld"
    assert next(r for r in rows if r["variabele"] == "afnamewijze")["ontbrekend"] == "leeg in CSV, -3 in SPSS, .e in Stata = Onderdrukt (anonimisering)"
    assert next(r for r in rows if r["variabele"] == "versie")["ontbrekend"] == ""
    kanaal = next(r for r in rows if r["variabele"] == "kanaal")
    assert kanaal["codes_spss_stata"] == "1 = loket | 2 = telefoon"
    website = next(r for r in rows if r["variabele"] == "info_website")
    assert (website["vraag"], website["onderdeel_nl"], website["codes_nl"]) == (
        "info",
        "Op de website",
        "0 = Niet gekozen | 1 = Gekozen",
    )


TRICKY = ['zei "ja", toch', "twee\r\nregels", "a;b,c", "café 😊 مرحبا", ""]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_text_with_quotes_delimiters_and_line_breaks_round_trips_in_every_data_file(kort, tmp_path, delimiter):
    for text in TRICKY:
        add_response(kort, {"opmerking": text, "wijk": "centrum", "geboortejaar": 1980})
    summary = export_questionnaire(
        "kort",
        ExportOptions(raw=True, include_free_text=True, delimiter=delimiter),
        purpose="test",
        actor=ADMIN,
        via="cli",
        destination=tmp_path,
    )
    for name in ("kort-codes.csv", "kort-labels-nl.csv"):
        rows = list(csv.DictReader(io.StringIO(read(summary.folder / name).lstrip(BOM), newline=""), delimiter=delimiter))
        assert sorted(r["opmerking"] for r in rows) == sorted(TRICKY)
    rows = list(csv.DictReader(io.StringIO(read(summary.folder / "kort-long.csv").lstrip(BOM), newline=""), delimiter=delimiter))
    assert sorted(r["waarde"] for r in rows if r["variabele"] == "opmerking") == sorted(TRICKY)
    assert summary.long_rows == len(rows)

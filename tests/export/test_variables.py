"""Variable names: stable, unique (SPSS ignores case), within Stata's 32 characters, for every questionnaire."""

from pathlib import Path

import pytest

from survey_app.content.reader import read_package
from survey_app.export.errors import ExportError
from survey_app.export.variables import check_names, merge_variables, meta_variables

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
DEFINITIONS, _ = read_package(QUESTIONNAIRES)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.slug)
def test_every_questionnaire_gives_valid_unique_column_names(definition):
    variables = meta_variables(raw=False, versions=(definition.version,)) + merge_variables([definition], free_text=True)
    check_names(variables)
    assert all(v.name.isidentifier() and len(v.name) <= 32 for v in variables)


def test_a_clash_is_reported():
    [definition] = [d for d in DEFINITIONS if d.slug == "samenleven"]
    variables = meta_variables(raw=False, versions=(1,)) + merge_variables([definition], free_text=False)
    with pytest.raises(ExportError) as caught:
        check_names(variables + variables[-1:])
    assert caught.value.code == "name_clash"

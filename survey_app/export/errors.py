"""Why an export could not be made: a code the CLI and the web pages turn into words."""

from ..errors import SurveyError

# code -> English message for the command line and the logs (the web pages have Dutch ones).
MESSAGES = {
    "unknown_questionnaire": "There is no questionnaire '{slug}'. Known: {known}.",
    "unknown_versions": "Questionnaire '{slug}' has no version {missing}. Known versions: {known}.",
    "bad_date_range": "The start date {date_from} is after the end date {date_to}.",
    "no_responses": "There are no responses to '{slug}' (versions {versions}){period}.",
    "too_few_to_anonymise": (
        "Too few responses to share anonymously: {rows} response(s), and every group of "
        "respondents must hold at least {k}. Wait for more responses."
    ),
    "release_refused": "No anonymised release of '{slug}' can be given yet: {reason}.",
    "release_gone": (
        "Release {number} cannot be made again: {missing} of its responses were deleted since. "
        "Ask an admin; a new release will be checked against the ledger."
    ),
    "raw_needs_admin": "Raw (not anonymised) data is for the admin role only.",
    "purpose_missing": "Say what the export is for (the purpose is logged).",
    "unknown_format": "Unknown format '{format}'. Choose from: {known}.",
    "unwritable": "Cannot write the export to {path}: {reason}.",
    "too_many_rows_for_excel": "Excel holds at most {limit} rows and this export has {rows}: choose CSV, SPSS or Stata.",
    "type_changed": (
        "Variable '{name}' is a {old} in version {old_version} and a {new} in version {new_version}: "
        "export these versions separately."
    ),
    "name_clash": "Variable name '{name}' is used twice ({first} and {second}); rename one in the questionnaire.",
    "name_too_long": "Variable name '{name}' is longer than {limit} characters; shorten the key in the questionnaire.",
}


class ExportError(SurveyError):
    """An export that cannot be made, with a code from MESSAGES and its parameters."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))

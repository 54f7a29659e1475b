"""Domain exceptions: small, plain, and mapped to clear 4xx pages by the web layer."""


class SurveyError(Exception):
    """Base class for every error the app turns into a message for a person."""


class ContentError(SurveyError):
    """One or more mistakes in the questionnaire content package."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(SurveyError):
    """A questionnaire, page or export that does not exist (or is not open)."""


class TransitionError(SurveyError):
    """A workflow transition that the workflow table does not allow."""


class ConfigError(SurveyError):
    """A setting that is missing or wrong; the app refuses to start."""


class PayloadError(SurveyError):
    """A synced response that cannot be read as sent (wrong shape); kept aside only when it has an id."""


class PinError(SurveyError):
    """A kiosk PIN that is too short, too long or too easy to guess."""


class ConflictsFull(SurveyError):
    """No more synced responses can be kept aside until an administrator reviews or purges them."""

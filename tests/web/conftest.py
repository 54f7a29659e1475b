"""Fixtures shared with the export tests: the results pages read the same short questionnaire."""

from ..export.conftest import kort  # noqa: F401 (a fixture, re-exported for tests/web)

"""Cells that a spreadsheet would run as a formula are defused with a leading apostrophe.

A cell starting with = + - @, a tab, CR or LF is read as a formula by Excel, LibreOffice
and Google Sheets (CVE-2019-16184 in LimeSurvey's exports). Numbers are written as
numbers and never touched; every text cell in a CSV or Excel file goes through here.
"""

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_PATTERN = "^[=+\\-@\t\r\n]"


def neutralise(value):
    """Return a text that a spreadsheet shows as text (anything else unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Return a text column with every formula-like cell neutralised (other columns unchanged)."""
    if pa.types.is_dictionary(array.type):
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        return pa.DictionaryArray.from_arrays(array.indices, neutralise_array(array.dictionary))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.match_substring_regex(array, FORMULA_PATTERN)
    return pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)

"""Text from the database made safe to print on an administrator's terminal."""

import re

# C0 and C1 control characters (ESC, CSI, BEL ...), and the Unicode controls that reorder or
# break lines: stored text holding them could move the cursor, rewrite earlier lines, change
# the terminal's title or hide what follows when a command prints it.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: object) -> str:
    """Return str(text) with every control character written as a visible \\uXXXX escape."""
    return _UNSAFE.sub(_escape, str(text))

"""Stored text printed on a terminal: control characters become visible escapes."""

import pytest

from survey_app.terminal import printable


@pytest.mark.parametrize("attack", [
    "\x1b]0;owned\x07",  # set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b31m",  # CSI in one byte (C1)
    "ok\rrewritten",  # overwrite the line
    "\u202eevil",  # right-to-left override
    "\ud83d",  # a lone surrogate cannot even be written
])
def test_control_characters_are_written_as_escapes(attack):
    shown = printable(attack)
    assert shown.isprintable() and shown.isascii() or all(c.isprintable() for c in shown)
    assert "\\u" in shown
    shown.encode("utf-8")  # a terminal can take it


def test_ordinary_text_in_every_script_is_left_alone():
    text = "Genk — مرحبا Здравей çok güzel {\"a\": [1, 2]}"
    assert printable(text) == text

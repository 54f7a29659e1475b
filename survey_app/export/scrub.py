"""Personal data out of free text: each find is replaced by a word in brackets that says what it was.

The rules run in order, each on what the earlier ones left: e-mail addresses; IBANs
(checked with python-stdnum); Belgian national register and BIS numbers (stdnum checks the
check digits, including the rule for people born from 2000); phone numbers, Belgian and
international (phonenumbers); street addresses with a house number; and finally any other
long run of digits (an account, client or file number, or a number with a typo in it).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import iban
from stdnum.be import bis, nn

REGION = "BE"


@dataclass(frozen=True)
class Rule:
    kind: str  # what was found
    replacement: str
    find: Callable[[str], Iterator[tuple[int, int]]]  # yields (start, end) of each find


def _regex(pattern: re.Pattern, check: Callable[[str], bool] | None = None):
    def find(text: str):
        for match in pattern.finditer(text):
            if check is None or check(match.group(0)):
                yield match.span()

    return find


# RFC 5322 local parts may hold any of !#$%&'*+/=?^_`{|}~; top-level domains may be xn--...
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[a-z](?:[a-z0-9-]*[a-z0-9])?", re.IGNORECASE)
IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){10,30}", re.IGNORECASE)
# 11 digits, in groups as people write them: 85.07.30-033.28, 850730 033 28, 85073003328
NATIONAL_NUMBER = re.compile(r"(?<![\d.])\d{2}[. ]?\d{2}[. ]?\d{2}[-. ]?\d{3}[. ]?\d{2}(?![\d])")
# Nine or more digits, single spaces, dots, dashes or slashes between groups allowed.
LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[ ./-]?\d){8,}(?![\w])")
STREET_WORDS = (
    "straat|str\\.|laan|weg|steenweg|plein|lei|dreef|baan|kaai|singel|dijk|hof|markt|pad|wal|vest|ring|"
    "park|berg|veld|heide|hoeve|kouter|gracht|vijver|bos|beemd|kamp|hei|wijk|dorp|erf|akker|toren"
)
HOUSE_NUMBER = r"(?:nr\.?\s*|nummer\s+|n°\s*)?\d{1,4}(?:\s?[a-zA-Z](?![\w]))?(?:\s*(?:bus|bte|boîte|b\.)\s*\d{1,4})?"
# A street name that ends in a street word, then a house number: Stalenstraat 32 bus 4.
STREET_NUMBER = re.compile(rf"\b([\w'’-]*(?:{STREET_WORDS}))\s*,?\s+{HOUSE_NUMBER}(?!\d)", re.IGNORECASE)
# Other ways of writing an address: French, Italian, Polish, Romanian, Turkish and English
# street words before the name, and Genk's "Weg naar As".
OTHER_ADDRESSES = re.compile(
    rf"\b(?:rue|avenue|av\.|chaussée|boulevard|bd|place|chemin|allée|impasse|quai|via|ulica|ul\.|strada|cadde(?:si)?|sokak|sok\.)\s+"
    rf"[\w'’ .-]{{2,40}}?,?\s+{HOUSE_NUMBER}(?!\d)"
    rf"|\b(?:weg|baan) naar [\w-]+\s+{HOUSE_NUMBER}(?!\d)"
    rf"|\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Way)\b",
    re.IGNORECASE,
)
# Words that end like a street but are not one, next to a number in ordinary answers.
NOT_STREETS = frozenset(
    {"onderweg", "halfweg", "allerweg", "weg", "hof", "park", "ring", "berg", "veld", "markt", "plein", "straat",
     "laan", "baan", "pad", "wal", "bos", "kamp", "hei", "wijk", "dorp", "erf", "toren", "heide", "lei", "vest",
     "dijk", "akker", "speelplein", "sportveld", "voetbalveld", "parkeerplaats", "buurt", "elke", "iedere"}
)


def _iban_spans(text: str):
    for match in IBAN_START.finditer(text):
        candidate = match.group(0)
        # the greedy match may run into the next word: try shorter prefixes until one is valid
        for end in range(len(candidate), 13, -1):
            if candidate[end - 1].isalnum() and iban.is_valid(candidate[:end]):
                yield match.start(), match.start() + end
                break


def _national(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return nn.is_valid(digits)


def _bis(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return bis.is_valid(digits)


def _phone_spans(text: str):
    for match in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.VALID):
        yield match.start, match.end


def _street_spans(text: str):
    spans = [m.span() for m in OTHER_ADDRESSES.finditer(text)]
    for match in STREET_NUMBER.finditer(text):
        if match.group(1).lower() not in NOT_STREETS and not any(a <= match.start() < b for a, b in spans):
            spans.append(match.span())
    yield from sorted(spans)


RULES = (
    Rule("email", "[e-mail]", _regex(EMAIL)),
    Rule("iban", "[rekeningnummer]", _iban_spans),
    Rule("national_number", "[rijksregisternummer]", _regex(NATIONAL_NUMBER, _national)),
    Rule("bis_number", "[bis-nummer]", _regex(NATIONAL_NUMBER, _bis)),
    Rule("phone", "[telefoonnummer]", _phone_spans),
    Rule("address", "[adres]", _street_spans),
    Rule("number", "[nummer]", _regex(LONG_NUMBER)),
)


def scrub_text(text: str) -> tuple[str, Counter]:
    """Return text with personal data replaced, and how many of each kind were found."""
    found: Counter = Counter()
    for rule in RULES:
        spans = list(rule.find(text))
        if not spans:
            continue
        pieces, last = [], 0
        for start, end in spans:
            if start < last:
                continue
            pieces.append(text[last:start])
            pieces.append(rule.replacement)
            last = end
            found[rule.kind] += 1
        pieces.append(text[last:])
        text = "".join(pieces)
    return text, found


def scrub_array(column: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, Counter]:
    """Return a text column scrubbed (each distinct text once), and the counts of what was found."""
    encoded = pc.dictionary_encode(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    uses = np.bincount(encoded.indices.drop_null().to_numpy(), minlength=len(encoded.dictionary))
    found: Counter = Counter()
    cleaned = []
    for text, times in zip(encoded.dictionary.to_pylist(), uses):
        clean, counts = scrub_text(text)
        cleaned.append(clean)
        for kind, count in counts.items():
            found[kind] += count * int(times)
    return pa.array(cleaned, pa.string()).take(encoded.indices), found

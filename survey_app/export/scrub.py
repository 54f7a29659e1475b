"""Personal data out of free text: each find is replaced by a word in brackets that says what it was.

The rules run in order, each on what the earlier ones left: e-mail addresses; IBANs
(checked with python-stdnum); Belgian national register and BIS numbers (stdnum checks the
check digits, including the rule for people born from 2000); phone numbers, Belgian and
international (phonenumbers); street addresses with a house number; and finally any other
long run of digits (an account, client or file number, or a number with a typo in it).
Then what people write when they do not want a form to see it as personal data: e-mail
addresses spelled out ("jan at gmail dot com"), phone numbers in words, street names
without a number, and dates (of birth); and last the names of people (names.py).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import iban
from stdnum.be import bis, nn
from wordfreq import zipf_frequency

from .names import fold, name_spans, not_names, own_streets

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
     "dijk", "akker", "speelplein", "sportveld", "voetbalveld", "parkeerplaats", "buurt", "elke", "iedere",
     "snelweg", "autosnelweg", "spoorweg", "zijstraat", "winkelstraat", "hoofdstraat", "omweg", "rijweg", "fietsweg",
     "wandelweg", "looproute", "binnenplein", "kerkplein", "marktplein", "stadsplein", "schoolplein", "dorpsplein",
     "speelveld", "weiland", "binnenhof", "kinderboerderij", "heuvel", "terril", "straatje", "steegje", "onderweg",
     "halfweg", "allerweg", "ergens", "zorgberg", "werkveld", "beleidsveld", "speelhof", "tussenweg"}
)
# Street-like words that, capitalised at any place, are still ordinary (the name of a thing, not a street).
COMMON_STREET_WORDS = frozenset({"snelweg", "ring", "markt", "plein", "park", "weg"})


# An e-mail address spelled out: "jan at gmail dot com", "jan [at] telenet [dot] be",
# "an.peeters apenstaartje skynet punt be". The domain must end in a known top-level domain.
_DOT = r"(?:\s*(?:\[\s*(?:dot|punt)\s*\]|\(\s*(?:dot|punt)\s*\)|\{\s*(?:dot|punt)\s*\})\s*|\s+(?:dot|punt|point)\s+|\s*\.\s*)"
_AT = r"(?:\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|@)\s*|\s+(?:at|apenstaartje|aapje|arobase|at-teken|et)\s+)"
_TLD = r"(?:com|be|nl|net|org|eu|fr|de|tr|ma|it|pl|ro|bg|info|biz|co|uk|io|edu|gov|es|ch|lu)"
SPELLED_EMAIL = re.compile(rf"(?<![\w.])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}{_TLD}\b", re.IGNORECASE)
# A date with a year (most often a date of birth in free text), and a birth date or year
# announced as one: "geboren op 3 mei", "geboren in 1985", "°12/03/85".
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
    "septembre|octobre|novembre|décembre|decembre|january|february|march|may|june|july|august|october|"
    "ocak|şubat|subat|mart|nisan|mayıs|mayis|haziran|temmuz|ağustos|agustos|eylül|eylul|ekim|kasım|kasim|aralık|aralik"
)
DATE = re.compile(
    rf"(?<![\d/.-])(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}(?:e|ste|de)?\s+(?:{MONTHS})\.?\s+(?:19|20)?\d{{2}})(?![\d/.-]?\d)"
    rf"|\b(?:geboren|geb\.|°)\s*(?:op|in|de|den)?\s*(?:\d{{1,2}}(?:e|ste|de)?\s+(?:{MONTHS})\b\.?(?:\s+(?:19|20)?\d{{2}})?|(?:19|20)\d{{2}}|\d{{1,2}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?)",
    re.IGNORECASE,
)
# A phone number said in words (and digits): "nul vier zeven nul, twaalf vierendertig ...".
_UNITS = "nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
NUMBER_WORDS = {
    2: rf"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:{_TENS})|{_TENS}|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
    r"|vingt|trente|quarante|cinquante|soixante|dix|onze|douze|treize|quatorze|quinze|seize)",
    1: rf"(?:{_UNITS}|zero|zéro|oh|one|two|three|four|five|six|seven|eight|nine|un|deux|trois|quatre|cinq|sept|huit|neuf"
    r"|sıfır|sifir|bir|iki|üç|uc|dört|dort|beş|bes|altı|alti|yedi|sekiz|dokuz)",
}
_NUMBER_TOKEN = re.compile(rf"\b(?:{NUMBER_WORDS[2]}|{NUMBER_WORDS[1]})\b|\+?\d+", re.IGNORECASE)
# A street name without a number: a word ending in a street word ("in de Stalenstraat").
STREET_NAME = re.compile(r"\b[\w'’-]*(?:straat|steenweg|laan|dreef|plein|singel|kaai|weg|baan|lei|hof|berg|veld|heide)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def own_street_pattern() -> re.Pattern:
    """Return the pattern of the streets listed in names.yaml, with an optional house number."""
    names = "|".join(re.escape(s) for s in sorted(own_streets(), key=len, reverse=True))
    return re.compile(rf"\b(?:{names})\b(?:\s*,?\s+{HOUSE_NUMBER}(?!\d))?", re.IGNORECASE)


def _own_street_spans(text: str):
    """Yield the streets of Genk whose name has no street word (Hoevenzavel), with a number when one follows."""
    for match in own_street_pattern().finditer(text):
        yield match.span()


def _spelled_email_spans(text: str):
    for match in SPELLED_EMAIL.finditer(text):
        yield match.span()


def _phone_word_spans(text: str):
    """Yield runs of number words and digit groups worth nine digits or more: a phone number said in words."""
    run, digits = [], 0
    for match in _NUMBER_TOKEN.finditer(text):
        word = match.group(0)
        if run and not re.fullmatch(r"[\s,.\-/]*", text[run[-1][1] : match.start()]):
            if digits >= 9 and any(not w.lstrip("+").isdigit() for w in (text[a:b] for a, b in run)):
                yield run[0][0], run[-1][1]
            run, digits = [], 0
        run.append(match.span())
        if word.lstrip("+").isdigit():
            digits += len(word.lstrip("+"))
        else:
            digits += 2 if re.fullmatch(NUMBER_WORDS[2], word, re.IGNORECASE) else 1
    if digits >= 9 and any(not w.lstrip("+").isdigit() for w in (text[a:b] for a, b in run)):
        yield run[0][0], run[-1][1]


def _street_name_spans(text: str):
    """Yield street names without a number: capitalised in the sentence, or too rare to be an ordinary word."""
    for match in STREET_NAME.finditer(text):
        word = match.group(0)
        folded = word.lower()
        if folded in NOT_STREETS or len(word) < 6 or fold(word) in not_names():
            continue
        ordinary = zipf_frequency(folded, "nl") >= 2.5
        start_of_sentence = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?:;"
        if word[0].isupper() and not (ordinary and start_of_sentence) and not (ordinary and folded in COMMON_STREET_WORDS):
            yield match.span()
        elif not word[0].isupper() and not ordinary:
            yield match.span()


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
    Rule("email", "[e-mail]", _spelled_email_spans),
    Rule("date", "[datum]", _regex(DATE)),
    Rule("iban", "[rekeningnummer]", _iban_spans),
    Rule("national_number", "[rijksregisternummer]", _regex(NATIONAL_NUMBER, _national)),
    Rule("bis_number", "[bis-nummer]", _regex(NATIONAL_NUMBER, _bis)),
    Rule("phone", "[telefoonnummer]", _phone_spans),
    Rule("address", "[adres]", _street_spans),
    Rule("address", "[adres]", _own_street_spans),
    Rule("phone", "[telefoonnummer]", _phone_word_spans),
    Rule("number", "[nummer]", _regex(LONG_NUMBER)),
    Rule("address", "[adres]", _street_name_spans),
    Rule("name", "[naam]", name_spans),
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

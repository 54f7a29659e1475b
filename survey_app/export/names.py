"""Names of people in free text: the Dutch lists of `deduce` and the names common in Genk (names.yaml).

A word is a name when it is in the lists and used as one. A name that is also an ordinary
Dutch word (Bos, Winter, Roos, Hoop) counts only next to another name ("Anna Bos") or after
a word that announces a name ("mevrouw Bos", "ik heet ..."); any other listed name counts
when it is capitalised, or lower case next to another name ("jan peeters"). Ordinary words
are deduce's whitelist and, from `wordfreq`, every Dutch word about as frequent as "winter".
"""

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from wordfreq import zipf_frequency

OWN_LISTS = Path(__file__).with_name("names.yaml")
DEDUCE_LISTS = "data/lookup/src"
ORDINARY_ZIPF = 4.2  # Dutch words at least this frequent are ordinary words, unless only our lists know them
# Words that join the parts of a name: van den Berg, El Amrani, Lo Bue, De Smet.
INTERFIXES = frozenset(
    "van de der den het ter ten te vanden vander vande in 't op la le el al ben bin bou ait lo di da del della dos du d'".split()
)
# Words after which the next word or two, when capitalised, are a name.
CUES = frozenset(
    "meneer mevrouw mevr mevr. mw mw. dhr dhr. mr mr. mrs heer juf juffrouw meester dokter dr dr. collega "
    "genaamd heet heette noemt naam buurman buurvrouw consulent consulente maatschappelijk assistente assistent".split()
)
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")


def fold(word: str) -> str:
    """Return a word in lower case without diacritics: Yılmaz -> yilmaz, Şahin -> sahin."""
    word = word.lower().replace("ı", "i").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _deduce_list(path: str) -> set[str]:
    text = resources.files("deduce").joinpath(DEDUCE_LISTS, path).read_text(encoding="utf-8")
    return {fold(line.strip()) for line in text.splitlines() if line.strip()}


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """Return (first names, surname words, names only our lists know, ordinary words), folded."""
    own = yaml.safe_load(OWN_LISTS.read_text(encoding="utf-8"))
    own_first = {fold(n) for names in own["first_names"].values() for n in names}
    own_surnames = {fold(part) for names in own["surnames"].values() for n in names for part in n.split()}
    first = _deduce_list("names/lst_first_name/items.txt") | own_first
    surnames = _deduce_list("names/lst_surname/items.txt") | _deduce_list("names/lst_interfix_surname/items.txt") | own_surnames
    surnames = {part for name in surnames for part in name.split()} - INTERFIXES
    ordinary = (
        _deduce_list("whitelist/lst_common_word/items.txt")
        | _deduce_list("whitelist/lst_stop_word/items.txt")
        | _deduce_list("names/lst_first_name/exceptions.txt")
        | _deduce_list("names/lst_surname/exceptions.txt")
    )
    return frozenset(first), frozenset(surnames), frozenset(own_first | own_surnames), frozenset(ordinary)


@lru_cache(maxsize=1)
def not_names() -> frozenset:
    """Return the places and organisations of Genk that the name lists also hold (C-Mine, Ford)."""
    own = yaml.safe_load(OWN_LISTS.read_text(encoding="utf-8"))
    return frozenset(fold(part) for name in own["not_names"] for part in re.split(r"[\s-]", name))


@lru_cache(maxsize=1)
def own_streets() -> tuple[str, ...]:
    """Return the streets of Genk whose name holds no street word (Hoevenzavel)."""
    return tuple(yaml.safe_load(OWN_LISTS.read_text(encoding="utf-8"))["streets"])


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    """Return deduce's Dutch stop words (de, het, is, ...), folded: never a name."""
    return frozenset(_deduce_list("whitelist/lst_stop_word/items.txt"))


@lru_cache(maxsize=65536)
def _kind(word: str) -> str:
    """Return "name", "ambiguous" (a name that is also an ordinary word) or "" for a folded word."""
    first, surnames, own, ordinary = name_lists()
    bare = word.rstrip(".")
    if "-" in bare:  # a double name: Yılmaz-Demir, Anne-Marie
        parts = [_kind(part) for part in bare.split("-") if part]
        return "name" if "name" in parts else "ambiguous" if "ambiguous" in parts else ""
    if bare in INTERFIXES or bare in CUES or bare in not_names() or bare in stop_words() or (bare not in first and bare not in surnames):
        return ""
    if bare in ordinary or len(bare) < 3:
        return "ambiguous"
    if zipf_frequency(bare, "nl") >= ORDINARY_ZIPF and bare not in own:
        return "ambiguous"
    return "name"


def name_spans(text: str):
    """Yield (start, end) of each name of a person in text."""
    tokens = list(TOKEN.finditer(text))
    marked = [False] * len(tokens)
    kinds = [_kind(fold(t.group(0))) for t in tokens]
    capital = [t.group(0)[0].isupper() for t in tokens]
    # a neighbour that makes a name of an ambiguous word: a clear name, or a capitalised listed word
    strong = [k == "name" or (k == "ambiguous" and c) for k, c in zip(kinds, capital)]
    for i, token in enumerate(tokens):
        folded = fold(token.group(0)).rstrip(".")
        start_of_sentence = i == 0 or bool(SENTENCE_END.search(text[: token.start()]))
        near = (i > 0 and strong[i - 1] and _adjacent(text, tokens[i - 1], token)) or (
            i + 1 < len(tokens) and strong[i + 1] and _adjacent(text, token, tokens[i + 1])
        )
        if kinds[i] == "name" and (capital[i] or near):
            marked[i] = True
        elif kinds[i] == "ambiguous" and capital[i] and near and (
            not start_of_sentence or any(k == "name" for k in kinds[max(0, i - 1) : i + 2])
        ):
            marked[i] = True
        # After a title ("mevrouw", "juf"): the capitalised words that follow are a name. After
        # "ik heet", "ik ben", "mijn naam is": the listed names that follow, in any case.
        before = fold(tokens[i - 1].group(0)) if i else ""
        title = folded in CUES
        introduction = (folded in ("heet", "ben") and before == "ik") or (folded == "is" and before == "naam")
        if title or introduction:
            j = i + 1
            while j < len(tokens) and j <= i + 5 and _adjacent(text, tokens[j - 1], tokens[j]):
                word = fold(tokens[j].group(0)).rstrip(".")
                if word in INTERFIXES and j + 1 < len(tokens) and (capital[j + 1] or kinds[j + 1]):
                    j += 1
                    continue
                if (title and capital[j]) or kinds[j] == "name" or (kinds[j] and (capital[j] or j > i + 1)):
                    for between in range(i + 1, j + 1):
                        marked[between] = True
                else:
                    break
                j += 1
    # After a name and an interfix, a capitalised listed word is the surname: Kim de Winter.
    for i in range(2, len(tokens)):
        if marked[i - 2] and not marked[i] and capital[i] and kinds[i] and fold(tokens[i - 1].group(0)) in INTERFIXES:
            if _adjacent(text, tokens[i - 2], tokens[i - 1]) and _adjacent(text, tokens[i - 1], tokens[i]):
                marked[i] = True
    # Interfixes between two parts of a name join them (An Van den Bergh, lucia di marco), and
    # a capitalised one before a surname goes with it (De Smet, El Amrani).
    for i in range(len(tokens)):
        if not (marked[i] or kinds[i]):
            continue
        j = i + 1
        while j < len(tokens) and fold(tokens[j].group(0)) in INTERFIXES and _adjacent(text, tokens[j - 1], tokens[j]):
            j += 1
        if i + 1 < j < len(tokens) and (capital[j] or (kinds[j] == "name" and not capital[i])) and kinds[j] and _adjacent(text, tokens[j - 1], tokens[j]):
            if marked[i] or marked[j] or kinds[i] == "name" or kinds[j] == "name":
                for between in range(i, j + 1):
                    marked[between] = True
    for i in range(len(tokens) - 1, 0, -1):
        if marked[i] and fold(tokens[i - 1].group(0)) in INTERFIXES and _adjacent(text, tokens[i - 1], tokens[i]):
            if tokens[i - 1].group(0)[0].isupper() or marked[i - 1]:
                marked[i - 1] = True
    spans = []
    for token, mark in zip(tokens, marked):
        if not mark:
            continue
        start, end = token.span()
        if token.group(0).endswith(".") and fold(token.group(0)).rstrip(".") not in CUES:
            end -= 1
        if spans and _only_space(text[spans[-1][1] : start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    yield from spans


def _adjacent(text: str, left, right) -> bool:
    """Return whether two words stand side by side in one sentence (a full stop ends a name)."""
    if left.group(0).endswith(".") and fold(left.group(0)) not in CUES:
        return False
    return _only_space(text[left.end() : right.start()])


def _only_space(between: str) -> bool:
    return len(between) <= 2 and between.strip() in ("", "-")

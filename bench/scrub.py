"""Free-text scrubber benchmark: recall on planted personal data, false hits on ordinary words.

    .venv/bin/python bench/scrub.py            # figures, and every miss and false hit
    .venv/bin/python bench/scrub.py --quiet    # figures only

The corpus is tests/fixtures/scrub/corpus.yaml: answers with planted personal data (names,
e-mail addresses written normally and spelled out, phone numbers in digits and in words,
streets with and without a number, dates of birth) and ordinary answers.

- recall: the share of planted items of which no word is left (a word that the rest of the
  answer also holds may stay). Goal: 100%.
- false hits: the share of the words that are not planted which the scrubber removed, over
  the ordinary answers and over all answers. Goal: under 2%.
"""

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from survey_app.export.scrub import scrub_text  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "scrub" / "corpus.yaml"
# Words around a planted item that may stay: "ik woon in de [adres]", "ik ben [datum]".
GLUE = frozenset({"de", "van", "den", "der", "het", "op", "in", "geboren", "geb", "mijn", "geboortedatum", "is", "0"})


def words(text: str) -> Counter:
    """Return the words of a text, in lower case, as a multiset (the brackets of replacements left out)."""
    import re

    return Counter(w.lower() for w in re.findall(r"[^\W_]+", re.sub(r"\[[\w-]+\]", " ", text)))


@dataclass
class Measure:
    planted: int = 0
    found: int = 0
    ordinary_words: int = 0
    ordinary_removed: int = 0
    other_words: int = 0  # words of the answers with personal data that were not planted
    other_removed: int = 0
    seconds: float = 0.0
    answers: int = 0
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def false_hit_rate(self) -> float:
        return self.ordinary_removed / self.ordinary_words if self.ordinary_words else 0.0

    @property
    def false_hit_rate_all(self) -> float:
        removed = self.ordinary_removed + self.other_removed
        return removed / (self.ordinary_words + self.other_words)


def measure(corpus: dict) -> Measure:
    """Return the figures of the scrubber on a corpus."""
    result = Measure()
    for item in corpus["with_personal_data"]:
        text = item["text"]
        started = time.perf_counter()
        clean, _ = scrub_text(text)
        result.seconds += time.perf_counter() - started
        result.answers += 1
        left = words(clean)
        planted_words = Counter()
        for planted in item["planted"]:
            result.planted += 1
            rest = words(text.replace(planted, " ", 1))
            own = [w for w in words(planted) if w not in GLUE]
            planted_words.update(words(planted))
            if all(left[w] <= rest[w] for w in own):
                result.found += 1
            else:
                result.misses.append((planted, clean))
        other = words(text) - planted_words
        result.other_words += sum(other.values())
        removed = other - left
        result.other_removed += sum(removed.values())
        if removed:
            result.false_hits.append((sorted(removed), clean))
    for text in corpus["ordinary"]:
        started = time.perf_counter()
        clean, _ = scrub_text(text)
        result.seconds += time.perf_counter() - started
        result.answers += 1
        original = words(text)
        removed = original - words(clean)
        result.ordinary_words += sum(original.values())
        result.ordinary_removed += sum(removed.values())
        if removed:
            result.false_hits.append((sorted(removed), clean))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="Print the figures only.")
    args = parser.parse_args(argv)
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    scrub_text("Jan Peeters")  # loads the name lists before the clock runs
    result = measure(corpus)
    if not args.quiet:
        for planted, clean in result.misses:
            print(f"MISS  {planted!r}: {clean}")
        for removed, clean in result.false_hits:
            print(f"FALSE {removed}: {clean}")
    print(f"answers: {len(corpus['with_personal_data'])} with {result.planted} planted items, {len(corpus['ordinary'])} ordinary")
    print(f"recall: {result.found}/{result.planted} = {result.recall:.1%} (goal 100%)")
    print(
        f"false hits, ordinary answers: {result.ordinary_removed}/{result.ordinary_words} words = {result.false_hit_rate:.2%} (goal < 2%)"
    )
    print(f"false hits, all answers: {result.false_hit_rate_all:.2%} of the words not planted")
    print(f"speed: {result.seconds / result.answers * 1000:.2f} ms per answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())

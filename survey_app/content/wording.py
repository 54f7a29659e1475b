"""Skip logic in words: a show_if as a sentence that a resident, an editor or a translator reads
("Beantwoord deze vraag alleen als u bij vraag 4 'Aan het loket' koos.").

The phrases are Dutch source strings marked for the interface catalog; the caller passes the
translation function and the translated answer labels, so this module never imports Flask.
An expression with a shape that has no phrase is shown as written, never guessed at.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .definition import Definition
from .expressions import Expression


def N_(text: str) -> str:
    """Mark an interface string for extraction; it is translated where it is shown."""
    return text


SHOW_PAGE = N_("Vul deze pagina alleen in als %(condition)s.")
SHOW_QUESTION = N_("Beantwoord deze vraag alleen als %(condition)s.")
AND = N_("%(left)s en %(right)s")
OR = N_("%(left)s of %(right)s")
NOT = N_("het niet zo is dat %(condition)s")
CHOSE = N_("u bij vraag %(number)s %(answers)s koos")
DID_NOT_CHOOSE = N_("u bij vraag %(number)s niet %(answers)s koos")
TICKED = N_("u bij vraag %(number)s %(answer)s aankruiste")
DID_NOT_TICK = N_("u bij vraag %(number)s %(answer)s niet aankruiste")
ANSWERED = N_("u vraag %(number)s beantwoordde")
NOT_ANSWERED = N_("u vraag %(number)s niet beantwoordde")
ANSWER_TO = N_("uw antwoord op vraag %(number)s")
ANSWER_TO_ITEM = N_("uw antwoord op vraag %(number)s (%(item)s)")
COUNT_OF = N_("het aantal antwoorden bij vraag %(number)s")
THIS_YEAR = N_("dit jaar")
COMPARE = {
    "==": N_("%(subject)s %(value)s is"),
    "!=": N_("%(subject)s niet %(value)s is"),
    ">=": N_("%(subject)s minstens %(value)s is"),
    ">": N_("%(subject)s meer dan %(value)s is"),
    "<=": N_("%(subject)s hoogstens %(value)s is"),
    "<": N_("%(subject)s minder dan %(value)s is"),
}
FLIPPED = {"==": "==", "!=": "!=", ">=": "<=", ">": "<", "<=": ">=", "<": ">"}


class _Unworded(Exception):
    """The expression has a shape without a phrase: show it as written."""


@dataclass
class Wording:
    """How to word the skip logic of one questionnaire in one language."""

    definition: Definition
    translate: Callable[[str], str] = str  # gettext of the interface catalog
    # (question key, value) -> the answer's label in this language
    answer_label: Callable[[str, object], str] | None = None
    # (question key, item value) -> the item's text in this language
    item_label: Callable[[str, str], str] | None = None

    def __post_init__(self):
        self.numbers: dict[str, int] = {}
        self.owners: dict[str, tuple[str, str | None]] = {}
        for number, question in enumerate(self.definition.questions(), start=1):
            self.numbers[question.key] = number
            self.owners[question.key] = (question.key, None)
            for item in question.items:
                self.owners[f"{question.key}_{item.value}"] = (question.key, str(item.value))

    def number(self, question_key: str) -> int:
        """Return the number of a question as printed (1, 2, ...)."""
        return self.numbers[question_key]

    def show_page(self, expression: Expression) -> str:
        """Return the sentence that says when a page is filled in."""
        return self._say(SHOW_PAGE, condition=self.condition(expression))

    def show_question(self, expression: Expression) -> str:
        """Return the sentence that says when a question is answered."""
        return self._say(SHOW_QUESTION, condition=self.condition(expression))

    def condition(self, expression: Expression) -> str:
        """Return the expression in words, or as written when it has no wording."""
        try:
            return self._word(expression.tree)
        except _Unworded:
            return expression.source

    # -- the phrases

    def _say(self, phrase: str, **params) -> str:
        return self.translate(phrase) % params

    def _label(self, question_key: str, value) -> str:
        if self.answer_label is not None:
            return self.answer_label(question_key, value)
        question = self.definition.question(question_key)
        return next((o.label for o in question.options if str(o.value) == str(value)), str(value))

    def _quoted(self, question_key: str, values) -> str:
        labels = [f"'{self._label(question_key, value)}'" for value in values]
        text = labels[0]
        for label in labels[1:]:
            text = self._say(OR, left=text, right=label)
        return text

    def _name(self, node) -> tuple[str, str | None]:
        if node[0] != "name" or node[1] not in self.owners:
            raise _Unworded
        return self.owners[node[1]]

    def _subject(self, node) -> str:
        kind = node[0]
        if kind == "name":
            key, item = self._name(node)
            if item is None:
                return self._say(ANSWER_TO, number=self.number(key))
            if self.item_label is not None:
                label = self.item_label(key, item)
            else:
                label = next(i.label for i in self.definition.question(key).items if str(i.value) == item)
            return self._say(ANSWER_TO_ITEM, number=self.number(key), item=label)
        if kind == "call" and node[1] == "count":
            key, _ = self._name(node[2][0])
            return self._say(COUNT_OF, number=self.number(key))
        if kind == "call" and node[1] == "year":
            return self.translate(THIS_YEAR)
        if kind == "const" and isinstance(node[1], (int, float)) and not isinstance(node[1], bool):
            return f"{node[1]:g}" if isinstance(node[1], float) else str(node[1])
        if kind == "neg":
            return f"-{self._subject(node[1])}"
        if kind == "arith":
            text = self._subject(node[1])
            for operator, operand in node[2]:
                text = f"{text} {operator} {self._subject(operand)}"
            return text
        raise _Unworded

    def _word(self, node) -> str:
        kind = node[0]
        ticked = self._same_question_ticks(node)
        if ticked:
            return ticked
        if kind in {"and_expr", "or_expr"}:
            phrase = AND if kind == "and_expr" else OR
            text = self._word(node[1])
            for part in node[2:]:
                text = self._say(phrase, left=text, right=self._word(part))
            return text
        if kind == "not_":
            inner = node[1]
            if inner[0] == "compare" and inner[1] in {"==", "!="}:
                return self._word(("compare", "!=" if inner[1] == "==" else "==", *inner[2:]))
            if inner[0] in {"in_", "not_in"}:
                return self._word(("not_in" if inner[0] == "in_" else "in_", *inner[1:]))
            return self._say(NOT, condition=self._word(inner))
        if kind in {"is_null", "not_null"}:
            key, _ = self._name(node[1])
            return self._say(NOT_ANSWERED if kind == "is_null" else ANSWERED, number=self.number(key))
        if kind == "call" and node[1] == "answered":
            key, _ = self._name(node[2][0])
            return self._say(ANSWERED, number=self.number(key))
        if kind == "compare":
            return self._compare(*node[1:])
        if kind in {"in_", "not_in"}:
            return self._membership(kind == "in_", node[1], node[2])
        raise _Unworded

    def _same_question_ticks(self, node) -> str | None:
        """'a' in x or 'b' in x: one sentence, "u bij vraag 3 'A' of 'B' aankruiste"."""
        parts = node[1:]
        if node[0] != "or_expr" or not all(p[0] == "in_" and p[1][0] == "const" and p[2][0] == "name" for p in parts):
            return None
        if len({p[2][1] for p in parts}) != 1:
            return None
        key, item = self._name(parts[0][2])
        if item is not None:
            return None
        return self._say(TICKED, number=self.number(key), answer=self._quoted(key, [p[1][1] for p in parts]))

    def _compare(self, operator, left, right) -> str:
        if left[0] == "const" and right[0] != "const":
            operator, left, right = FLIPPED[operator], right, left
        if operator in {"==", "!="} and left[0] == "name" and right[0] == "const" and isinstance(right[1], str):
            key, item = self._name(left)
            if item is None:
                phrase = CHOSE if operator == "==" else DID_NOT_CHOOSE
                return self._say(phrase, number=self.number(key), answers=self._quoted(key, [right[1]]))
        return self._say(COMPARE[operator], subject=self._subject(left), value=self._subject(right))

    def _membership(self, positive: bool, item, collection) -> str:
        if item[0] == "const" and collection[0] == "name":
            key, part = self._name(collection)
            if part is None:
                phrase = TICKED if positive else DID_NOT_TICK
                return self._say(phrase, number=self.number(key), answer=self._quoted(key, [item[1]]))
        if item[0] == "name" and collection[0] == "list" and all(v[0] == "const" for v in collection[1:]):
            key, part = self._name(item)
            if part is None:
                phrase = CHOSE if positive else DID_NOT_CHOOSE
                return self._say(phrase, number=self.number(key), answers=self._quoted(key, [v[1] for v in collection[1:]]))
        raise _Unworded

"""The campaign's cross-item rules, in one place: the models a campaign file holds, their
expressions parsed (so a bad rule is refused when the campaign loads), and a filled form's
values checked against them."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jc315cli.problems.report import Number


def parse_expression(text: str) -> list[str | Decimal]:
    """Parse `#{5} + #{6.1} + 2` into item ids (str) and constants (Decimal)."""
    terms: list[str | Decimal] = []
    for raw in text.split("+"):
        term = raw.strip()
        match = _TERM.match(term)
        if match:
            terms.append(match.group(1))
            continue
        try:
            number = Decimal(term)
        except ArithmeticError:
            number = Decimal("NaN")
        if not number.is_finite() or (number and number.adjusted() >= 15):
            raise ValueError(f"无法理解的表达式：{text!r}（项目写作 #{{5}}，常数写作不太大的数字）")
        terms.append(number)
    return terms


_TERM = re.compile(r"^#\{([0-9.]+)\}$")


class Condition(BaseModel):
    """`left operator right`, where each side is a sum of `#{item}` references and numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    left: str
    operator: Literal["==", "!=", ">", ">=", "<", "<="]
    right: str

    @field_validator("left", "right")
    @classmethod
    def _parses(cls, text: str) -> str:
        parse_expression(text)
        return text


class Rule(BaseModel):
    """A cross-item check, in the spirit of DHIS2 validation rules (left side, operator, right
    side), with an optional `when` so a rule can say "if money was recovered, there were
    complaints". A failed rule is a problem with the rule's own severity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Literal["error", "warning", "info"] = "warning"
    when: Condition | None = None
    check: Condition
    message: str
    hint: str = ""

    def item_ids(self) -> list[str]:
        """Every item the rule refers to, its check first."""
        conditions = (self.check, *([self.when] if self.when else []))
        return [
            t
            for c in conditions
            for side in (c.left, c.right)
            for t in parse_expression(side)
            if isinstance(t, str)
        ]


OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def evaluate(condition: Condition, values: Mapping[str, Number]) -> bool | None:
    """True or False, or None when a side refers to an item without an accepted value."""

    def side(text: str) -> Decimal | None:
        total = Decimal(0)
        for term in parse_expression(text):
            if isinstance(term, Decimal):
                total += term
            elif term in values:
                total += Decimal(values[term])
            else:
                return None
        return total

    left, right = side(condition.left), side(condition.right)
    if left is None or right is None:
        return None
    return OPERATORS[condition.operator](left, right)


def failed_rules(rules: Sequence[Rule], values: Mapping[str, Number]) -> list[Rule]:
    """The rules whose `when` holds (or that have none) and whose check is false. A side that
    names an item without an accepted value is not judged: that cell has its own problem."""
    return [
        rule
        for rule in rules
        if (rule.when is None or evaluate(rule.when, values) is True)
        and evaluate(rule.check, values) is False
    ]

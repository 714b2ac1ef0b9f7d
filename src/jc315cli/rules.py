"""The campaign's cross-item rules, evaluated. Their syntax is parsed in form.py (so a bad rule
is refused when the campaign loads); here a filled form's values are checked against them."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Decimal

from jc315cli.form import Condition, FormSpec, Rule, parse_expression
from jc315cli.problems import problem
from jc315cli.report import Number, Problem, Severity

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


def failed_rules(form: FormSpec, values: Mapping[str, Number]) -> list[Rule]:
    return [
        rule
        for rule in form.rules
        if (rule.when is None or evaluate(rule.when, values) is True)
        and evaluate(rule.check, values) is False
    ]


def check_rules(form: FormSpec, values: Mapping[str, Number], sheet: str | None) -> list[Problem]:
    """One `rule-failed` problem per failed rule, on the first item its check names."""
    problems = []
    for rule in failed_rules(form, values):
        ids = [
            t
            for t in parse_expression(rule.check.left) + parse_expression(rule.check.right)
            if isinstance(t, str)
        ]
        item = form.item(ids[0]) if ids else None
        problems.append(
            problem(
                "rule-failed",
                severity=Severity(rule.severity),
                rule=rule.code,
                sheet=sheet,
                item=item.id if item else None,
                label=item.label if item else None,
                message=rule.message,
                hint=rule.hint,
            )
        )
    return problems

"""The one registry of problems: a Problem is made only through `problem()`, from a kind in
kinds.py, so a code cannot be misspelt and a missing template field fails in the tests, not in
front of a user. Every text put into a message is bounded and shown visibly here, once.
"""

from __future__ import annotations

from typing import Any

from jc315cli.problems.kinds import KINDS, REASONS, ProblemKind
from jc315cli.problems.report import (
    LONG_LIMIT,
    TEXT_LIMIT,
    Problem,
    Severity,
    Tier,
    show_raw,
    shown,
)

# Every code made in this process, and every reason as "unreadable/encrypted": the test suite
# checks that each registered one is produced by some test (tests/problem_coverage.py). A set
# insert per problem costs nothing.
PRODUCED: set[str] = set()


def kind(code: str) -> ProblemKind:
    return KINDS[code]


# Template fields that jc315 makes of several texts (a list, a sentence, a file's place) or that
# name a file or a path: shown up to LONG_LIMIT. Every other field is one text (a value, a
# name, a label), shown up to TEXT_LIMIT. A caller putting a raw text into a sentence passes it
# through `shown` itself; see `said`.
LONG_FIELDS = frozenset(
    (
        "advice", "campaign_a", "campaign_b", "cells", "details", "diffs", "expected", "file", "files", "first", "folder",
        "hint", "kept", "known", "last_file", "limits", "loser", "materials", "message",
        "mistakes", "named_in", "names", "note", "option", "other_file", "other_place",
        "others", "overlaps", "path", "paths", "place", "reason", "reporters", "said", "second",
        "sheets", "this_file", "where", "why", "winner", "words",
    )
)  # fmt: skip


def _shown(fields: dict[str, Any]) -> dict[str, str]:
    """Every field as it may be shown: bounded, invisible characters visible. A file can hold a
    900 KB version string; a message quoting it must not."""
    return {
        key: shown(value, LONG_LIMIT if key in LONG_FIELDS else TEXT_LIMIT)
        for key, value in fields.items()
    }


def problem(
    code: str,
    *,
    cell: str | None = None,
    sheet: str | None = None,
    item: str | None = None,
    label: str | None = None,
    value: object = None,
    severity: Severity | None = None,
    rule: str | None = None,
    **fields: Any,
) -> Problem:
    """The one way to make a Problem. An unknown code, an unknown reason or a missing template
    field is a bug and raises here, in the tests, not in front of a user. For a kind with
    registered reasons (unreadable), `reason` names one, whose template is used; for any other
    kind a `reason` is a template field like the rest (write-failed's, from the system)."""
    k = KINDS[code]
    PRODUCED.add(code)
    if severity is not None and code != "rule-failed":
        raise ValueError(f"only rule-failed takes its severity from the campaign, not {code}")
    message, hint, reason = k.message, k.hint, None
    if code in REASONS:
        reason = fields.pop("reason")
        chosen = REASONS[code][reason]
        PRODUCED.add(f"{code}/{reason}")
        message, hint = chosen.message, chosen.hint or k.hint
    shown_fields = _shown(fields)
    severity = severity or k.severity
    return Problem(
        severity=severity,
        tier=Tier.of(severity, doubtful=k.doubtful),
        code=code,
        title=k.title,
        cell=cell,
        sheet=sheet,
        item=item,
        label=label,
        value=show_raw(value),
        rule=rule,
        reason=reason,
        message=message.format(**shown_fields),
        hint=hint.format(**shown_fields),
    )

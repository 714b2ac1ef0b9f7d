"""The one exception of jc315. Problems found *in* a returned form are values in a report; this
is for when a command cannot go on at all. It carries a registered Problem, so the terminal, the
JSON output and the exit code all come from the same place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jc315cli.problems.report import BatchReport, Problem


class Jc315Error(Exception):
    """Raised with a problem code and its template fields; exit code 2 for a usage problem, else 1.
    `report` is the batch report behind a refusal, when there is one to show."""

    def __init__(self, code: str, *, report: BatchReport | None = None, **fields: Any) -> None:
        from jc315cli.problems.registry import (
            problem,  # the registry (and pydantic) only when raised
        )

        self.problem: Problem = problem(code, **fields)
        self.fields = fields  # as given: a child process sends them back to be raised again
        self.report = report
        super().__init__(self.problem.message)

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def hint(self) -> str:
        return self.problem.hint

    @property
    def exit_code(self) -> int:
        from jc315cli.problems.registry import kind

        return 2 if kind(self.problem.code).usage else 1


def unreadable(reason: str, **fields: Any) -> Jc315Error:
    """The file cannot be read as a workbook at all: an `unreadable` problem with one of the
    registered reasons (problems/kinds.py, UNREADABLE) and its template fields."""
    return Jc315Error("unreadable", reason=reason, **fields)

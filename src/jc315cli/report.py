"""Problems and reports as data. The rich table a person reads and the JSON a script reads are
two renderings of these same values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

Number = int | Decimal


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class Problem(BaseModel):
    """One thing worth telling about a file: where, what was found, why it matters, what to do."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str  # stable kebab-case, e.g. not-a-number
    cell: str | None = None  # A1 reference as a person sees it, e.g. E9
    sheet: str | None = None
    item: str | None = None  # item id, e.g. "4" or "6.1"
    label: str | None = None  # item label, e.g. 接受投诉情况
    value: str | None = None  # the raw value as found
    message: str
    hint: str = ""


FileStatus = Literal["valid", "invalid", "unreadable"]


def exact(value: Number) -> int | str:
    """Counts stay integers; money becomes a string with its exact digits."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


class FileReport(BaseModel):
    path: str
    status: FileStatus
    reporter: str | None = None  # campaign full name; None when unresolved
    filled_on: date | None = None
    late: bool = False
    sha256: str = ""
    sheet: str | None = None
    covers: list[str] = Field(default_factory=list)  # reporters whose numbers the file holds
    consolidated: bool = False
    superseded_by: str | None = None
    values: dict[str, Number] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)

    @field_serializer("values")
    def _exact_values(self, values: dict[str, Number]) -> dict[str, int | str]:
        return {key: exact(value) for key, value in values.items()}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is not Severity.ERROR]

    def refresh_status(self) -> None:
        if self.status != "unreadable":
            self.status = "invalid" if self.errors else "valid"


class Summary(BaseModel):
    files: int
    valid: int
    invalid: int
    unreadable: int
    missing: list[str]
    superseded: list[str] = Field(default_factory=list)
    late: list[str] = Field(default_factory=list)


class BatchReport(BaseModel):
    files: list[FileReport]
    summary: Summary

    @property
    def ok(self) -> bool:
        return all(f.status == "valid" for f in self.files)

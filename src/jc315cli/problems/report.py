"""Problems and reports as data. The rich table a person reads and the JSON a script reads are
two renderings of these same values. A file's status is computed from its problems, never
stored, so no check can forget to refresh it."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

# Showing a text lives in text.py (the wrapper and the file namer need it without pydantic).
from jc315cli.problems.shown import LONG_LIMIT as LONG_LIMIT
from jc315cli.problems.shown import TEXT_LIMIT as TEXT_LIMIT
from jc315cli.problems.shown import clip as clip
from jc315cli.problems.shown import shown as shown
from jc315cli.problems.shown import visible as visible

Number = int | Decimal


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class Problem(BaseModel):
    """One thing worth telling about a file: where, what was found, why it matters, what to do.
    Made only through `jc315cli.problems.registry.problem`, which knows every code."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str  # stable kebab-case, registered in jc315cli.problems.registry
    title: str = ""  # the kind of problem in Chinese, e.g. 不是数字
    cell: str | None = None  # A1 reference as a person sees it, e.g. E9
    sheet: str | None = None
    item: str | None = None  # item id, e.g. "4" or "6.1"
    label: str | None = None  # item label, e.g. 接受投诉情况
    value: str | None = None  # the raw value as found
    rule: str | None = None  # for rule-failed: the campaign rule's own code
    reason: str | None = None  # for unreadable: why, a registered reason such as encrypted
    message: str
    hint: str = ""


FileStatus = Literal["valid", "invalid", "unreadable"]


def exact(value: Number) -> int | str:
    """Counts stay integers; money becomes a string with its exact digits."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def show_raw(value: object) -> str | None:
    """A cell's content as the person saw it: 12 not 12.0, 2023-03-20 not a datetime repr."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class FileReport(BaseModel):
    path: str
    reporter: str | None = None  # campaign full name; None when unresolved
    filled_on: date | None = None
    sha256: str = ""
    # which form the file says it is (hidden identity, else the title's year): how a forgotten
    # --campaign is told from a county's wrong form
    form_year: int | None = None
    form_version: str | None = None
    sheet: str | None = None
    covers: list[str] = Field(default_factory=list)  # reporters whose numbers the file holds
    consolidated: bool = False
    superseded_by: str | None = None
    values: dict[str, Number] = Field(default_factory=dict)
    cells: dict[str, str] = Field(default_factory=dict)  # item id → the value cell, e.g. E9
    problems: list[Problem] = Field(default_factory=list)

    @field_serializer("values")
    def _exact_values(self, values: dict[str, Number]) -> dict[str, int | str]:
        return {key: exact(value) for key, value in values.items()}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> FileStatus:
        if any(p.code == "unreadable" for p in self.problems):
            return "unreadable"
        return "invalid" if self.errors else "valid"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def late(self) -> bool:
        return any(p.code == "late" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is not Severity.ERROR]

    @property
    def counts(self) -> bool:
        """Whether this file's numbers go into a total: valid and not replaced by another."""
        return self.status == "valid" and self.superseded_by is None


class Rejection(BaseModel):
    reporter: str | None  # None when the file's reporter could not be told
    path: str
    reason: str


class NotRead(BaseModel):
    path: str
    reason: str


class Whom(BaseModel):
    """How to reach a reporter that has to be asked for something (未报送, 已退回)."""

    short_name: str
    contact: str = ""
    phone: str = ""
    email: str = ""


class Summary(BaseModel):
    """What a folder comes to: the same verdict for `validate` and `merge`."""

    files: int
    valid: int
    invalid: int
    unreadable: int
    reporters: int  # how many the campaign expects
    reported: list[str]  # reporters with at least one file, read or not
    included: list[str]  # reporters whose numbers go into the total
    missing: list[str]  # reporters with no file at all
    rejected: list[Rejection] = Field(default_factory=list)  # files not counted, not replaced
    superseded: list[str] = Field(default_factory=list)
    late: list[str] = Field(default_factory=list)
    not_read: list[NotRead] = Field(default_factory=list)  # other files in the folder
    doubtful: int = 0  # accepted warnings that could change a number (请核实, 换算, 未填写)
    to_contact: dict[str, Whom] = Field(default_factory=dict)  # missing and rejected, by full name
    ok: bool = False  # `merge` without --skip-invalid would write the report


class MaterialNote(BaseModel):
    """A warning about the materials sent with the forms (活动总结, 图片资料…): one that is
    missing, or a file whose reporter or kind cannot be told. Never blocks the totals."""

    reporter: str | None = None  # campaign full name, when known
    material: str | None = None  # the material's name, when known
    path: str | None = None  # the file or folder the note is about
    problem: Problem


class ContentCheck(BaseModel):
    """What was looked at inside one reporter's materials, beyond counting them, so that
    nothing found can be told from nothing looked at. What was found is in material_notes."""

    summaries: int = 0  # summaries whose text was read
    summaries_unread: int = 0  # summaries whose text could not be read (.doc, a scan …)
    numbers: int = 0  # items its summaries state a number of, compared with its table
    photos: int = 0  # photos whose date and likeness were looked at
    photos_unread: int = 0  # photos and archives of photos that could not be looked at


class BatchReport(BaseModel):
    files: list[FileReport]
    summary: Summary
    # reporter full name → material name → the files found (forms included), every reporter
    # and material of the campaign listed; empty when no folder was read or nothing is asked
    materials: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    material_notes: list[MaterialNote] = Field(default_factory=list)
    # reporter full name → what was looked at inside its materials (when the campaign checks)
    contents: dict[str, ContentCheck] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.summary.ok

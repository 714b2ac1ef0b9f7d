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


class Tier(str, Enum):
    """What a problem asks of the numbers, as Chinese statistical practice names its checks:
    强制性 (the form cannot be accepted until it is corrected), 核实性 (the value may be right,
    but counts only once someone has said why, in a 核实说明 or a confirmation) or a plain 提示.
    The words and what feedback asks for each are written here and nowhere else."""

    MANDATORY = "mandatory"
    VERIFY = "verify"
    NOTE = "note"

    @classmethod
    def of(cls, severity: Severity, *, doubtful: bool) -> Tier:
        """An error is 强制性; a warning that could change a number is 核实性; the rest 提示."""
        if severity is Severity.ERROR:
            return cls.MANDATORY
        return cls.VERIFY if doubtful and severity is Severity.WARNING else cls.NOTE

    @property
    def word(self) -> str:
        return {"mandatory": "强制性", "verify": "核实性", "note": "提示"}[self.value]

    @property
    def ask(self) -> str:
        """What the feedback to a county asks for a problem of this tier: one request a cell."""
        return {
            "mandatory": "请改正",
            "verify": f"请核实，如数值无误请在{NOTE_HEADER}中写明理由",
            "note": "",
        }[self.value]


# The header of the column a county answers a 核实性 value in, beside the value (the campaign
# may name it otherwise in its form's labels; this is the default and the word of the feedback).
NOTE_HEADER = "核实说明"
NOTE_LIMIT = 300  # characters of a 说明 or a confirmation's reason kept: a reason, not a report
PENDING = "待核实"
ConfirmedBy = Literal["county", "city"]  # the county's own 核实说明, or the collecting office


class Verified(BaseModel):
    """Why a 核实性 value counts: who said it is right (the county in its form's 核实说明, or the
    collecting office in a confirmation), why, and when. It was given for one exact value."""

    model_config = ConfigDict(frozen=True)

    reason: str
    by: ConfirmedBy
    on: date | None = None  # the county's 填报日期, or the day the office confirmed it

    @property
    def who(self) -> str:
        return {"county": "填报单位说明", "city": "市局核实"}[self.by]

    @property
    def words(self) -> str:
        """已核实：含一起大案（填报单位说明，2023-03-20）"""
        day = f"，{self.on.isoformat()}" if self.on else ""
        return f"已核实：{self.reason}（{self.who}{day}）"


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
    tier: Tier  # 强制性, 核实性 or 提示: from the kind, and for rule-failed from its severity
    verified: Verified | None = None  # a 核实性 problem once confirmed; None: 待核实

    @property
    def pending(self) -> bool:
        """A 核实性 value nobody has confirmed yet: it keeps its file out of the totals."""
        return self.tier is Tier.VERIFY and self.verified is None

    @property
    def state(self) -> str:
        """待核实, 已核实：理由（…）, or nothing for a problem that is not 核实性."""
        if self.tier is not Tier.VERIFY:
            return ""
        return PENDING if self.verified is None else self.verified.words


# pending: no error, but a 核实性 value not confirmed yet (待核实): not counted until it is.
FileStatus = Literal["valid", "pending", "invalid", "unreadable"]


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
    # item id → what the county wrote in the 核实说明 beside the value (bounded, never blank)
    notes: dict[str, str] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)

    @field_serializer("values")
    def _exact_values(self, values: dict[str, Number]) -> dict[str, int | str]:
        return {key: exact(value) for key, value in values.items()}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> FileStatus:
        if any(p.code == "unreadable" for p in self.problems):
            return "unreadable"
        if self.errors:
            return "invalid"
        return "pending" if any(p.pending for p in self.problems) else "valid"

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
    def usable(self) -> bool:
        """Read without an error: its numbers are known, though some may wait to be confirmed.
        Such a file replaces an earlier one, and its values are compared with the others'."""
        return self.status in ("valid", "pending")

    @property
    def current(self) -> bool:
        """Usable and not replaced by another file: the reporter's numbers as they stand."""
        return self.usable and self.superseded_by is None

    @property
    def counts(self) -> bool:
        """Whether this file's numbers go into a total: valid (nothing left to confirm) and
        not replaced by another."""
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
    pending: int = 0  # files with a 核实性 value not confirmed yet (待核实)
    reporters: int  # how many the campaign expects
    reported: list[str]  # reporters with at least one file, read or not
    included: list[str]  # reporters whose numbers go into the total
    missing: list[str]  # reporters with no file at all
    rejected: list[Rejection] = Field(default_factory=list)  # files with errors, not replaced
    # files held back only for 核实性 values not confirmed yet, each with its first one
    unverified: list[Rejection] = Field(default_factory=list)
    superseded: list[str] = Field(default_factory=list)
    late: list[str] = Field(default_factory=list)
    not_read: list[NotRead] = Field(default_factory=list)  # other files in the folder
    # values with a 核实性 problem (请核实, 已换算, 未填写, against last year…) in the current
    # files, and how many of them are confirmed (by the county's 核实说明 or by the office)
    doubtful: int = 0
    verified: int = 0
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

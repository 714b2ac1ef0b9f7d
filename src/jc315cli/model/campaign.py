"""The campaign around the form: who collects, who reports (填报单位), the dates, the contact.

A Reporter is a reporting body, never a unit of measure (that is a form.Measure).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

from jc315cli.model.bounds import FIRST_DAY, LAST_DAY, MAX_NAME, in_range
from jc315cli.model.form import FormSpec, Frozen
from jc315cli.model.printable import Printable
from jc315cli.model.text import fold

PLAUSIBLE_AFTER_DEADLINE = timedelta(days=183)  # a 填报日期 later than this is a typing slip
PLAUSIBLE_BEFORE_DEADLINE = timedelta(days=366)  # used when the campaign has no issue date
# What jc315 reads as a 统计表 (.et: WPS 表格, usually an .xls inside); never another material.
FORM_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".et")


# What a reporter's name may not hold: it becomes a file name and one line of a message, and is
# matched against what a clerk typed. Line breaks (also U+2028/2029), control characters,
# bidirectional and zero-width formatting, private-use characters (shown as nothing or as
# another glyph), and surrogates.
NOT_IN_NAMES = {
    "Cc": "控制字符或换行",
    "Cf": "方向控制或零宽字符",
    "Co": "私用区字符",
    "Cs": "代理字符",
    "Zl": "换行符",
    "Zp": "分段符",
}


def plain_name(text: str) -> str:
    """`text` if it can name a reporter: none of NOT_IN_NAMES, and at least one letter or digit
    (so “..” or “——” cannot become a file name like “催报-_.xlsx”). A printable text has none
    of them (str.isprintable is false for every character of those categories): each one of a
    thousand reporters' names is looked at character by character only when it is not."""
    for ch in () if text.isprintable() else text:
        what = NOT_IN_NAMES.get(unicodedata.category(ch))
        if what is not None:
            raise ValueError(f"含有{what} U+{ord(ch):04X}，不能用于单位名称")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise ValueError("单位名称中没有汉字、字母或数字")
    return text


PlainName = Annotated[str, AfterValidator(plain_name)]


class Reporter(BaseModel):
    """A reporting body (填报单位). Not a unit of measure: that is a Measure."""

    model_config = Frozen

    name: PlainName = Field(min_length=2, max_length=MAX_NAME)  # as printed in the form
    short_name: PlainName = Field(min_length=2, max_length=MAX_NAME)
    aliases: tuple[PlainName, ...] = ()
    contact: Printable = Field(default="", max_length=40)  # 联系人
    phone: Printable = Field(default="", max_length=40)  # 电话
    email: Printable = Field(default="", max_length=100)  # 邮箱

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.short_name, *self.aliases)


class Material(BaseModel):
    """One of the things each reporter sends besides or with the numbers (the notice asks for
    “3.15”活动总结、图片资料及“3.15”活动情况统计表). The 统计表 itself is `form = true`: its files
    are the forms jc315 reads. Any other material is recognised by the file's extension; when
    two materials share an extension (.pdf: a summary or scanned pictures), by the words in the
    file name. Missing materials are warnings: they never hold back the totals."""

    model_config = Frozen

    name: Printable = Field(min_length=2, max_length=20)  # as shown: 活动总结
    form: bool = False  # the statistics form itself
    extensions: tuple[str, ...] = ()  # lower case, with the dot: ".docx"
    words: tuple[Printable, ...] = ()  # words in a file name that say which material it is
    unit: Printable = Field(default="", max_length=4)  # what a count of its files is in: 张

    @field_validator("words")
    @classmethod
    def _words_not_blank(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        if any(not text.strip() for text in words):
            raise ValueError("文件名字样不能为空")
        return words

    @field_validator("extensions")
    @classmethod
    def _extensions(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip().lower() for v in values)
        for value in cleaned:
            if not re.fullmatch(r"\.[0-9a-z]{1,10}", value):
                raise ValueError(f'扩展名“{value}”应写作点加字母或数字，如 ".docx"')
            if value in FORM_EXTENSIONS:
                raise ValueError(f"扩展名“{value}”是统计表的格式，只能属于统计表（form = true）")
        return tuple(dict.fromkeys(cleaned))

    @model_validator(mode="after")
    def _recognisable(self) -> Material:
        if self.form and (self.extensions or self.words or self.unit):
            raise ValueError(
                f"“{self.name}”是统计表（form = true），按统计表的格式识别，"
                "不能再写 extensions、words 或 unit"
            )
        if not self.form and not self.extensions:
            raise ValueError(f"材料“{self.name}”没有扩展名（extensions），无法识别它的文件")
        return self


class MaterialChecks(BaseModel):
    """What jc315 looks at inside the materials, besides counting them: which material is the
    summary whose numbers are compared with the table, which the photos whose dates and
    likeness are compared, each "" to switch it off; and whether what they find goes into the
    退回 notices. A name left at its default that names no material of the campaign is off."""

    model_config = Frozen

    summary: Printable = Field(default="活动总结", max_length=20)
    photos: Printable = Field(default="图片资料", max_length=20)
    replies: bool = True


class Contact(BaseModel):
    model_config = Frozen

    department: str
    person: str
    phone: str
    email: str


# What a folder or file name of the collection may not hold: a path separator, a character
# Windows refuses in a name, or a name Windows reserves for a device.
NOT_IN_FILE_NAMES = set('/\\:*?"<>|')
WINDOWS_DEVICES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def file_name(text: str) -> str:
    """`text` if it can be one name in a folder on Windows, macOS and Linux alike."""
    plain_name(text)
    bad = sorted(NOT_IN_FILE_NAMES.intersection(text))
    if bad:
        raise ValueError(f"含有文件名中不能用的字符“{bad[0]}”")
    if text != text.strip(" .") or text.split(".")[0].upper() in WINDOWS_DEVICES:
        raise ValueError(f"“{text}”不能用作文件名")
    return text


FileName = Annotated[str, AfterValidator(file_name)]


# The campaign file of a collection folder: last year's folder is found by it (--last-year).
CAMPAIGN_FILE = "jc315.toml"


class Folders(BaseModel):
    """The folders of a collection folder (`jc315 init 文件夹`), and the merged report's name:
    what the commands use when no path is given."""

    model_config = Frozen

    issued: FileName = Field(default="下发", max_length=MAX_NAME)  # blank forms, sent out
    returned: FileName = Field(default="收回", max_length=MAX_NAME)  # forms that came back
    replies: FileName = Field(default="退回", max_length=MAX_NAME)  # 退回 and 催报 notices
    merged: FileName = Field(default="汇总", max_length=MAX_NAME)  # the consolidated report
    # The merged report's file name; {year} is the campaign's year.
    report: str = Field(default="{year}年3·15活动情况汇总表.xlsx", max_length=120)

    @field_validator("report")
    @classmethod
    def _report_name(cls, value: str) -> str:
        if value.count("{") != value.count("}") or value.replace("{year}", "").count("{"):
            raise ValueError("汇总表文件名中只能用 {year} 代表年度")
        name = file_name(value.replace("{year}", "2023"))
        if not name.lower().endswith(".xlsx"):
            raise ValueError("汇总表文件名应以 .xlsx 结尾")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> Folders:
        names = [fold(n) for n in (self.issued, self.returned, self.replies, self.merged)]
        if len(set(names)) != len(names):
            raise ValueError("下发、收回、退回、汇总四个文件夹的名称不能相同")
        return self

    def report_name(self, year: int) -> str:
        return self.report.replace("{year}", str(year))


class Campaign(BaseModel):
    model_config = Frozen

    year: int = Field(ge=2000, le=2100)
    # who collects: the consolidated report is in its name
    organizer: Printable = Field(min_length=2)
    co_organizers: tuple[Printable, ...] = ()
    issued_on: date | None = None
    deadline: date
    contact: Contact
    reporters: tuple[Reporter, ...]
    form: FormSpec
    materials: tuple[Material, ...] = ()  # what each reporter sends; none: no checklist
    folders: Folders = Folders()  # the collection folder's folders and report name
    material_checks: MaterialChecks = MaterialChecks()
    # Last year's merged report, or last year's collection folder, relative to the campaign
    # file: each reporter's values are compared with its own of last year (--last-year).
    last_year: Printable | None = Field(default=None, min_length=1, max_length=1000)

    @field_validator("reporters")
    @classmethod
    def _distinct_reporters(cls, reporters: tuple[Reporter, ...]) -> tuple[Reporter, ...]:
        if not reporters:
            raise ValueError("至少要有一个填报单位")
        # Names are compared as a reader compares them (full-width, spaces, punctuation aside):
        # “城区” and “城 区” would name two units no file could tell apart.
        seen: dict[str, tuple[int, str]] = {}
        for index, reporter in enumerate(reporters):
            for name in reporter.names:
                key = fold(name)
                first, written = seen.get(key, (index, name))
                if first != index:
                    other = reporters[first].name
                    same = f"“{name}”" if written == name else f"“{name}”与“{written}”"
                    raise ValueError(
                        f"名称{same}同时属于第 {first + 1} 个（{other}）和第 {index + 1} 个填报单位"
                    )
                seen[key] = (first, written)
        return reporters

    @field_validator("materials")
    @classmethod
    def _distinct_materials(cls, materials: tuple[Material, ...]) -> tuple[Material, ...]:
        names = [m.name for m in materials]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"材料名称“{twice[0]}”写了不止一次")
        if sum(m.form for m in materials) > 1:
            raise ValueError("只能有一种材料是统计表（form = true）")
        owners: dict[str, Material] = {}
        for material in materials:
            for extension in material.extensions:
                other = owners.setdefault(extension, material)
                if other is not material and not (other.words and material.words):
                    raise ValueError(
                        f"扩展名“{extension}”同时属于“{other.name}”和“{material.name}”，"
                        "两者都要写 words（文件名中的字样）才能区分"
                    )
        return materials

    @model_validator(mode="after")
    def _checked_materials(self) -> Campaign:
        names = {m.name for m in self.materials if not m.form}
        checks = self.material_checks
        for field in checks.model_fields_set & {"summary", "photos"}:
            name = getattr(checks, field)
            if name and name not in names:
                raise ValueError(f"material_checks.{field} 的材料“{name}”不在 materials 中")
        return self

    def checked_material(self, which: str) -> Material | None:
        """The material whose content is checked as `which` ("summary", "photos"), if any."""
        name = getattr(self.material_checks, which)
        return next((m for m in self.materials if m.name == name and not m.form), None)

    @field_validator("issued_on", "deadline", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any) -> Any:
        # pydantic would read 1678838400 as seconds since 1970: in a campaign file it is a slip
        if isinstance(value, (int, float)):
            raise ValueError("应为日期，如 2023-03-22，不是数字")
        return value

    @field_validator("issued_on", "deadline")
    @classmethod
    def _in_range(cls, day: date | None) -> date | None:
        if day is not None and not in_range(day):
            raise ValueError(f"日期应在 {FIRST_DAY} 至 {LAST_DAY} 之间")
        return day

    @model_validator(mode="after")
    def _dates_in_order(self) -> Campaign:
        if self.issued_on and self.issued_on > self.deadline:
            raise ValueError(f"发文日期 {self.issued_on} 晚于报送截止日期 {self.deadline}")
        return self

    @property
    def title(self) -> str:
        return f"{self.year}年{self.form.title}"

    def reporter(self, name: str) -> Reporter:
        for reporter in self.reporters:
            if reporter.name == name:
                return reporter
        raise KeyError(name)

    def is_late(self, day: date) -> bool:
        """The one definition of late: a 填报日期 after the deadline."""
        return day > self.deadline

    def plausible_dates(self) -> tuple[date, date]:
        """The window a real 填报日期 falls in: from the issue date (or a year before the
        deadline) to half a year after the deadline, whatever the calendar years."""
        first = self.issued_on or self.deadline - PLAUSIBLE_BEFORE_DEADLINE
        return first, self.deadline + PLAUSIBLE_AFTER_DEADLINE

    def example_date(self) -> date:
        """A date to show in hints: two days before the deadline, within the window."""
        first, _ = self.plausible_dates()
        return max(first, self.deadline - timedelta(days=2))

    def text_fields(self) -> dict[str, Any]:
        """Fields every problem message may use, so hints speak of this campaign."""
        day = self.example_date()
        return {
            "year": self.year,
            "organizer": self.organizer,
            "title": self.title,
            "version": self.form.version,
            "example_date": chinese_date(day),
            "example_iso": day.isoformat(),
            "example_reporter": self.reporters[0].name,
            "value_header": self.form.labels.value,
        }


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"

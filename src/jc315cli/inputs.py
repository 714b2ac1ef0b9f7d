"""Finding the input files: what a person passed on the command line, folders opened one level
(subfolders are not read, so an outdated copy can be set aside in “旧版/”). Every other file in
a folder is accounted for, as 未读取 with the reason, never silently skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jc315cli.errors import Jc315Error
from jc315cli.report import NotRead

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods", ".et")  # .et: WPS 表格, usually an .xls inside

_MATERIALS = "（活动总结、图片等材料不在这里校验）"
NOT_FORMS = {
    ".wps": "WPS 文字文档，不是统计表" + _MATERIALS,
    ".doc": "Word 文档，不是统计表" + _MATERIALS,
    ".docx": "Word 文档，不是统计表" + _MATERIALS,
    ".pdf": "PDF 文件，不是统计表" + _MATERIALS,
    ".jpg": "图片，不是统计表" + _MATERIALS,
    ".jpeg": "图片，不是统计表" + _MATERIALS,
    ".png": "图片，不是统计表" + _MATERIALS,
    ".zip": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".rar": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".7z": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".csv": "CSV 文件不是下发的统计表，请对方用统计表（.xlsx）填写",
}


@dataclass
class Inputs:
    forms: list[Path] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)


def is_lock_file(path: Path) -> bool:
    """Office (~$x.xlsx) and LibreOffice (.~lock.x.xlsx#) lock files are not forms."""
    return path.name.startswith("~$") or (
        path.name.startswith(".~lock.") and path.name.endswith("#")
    )


def collect_inputs(paths: Iterable[Path]) -> Inputs:
    """Files as given (read whatever their name), and in each given folder every workbook, in
    a stable order, each once; the folder's other files are listed as not read. Hidden files,
    lock files and subfolders are passed over. A path that does not exist is a usage error."""
    found = Inputs()
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_dir() or child.name.startswith(".") or is_lock_file(child):
                    continue
                if child.suffix.lower() in FORMATS:
                    found.forms.append(child)
                else:
                    reason = NOT_FORMS.get(child.suffix.lower(), "不是电子表格，不是统计表")
                    found.not_read.append(NotRead(path=str(child), reason=reason))
        elif path.exists():
            found.forms.append(path)  # named on purpose: read (or said unreadable, if not a file)
        else:
            raise Jc315Error("path-not-found", path=path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for form in found.forms:
        key = form.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(form)
    found.forms = unique
    return found


def refuse_output_among_inputs(paths: Iterable[Path], output: Path) -> None:
    """An output written into a folder that is read as input would be read back next time as
    a returned form (a merged report counted twice, a blank reminder form as a submission)."""
    target = output.resolve()
    for path in paths:
        if path.is_dir():
            folder = path.resolve()
            if target == folder or folder in target.parents:
                raise Jc315Error("output-in-inputs", path=output)

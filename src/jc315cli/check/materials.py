"""The materials checklist: besides the 统计表, the notice asks each reporter for its
“3.15”活动总结 and 图片资料. Which materials, and how each is recognised (extensions, words in
the file name), is campaign data (`Campaign.materials`). A file is a reporter's when it lies in
the reporter's folder (inputs.py) or, at the top of the folder, when its name names the
reporter; a file that could be two reporters', or two materials, is said so, never guessed.

Files are never opened here: a zip of pictures counts as 图片资料 as it is (what a summary or
a photo says is material_content.py's). Everything here is a warning (`MaterialNote`): a
missing 活动总结 never holds back the totals.
"""

from __future__ import annotations

from pathlib import Path

from jc315cli.model.campaign import Campaign, Material, Reporter
from jc315cli.model.text import fold
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, MaterialNote, NotRead
from jc315cli.read.inputs import Inputs
from jc315cli.read.matching import reporters_named

ARCHIVES = (".zip", ".rar", ".7z")  # counted as they are, never opened

_NOT_LISTED = "（活动配置中没有列出这种材料）"
NOT_FORMS = {
    ".wps": "WPS 文字文档，不是统计表",
    ".doc": "Word 文档，不是统计表",
    ".docx": "Word 文档，不是统计表",
    ".pdf": "PDF 文件，不是统计表",
    ".jpg": "图片，不是统计表",
    ".jpeg": "图片，不是统计表",
    ".png": "图片，不是统计表",
    ".zip": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".rar": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".7z": "压缩包不会自动解开；如其中有统计表，请解压后放进文件夹",
    ".csv": "CSV 文件不是下发的统计表，请对方用统计表（.xlsx）填写",
}

Checklist = dict[str, dict[str, list[str]]]


def kinds_of(path: Path, campaign: Campaign) -> list[Material]:
    """The materials a file can be: those listing its extension; when several do, those whose
    words its name contains (all of them again when none or several match: unclear)."""
    suffix = path.suffix.lower()
    candidates = [m for m in campaign.materials if suffix in m.extensions]
    if len(candidates) < 2:
        return candidates
    name = fold(path.stem)
    worded = [m for m in candidates if any(fold(word) in name for word in m.words)]
    return worded or candidates


def not_read_reason(path: Path, campaign: Campaign) -> str:
    reason = NOT_FORMS.get(path.suffix.lower(), "不是电子表格，不是统计表")
    return reason + (_NOT_LISTED if campaign.materials else "")


def checklist(
    reports: list[FileReport], inputs: Inputs, campaign: Campaign
) -> tuple[Checklist, list[MaterialNote], list[NotRead]]:
    """Per reporter and material (the campaign's order), the files found: the reporter's forms
    for the 统计表, its recognised files for the others. With the warnings (missing, whose or
    which material unclear) and the files that are no material at all (未读取). Empty when no
    folder was read, as when single files are checked: materials are found only in folders."""
    found: Checklist = {
        r.name: {m.name: [] for m in campaign.materials} for r in campaign.reporters
    }
    notes = list(inputs.notes)
    not_read: list[NotRead] = []
    example = campaign.reporters[0].short_name
    for path, folder in inputs.others:
        kinds = kinds_of(path, campaign)
        if not kinds:
            not_read.append(NotRead(path=str(path), reason=not_read_reason(path, campaign)))
            continue
        owner, note = _owner(path, folder, campaign, kinds[0], example)
        if len(kinds) > 1:
            words = "或".join(f"“{m.words[0]}”" for m in kinds if m.words)
            what = "或".join(m.name for m in kinds)
            unclear = problem("material-unclear", file=path.name, materials=what, words=words)
            notes.append(MaterialNote(reporter=owner, path=str(path), problem=unclear))
        elif note is not None:
            notes.append(note)
        elif owner is not None:
            found[owner][kinds[0].name].append(str(path))
    if not inputs.folders_read or not campaign.materials:
        return {}, notes, not_read
    partial = unfinished(notes)  # what is not found there may lie in the part not looked at
    forms: dict[str | None, list[str]] = {}  # reporter → its forms, built once, in order
    for report in reports:
        forms.setdefault(report.reporter, []).append(report.path)
    for reporter in campaign.reporters:
        for material in campaign.materials:
            if material.form:
                found[reporter.name][material.name] = list(forms.get(reporter.name, []))
            elif not found[reporter.name][material.name] and reporter.name not in partial:
                missing = problem(
                    "material-missing", material=material.name, folder_example=reporter.short_name
                )
                notes.append(
                    MaterialNote(reporter=reporter.name, material=material.name, problem=missing)
                )
    return found, notes, not_read


def _owner(
    path: Path, folder: Reporter | None, campaign: Campaign, material: Material, example: str
) -> tuple[str | None, MaterialNote | None]:
    """Whose file this is: its folder's reporter, unless its name names another; else the one
    reporter its name names. A note instead when that is nobody or more than one."""
    named = reporters_named(campaign, path.stem)
    if folder is not None:
        others = [r for r in named if r is not folder]
        if not others:
            return folder.name, None
        names = "、".join(r.short_name for r in [folder, *others])
        where = "文件夹名和文件名"
    elif len(named) == 1:
        return named[0].name, None
    elif not named:
        lost = problem(
            "material-unassigned", file=path.name, material=material.name, folder_example=example
        )
        return None, MaterialNote(material=material.name, path=str(path), problem=lost)
    else:
        names = "、".join(r.short_name for r in named)
        where = "文件名"
    both = problem("material-ambiguous", file=path.name, named_in=where, names=names)
    return None, MaterialNote(material=material.name, path=str(path), problem=both)


def unfinished(notes: list[MaterialNote]) -> set[str]:
    """The reporters whose folder was not looked at whole (material-folder-limit): what was
    found there is not all there is, so no count of theirs is a count."""
    return {n.reporter for n in notes if n.reporter and n.problem.code == "material-folder-limit"}


def count_text(material: Material, files: list[str], *, partial: bool = False) -> str:
    """How a reporter's files of one material read in a line: √, √ 2 个文件, 6 张, 5 张、1 个压缩包,
    or 缺; followed by （未查完） when its folder was not looked at whole (`partial`)."""
    text = _count_text(material, files)
    return f"{text}（未查完）" if partial else text


def _count_text(material: Material, files: list[str]) -> str:
    if not files:
        return "缺"
    archives = sum(Path(f).suffix.lower() in ARCHIVES for f in files)
    others = len(files) - archives
    parts = []
    if material.unit and others:
        parts.append(f"{others} {material.unit}")
    elif others:
        parts.append("√" if others == 1 else f"√ {others} 个文件")
    if archives:
        parts.append(f"{archives} 个压缩包")
    return "、".join(parts)

"""Finding the input files: what a person passed on the command line, and folders opened one
level. A subfolder named after one reporter (any of its names, as 泽州县/) is that reporter's:
its forms are read as any form, and its other files, down to a few levels, are looked at as the
reporter's materials (活动总结, 图片资料…). Every other subfolder is not read, so an outdated copy
can be set aside in “旧版/” (a folder with 旧版 in its name is never read, at any level).
Every other file of a folder is accounted for, as a material or as 未读取 with the reason,
never silently skipped; hidden and system files (.DS_Store, Thumbs.db, ~$ lock files) are
passed over. Nothing here opens a file: that is reading.py's job."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from jc315cli.model.campaign import FORM_EXTENSIONS, Campaign, Reporter
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import MaterialNote, NotRead
from jc315cli.read.matching import reporters_named

OLD_FOLDER = "旧版"  # the convention for superseded copies: never read
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "__macosx", "$recycle.bin"}
MAX_DEPTH = 3  # folder levels below a reporter's folder looked at for materials
MAX_ENTRIES = 2000  # files and folders looked at in one reporter's folder, all levels together


@dataclass
class Inputs:
    forms: list[Path] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)
    # forms found in a reporter's folder, by str(path): the folder says whose they should be
    folder_of: dict[str, Reporter] = field(default_factory=dict)
    # every other file of a folder: the reporter whose folder holds it, or None at the top
    others: list[tuple[Path, Reporter | None]] = field(default_factory=list)
    notes: list[MaterialNote] = field(default_factory=list)  # folders not read whole
    folders_read: bool = False  # a folder was given, so materials could be found


def is_lock_file(path: Path) -> bool:
    """Office (~$x.xlsx) and LibreOffice (.~lock.x.xlsx#) lock files are not forms."""
    return path.name.startswith("~$") or (
        path.name.startswith(".~lock.") and path.name.endswith("#")
    )


def passed_over(path: Path) -> bool:
    """Hidden files and folders (.DS_Store), lock files and what Windows leaves (Thumbs.db)."""
    return path.name.startswith(".") or is_lock_file(path) or path.name.lower() in SYSTEM_FILES


def collect_inputs(paths: Iterable[Path], campaign: Campaign) -> Inputs:
    """Files as given (read whatever their name), and in each given folder every workbook, in
    a stable order, each once, with the folders of the campaign's reporters; the folders'
    other files are kept for the materials checklist. A path that does not exist is a usage
    error."""
    found = Inputs()
    for path in paths:
        if path.is_dir():
            found.folders_read = True
            _read_folder(path, campaign, found)
        elif path.exists():
            found.forms.append(path)  # named on purpose: read (or said unreadable, if not a file)
        else:
            raise Jc315Error("path-not-found", path=path)
    unique: list[Path] = []
    seen: set[str] = set()
    where = _Where()
    for form in found.forms:
        key = where.real(form)
        if key not in seen:
            seen.add(key)
            unique.append(form)
    found.forms = unique
    others: dict[Path, tuple[Path, Reporter | None]] = {}
    for other in found.others:  # the same folder given twice: its materials once
        others.setdefault(other[0].resolve(), other)
    found.others = list(others.values())
    return found


class _Where:
    """A file's real path, to tell one file given twice (a folder named twice, a file named and
    its folder too): its folder's resolved once for all the files in it, the file's own only
    when it is a link (resolving every path of a thousand was a tenth of a merge's start)."""

    def __init__(self) -> None:
        self._folders: dict[Path, str] = {}

    def real(self, path: Path) -> str:
        if path.is_symlink():
            return str(path.resolve())
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = str(path.parent.resolve())
        return os.path.join(folder, path.name)


def _read_folder(folder: Path, campaign: Campaign, found: Inputs) -> None:
    for child in sorted(folder.iterdir()):
        if passed_over(child):
            continue
        if child.is_dir():
            if OLD_FOLDER in child.name:
                continue
            named = reporters_named(campaign, child.name)
            if child.is_symlink():
                if named:  # a link could lead anywhere, even back here: not followed
                    reason = "是指向别处的链接（快捷方式），不会读取；请把文件直接放进这个文件夹"
                    found.not_read.append(NotRead(path=str(child), reason=reason))
            elif len(named) == 1:
                _read_reporter_folder(child, named[0], found)
            elif len(named) > 1:
                found.notes.append(_ambiguous_folder(child, named))
            continue  # any other subfolder (旧版/ …) is not read
        if child.suffix.lower() in FORM_EXTENSIONS:
            found.forms.append(child)
        else:
            found.others.append((child, None))


def _ambiguous_folder(folder: Path, named: list[Reporter]) -> MaterialNote:
    from jc315cli.problems.registry import problem

    names = "、".join(r.short_name for r in named)
    found = problem("material-ambiguous", file=f"{folder.name}/", named_in="文件夹名", names=names)
    return MaterialNote(path=str(folder), problem=found)


def _read_reporter_folder(folder: Path, reporter: Reporter, found: Inputs) -> None:
    """The reporter's forms at the top of its folder; its other files at any level down to
    MAX_DEPTH, at most MAX_ENTRIES entries in all (a folder of unpacked archives, a loop of
    links, a whole disk copied by mistake cannot make a check run for ever). Links to folders
    are not followed."""
    budget = MAX_ENTRIES
    pending: list[tuple[Path, int]] = [(folder, 0)]
    limited = False
    while pending:
        current, depth = pending.pop(0)
        try:
            with os.scandir(current) as listing:
                entries = list(islice(listing, budget + 1))
        except OSError as exc:
            reason = f"无法打开文件夹：{exc.strerror or exc}"
            found.not_read.append(NotRead(path=str(current), reason=reason))
            continue
        if len(entries) > budget:
            entries, limited = entries[:budget], True
        budget -= len(entries)
        for entry in sorted(entries, key=lambda e: e.name):
            child = Path(entry.path)
            if passed_over(child):
                continue
            if entry.is_dir(follow_symlinks=False):
                if OLD_FOLDER in child.name:
                    continue
                if depth + 1 > MAX_DEPTH:
                    limited = True
                else:
                    pending.append((child, depth + 1))
            elif entry.is_symlink() and child.is_dir():
                reason = "是指向别处的链接（快捷方式），不会读取；请把文件直接放进这个文件夹"
                found.not_read.append(NotRead(path=str(child), reason=reason))
            elif child.suffix.lower() in FORM_EXTENSIONS:
                if depth == 0:
                    found.forms.append(child)
                    found.folder_of[str(child)] = reporter
                else:
                    reason = f"统计表只读取单位文件夹“{folder.name}/”的第一层，不计入"
                    found.not_read.append(NotRead(path=str(child), reason=reason))
            else:
                found.others.append((child, reporter))
        if limited:
            break
    if limited:
        from jc315cli.problems.registry import problem

        note = problem(
            "material-folder-limit", file=f"{folder.name}/", limit=MAX_ENTRIES, depth=MAX_DEPTH
        )
        found.notes.append(MaterialNote(reporter=reporter.name, path=str(folder), problem=note))

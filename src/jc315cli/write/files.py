"""Where an output may be written, and under what name, decided before anything is written: a
name that is valid everywhere and stays in its folder, a target that is a file (replaced only
with --force), and never onto an input, under any spelling. Writing itself is all or nothing
(atomic.py); a workbook's bytes are made in workbook_bytes.py."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.shown import invisible
from jc315cli.write.atomic import MAX_NAME_BYTES

# Moved to atomic.py and workbook_bytes.py; named here too for the commands and replies.py
# until they import them from there.
from jc315cli.write.atomic import write_all as write_all
from jc315cli.write.atomic import write_atomic as write_atomic
from jc315cli.write.workbook_bytes import workbook_bytes as workbook_bytes


def require_xlsx(path: Path) -> None:
    """A workbook is written: its name must say so (`-o 汇总.csv` would mislead everyone)."""
    if path.suffix.lower() != ".xlsx":
        raise Jc315Error("output-not-xlsx", path=path)


def ensure_writable(paths: Iterable[Path], force: bool, *, option: str) -> None:
    """Refuse, before anything is written, when any target exists and --force was not given, or
    is not a regular file at all (a device, a FIFO, a folder): --force replaces files only."""
    existing = []
    for path in paths:
        if os.path.lexists(path):  # a link too, even one leading nowhere
            if os.path.exists(path) and not os.path.isfile(path):
                raise Jc315Error("output-not-a-file", path=path)
            existing.append(path)
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        where = f"（用 {option} 指定）" if option.startswith("-") else ""
        raise Jc315Error("output-exists", paths=names, option=where)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


def safe_filename(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name that is valid on Windows and POSIX, cannot name another folder, and fits a
    file system's limit of bytes per name (CJK characters take 3 bytes each in UTF-8). Only the
    stem is made safe, so the extension always survives (a reporter called `..` gives
    催报-_.xlsx, not 催报-_xlsx); a character that would break a line or hide in a folder's
    listing (a newline, U+2028, U+202E, a private-use glyph) becomes _."""
    text = unicodedata.normalize("NFC", name)
    found = _EXTENSION.search(text)
    ext = found.group() if found else ""
    stem = "".join("_" if invisible(ch) else ch for ch in text[: len(text) - len(ext)])
    stem = re.sub(r"\.{2,}", "_", _UNSAFE.sub("_", stem)).strip(" .")
    room = max(max_bytes - len(ext), 1)
    stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") or "_"
    if _RESERVED.match(stem):
        stem = "_" + stem.encode("utf-8")[: room - 1].decode("utf-8", "ignore")
    return stem + ext


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}\Z")


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, checked to stay inside `folder`: `name` must be one plain name. Whatever
    is already there under that name (a link to elsewhere too) is what gets replaced, with
    --force, never followed: so nothing is resolved here."""
    if name in ("", ".", "..") or Path(name).name != name or "/" in name or "\\" in name:
        raise ValueError(f"unsafe file name {name!r}")
    return folder / name


def require_folder(folder: Path) -> None:
    """An output folder that is already there must be a folder: a file, a FIFO or a device
    named by --output/-o is refused before anything is read or written."""
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise Jc315Error("output-not-a-folder", path=folder)


def check_path(path: Path) -> None:
    """Refuse, as a usage error, a path the system cannot even look up (a name over 255 bytes,
    a folder without permission), so no command meets it later as an OSError. A path that is
    simply not there yet is fine: an output is created, an input is reported missing."""
    _lookup(path, follow=False)


def _lookup(path: Path | str, *, follow: bool = True) -> os.stat_result | None:
    try:
        return os.stat(path) if follow else os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # links leading round in a circle: nothing there
            return None
        raise Jc315Error("path-unusable", path=path, reason=_lookup_reason(exc)) from None


def _lookup_reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "其中有一段名称太长，超过了文件系统允许的长度（一般为 255 字节，一个汉字占 3 字节）"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有访问权限"
    return exc.strerror or "系统无法查找这个路径"


def refuse_output_onto_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """The one decision whether an output may be written where it is named, for every command
    that writes. Refused: an output that is one of the inputs under any name (a link, a hard
    link, `新建/../收回/城区.xlsx`); one inside a folder given as input, at any depth; and an
    output folder that holds an input at any depth, given as a file or inside a folder given
    (replies written among the returned forms would be read back as submissions).

    Decided on the places the write will reach (`_Inputs.places`), comparing device and inode for
    whatever exists, so another spelling, a folder reached through a link, or a file system
    that ignores case cannot hide a match."""
    known = _Inputs(inputs)
    for output in outputs:
        known.refuse(output)


_Key = tuple[int, int | str]  # device and inode (the real path where there is no inode)


def _identity(found: os.stat_result, path: str) -> _Key:
    """Device and inode; a file system that gives every file inode 0 (FAT on some systems)
    is told apart by the real path instead, never taken for one file."""
    return (found.st_dev, found.st_ino or os.path.normcase(os.path.realpath(path)))


class _Inputs:
    """The inputs' files, their folders, and every folder above an input, by device and inode.
    Paths are plain strings here and each folder is resolved and looked up once, whatever the
    number of files in it: a check of 3,000 forms costs a few milliseconds."""

    def __init__(self, inputs: Iterable[Path]) -> None:
        self.files: dict[_Key, Path] = {}
        self.folders: dict[_Key, Path] = {}
        self.holders: dict[_Key, Path] = {}  # a folder above an input: one input it holds
        self._keys: dict[str, _Key | None] = {}
        self._inside: dict[str, bool] = {}  # a folder: is it, or one above it, an input folder
        self._real: dict[str, str] = {}  # a folder as given: as the system resolves it
        for path in inputs:
            text = os.fspath(path)
            found = _lookup(text, follow=False)
            if path.name in ("", ".", "..") or (found is not None and stat.S_ISLNK(found.st_mode)):
                found = _lookup(text)
                real = os.path.realpath(text)
            else:
                real = os.path.join(self.real(os.path.dirname(text)), os.path.basename(text))
            if found is None:
                continue  # not there: the command says so when it reads
            key = _identity(found, real)
            self._keys[real] = key
            if stat.S_ISDIR(found.st_mode):
                self.folders.setdefault(key, path)
            else:
                self.files.setdefault(key, path)
            self._hold(os.path.dirname(real), path)

    def real(self, folder: str) -> str:
        if folder not in self._real:
            self._real[folder] = os.path.realpath(folder or os.curdir)
        return self._real[folder]

    def key(self, place: str) -> _Key | None:
        if place not in self._keys:
            found = _lookup(place)
            self._keys[place] = None if found is None else _identity(found, place)
        return self._keys[place]

    def _hold(self, folder: str, held: Path) -> None:
        while True:
            key = self.key(folder)
            if key is not None:
                if key in self.holders:
                    return  # this folder and all above it are known already
                self.holders[key] = held
            above = os.path.dirname(folder)
            if above == folder:
                return
            folder = above

    def in_folders(self, place: str) -> bool:
        """`place` is an input folder, or inside one at any depth; each folder on the way up
        is remembered, so the replies of one folder cost one walk."""
        walked: list[str] = []
        while place not in self._inside:
            walked.append(place)
            above = os.path.dirname(place)
            if self.key(place) in self.folders or above == place:
                answer = self.key(place) in self.folders
                break
            place = above
        else:
            answer = self._inside[place]
        for folder in walked:
            self._inside[folder] = answer
        return answer

    def places(self, path: Path) -> set[str]:
        """Where writing `path` lands: the name in its folder as the system resolves the
        folder (realpath follows an existing link before a `..`, as the system does, and
        takes a `..` after a folder not yet there lexically, as the system will once the
        folder is made), and, when a link is at that name, where the link leads too."""
        text = os.fspath(path)
        if path.name in ("", ".", ".."):
            return {os.path.realpath(text)}
        place = os.path.join(self.real(os.path.dirname(text)), path.name)
        return {place, os.path.realpath(place)} if os.path.islink(place) else {place}

    def refuse(self, output: Path) -> None:
        for place in self.places(output):
            key = self.key(place)
            if key in self.files:
                raise Jc315Error("output-is-input", path=output)
            if self.in_folders(place):
                raise Jc315Error("output-in-inputs", path=output)
            if key in self.holders:
                raise Jc315Error("output-holds-inputs", path=output, input=self.holders[key])

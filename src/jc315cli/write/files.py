"""Writing files safely: the same workbook gives the same bytes, a write is all-or-nothing, and
nothing is overwritten unless asked."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.shown import invisible

if TYPE_CHECKING:
    from openpyxl import Workbook

    from jc315cli.write.bulk import BulkRows

# Zip entries cannot be dated before 1980; office suites show the document properties, not these.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook, timestamp: datetime) -> bytes:
    """Serialize `wb` deterministically: fixed document dates and zip entry times. The body rows
    of large tables (`jc315cli.write.bulk`) go into their sheets here."""
    from openpyxl import xml as openpyxl_xml

    if openpyxl_xml.LXML:  # see jc315cli/__init__.py
        raise RuntimeError(
            "openpyxl was imported before jc315cli with lxml installed: its lxml writer would "
            "change the bytes. Import jc315cli first."
        )
    from jc315cli.write.bulk import tables_of

    tables = tables_of(wb)
    for table in tables:
        table.check()
    wb.properties.creator = "jc315"
    wb.properties.lastModifiedBy = "jc315"
    wb.properties.created = timestamp
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps `modified` with the current time; fixed below
    # Only now is each sheet's part name known: openpyxl numbers them as it saves.
    spliced = {table.ws.path.lstrip("/"): table for table in tables}  # one a sheet (bulk.py)
    return _repack(buffer.getvalue(), timestamp, spliced)


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def _repack(data: bytes, timestamp: datetime, tables: dict[str, BulkRows]) -> bytes:
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", content
                )
            if info.filename in tables:
                content = tables.pop(info.filename).splice(content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content, compresslevel=6)
    if tables:
        raise RuntimeError(f"no sheet part {sorted(tables)} in the written workbook")
    return out.getvalue()


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


TEMP_MARK = (
    ".jc315写入中-"  # in the name of every unfinished output: ".汇总.xlsx.jc315写入中-x1y2.tmp"
)
# In the name of an old file kept aside while a set is put in place (".退回-城区.xlsx.jc315原件-…"):
# removed once the set is in place, put back if it is not. A run killed meanwhile leaves it,
# hidden, and nothing removes it: it may be the only copy of what was there.
KEEP_MARK = ".jc315原件-"


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into
    place, so a reader never sees half a file and a crash leaves the old file intact."""
    write_all([(path, data)], force=force)


def write_all(targets: list[tuple[Path, bytes]], *, force: bool) -> None:
    """Write every target or none. All are written to temporary files first; then each is put
    in place, a file it replaces kept aside under a second name until the whole set is in. If
    one cannot be put in place, the ones already placed are undone (a replaced file gets its
    old self back, a new one is removed), so a folder of replies is never left half old, half
    new, or emptied; the error names the file that could not be written and why."""
    staged: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, Path | None]] = []  # each target placed, and its old self kept
    current = targets[0][0] if targets else Path()
    try:
        _remove_leftovers([path for path, _ in targets])
        for path, data in targets:
            current = path
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            current = path
            placed.append((path, _replace(tmp, path, force=force)))
    except BaseException as exc:
        lost = _undo(placed)
        placed = []
        if lost:
            names = "、".join(str(k) for k in lost)
            reason = f"{_reason(exc)}；有 {len(lost)} 个原有文件未能放回，保存在：{names}"
            raise Jc315Error("write-failed", path=current, reason=reason) from None
        if isinstance(exc, OSError):
            reason = f"{_reason(exc)}；本次没有写入任何文件，原有的文件保持不变"
            raise Jc315Error("write-failed", path=current, reason=reason) from None
        raise
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for _, kept in placed:  # the whole set is in place: the old files go
            if kept is not None:
                _discard(kept)


def _replace(tmp: Path, path: Path, *, force: bool) -> Path | None:
    """Put `tmp` in place of `path`; what was there is kept aside (returned) until the set is
    in, when it can be put back. A link at `path` is replaced itself, never the file it leads
    to (rename replaces the name, and the link is what is kept aside)."""
    if os.path.exists(path) and not os.path.isfile(path):
        raise Jc315Error("output-not-a-file", path=path)
    kept = _keep(path) if force else None
    try:
        _place(tmp, path, force=force)
    except BaseException:
        if kept is not None:
            _discard(kept)
        raise
    return kept


def _keep(path: Path) -> Path | None:
    """A second name for the file about to be replaced: a hard link (the same file, untouched),
    or a copy where the file system has no hard links. None when there is nothing there."""
    if not os.path.lexists(path):
        return None
    kept = path.with_name(f"{_hidden_prefix(path.name, KEEP_MARK)}{uuid.uuid4().hex[:8]}.tmp")
    try:
        os.link(path, kept, follow_symlinks=False)
    except (OSError, NotImplementedError):  # FAT, some shares, a file refusing a second name
        shutil.copy2(path, kept, follow_symlinks=False)
    return kept


def _undo(placed: list[tuple[Path, Path | None]]) -> list[Path]:
    """Put back what `placed` replaced, remove what it created; the old files that could not
    be put back (they are still there under their kept names)."""
    lost: list[Path] = []
    for path, kept in reversed(placed):
        try:
            if kept is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(kept, path)
        except OSError:
            if kept is not None:
                lost.append(kept)
    return lost


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # pragma: no cover - a kept name that cannot be removed stays hidden
        pass


def _reason(exc: BaseException) -> str:
    words = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限（文件被锁定、正被其他程序打开或设为不可修改）",
        errno.ENOENT: "文件夹不存在或无法创建",
        errno.ENOSPC: "磁盘已满",
        errno.EROFS: "这个位置是只读的",
        errno.ENAMETOOLONG: "文件名太长",
        errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EEXIST: "路径中有一段已存在，但不是文件夹",
        errno.ELOOP: "路径中的链接（快捷方式）互相指向，绕成了圈",
    }
    if not isinstance(exc, OSError):
        return str(exc)
    code = errno.errorcode.get(exc.errno or 0)  # e.g. EIO: a name to search for, not English
    return words.get(exc.errno or 0, f"系统拒绝写入（{code}）" if code else "系统拒绝写入")


def _hidden_prefix(name: str, mark: str) -> str:
    """The start of a hidden working name beside `name`: `name` itself when short, else its
    start and a digest of it, so the working name fits a file system's 255 bytes a name
    whatever the output is called (a name of 250 bytes is valid; one of 280 is not)."""
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        digest = hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        head = name
        while len(head.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES - 10:
            head = head[:-1]
        name = f"{head}~{digest}"
    return f".{name}{mark}"


def _remove_leftovers(paths: list[Path]) -> None:
    """What a killed earlier run of these same outputs left behind: each folder listed once,
    whatever the number of outputs in it."""
    folders: dict[Path, set[str]] = {}
    for path in paths:
        folders.setdefault(path.parent, set()).add(_hidden_prefix(path.name, TEMP_MARK))
    for folder, prefixes in folders.items():
        try:
            names = os.listdir(folder)
        except OSError:  # not there yet (or not a folder: staging says why)
            continue
        for name in names:
            cut = name.find(TEMP_MARK)
            if cut > 0 and name.endswith(".tmp") and name[: cut + len(TEMP_MARK)] in prefixes:
                (folder / name).unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = _hidden_prefix(path.name, TEMP_MARK)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _place(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the target appeared meanwhile: never clobber
    except FileExistsError:
        raise Jc315Error("output-exists", paths=f"  {path}", option="") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise Jc315Error("output-exists", paths=f"  {path}", option="") from None
        os.replace(tmp, path)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


MAX_NAME_BYTES = 200  # file systems allow 255 bytes a name; the temporary name adds about 30


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
    named by --out/-o is refused before anything is read or written."""
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

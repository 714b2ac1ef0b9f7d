"""Writing files safely: the same workbook gives the same bytes, a write is all-or-nothing, and
nothing is overwritten unless asked."""

from __future__ import annotations

import errno
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jc315cli.errors import Jc315Error
from jc315cli.text import invisible

if TYPE_CHECKING:
    from openpyxl import Workbook

    from jc315cli.bulk import BulkRows

# Zip entries cannot be dated before 1980; office suites show the document properties, not these.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook, timestamp: datetime) -> bytes:
    """Serialize `wb` deterministically: fixed document dates and zip entry times. The body rows
    of large tables (`jc315cli.bulk`) go into their sheets here."""
    from openpyxl import xml as openpyxl_xml

    if openpyxl_xml.LXML:  # see jc315cli/__init__.py
        raise RuntimeError(
            "openpyxl was imported before jc315cli with lxml installed: its lxml writer would "
            "change the bytes. Import jc315cli first."
        )
    from jc315cli.bulk import tables_of

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
        if path.is_symlink() or path.exists():
            if path.exists() and not path.is_file():
                raise Jc315Error("output-not-a-file", path=path)
            existing.append(path)
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        where = f"（用 {option} 指定）" if option.startswith("-") else ""
        raise Jc315Error("output-exists", paths=names, option=where)


TEMP_MARK = (
    ".jc315写入中-"  # in the name of every unfinished output: ".汇总.xlsx.jc315写入中-x1y2.tmp"
)


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into
    place, so a reader never sees half a file and a crash leaves the old file intact."""
    write_all([(path, data)], force=force)


def write_all(targets: list[tuple[Path, bytes]], *, force: bool) -> None:
    """Write every target or none: all are written to temporary files first, then each is put in
    place; if one fails, the ones already placed by this call are removed again."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, data in targets:
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            _place(tmp, path, force=force)
            placed.append(path)
    except OSError as exc:
        for path in placed:
            path.unlink(missing_ok=True)
        raise Jc315Error(
            "write-failed", path=exc.filename or targets[0][0], reason=_reason(exc)
        ) from None
    except Jc315Error:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def _reason(exc: OSError) -> str:
    words = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOENT: "文件夹不存在或无法创建",
        errno.ENOSPC: "磁盘已满",
        errno.EROFS: "这个位置是只读的",
        errno.ENAMETOOLONG: "文件名太长",
        errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一段不是文件夹",
    }
    return words.get(exc.errno or 0, exc.strerror or "系统拒绝写入")


def _stage(path: Path, data: bytes) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}{TEMP_MARK}"
    for old in folder.iterdir():  # what a killed earlier run of this same output left behind
        if old.name.startswith(prefix) and old.name.endswith(".tmp"):
            old.unlink(missing_ok=True)
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
    if path.exists() and not path.is_file():
        raise Jc315Error("output-not-a-file", path=path)
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the target appeared meanwhile: never clobber
    except FileExistsError:
        raise Jc315Error("output-exists", paths=f"  {path}", option="") from None
    except OSError:  # a file system without hard links
        if path.exists():
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
    """`folder / name`, checked to stay inside `folder`."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise ValueError(f"unsafe file name {name!r}")
    return folder / name

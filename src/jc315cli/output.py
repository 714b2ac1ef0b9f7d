"""Writing files safely: the same workbook gives the same bytes, a write is all-or-nothing, and
nothing is overwritten unless asked."""

from __future__ import annotations

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

if TYPE_CHECKING:
    from openpyxl import Workbook

# Zip entries cannot be dated before 1980; office suites show the document properties, not these.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook, timestamp: datetime) -> bytes:
    """Serialize `wb` deterministically: fixed document dates and zip entry times."""
    wb.properties.creator = "jc315"
    wb.properties.lastModifiedBy = "jc315"
    wb.properties.created = timestamp
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps `modified` with the current time; fixed below
    return _repack(buffer.getvalue(), timestamp)


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def _repack(data: bytes, timestamp: datetime) -> bytes:
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content, compresslevel=6)
    return out.getvalue()


def ensure_writable(paths: Iterable[Path], force: bool, *, option: str) -> None:
    """Refuse, before anything is written, when any target exists and --force was not given.
    `option` is the command's own output option, named in the hint."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        raise Jc315Error("output-exists", paths=names, option=f"（用 {option} 指定）")


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into
    place, so a reader never sees half a file and a crash leaves the old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".jc315-", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the target appeared meanwhile: never clobber
            except FileExistsError:
                raise Jc315Error("output-exists", paths=f"  {path}", option="") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise Jc315Error("output-exists", paths=f"  {path}", option="") from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


def safe_filename(name: str, *, max_chars: int = 120) -> str:
    """A file name that is valid on Windows and POSIX and cannot name another folder."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip(" .")
    text = re.sub(r"\.{2,}", "_", text)
    if not text:
        text = "_"
    stem, dot, ext = text.rpartition(".") if "." in text else (text, "", "")
    if _RESERVED.match(text) or _RESERVED.match(stem or text):
        text = "_" + text
    if len(text) > max_chars:
        keep = max_chars - len(dot + ext)
        text = (stem[:keep] + dot + ext) if dot else text[:max_chars]
    return text


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, checked to stay inside `folder`."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise ValueError(f"unsafe file name {name!r}")
    return folder / name

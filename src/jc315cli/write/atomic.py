"""Writing a set of files all or nothing: each written to a hidden temporary file beside its
target, then put in place, a file it replaces kept aside until the whole set is in. A reader
never sees half a file, a full disk or a killed run never leaves a folder of replies half old,
half new, and nothing is overwritten unless asked (--force). What may be written where, and
under which name, is decided before, in files.py."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from jc315cli.problems.errors import Jc315Error

MAX_NAME_BYTES = 200  # file systems allow 255 bytes a name; the temporary name adds about 30


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

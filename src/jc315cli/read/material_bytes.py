"""A material's bytes, read once with a cap, and the one way to say its content was not
checked (`material-not-checked`, with a registered reason and the file's name)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jc315cli.problems.errors import Jc315Error

MAX_CHARACTERS = 1_000_000  # of a document's text, all paragraphs; a summary has a few thousand


@dataclass(frozen=True)
class Passage:
    """One paragraph of a document (a page of a PDF, whose paragraphs cannot be told), with
    where a person finds it: 第 2 段, 第 1 页."""

    where: str
    text: str


@dataclass(frozen=True)
class MaterialBytes:
    path: Path
    data: bytes
    sha256: str


def not_checked(reason: str, path: Path, **fields: Any) -> Jc315Error:
    return Jc315Error("material-not-checked", reason=reason, file=path.name, **fields)


def load_material(path: Path, limit: int, material: str) -> MaterialBytes:
    """The bytes of a regular file of at most `limit` bytes (a FIFO or a device would never
    end; a larger file is not what it says it is)."""
    try:
        if not path.is_file():
            raise not_checked("damaged", path, error="不是普通文件")
        size = path.stat().st_size
        if size > limit:
            raise not_checked(
                "too-large", path, megabytes=f"{size / 2**20:.0f}", limit=limit >> 20,
                material=material,
            )  # fmt: skip
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise not_checked("damaged", path, error=exc.strerror or exc) from None
    if len(data) > limit:  # grew while read
        raise not_checked(
            "too-large",
            path,
            megabytes=f"{len(data) / 2**20:.0f}",
            limit=limit >> 20,
            material=material,
        )
    if not data:
        raise not_checked("damaged", path, error="文件是空的")
    return MaterialBytes(path, data, hashlib.sha256(data).hexdigest())


def stopped(error: Jc315Error, path: Path) -> Jc315Error:
    """A read in a child process (isolation.py) that failed, said of a material: stopped by the
    time or memory limit, crashed, or the reader's own reason."""
    fields = error.fields
    reason = error.problem.reason
    if reason == "read-timeout":
        return not_checked("stopped", path, why=f"超过 {fields['seconds']} 秒仍未完成")
    if reason == "too-complex":
        return not_checked("stopped", path, why=f"需要超过 {fields['megabytes']} MB 内存")
    if reason == "reader-crashed":
        return not_checked("stopped", path, why="读取程序出错退出")
    return not_checked("damaged", path, error=fields.get("error", "无法解析"))

"""Finding the input files: what a person passed on the command line, folders opened one level."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jc315cli.errors import Jc315Error

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")


def is_lock_file(path: Path) -> bool:
    """Office (~$x.xlsx) and LibreOffice (.~lock.x.xlsx#) lock files are not forms."""
    return path.name.startswith("~$") or (
        path.name.startswith(".~lock.") and path.name.endswith("#")
    )


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every workbook inside each given folder (not recursive), in a stable
    order, each once. A path that does not exist is a usage error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in FORMATS and not is_lock_file(p)
            )
        elif path.exists():
            files.append(path)  # named on purpose: read (or said unreadable, if not a file)
        else:
            raise Jc315Error("path-not-found", path=path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique

"""What the merged report's side sheets say of the materials' content: a 报送情况 column per
check (the summary's numbers against the table, the photos), and the 问题清单's rows of what
the materials say. Plain values here; side_sheets.py lays them out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jc315cli.problems.report import LONG_LIMIT, BatchReport, shown

CHECK_WIDTH = 7.0  # each check's column: “2 处与统计表不符” in two lines


def checked_columns(report: BatchReport) -> list[tuple[str, Callable[[str], str]]]:
    """(header, text of a reporter) for each check that looked at something: none when no
    folder was read, the check is switched off, or no unit sent a summary (or a photo)."""
    from jc315cli.check.material_content import photos_text, summary_text

    seen = report.contents.values()
    columns: list[tuple[str, Callable[[str], str]]] = []
    if any(c.summaries or c.summaries_unread for c in seen):
        columns.append(("总结与 表核对", lambda reporter: summary_text(report, reporter)))
    if any(c.photos or c.photos_unread for c in seen):
        columns.append(("照片 核对", lambda reporter: photos_text(report, reporter)))
    return columns


def material_rows(report: BatchReport, start: int) -> list[list[object]]:
    """The 问题清单's rows of what the materials say (a summary's number the table does not, a
    photo sent twice, one not checked), numbered on from `start`: 位置 is the material."""
    from jc315cli.check.material_content import CONTENT_CODES

    rows: list[list[object]] = []
    for note in report.material_notes:
        p = note.problem
        if p.code not in CONTENT_CODES:
            continue
        rows.append(
            [
                start + len(rows),
                note.reporter or "",
                shown(Path(note.path).name, LONG_LIMIT) if note.path else "",
                note.material or "",
                f"{p.item} {p.label}" if p.item else "",
                f"{p.tier.word}·{p.title}",
                shown(p.value or ""),
                p.message,
                p.hint,
                p.state,
            ]
        )
    return rows

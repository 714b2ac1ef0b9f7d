"""What the materials say, beside what the checklist counts (materials.py): each reporter's
活动总结 read and its numbers compared with its own 统计表 (summary_numbers.py), its photos
looked at for their date and compared with every other reporter's and with last year's
(photos.py). Which material is which, and whether to look at all, is the campaign's
(`Campaign.material_checks`). Nothing here holds back the totals: every finding is a
MaterialNote, 核实 (doubtful) or a 提示.

The readers (read/document_text.py, read/photo.py, and pypdf and Pillow with them) are imported
only when a material is there to be looked at: checking forms alone never loads them.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from jc315cli.check.photos import Sent, activity_window, dated_outside, place_in, same_photos
from jc315cli.model.campaign import Campaign, Material
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport, ContentCheck, FileReport, MaterialNote

Checklist = dict[str, dict[str, list[str]]]
IMAGE_FORMATS = {
    ".heic": "HEIC 格式的照片（.heic）",
    ".heif": "HEIF 格式的照片（.heif）",
    ".pdf": "PDF 文件",
}
IMAGE_MEMBERS = (
    ".jpg",
    ".jpeg",
    ".png",
    ".heic",
    ".heif",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".webp",
)
# The codes of what the materials say (not which came: materials.py's)
CONTENT_CODES = frozenset(
    ("summary-number-differs", "photo-shared", "photo-last-year", "photo-date-outside",
     "material-not-checked")
)  # fmt: skip
LISTED_ARCHIVES = (".zip",)  # listed, never unpacked; .rar and .7z cannot even be listed here
MAX_LISTED = 1_000  # members of an archive counted; past it, “more than”
LAST_YEAR_FILES = 5_000  # files looked at in last year's folder
LAST_YEAR_DEPTH = 6


def check_contents(
    found: Checklist, reports: list[FileReport], campaign: Campaign, last_year: Path | None = None
) -> tuple[list[MaterialNote], dict[str, ContentCheck]]:
    """The notes on what each reporter's summary and photos say, and what was looked at."""
    summary = campaign.checked_material("summary")
    photos = campaign.checked_material("photos")
    if summary is None and photos is None:
        return [], {}
    tables = {r.reporter: r for r in reports if r.reporter and r.counts}
    window = activity_window(campaign)
    notes: list[MaterialNote] = []
    contents: dict[str, ContentCheck] = {}
    sent: list[Sent] = []
    for reporter, materials in found.items():
        content = contents[reporter] = ContentCheck()
        if summary is not None:
            for path in materials.get(summary.name, []):
                notes += _summary(
                    Path(path), reporter, summary, tables.get(reporter), campaign, content
                )
        if photos is not None:
            for path in materials.get(photos.name, []):
                seen, note = _photo(Path(path), reporter, photos)
                if note is not None:
                    notes.append(note)
                    content.photos_unread += 1
                if seen is not None:
                    content.photos += 1
                    sent.append(seen)
                    late = dated_outside(seen, window, photos.name)
                    notes += [late] if late is not None else []
    if photos is not None:
        notes += same_photos(sent, _last_year(last_year, sent), photos.name)
    return notes, contents


def _summary(
    path: Path, reporter: str, material: Material, table: FileReport | None,
    campaign: Campaign, content: ContentCheck,
) -> list[MaterialNote]:  # fmt: skip
    from jc315cli.check.summary_numbers import compare, statements
    from jc315cli.read.document_text import document_text

    try:
        passages = document_text(path, material.name)
    except Jc315Error as error:
        content.summaries_unread += 1
        return [_note(reporter, material, path, error)]
    content.summaries += 1
    if table is None:  # no table of its counted: nothing to compare with
        return []
    found = statements(passages, campaign.form, campaign.year)
    content.numbers += len({s.item_id for s in found if s.item_id in table.values})
    return [
        MaterialNote(reporter=reporter, material=material.name, path=str(path), problem=p)
        for p in compare(found, table, campaign.form)
    ]


def _photo(
    path: Path, reporter: str, material: Material
) -> tuple[Sent | None, MaterialNote | None]:
    """The photo looked at, or the note saying why it was not."""
    from jc315cli.read.photo import PHOTO_EXTENSIONS, look_at_photo

    suffix = path.suffix.lower()
    try:
        if suffix in PHOTO_EXTENSIONS:
            return Sent(reporter, look_at_photo(path, material.name), path.name), None
        if suffix in (".zip", ".rar", ".7z"):
            error = Jc315Error(
                "material-not-checked", reason="in-archive", file=path.name, inside=_inside(path)
            )
        else:
            what = IMAGE_FORMATS.get(suffix, f"{suffix.lstrip('.').upper() or '无扩展名'} 文件")
            error = Jc315Error(
                "material-not-checked", reason="image-format", file=path.name, what=what
            )
    except Jc315Error as failed:
        error = failed
    return None, _note(reporter, material, path, error)


def _inside(path: Path) -> str:
    """（内有 12 张图片）for a .zip, from its directory alone; nothing for what cannot be listed."""
    if path.suffix.lower() not in LISTED_ARCHIVES:
        return ""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist()[: MAX_LISTED + 1]]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return ""
    images = sum(Path(n).suffix.lower() in IMAGE_MEMBERS for n in names[:MAX_LISTED])
    more = "以上" if len(names) > MAX_LISTED else ""
    return f"（内有 {images} 张{more}图片）"


def _note(reporter: str, material: Material, path: Path, error: Jc315Error) -> MaterialNote:
    return MaterialNote(
        reporter=reporter, material=material.name, path=str(path), problem=error.problem
    )


def _last_year(folder: Path | None, sent: list[Sent]) -> list[Sent]:
    """Every photo of last year's collection folder that can be looked at (those that cannot
    are last year's business), but none of this year's own files, should the folders overlap."""
    if folder is None or not folder.is_dir():
        return []
    from jc315cli.read.photo import PHOTO_EXTENSIONS, look_at_photo

    ours = {os.path.realpath(s.photo.path) for s in sent}
    found: list[Sent] = []
    for path in _files(folder):
        if path.suffix.lower() in PHOTO_EXTENSIONS and os.path.realpath(path) not in ours:
            try:
                photo = look_at_photo(path)
            except Jc315Error:
                continue
            found.append(Sent(None, photo, f"{folder.name}/{place_in(path, folder)}"))
    return found


def _files(folder: Path) -> list[Path]:
    """Files under `folder`, at most LAST_YEAR_FILES, LAST_YEAR_DEPTH levels down, links to
    folders not followed, in a stable order."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if depth < LAST_YEAR_DEPTH and not d.startswith("."))
        out += [Path(root, f) for f in sorted(files) if not f.startswith(".")]
        if len(out) >= LAST_YEAR_FILES:
            return out[:LAST_YEAR_FILES]
    return out


def summary_text(report: BatchReport, reporter: str) -> str:
    """What the 报送情况 and `validate` say of a reporter's summary against its table."""
    content = report.contents.get(reporter)
    if content is None:
        return ""
    differ = _count(report, reporter, "summary-number-differs")
    if differ:
        return f"{differ} 处与统计表不符"
    if content.numbers:
        return f"{content.numbers} 项与统计表相符"
    if content.summaries_unread:
        return "未核对"
    return "无可核对的数" if content.summaries else ""


def photos_text(report: BatchReport, reporter: str) -> str:
    """What the 报送情况 and `validate` say of a reporter's photos."""
    content = report.contents.get(reporter)
    if content is None:
        return ""
    parts = []
    same = _photos(report, reporter, "photo-shared", "photo-last-year")
    if same:
        parts.append(f"{same} 张与别处相同")
    outside = _photos(report, reporter, "photo-date-outside")
    if outside:
        parts.append(f"{outside} 张日期不符")
    if not parts and content.photos:
        parts.append(f"{content.photos} 张无异常")
    if content.photos_unread:
        parts.append(f"{content.photos_unread} 个未核对")
    return "，".join(parts)


def _count(report: BatchReport, reporter: str, code: str) -> int:
    return sum(n.reporter == reporter and n.problem.code == code for n in report.material_notes)


def _photos(report: BatchReport, reporter: str, *codes: str) -> int:
    """How many photos have a note of one of `codes` (one photo may be in several)."""
    return len(
        {
            n.path
            for n in report.material_notes
            if n.reporter == reporter and n.problem.code in codes
        }
    )

"""Which materials each reporter sent, as `validate` and `merge` print them: a line a reporter
(统计表 √  活动总结 √  图片资料 6 张), or, past LIST_UNITS_UP_TO units (a province), a line a
material naming a few who lack it; then the files that could not be placed. Missing materials
are warnings only, so these lines stand apart from the verdict (render.py), which they never
change."""

from __future__ import annotations

from pathlib import Path

from jc315cli.check.material_content import CONTENT_CODES
from jc315cli.console.wrap import INDENT, Wrapped
from jc315cli.model.campaign import Campaign
from jc315cli.problems.lines import problem_line
from jc315cli.problems.report import BatchReport, MaterialNote, Summary, visible


def form_mark(summary: Summary, reporter: str, files: list[str]) -> str:
    """The 统计表 in a reporter's materials line: counted (√), sent but not counted, or none."""
    if reporter in summary.included:
        return "√"
    return "未通过" if files else "缺"


def material_lines(
    report: BatchReport, campaign: Campaign, *, verbose: bool = False
) -> list[Wrapped]:
    """Per reporter, which materials came (`统计表 √  活动总结 √  图片资料 6 张`), then the files
    whose reporter or kind cannot be told. Missing materials are warnings only."""
    from jc315cli.check.materials import count_text, unfinished

    lines: list[Wrapped] = []
    if report.materials:
        lines.append(Wrapped("报送材料（缺少的只作提醒，不影响汇总）："))
    if len(report.materials) > LIST_UNITS_UP_TO:  # a province's thousands of units: by material
        lines += [Wrapped(f"  {line}", indent=INDENT) for line in _missing_by_material(report)]
        lines.append(
            Wrapped(
                "  各单位的情况见 --format json 的 materials，或汇总表的“报送情况”", indent=INDENT
            )
        )
        return lines + _material_notes(report, campaign, verbose=verbose)
    kinds = {m.name: m for m in campaign.materials}
    partial = unfinished(report.material_notes)
    for reporter, found in report.materials.items():
        parts = [
            f"{material} {form_mark(report.summary, reporter, files)}"
            if kinds[material].form
            else f"{material} {count_text(kinds[material], files, partial=reporter in partial)}"
            + checked_text(report, campaign, reporter, material)
            for material, files in found.items()
        ]
        short = not all(files for files in found.values())
        lines.append(
            Wrapped(
                visible(f"  {reporter}：{'  '.join(parts)}"),
                indent=INDENT,
                style="yellow" if short else "",
            )
        )
    return lines + _material_notes(report, campaign, verbose=verbose)


def _short(campaign: Campaign, reporter: str | None) -> str:
    """泽州县： before a note on what one reporter's materials say."""
    return f"{campaign.reporter(reporter).short_name}：" if reporter else ""


def checked_text(report: BatchReport, campaign: Campaign, reporter: str, material: str) -> str:
    """（3 项与统计表相符）after a summary's count, （1 张与别处相同）after the photos'."""
    from jc315cli.check.material_content import photos_text, summary_text

    text = ""
    if material == getattr(campaign.checked_material("summary"), "name", None):
        text = summary_text(report, reporter)
    elif material == getattr(campaign.checked_material("photos"), "name", None):
        text = photos_text(report, reporter)
    return f"（{text}）" if text else ""


LIST_UNITS_UP_TO = 50  # more units than this are summed up by material, a few named
NAMED = 10


def listed(names: list[str]) -> str:
    """Names joined with 、; past LIST_UNITS_UP_TO, their number and the first NAMED."""
    if len(names) <= LIST_UNITS_UP_TO:
        return "、".join(names)
    return f"{len(names)} 个（{'、'.join(names[:NAMED])}……等）"


def _material_notes(report: BatchReport, campaign: Campaign, *, verbose: bool) -> list[Wrapped]:
    """A line a note, but for files not checked for the same reason: one line a reporter and
    reason, naming how many more (six photos a phone saved as HEIC are one thing to say)."""
    shown: list[MaterialNote] = []
    alike: dict[tuple[str | None, str | None], list[str]] = {}
    for note in report.material_notes:
        if note.problem.code == "material-missing":
            continue
        key = (note.reporter, note.problem.reason)
        if note.problem.code == "material-not-checked" and not verbose:
            if key in alike:
                alike[key].append(Path(note.path or "").name)
                continue
            alike[key] = []
        shown.append(note)
    lines = []
    for note in shown:
        more = alike.get((note.reporter, note.problem.reason), [])
        also = (
            f"（另有 {len(more)} 个文件同样：{'、'.join(more[:3])}{'……' if len(more) > 3 else ''}）"
            if more and note.problem.code == "material-not-checked"
            else ""
        )
        whose = _short(campaign, note.reporter) if note.problem.code in CONTENT_CODES else ""
        lines.append(
            Wrapped(f"  ! {whose}{problem_line(note.problem, code=verbose)}{also}", indent=INDENT)
        )
    return lines


def _missing_by_material(report: BatchReport, *, only_short: bool = False) -> list[str]:
    """`活动总结：收到 2950 个单位，缺 50 个（甲、乙……等）`, one line a material; with
    `only_short`, only the materials some unit has not sent."""
    lines = []
    materials = next(iter(report.materials.values()), {})
    for material in materials:
        missing = [r for r, found in report.materials.items() if not found[material]]
        got = len(report.materials) - len(missing)
        if not missing:
            if not only_short:
                lines.append(f"{material}：{got} 个单位都已收到")
            continue
        names = "、".join(missing[:NAMED]) + ("……等" if len(missing) > NAMED else "")
        lines.append(visible(f"{material}：收到 {got} 个单位，缺 {len(missing)} 个（{names}）"))
    return lines


def incomplete_line(report: BatchReport, *, merged: bool = False) -> list[Wrapped]:
    """One line for `merge` and `feedback`: who has not sent which material (the rest is in
    the 报送情况 of a `merged` report, else in --format json)."""
    if len(report.materials) > LIST_UNITS_UP_TO:
        short_by = _missing_by_material(report, only_short=True)
        if not short_by:
            return []
        where = (
            "详见汇总表的“报送情况”" if merged else "各单位的情况见 jc315 validate --format json"
        )
        text = f"材料不全（不影响汇总）：{'；'.join(short_by)}；{where}"
        return [Wrapped(text, indent=INDENT, style="yellow")]
    short = [
        f"{reporter} 缺{'、'.join(m for m, files in found.items() if not files)}"
        for reporter, found in report.materials.items()
        if not all(found.values())
    ]
    if not short:
        return []
    text = f"材料不全（不影响汇总）：{'；'.join(short)}"
    return [Wrapped(visible(text), indent=INDENT, style="yellow")]

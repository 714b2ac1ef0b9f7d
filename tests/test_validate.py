"""Validating real returned workbooks: every quirk file, identity fallbacks, batch checks."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_file, validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.report import FileReport, Severity, Tier
from jc315cli.read.inputs import collect_inputs
from tests.conftest import QUIRKS

ZEZHOU = "泽州县市场监督管理局"
BASE = {
    "1": 12,
    "2": 3,
    "3": 156,
    "4": 48,
    "5": Decimal("3.5"),
    "6.1": 2,
    "6.2": 1,
    "6.3": 0,
    "6.4": 15,
    "6.5": 86,
    "7": 4,
    "8": 5000,
}


def check(name: str) -> FileReport:
    return validate_file(QUIRKS / name, DEFAULT_CAMPAIGN)


def codes(report: FileReport, severity: Severity | None = None) -> dict[str, str | None]:
    return {p.code: p.cell for p in report.problems if severity is None or p.severity is severity}


@pytest.mark.parametrize(
    "name",
    [
        "filled-valid.xlsx",
        "filled-valid-libreoffice.xlsx",
        "filled-valid-libreoffice.xls",
        "filled-valid-libreoffice.ods",
        "note-row-inserted.xlsx",
        "column-inserted.xlsx",
        "moved-table.xlsx",
        "renamed-sheet.xlsx",
        "pasted-no-identity.xlsx",
        "pasted-no-identity-libreoffice.xls",
        "pasted-no-identity-libreoffice.ods",
        "macro.xlsm",
    ],
)
def test_valid_forms_however_saved_or_rearranged(name: str) -> None:
    report = check(name)
    assert report.status == "valid", report.problems
    assert report.reporter == ZEZHOU
    assert report.values == BASE
    assert all(type(report.values[k]) is type(v) for k, v in BASE.items())  # int stays int
    assert report.filled_on == date(2023, 3, 20)


def test_cells_are_the_real_ones_after_structural_changes(tmp_path: Path) -> None:
    # Put a bad value in the moved table and the inserted-row form: the message names the cell
    # a person sees, not a position in calamine's trimmed grid.
    from openpyxl import load_workbook

    for name, cell, expected in (
        ("moved-table.xlsx", "G12", "G12"),
        ("note-row-inserted.xlsx", "E11", "E11"),
        ("column-inserted.xlsx", "F9", "F9"),
    ):
        wb = load_workbook(QUIRKS / name)
        ws = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")
        ws[cell] = "十几件"
        path = tmp_path / name
        wb.save(path)
        report = validate_file(path, DEFAULT_CAMPAIGN)
        problem = next(p for p in report.problems if p.code == "not-arabic")
        assert (problem.cell, problem.item, problem.value) == (expected, "4", "十几件")
        assert report.status == "invalid"


def test_macros_are_noted_not_run() -> None:
    report = check("macro.xlsm")
    assert "macros-ignored" in codes(report, Severity.INFO)


def test_typed_variants_normalize_with_notes() -> None:
    report = check("typed-variants.xlsx")
    assert report.status == "valid", report.problems
    assert report.values == {**BASE, "3": 1200, "6.1": 0, "6.2": 0, "6.3": 0}
    assert report.filled_on == date(2023, 3, 20)
    notes = [(p.code, p.cell, p.value) for p in report.problems]
    assert ("written-as-none", "E11", "无") in notes and ("written-as-none", "E12", "-") in notes


def test_yuan_in_the_wanyuan_row_is_converted_with_a_warning() -> None:
    report = check("yuan-in-wanyuan-row.xlsx")
    assert report.status == "pending"  # counted once someone confirms the converted number
    assert report.values["5"] == Decimal("0.5")
    problem = next(p for p in report.problems if p.code == "unit-converted")
    assert (problem.severity, problem.cell, problem.value) == (Severity.WARNING, "E10", "5000元")
    assert problem.tier is Tier.VERIFY and problem.verified is None
    assert "0.5 万元" in problem.message
    assert report.filled_on == date(2023, 3, 20)


def test_bad_values_each_name_their_cell() -> None:
    report = check("bad-values.xlsx")
    assert report.status == "invalid"
    errors = {p.cell: p.code for p in report.errors}
    assert errors == {
        "E6": "approximate",
        "E7": "approximate",
        "E8": "not-whole",
        "E9": "not-arabic",
        "E10": "too-many-decimals",
        "E11": "negative",
        "E12": "approximate",
        "E13": "wrong-measure",
    }
    for p in report.errors:
        assert p.message and p.hint and p.item and p.label and p.value is not None
    assert {k: report.values[k] for k in ("6.4", "6.5", "7", "8")} == {
        "6.4": 15,
        "6.5": 86,
        "7": 4,
        "8": 5000,
    }
    assert "1" not in report.values  # a rejected cell is never counted as 0
    assert next(p for p in report.errors if p.cell == "E11").value == "-2"  # as typed, not -2.0


def test_blank_cells_warn_and_all_blank_is_an_error() -> None:
    some = check("some-blank.xlsx")
    assert some.status == "pending"  # 0 unless confirmed: a blank may be a forgotten number
    assert [p.cell for p in some.problems if p.code == "blank"] == ["E11", "E12", "E13"]
    assert some.values["6.1"] == 0 and some.values["4"] == 48
    empty = check("all-blank.xlsx")
    assert empty.status == "invalid" and "all-blank" in codes(empty, Severity.ERROR)


@pytest.mark.parametrize(
    ("name", "filled_on", "code", "severity"),
    [
        ("date-serial.xlsx", date(2023, 3, 20), "date-serial", Severity.INFO),
        ("date-late.xlsx", date(2023, 3, 25), "late", Severity.WARNING),
        ("date-missing.xlsx", None, "date-missing", Severity.WARNING),
        ("date-implausible.xlsx", date(2019, 3, 20), "date-implausible", Severity.WARNING),
    ],
)
def test_filled_on(name: str, filled_on: date | None, code: str, severity: Severity) -> None:
    report = check(name)
    assert report.status == "valid" and report.filled_on == filled_on
    problem = next(p for p in report.problems if p.code == code)
    assert problem.severity is severity and problem.cell == "C4"
    assert report.late is (code == "late")


def test_identity_and_reporter_text_disagree_is_an_error() -> None:
    report = check("identity-conflict.xlsx")
    assert report.reporter == ZEZHOU  # the identity sheet decides
    problem = next(p for p in report.problems if p.code == "reporter-mismatch")
    assert (problem.severity, problem.cell, problem.value) == (
        Severity.ERROR,
        "C3",
        "高平市市场监督管理局",
    )


def test_unknown_reporter_shows_the_text_found() -> None:
    report = check("unknown-reporter.xlsx")
    assert report.status == "invalid" and report.reporter is None
    problem = next(p for p in report.problems if p.code == "unknown-reporter")
    assert problem.cell == "C3" and problem.value == "某某县市场监督管理局"
    assert "某某县市场监督管理局" in problem.message


def test_reporter_from_file_name_when_text_is_empty(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(QUIRKS / "pasted-no-identity.xlsx")
    assert wb.active is not None  # typed Optional; indexing None would fail anyway
    wb.active["C3"] = None
    path = tmp_path / "3·15统计表（阳城县局）.xlsx"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.reporter == "阳城县市场监督管理局" and report.status == "valid"
    assert "reporter-from-filename" in codes(report, Severity.INFO)


def test_wrong_year_wrong_measure_missing_row_and_sheets() -> None:
    assert "wrong-year" in codes(check("wrong-year.xlsx"), Severity.ERROR)
    measure = check("wrong-measure.xlsx")
    assert codes(measure, Severity.ERROR) == {"measure-mismatch": "D10"}
    missing = check("missing-item-row.xlsx")
    assert codes(missing, Severity.ERROR) == {"missing-item": None}
    assert next(p for p in missing.errors).item == "7"
    assert missing.values["8"] == 5000 and "7" not in missing.values
    assert codes(check("two-form-sheets.xlsx"), Severity.ERROR) == {"ambiguous-form-sheet": None}
    assert codes(check("no-form-sheet.xlsx"), Severity.ERROR) == {"no-form-sheet": None}


def test_title_of_another_year_without_identity_is_an_error(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(QUIRKS / "pasted-no-identity.xlsx")
    assert wb.active is not None  # typed Optional; indexing None would fail anyway
    wb.active["A2"] = "2022年“3·15”活动情况统计表"
    path = tmp_path / "old.xlsx"
    wb.save(path)
    assert "wrong-year" in codes(validate_file(path, DEFAULT_CAMPAIGN), Severity.ERROR)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("corrupt-truncated.xlsx", "损坏"),
        ("not-a-spreadsheet.xlsx", "不是电子表格"),
        ("empty.xlsx", "空的"),
        ("encrypted.xlsx", "密码"),
    ],
)
def test_unreadable_files_are_reported_not_raised(name: str, words: str) -> None:
    report = check(name)
    assert report.status == "unreadable"
    assert report.problems[0].code == "unreadable" and words in report.problems[0].message


def test_folder_skips_lock_files() -> None:
    files = collect_inputs([QUIRKS / "lockfiles"], DEFAULT_CAMPAIGN).forms
    assert [p.name for p in files] == ["filled.xlsx"]
    report = validate_paths([QUIRKS / "lockfiles"], DEFAULT_CAMPAIGN)
    assert report.summary.files == 1 and report.ok


def _copy(tmp_path: Path, name: str, target: str) -> Path:
    path = tmp_path / target
    shutil.copy(QUIRKS / name, path)
    return path


def test_batch_duplicates_identical_and_superseded(tmp_path: Path) -> None:
    a = _copy(tmp_path, "filled-valid.xlsx", "a.xlsx")
    b = _copy(tmp_path, "filled-valid-libreoffice.ods", "b.ods")
    report = validate_paths([a, b], DEFAULT_CAMPAIGN)
    assert report.ok and report.summary.superseded == [str(b)]
    assert "duplicate-identical" in codes(report.files[1])

    late = _copy(tmp_path, "date-late.xlsx", "late.xlsx")  # same values, later date
    typed = _copy(tmp_path, "yuan-in-wanyuan-row.xlsx", "typed.xlsx")  # other values, 2023-03-20
    report = validate_paths([typed, late], DEFAULT_CAMPAIGN)
    by_name = {f.path: f for f in report.files}
    assert by_name[str(typed)].superseded_by == str(late)
    assert "superseded" in codes(by_name[str(typed)]) and "supersedes" in codes(by_name[str(late)])
    assert report.summary.superseded == [str(typed)]


def test_batch_duplicate_tie_is_an_error(tmp_path: Path) -> None:
    a = _copy(tmp_path, "filled-valid.xlsx", "a.xlsx")
    b = _copy(tmp_path, "yuan-in-wanyuan-row.xlsx", "b.xlsx")  # same date, different values
    report = validate_paths([a, b], DEFAULT_CAMPAIGN)
    assert not report.ok
    assert all("duplicate-tie" in codes(f, Severity.ERROR) for f in report.files)


def test_batch_outlier_and_missing_reporters() -> None:
    from tests.conftest import EXAMPLES

    report = validate_paths([EXAMPLES], DEFAULT_CAMPAIGN)
    assert (
        report.ok
        and report.summary.missing == []
        and report.summary.late == ["陵川县市场监督管理局"]
    )
    assert not any(p.code == "outlier" for f in report.files for p in f.problems)


def test_outlier_is_flagged(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.conftest import EXAMPLES

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    path = next(folder.glob("*泽州县*"))
    wb = load_workbook(path)
    wb["统计表"]["E8"] = 99999  # 接受咨询: far above the others' median
    wb.save(path)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    zezhou = next(f for f in report.files if f.reporter == ZEZHOU)
    outlier = next(p for p in zezhou.problems if p.code == "outlier")
    assert outlier.item == "3" and "请核实" in outlier.message and zezhou.status == "pending"


def test_missing_reporters_listed(tmp_path: Path) -> None:
    report = validate_paths([QUIRKS / "filled-valid.xlsx"], DEFAULT_CAMPAIGN)
    assert ZEZHOU not in report.summary.missing and len(report.summary.missing) == 6


def test_rules_come_from_the_campaign(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(QUIRKS / "filled-valid.xlsx")
    wb["统计表"]["E9"] = 0  # no complaints, but 3.5 万元 recovered
    path = tmp_path / "r.xlsx"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    rule = next(
        p
        for p in report.problems
        if p.code == "rule-failed" and p.rule == "money-without-complaints"
    )
    assert rule.severity is Severity.WARNING and report.status == "pending"
    assert rule.tier is Tier.VERIFY  # a warning rule is 核实性: its tier follows its severity

    for severity, tier, status in (
        ("error", Tier.MANDATORY, "invalid"),
        ("info", Tier.NOTE, "valid"),
    ):
        rules = (DEFAULT_CAMPAIGN.form.rules[0].model_copy(update={"severity": severity}),)
        form = DEFAULT_CAMPAIGN.form.model_copy(update={"rules": rules})
        judged = validate_file(path, DEFAULT_CAMPAIGN.model_copy(update={"form": form}))
        assert judged.status == status
        assert next(p.tier for p in judged.problems if p.code == "rule-failed") is tier


def test_outliers_and_bounds_are_found_as_by_the_plain_definition() -> None:
    """check_outliers passes most values at a glance (no larger than the least bound or
    outlier limit any median could give): what it finds is still exactly what the plain
    definition finds, the median of the other reporters' values taken for each value, over
    many random collections (with and without bounds, with ties, money, a consolidated file)."""
    import random
    from statistics import median

    from jc315cli.check.batch import check_outliers

    rng = random.Random(315)
    items = DEFAULT_CAMPAIGN.form.items
    for trial in range(300):
        form = DEFAULT_CAMPAIGN.form
        if trial % 3 == 0:  # no bound at all: only outliers
            form = form.model_copy(
                update={"items": tuple(i.model_copy(update={"max": None}) for i in items)}
            )
        campaign = DEFAULT_CAMPAIGN.model_copy(update={"form": form})
        reports = []
        for n in range(rng.randint(1, 9)):
            values: dict[str, int | Decimal] = {}
            for item in items:
                if rng.random() < 0.9:
                    values[item.id] = rng.choice([0, 1, 2, 3, 5, 40, 250, 999, 60000, 10**6 + 1])
            values["5"] = Decimal(rng.randint(0, 200000)) / 100
            reports.append(
                FileReport(
                    path=f"{n}.xlsx",
                    reporter=f"单位{n}",
                    values=values,
                    consolidated=rng.random() < 0.1,
                )
            )
        check_outliers(reports, campaign)
        found = {(r.path, p.code, p.item) for r in reports for p in r.problems}
        expected = set()
        for item in campaign.form.items:
            held = [r for r in reports if item.id in r.values]
            for r in held:
                value = Decimal(r.values[item.id])
                if item.max is not None and value > item.max and not r.consolidated:
                    expected.add((r.path, "above-bound", item.id))
                others = [Decimal(o.values[item.id]) for o in held if o is not r]
                middle = Decimal(median(others)) if len(held) >= 3 else Decimal(0)
                if middle > 0 and value > campaign.form.outlier_factor * middle:
                    expected.add((r.path, "outlier", item.id))
        assert found == expected, trial


def test_the_median_without_a_value_is_the_median_of_the_rest() -> None:
    import random
    from statistics import median

    from jc315cli.check.batch import _MedianWithout

    rng = random.Random(15)
    for _ in range(3000):
        ordered = sorted(
            Decimal(rng.randint(0, 9)) / rng.choice([1, 2, 4]) for _ in range(rng.randint(3, 11))
        )
        without = _MedianWithout(ordered)
        for value in ordered:
            rest = list(ordered)
            rest.remove(value)
            assert without(value) == Decimal(median(rest)), (ordered, value)

"""The one registry of problems: every code used is registered, the README and the JSON schema
are printed from it, and the codes no other test file reaches are produced here on real files.
(tests/problem_coverage.py fails a whole run in which a registered code was never produced.)"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from docs.make_docs import readme_with_table, schema_text
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.kinds import KINDS, REASONS, UNREADABLE
from jc315cli.problems.reference import PLACEHOLDERS
from jc315cli.problems.registry import problem
from jc315cli.problems.report import Severity
from tests.conftest import ROOT, filled_form, invoke

SRC = ROOT / "src" / "jc315cli"
MADE_WITH = re.compile(r"""(?:problem|Jc315Error|Finding|add|_reject)\(\s*"([a-z0-9-]+)\"""")


def test_every_code_used_in_the_source_is_registered() -> None:
    used = {
        (path.name, code)
        for path in SRC.rglob("*.py")
        for code in MADE_WITH.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 30  # the pattern does find them
    assert {(name, code) for name, code in used if code not in KINDS} == set()


# unreadable("encrypted", …), or {"reason": "too-complex", …} for fields raised later
REASON_GIVEN = re.compile(r"""(?:\bunreadable\(\s*|"reason":\s*)"([a-z0-9-]+)\"""")


def test_every_reason_given_in_the_source_is_registered() -> None:
    given = {
        (path.name, reason)
        for path in SRC.rglob("*.py")
        for reason in REASON_GIVEN.findall(path.read_text(encoding="utf-8"))
    }
    assert len(given) > 20  # the pattern does find them
    assert {(name, reason) for name, reason in given if reason not in UNREADABLE} == set()


def test_no_problem_is_made_outside_the_registry() -> None:
    for path in SRC.rglob("*.py"):
        if path.name not in ("registry.py", "report.py"):
            assert "Problem(" not in path.read_text(encoding="utf-8"), path.name


def test_every_kind_is_complete_and_its_templates_use_known_fields() -> None:
    for kind in KINDS.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", kind.code)
        assert (
            kind.title
            and kind.message
            and kind.where in ("cell", "file", "batch", "materials", "command")
        )
        for template in (kind.message, kind.hint):
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert fields <= set(PLACEHOLDERS), (kind.code, fields - set(PLACEHOLDERS))
        assert not kind.usage or kind.where == "command"
    for code, reasons in REASONS.items():
        assert KINDS[code].message == "{reason}"  # the reason's own template replaces it
        for reason in reasons.values():
            assert re.fullmatch(r"[a-z]+(-[a-z]+)*", reason.code) and reason.message
            for template in (reason.message, reason.hint):
                fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
                assert fields <= set(PLACEHOLDERS), (reason.code, fields - set(PLACEHOLDERS))


def test_a_reason_is_its_own_template_and_field() -> None:
    made = problem("unreadable", reason="encrypted")
    assert (made.code, made.reason, made.message, made.hint) == (
        "unreadable",
        "encrypted",
        "文件设置了打开密码（已加密），无法读取",
        "请对方取消打开密码后重新发送",
    )
    empty = problem("unreadable", reason="empty")
    assert empty.hint == KINDS["unreadable"].hint  # no hint of its own: the kind's
    with pytest.raises(KeyError):
        problem("unreadable", reason="no-such-reason")
    with pytest.raises(KeyError):
        problem("unreadable")  # a reason must be given
    failed = problem("write-failed", path="p", reason="磁盘已满")  # a field, not a reason
    assert failed.reason is None and failed.message == "无法写入 p：磁盘已满"


def test_problem_refuses_unknown_codes_and_foreign_severities() -> None:
    with pytest.raises(KeyError):
        problem("no-such-code")
    with pytest.raises(ValueError, match="rule-failed"):
        problem("blank", severity=Severity.ERROR)
    made = problem("rule-failed", severity=Severity.ERROR, rule="r", message="m", hint="h")
    assert (made.severity, made.title, made.rule, made.message, made.hint) == (
        Severity.ERROR,
        "规则未通过",
        "r",
        "m",
        "h",
    )


def test_exit_codes_come_from_the_kind() -> None:
    assert Jc315Error("path-not-found", path="x").exit_code == 2
    assert Jc315Error("output-exists", paths="x", option="").exit_code == 1
    assert Jc315Error("campaign-not-found", path="x").exit_code == 2


def test_readme_table_and_json_schema_are_current() -> None:
    table = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    assert table == readme_with_table(table), (
        "docs/problems.md is stale: run python docs/make_docs.py"
    )
    schema = (ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8")
    assert schema == schema_text(), "docs/report-schema.json is stale: run python docs/make_docs.py"
    codes = json.loads(schema)["$defs"]["Problem"]["properties"]["code"]["enum"]
    assert codes == list(KINDS)


def test_json_report_matches_the_schema_fields(runner: CliRunner) -> None:
    schema = json.loads(schema_text())
    result = invoke(
        runner,
        "validate",
        ROOT / "tests" / "fixtures" / "quirks" / "bad-values.xlsx",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert set(data) == set(schema["properties"])
    file_fields = set(schema["$defs"]["FileReport"]["properties"])
    problem_fields = set(schema["$defs"]["Problem"]["properties"])
    for report in data["files"]:
        assert set(report) == file_fields
        for found in report["problems"]:
            assert set(found) == problem_fields and found["code"] in KINDS


# --- the codes no other test reaches, each on a real file ------------------------------------


def _form(tmp_path: Path, name: str = "泽州县.xlsx") -> Path:
    return filled_form(tmp_path / name)


def _codes(path: Path) -> dict[str, str | None]:
    return {p.code: p.cell for p in validate_file(path, DEFAULT_CAMPAIGN).problems}


def test_an_unreadable_date_names_its_cell(tmp_path: Path) -> None:
    path = _form(tmp_path)
    wb = load_workbook(path)
    wb[FORM_SHEET][LAYOUT.date_cell] = "三月二十日"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    found = next(p for p in report.problems if p.code == "date-unreadable")
    assert found.cell == "C4" and found.value == "三月二十日"
    assert found.hint == "请写作 2023年3月20日 或 2023-03-20"  # the campaign's own example date


def test_pasted_copy_without_its_title(tmp_path: Path) -> None:
    path = _form(tmp_path)
    wb = load_workbook(path)
    del wb[IDENTITY_SHEET]
    wb[FORM_SHEET]["A2"] = None
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert _codes(path) == {"title-missing": None} and report.status == "valid"


def test_identity_of_another_form_or_version(tmp_path: Path) -> None:
    path = _form(tmp_path)
    wb = load_workbook(path)
    identity = wb[IDENTITY_SHEET]
    row = next(r for r in identity.iter_rows() if r[0].value == "form_id")
    row[1].value = "some-other-form"
    wb.save(path)
    assert _codes(path) == {"wrong-form": None}

    other_version = DEFAULT_CAMPAIGN.model_copy(
        update={"form": DEFAULT_CAMPAIGN.form.model_copy(update={"version": "2023.2"})}
    )
    report = validate_file(_form(tmp_path, "b.xlsx"), other_version)
    found = next(p for p in report.problems if p.code == "wrong-form-version")
    assert found.value == "2023.1" and "2023.2" in found.message and report.status == "invalid"


def test_merge_of_a_folder_without_forms(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "说明.txt").write_text("不是统计表", encoding="utf-8")
    result = invoke(runner, "merge", tmp_path / "empty", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and "没有找到任何统计表文件" in result.output
    assert not (tmp_path / "o.xlsx").exists()

"""`jc315 validate` on the command line: exit codes, JSON shape and parity, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jc315cli.check.validate import validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from tests.conftest import EXAMPLES, QUIRKS, invoke


def test_all_valid_exits_0(runner: CliRunner) -> None:
    result = invoke(runner, "validate", EXAMPLES)
    assert result.exit_code == 0, result.output
    assert "共 7 个文件：通过 7，未通过 0，无法读取 0" in result.output
    assert "逾期：陵川县市场监督管理局" in result.output


def test_invalid_exits_1_and_names_the_cell(runner: CliRunner) -> None:
    result = invoke(runner, "validate", QUIRKS / "bad-values.xlsx")
    assert result.exit_code == 1
    assert "E9" in result.output and "十几件" in result.output and "未通过" in result.output


def test_unreadable_files_do_not_stop_the_others(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "validate",
        QUIRKS / "corrupt-truncated.xlsx",
        QUIRKS / "encrypted.xlsx",
        QUIRKS / "filled-valid.xlsx",
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "无法读取 2" in result.output and "通过 1" in result.output


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert invoke(runner, "validate", tmp_path / "nope.xlsx").exit_code == 2
    assert (
        invoke(runner, "validate", QUIRKS / "filled-valid.xlsx", "--format", "xml").exit_code == 2
    )
    assert invoke(runner, "validate").exit_code == 2


def test_json_has_the_documented_shape(runner: CliRunner) -> None:
    gaoping = next(EXAMPLES.glob("*高平市*"))
    result = invoke(runner, "validate", QUIRKS / "bad-values.xlsx", gaoping, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    bad, good = data["files"]
    assert good["status"] == "valid" and good["reporter"] == "高平市市场监督管理局"
    assert good["filled_on"] == "2023-03-17"
    assert (
        good["values"]["1"] == 18
        and good["values"]["5"] == "12.3456"
        and good["values"]["6.3"] == 1
    )
    assert bad["status"] == "invalid" and bad["reporter"] == "泽州县市场监督管理局"
    problem = next(p for p in bad["problems"] if p["cell"] == "E9")
    assert problem == {
        **problem,
        "severity": "error",
        "code": "not-arabic",
        "item": "4",
        "value": "十几件",
    }
    assert problem["message"] and problem["hint"]
    assert (
        data["summary"]["files"] == 2
        and data["summary"]["valid"] == 1
        and data["summary"]["invalid"] == 1
    )
    assert data["summary"]["unreadable"] == 0 and len(data["summary"]["missing"]) == 5


def test_json_equals_the_library_call(runner: CliRunner) -> None:
    paths = [EXAMPLES, QUIRKS / "bad-values.xlsx", QUIRKS / "empty.xlsx"]
    result = invoke(runner, "validate", *paths, "--format", "json")
    expected = validate_paths(paths, DEFAULT_CAMPAIGN).model_dump(mode="json")
    data = json.loads(result.stdout)
    assert set(data.pop("collection")) >= {"reporters", "rates", "merges"}
    assert data == expected


def test_debug_shows_tracebacks_only_when_asked(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("year = 1", encoding="utf-8")
    quiet = invoke(runner, "validate", QUIRKS / "filled-valid.xlsx", "--campaign", bad)
    assert quiet.exit_code == 2 and "Traceback" not in quiet.output
    from jc315cli.commands.app import app
    from jc315cli.problems.errors import Jc315Error

    loud = runner.invoke(
        app, ["--debug", "validate", str(QUIRKS / "filled-valid.xlsx"), "--campaign", str(bad)]
    )
    assert isinstance(loud.exception, Jc315Error) and loud.exception.exit_code == 2


def test_help_is_chinese_with_examples(runner: CliRunner) -> None:
    for command in ([], ["init"], ["template"], ["generate"], ["validate"], ["merge"]):
        result = invoke(runner, *command, "--help")
        assert result.exit_code == 0
        assert "示例" in result.output and "用法" in result.output
        assert "Show this message" not in result.output and "Usage:" not in result.output
    version = invoke(runner, "--version")
    assert version.exit_code == 0 and version.output.startswith("jc315 ")

"""The README's commands are the ones CI runs, and every command the app really has (walked from
the app itself, not from a list kept here) is documented, with Chinese help and an example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from jc315cli.commands.app import app
from tests.conftest import ROOT, invoke

# typer bundles its own Click, so the command objects are typed loosely here.
COMMANDS: dict[str, Any] = dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(python3 -m venv .+)\n```", text)[:2]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one() -> None:
    main, tests = _readme_commands()
    assert "jc315 merge examples/returned" in main
    assert "--force" in main  # the first command can be run again: it replaces its own output
    assert "pytest" in tests and "'.[test]'" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_the_app_has_the_commands_we_think() -> None:
    assert {"init", "template", "generate", "validate", "merge"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_and_has_chinese_help(runner: CliRunner, name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"jc315 {name}" in readme
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0 and "示例：" in result.output and f"jc315 {name}" in result.output
    command = COMMANDS[name]
    assert command.help and CJK.search(command.help)
    for param in command.params:
        text = getattr(param, "help", None)
        assert text and CJK.search(text), f"{name} {param.name}: no Chinese help"
        if getattr(param, "hidden", False):  # kept for old scripts, said to be the default
            assert "已是默认" in text, f"{name} {param.name}: hidden, but not said why"
            continue
        for option in getattr(param, "opts", []):
            if option.startswith("-"):
                assert option in result.output, f"{name}: {option} missing from --help"


def test_the_readme_first_command_runs_twice(tmp_path: Path, runner: CliRunner) -> None:
    """What the first command does, twice over into the same place."""
    main, _ = _readme_commands()
    args = main.split(".venv/bin/jc315 ", 1)[1].split()
    output = args.index("-o") + 1
    args[output] = str(tmp_path / Path(args[output]))
    args = [str(ROOT / a) if a == "examples/returned" else a for a in args]
    for _ in range(2):
        result = invoke(runner, *args)
        assert result.exit_code == 0, result.output


def test_collecting_the_suite_alone_succeeds() -> None:
    """`pytest --collect-only` runs no test, so the problem-coverage plugin has nothing to judge
    and must not fail it (it did: every code looked unproduced)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "produced by no test" not in done.stdout


def test_the_architecture_map_is_printed_from_the_code_and_names_every_module() -> None:
    from docs.make_docs import architecture_text

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert text == architecture_text(), (
        "docs/architecture.md is stale: run python docs/make_docs.py"
    )
    package = ROOT / "src" / "jc315cli"
    for path in package.rglob("*.py"):
        name = path.relative_to(package).as_posix()
        if not name.endswith("/__init__.py"):
            assert f"`{name}`" in text, name
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_checks_doc_prints_every_tier_from_the_registry() -> None:
    """docs/checks.md explains 强制性, 核实性 and 提示 with the registry's own table: a kind
    added, or moved to another tier, shows there or the docs are stale."""
    from docs.make_docs import checks_with_table

    from jc315cli.problems.kinds import KINDS

    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert text == checks_with_table(text), "docs/checks.md is stale: run python docs/make_docs.py"
    for word in ("### 强制性", "### 核实性", "### 提示"):
        assert word in text
    found = [k for k in KINDS.values() if k.where != "command" and not k.usage]
    for k in found:
        assert f"| `{k.code}` |" in text, k.code
    verify = text.split("### 核实性")[1].split("### 提示")[0]
    assert "`above-bound`" in verify and "`year-swing`" in verify and "`late`" not in verify
    assert "docs/checks.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_test_docs_reliability_cites_exists() -> None:
    """docs/reliability.md names the test that holds each promise: a renamed or deleted test
    must not leave the promise resting on nothing."""
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"`(?:[\w/]+\.py::)?(test_\w+)", text)) - {"test_name", "test_scale"}
    defined: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        defined |= set(re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8")))
    assert len(cited) > 100
    assert sorted(cited - defined) == []

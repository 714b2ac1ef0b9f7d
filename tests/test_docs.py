"""The README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re

from tests.conftest import ROOT, invoke

COMMANDS = ["init", "template", "generate", "validate", "merge"]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(python3 -m venv .+)\n```", text)[:2]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one():
    main, tests = _readme_commands()
    assert "jc315 merge examples/returned" in main
    assert "pytest" in tests and "'.[test]'" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_every_command_is_in_the_readme_and_has_chinese_help(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"jc315 {command}" in readme
        result = invoke(runner, command, "--help")
        assert result.exit_code == 0 and "示例：" in result.output

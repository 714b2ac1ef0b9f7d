"""What each kind of command line loads: start-up is what a person feels with seven files.

The timings themselves are in benchmarks/ (bench.py); these tests hold the reasons they are
fast, which a careless import would undo without any test failing otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from jc315cli import __version__
from jc315cli.commands.app import app

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "examples" / "returned" / "2023年3·15活动情况统计表-阳城县市场监督管理局.xlsx"


def loaded_after(*argv: str) -> tuple[str, set[str]]:
    """Run `jc315 ARGV` in a fresh interpreter; return its output and the modules it loaded."""
    code = (
        "import sys\n"
        f"sys.argv = ['jc315', *{list(argv)!r}]\n"
        "from jc315cli.launch import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(m for m in sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    output, _, modules = run.stdout.rpartition("MODULES ")
    return output, set(modules.split())


def heavy(modules: set[str], *prefixes: str) -> set[str]:
    return {m for m in modules if m.split(".")[0] in prefixes or m in prefixes}


def test_version_loads_nothing_but_the_package() -> None:
    output, modules = loaded_after("--version")
    assert output == f"jc315 {__version__}\n"
    assert not heavy(modules, "typer", "click", "rich", "pydantic", "python_calamine")


def test_version_through_typer_prints_the_same_line() -> None:
    # `jc315 --debug --version` goes through Typer's eager option; same words as the fast path.
    result = CliRunner().invoke(app, ["--debug", "--version"])
    assert result.exit_code == 0 and result.output == f"jc315 {__version__}\n"
    output, modules = loaded_after("--debug", "--version")
    assert output == f"jc315 {__version__}\n" and "typer" in modules


def test_a_command_does_not_load_the_help_renderer() -> None:
    # Typer's rich help module pulls in rich.markdown and pygments; only help and usage
    # errors need it, and it is translated when it is loaded.
    output, modules = loaded_after("validate", str(FORM))
    assert "通过" in output
    assert not heavy(modules, "typer.rich_utils", "markdown_it", "pygments", "openpyxl")
    output, modules = loaded_after("validate", "--nope")
    assert "typer.rich_utils" in modules
    output, modules = loaded_after("--help")
    assert "typer.rich_utils" in modules and "用法" in output and "显示本帮助并退出" in output


WEB = ("flask", "werkzeug", "jinja2", "waitress")


def test_only_jc315_web_loads_the_web_framework() -> None:
    for argv in (["validate", str(FORM)], ["--help"], ["status"], ["web", "--nope"]):
        _, modules = loaded_after(*argv)
        assert not heavy(modules, *WEB), argv
    _, modules = loaded_after("web", "--port", "1", "--no-browser", str(FORM.parent))
    assert heavy(modules, "flask", "waitress")  # not a collection: it stops, after loading

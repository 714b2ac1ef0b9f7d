"""The layers as folders, and the direction of their imports: a module imports its own layer
and the layers below it, never one above. The order is written once, in jc315cli/__init__.py
(LAYERS); each layer's __init__.py says the same in words. Commands that write no workbook
never load openpyxl."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from jc315cli import LAYERS
from tests.conftest import EXAMPLES, ROOT

PACKAGE = ROOT / "src" / "jc315cli"
TOP_LEVEL = {"__init__", "__main__", "launch"}  # what the entry point needs, above every layer


def _imports(path: Path) -> set[str]:
    """Every jc315cli module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "jc315cli":
                names.update(f"jc315cli.{a.name}" for a in node.names)
            elif node.module.startswith("jc315cli."):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("jc315cli."))
    return names


def _layer(module: str) -> str:
    """`jc315cli.read.locate` → `read`; a top-level module is its own name."""
    return module.split(".")[1]


def forbidden_imports(package: Path = PACKAGE) -> list[str]:
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    wrong = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if len(parts) == 1:
            continue  # the top level may import anything below it
        own = parts[0]
        for module in sorted(_imports(path)):
            other = _layer(module)
            if other in TOP_LEVEL and other != "__version__":
                wrong.append(f"{'/'.join(parts)}.py imports the top-level {module}")
            elif other in rank and rank[other] > rank[own]:
                wrong.append(f"{'/'.join(parts)}.py ({own}) imports {module} ({other}, above it)")
    return wrong


def test_every_module_lives_in_a_layer_folder() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders == set(LAYERS)
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose == TOP_LEVEL


def test_no_layer_imports_one_above_it() -> None:
    assert forbidden_imports() == []


def test_the_direction_test_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The check itself: a copy of the package with one import running up is caught."""
    import shutil

    copy = tmp_path / "jc315cli"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    locate = copy / "read" / "locate.py"
    locate.write_text(
        locate.read_text(encoding="utf-8") + "\nfrom jc315cli.write.files import write_all\n",
        encoding="utf-8",
    )
    assert forbidden_imports(copy) == [
        "read/locate.py (read) imports jc315cli.write.files (write, above it)"
    ]


def test_every_layer_says_what_it_may_import() -> None:
    for i, layer in enumerate(LAYERS):
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
        assert doc, layer
        below = LAYERS[:i]
        assert f"May import: {', '.join(below) if below else 'nothing of jc315'}." in doc, layer


READ_ONLY_COMMANDS = [
    ["validate", str(EXAMPLES)],
    ["validate", str(EXAMPLES), "--format", "json"],
    ["summary", str(next(EXAMPLES.glob("*泽州县*.xlsx")))],
    [
        "compare",
        str(next(EXAMPLES.glob("*泽州县*.xlsx"))),
        str(next(EXAMPLES.glob("*高平市*.xlsx"))),
    ],
]


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_a_command_that_writes_no_workbook_never_loads_openpyxl(args: list[str]) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from jc315cli.commands.app import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "assert result.exception is None or isinstance(result.exception, SystemExit), result.output\n"
        "print('openpyxl' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"

"""Write the parts of the documentation that are printed from the code: the README's table of
problems, docs/checks.md's table of checks by tier, docs/report-schema.json and
docs/architecture.md (every layer and module). Run from the repository root:

    python docs/make_docs.py

tests/test_problems.py fails when either is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from jc315cli.problems.reference import checks_table, markdown_table, report_schema

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- problems:begin -->", "<!-- problems:end -->"
CHECKS_BEGIN, CHECKS_END = "<!-- checks:begin -->", "<!-- checks:end -->"


def _between(text: str, begin: str, end: str, table: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{table}\n{end}{tail}"


def readme_with_table(readme: str) -> str:
    return _between(readme, BEGIN, END, markdown_table())


def checks_with_table(checks: str) -> str:
    """docs/checks.md with the registry's checks, by tier, between its two markers."""
    return _between(checks, CHECKS_BEGIN, CHECKS_END, checks_table())


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def architecture_text() -> str:
    """docs/architecture.md: every layer, bottom up, with its __init__ docstring, and every
    module of it with the first line of its own docstring."""
    import ast

    from jc315cli import LAYERS

    package = ROOT / "src" / "jc315cli"
    lines = [
        "# Architecture",
        "",
        "Printed from the code by `python docs/make_docs.py`; `tests/test_docs.py` fails when it",
        "is stale. The layers from the bottom up: a module imports its own layer and the ones",
        "below it, never one above (`tests/test_layers.py`).",
        "",
    ]

    def first_line(path: Path) -> str:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        paragraph = " ".join(doc.split("\n\n")[0].split())
        return re.split(r"(?<=\.) (?=[A-Z`])", paragraph, maxsplit=1)[0]

    for layer in LAYERS:
        folder = package / layer
        lines += [f"## `{layer}/`", "", first_line(folder / "__init__.py"), ""]
        lines += ["| module | what it is |", "|---|---|"]
        for path in sorted(folder.glob("*.py")):
            if path.name != "__init__.py":  # a layer's own docstring stands above its table
                lines.append(f"| `{layer}/{path.name}` | {first_line(path)} |")
        lines.append("")
    lines += ["## Top level", "", "| module | what it is |", "|---|---|"]
    for path in sorted(package.glob("*.py")):
        lines.append(f"| `{path.name}` | {first_line(path)} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    problems = ROOT / "docs" / "problems.md"  # the README's table of problems moved here
    problems.write_text(readme_with_table(problems.read_text(encoding="utf-8")), encoding="utf-8")
    checks = ROOT / "docs" / "checks.md"
    checks.write_text(checks_with_table(checks.read_text(encoding="utf-8")), encoding="utf-8")
    (ROOT / "docs" / "report-schema.json").write_text(schema_text(), encoding="utf-8")
    (ROOT / "docs" / "architecture.md").write_text(architecture_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the parts of the documentation that are printed from the code: the README's table of
problems and docs/report-schema.json. Run from the repository root:

    python docs/make_docs.py

tests/test_problems.py fails when either is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jc315cli.problems.reference import markdown_table, report_schema

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- problems:begin -->", "<!-- problems:end -->"


def readme_with_table(readme: str) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown_table()}\n{END}{tail}"


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    readme = ROOT / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    (ROOT / "docs" / "report-schema.json").write_text(schema_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

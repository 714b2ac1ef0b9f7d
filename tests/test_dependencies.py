"""The parts of Typer and openpyxl that jc315 uses beyond their documented API, each checked
where it lives, so that a release which changes one fails here, naming the part, rather than
in front of a user as English help, a traceback or a workbook Excel has to repair.

- console/i18n.py makes everything Typer prints Chinese: it replaces gettext's `_` in Typer's
  modules, rewrites constants and wraps functions of `typer.rich_utils` (loaded later, through
  an import hook), and wraps methods of `typer.core` and of Typer's own copy of Click.
- write/bulk.py writes the body rows of large tables as the XML openpyxl writes for the same
  cells and splices them into the sheets openpyxl wrote, reading openpyxl's cell store
  (`Worksheet._cells`) to check that openpyxl wrote nothing there itself.

pyproject.toml bounds typer and openpyxl to the releases these tests pass on."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from packaging.requirements import Requirement

from jc315cli.console.catalogue import translate
from tests.conftest import ROOT

STAMP = datetime(2023, 3, 25)
I18N = ROOT / "src" / "jc315cli" / "console" / "i18n.py"


def changed(dependency: str, part: str, what: str, *, user: str = "") -> str:
    """The message of every failure here: which part of which release, who relies on it, and
    what to do."""
    user = user or ("console/i18n.py" if dependency == "typer" else "write/bulk.py")
    return (
        f"in {dependency} {version(dependency)}, {part} {what}; jc315cli/{user} relies on it. "
        f"Adapt that module (then move the bound in pyproject.toml), or install {dependency} "
        "within the bound."
    )


def cells_of(ws: Worksheet) -> dict[tuple[int, int], object]:
    """openpyxl's store of a sheet's cells, which bulk.py reads."""
    cells = getattr(ws, "_cells", None)
    assert isinstance(cells, dict), changed("openpyxl", "Worksheet._cells", "is not a dict")
    return cells


@pytest.mark.parametrize("name", ["typer", "openpyxl"])
def test_the_dependencies_with_private_parts_are_bounded_to_the_tested_releases(
    name: str,
) -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (bound,) = [r for r in map(Requirement, project["dependencies"]) if r.name == name]
    assert any(s.operator == "<" for s in bound.specifier), (
        f"pyproject.toml: {name} needs an upper bound: jc315 relies on its private parts"
    )
    assert version(name) in bound.specifier, (
        f"{name} {version(name)} is installed, outside the tested {bound}: run the tests "
        "below against it before widening the bound"
    )


# --- Typer: what console/i18n.py patches -------------------------------------------------------

# Each function or method i18n.py wraps, with the parameters its wrapper passes on (in order).
TYPER_CALLABLES: dict[str, list[str]] = {
    "typer.rich_utils.rich_format_error": ["self"],
    "typer.rich_utils._get_parameter_help": ["param", "ctx", "markup_mode"],
    "typer.rich_utils._make_command_help": ["help_text", "markup_mode"],
    "typer.rich_utils._get_help_text": ["obj", "markup_mode"],
    "typer.core.TyperOption.display_type_rich": ["self", "ctx"],
    "typer.core.TyperArgument.display_type_rich": ["self", "ctx"],
    "typer.core.TyperArgument._usage_display_name": ["self"],
    "typer._click.formatting.HelpFormatter.write_usage": ["self", "prog", "args", "prefix"],
    "typer._click.core.Command.get_help_option": ["self", "ctx"],
    "typer._click.exceptions.ClickException.format_message": ["self"],
    # hides an old spelling (--out) from the options panel and from “缺少选项”
    "typer.rich_utils._print_options_panel": ["name", "params", "ctx", "markup_mode", "console"],
    "typer.core.TyperOption.get_error_hint": ["self"],
}
# What the wrappers of rich_utils' help functions take apart: a Columns of Text, a Text.
RETURNS = {
    "typer.rich_utils._get_parameter_help": "Columns",
    "typer.rich_utils._make_command_help": "Text",
    "typer.rich_utils._get_help_text": "Text",
}
# Attributes the wrappers read on Typer's parameters and help option.
PARAMETER_ATTRIBUTES = {
    "TyperArgument": ["display_name_raw", "required", "nargs", "param_type_name"],
    "TyperOption": ["is_flag", "param_type_name", "opts"],
    "help option": ["help"],
}
# The modules of Typer's own copy of Click that i18n.py patches (the callables above live there).
TYPER_MODULES = {"typer._click.formatting", "typer._click.core"}
# Names in i18n.py that are no part of Typer: its own marks, Python's import protocol, Rich's
# renderables (public API), the fallbacks for a Typer that used Click itself.
NOT_TYPER = {"_jc315", "_jc315_display", "_jc315_layout", "find_spec", "loader", "inner"}
NOT_TYPER |= {"__name__", "plain", "renderables", "click.core", "click.formatting"}
NOT_TYPER |= {"HelpFormatter", "Command", "TyperOption", "TyperArgument", "_", "help"}


def translated_constants() -> dict[str, str]:
    """The rich_utils constants i18n.py replaces, each with the English it replaces, as the
    module lists them (`_patch_rich_utils`)."""
    tree = ast.parse(I18N.read_text(encoding="utf-8"))
    (function,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.name == "_patch_rich_utils"
    ]
    pairs = [n for n in ast.walk(function) if isinstance(n, ast.Tuple) and len(n.elts) == 2]
    literal = [
        ast.literal_eval(p) for p in pairs if all(isinstance(e, ast.Constant) for e in p.elts)
    ]
    found = {name: english for name, english in literal if isinstance(english, str)}
    assert found, "no (constant, English) pairs found in i18n._patch_rich_utils"
    return found


def names_i18n_reaches_for() -> set[str]:
    """Every name i18n.py looks up or replaces on another object: getattr/hasattr/setattr
    with a literal name, the names it loops over, the attributes it assigns, and those it
    reads on the objects it patches."""
    holders = {"self", "cls", "formatter", "command", "argument", "core", "rich_utils", "option"}
    names: set[str] = set()
    for node in ast.walk(ast.parse(I18N.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("getattr", "hasattr", "setattr") and len(node.args) > 1:
                if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    names.add(node.args[1].value)
        elif isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple):
            for element in node.iter.elts:
                first = element.elts[0] if isinstance(element, ast.Tuple) else element
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if isinstance(node.ctx, ast.Store) or node.value.id in holders:
                names.add(node.attr)
    return names


PROBE = """
import importlib, inspect, json, sys
paths, constants = json.loads(sys.argv[1]), json.loads(sys.argv[2])
found = {"callables": {}, "constants": {}}
for path in paths:
    module, _, rest = path.partition(".")
    obj = None
    while rest:
        head, _, rest = rest.partition(".")
        try:
            obj = importlib.import_module(module + "." + head)
            module += "." + head
        except ImportError:
            obj = getattr(obj, head, None)
            if obj is None:
                break
    try:
        signature = inspect.signature(obj)
        found["callables"][path] = [list(signature.parameters), str(signature.return_annotation)]
    except (TypeError, ValueError):
        found["callables"][path] = None
rich_utils = importlib.import_module("typer.rich_utils")
found["constants"] = {name: getattr(rich_utils, name, None) for name in constants}
found["gettext"] = sorted(
    name for name, module in sys.modules.items()
    if name.startswith("typer") and getattr(getattr(module, "_", None), "__name__", "") == "gettext"
)
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def unpatched() -> dict[str, dict[str, object]]:
    """Typer as it is before i18n.py touches it: looked at in a fresh interpreter."""
    args = [json.dumps(list(TYPER_CALLABLES)), json.dumps(list(translated_constants()))]
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    found: dict[str, dict[str, object]] = json.loads(run.stdout)
    return found


@pytest.mark.parametrize("path", list(TYPER_CALLABLES))
def test_each_wrapped_function_of_typer_takes_what_its_wrapper_passes(
    path: str, unpatched: dict[str, dict[str, object]]
) -> None:
    found = unpatched["callables"][path]
    assert isinstance(found, list), changed("typer", path, "is gone")
    parameters, returns = found
    assert parameters == TYPER_CALLABLES[path], changed(
        "typer", path, f"now takes {parameters}, not {TYPER_CALLABLES[path]}"
    )
    if path in RETURNS:
        assert RETURNS[path] in returns, changed(
            "typer", path, f"now returns {returns}, not a {RETURNS[path]}"
        )


@pytest.mark.parametrize("name", list(translated_constants()))
def test_each_replaced_constant_of_rich_utils_still_holds_the_english_it_replaces(
    name: str, unpatched: dict[str, dict[str, object]]
) -> None:
    english = translated_constants()[name]
    value = unpatched["constants"][name]
    assert value is not None, changed("typer", f"typer.rich_utils.{name}", "is gone")
    assert value == english, changed(
        "typer", f"typer.rich_utils.{name}", f"now reads {value!r}, not {english!r}"
    )


def test_typer_still_says_its_words_through_gettext(
    unpatched: dict[str, dict[str, object]],
) -> None:
    for module in ("typer.core", "typer.rich_utils"):
        assert module in unpatched["gettext"], changed(
            "typer", f"{module}._", "is no longer gettext: the Chinese catalogue misses it"
        )


def test_the_parameters_have_the_attributes_the_wrappers_read() -> None:
    import typer
    import typer.main

    app = typer.Typer()

    @app.command()
    def run(paths: list[Path], force: bool = False) -> None:
        """Run."""

    command = typer.main.get_command(app)
    params = {param.name: param for param in command.params}
    argument, option = params["paths"], params["force"]
    help_option = command.get_help_option(command.make_context("run", ["x"]))
    found: list[tuple[object, str]] = [(argument, "TyperArgument"), (option, "TyperOption")]
    for obj, kind in found:
        assert type(obj).__name__ == kind, changed("typer", kind, f"is now {type(obj).__name__}")
    for obj, kind in [*found, (help_option, "help option")]:
        for name in PARAMETER_ATTRIBUTES[kind]:
            assert hasattr(obj, name), changed("typer", f"{kind}.{name}", "is gone")


def test_every_name_i18n_reaches_for_is_checked_here() -> None:
    checked = {path.rsplit(".", 1)[-1] for path in TYPER_CALLABLES}
    checked |= set(translated_constants()) | NOT_TYPER | TYPER_MODULES
    checked |= {name for names in PARAMETER_ATTRIBUTES.values() for name in names}
    unchecked = names_i18n_reaches_for() - checked
    assert not unchecked, (
        f"console/i18n.py reaches for {sorted(unchecked)} in Typer, which "
        "tests/test_dependencies.py does not check: add each to its tables"
    )


def test_rich_utils_is_translated_when_typer_loads_it() -> None:
    code = (
        "from jc315cli.console.i18n import install\ninstall()\n"
        "import typer.rich_utils as r\nprint(r.OPTIONS_PANEL_TITLE, r.ERRORS_PANEL_TITLE)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.split() == [translate("Options"), translate("Error")], changed(
        "typer", "typer.rich_utils", f"was not translated when imported ({run.stderr[-300:]})"
    )


# --- openpyxl: what write/bulk.py relies on ----------------------------------------------------


def test_a_worksheet_keeps_its_cells_by_row_and_column() -> None:
    from openpyxl.cell.cell import Cell

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    cells = cells_of(ws)
    made = ws.cell(row=3, column=2)
    ws.row_dimensions[5].height = 20
    assert list(cells) == [(3, 2)] and cells[(3, 2)] is made, changed(
        "openpyxl", "Worksheet._cells", f"does not map (row, column) to a Cell: {cells!r}"
    )
    assert isinstance(made, Cell) and list(ws.row_dimensions) == [5], changed(
        "openpyxl", "Worksheet.row_dimensions", "is not keyed by row number"
    )
    wb.__dict__["_jc315_bulk_tables"] = []  # bulk.py keeps a workbook's tables on it


def test_a_style_id_is_had_from_a_cell_outside_the_sheet() -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    from jc315cli.write.bulk import style_id

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    thin = Side(style="thin", color="000000")
    font, alignment = Font(name="仿宋", size=12), Alignment(horizontal="center")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    real = ws.cell(row=1, column=1)
    real.font, real.alignment, real.border = font, alignment, border
    made = style_id(ws, font=font, alignment=alignment, border=border)
    assert made == real.style_id, changed(
        "openpyxl", "Cell(ws, row=None, column=None).style_id", "differs from a styled cell's"
    )
    assert list(cells_of(ws)) == [(1, 1)], changed("openpyxl", "Cell()", "adds a cell to the sheet")


def test_text_openpyxl_cannot_hold_is_what_bulk_replaces() -> None:
    from openpyxl.cell import cell as cell_module
    from openpyxl.utils.exceptions import IllegalCharacterError

    from jc315cli.write.bulk import MAX_CELL_TEXT

    pattern = getattr(cell_module, "ILLEGAL_CHARACTERS_RE", None)
    assert isinstance(pattern, re.Pattern), changed(
        "openpyxl", "openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE", "is gone"
    )
    ws = Workbook().active
    assert ws is not None
    for text in ("\x1b", "\x00"):
        assert pattern.search(text), changed(
            "openpyxl", "ILLEGAL_CHARACTERS_RE", f"lets {text!r} by"
        )
        with pytest.raises(IllegalCharacterError):
            ws.cell(row=1, column=1).value = text
    assert not pattern.search("\t\n"), changed("openpyxl", "ILLEGAL_CHARACTERS_RE", "refuses tabs")
    ws.cell(row=1, column=1).value = "x" * (MAX_CELL_TEXT + 5)
    assert len(str(ws.cell(row=1, column=1).value)) == MAX_CELL_TEXT, changed(
        "openpyxl", "a cell's text", f"is no longer cut at {MAX_CELL_TEXT} characters"
    )


def test_openpyxl_writes_through_the_standard_library_when_told() -> None:
    """With lxml installed openpyxl would write other bytes; jc315 turns lxml off through
    openpyxl's OPENPYXL_LXML, read when openpyxl is imported."""
    pytest.importorskip("lxml")
    code = "import {}, openpyxl.xml as x; print(x.LXML)"
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}  # set by jc315cli here
    ours = subprocess.run(
        [sys.executable, "-c", code.format("jc315cli")], capture_output=True, env=env
    )
    bare = subprocess.run([sys.executable, "-c", code.format("sys")], capture_output=True, env=env)
    assert bare.stdout.strip() == b"True", changed(
        "openpyxl",
        "openpyxl.xml.LXML",
        f"is {bare.stdout!r} with lxml installed",
        user="write/files.py",
    )
    assert ours.stdout.strip() == b"False", changed(
        "openpyxl",
        "OPENPYXL_LXML=False",
        "no longer turns openpyxl's lxml writer off",
        user="__init__.py",
    )


def sheet_xml(rows: list[tuple[list[object], float | None]], *, bulk: bool) -> str:
    """The XML of one sheet holding a title in row 1 and `rows` from row 2, written by
    openpyxl cell by cell, or with the rows as bulk.py writes them."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from jc315cli.write.bulk import BulkRows, style_id
    from jc315cli.write.sheets import new_workbook, set_text
    from jc315cli.write.workbook_bytes import workbook_bytes

    wb = new_workbook()
    ws = wb.create_sheet("表")
    set_text(ws.cell(row=1, column=1), "标题")
    ws.merge_cells("A1:C1")
    thin = Side(style="thin", color="000000")
    style = {
        "font": Font(name="仿宋", size=10.5),
        "alignment": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }
    body = BulkRows(ws, first=2) if bulk else None
    for number, (values, height) in enumerate(rows, start=2):
        if body is not None:
            body.add(values, [style_id(ws, **style)] * len(values), height)  # type: ignore[arg-type]
            continue
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=number, column=column)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            cell.font, cell.alignment, cell.border = style.values()
        if height is not None:
            ws.row_dimensions[number].height = height
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb, STAMP))) as archive:
        return archive.read(ws.path.lstrip("/")).decode("utf-8")


ROW_CASES: dict[str, tuple[list[object], float | None]] = {
    "text": (["城区市场监督管理局", "a & b < c > d"], 22),
    "text with outer spaces": ([" 前有空格", "后有空格 "], 62.5),
    "empty text and no value": (["", None], None),
    "counts": ([0, -7, 10**15], 14),
    "money": ([Decimal("12.3456"), Decimal("0.0000"), Decimal("123456789012.3456")], 15.75),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_a_row_bulk_writes_is_the_row_openpyxl_writes(case: str) -> None:
    row = re.compile(r'<row r="2".*?</row>', re.DOTALL)
    ours, theirs = (
        found.group() if (found := row.search(sheet_xml([ROW_CASES[case]], bulk=bulk))) else ""
        for bulk in (True, False)
    )
    assert theirs, changed("openpyxl", "a sheet's rows", "are no <row r=…> elements")
    assert ours == theirs, changed(
        "openpyxl", f"the XML of a row ({case})", f"is now {theirs!r}; bulk.py writes {ours!r}"
    )


def written_sheet(wb: Workbook, ws: Worksheet) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        names = archive.namelist()
        assert ws.path.lstrip("/") in names, changed(
            "openpyxl", "Worksheet.path", f"{ws.path} names no part of {names}"
        )
        return archive.read(ws.path.lstrip("/"))


def test_a_written_sheet_has_the_places_bulk_splices_into() -> None:
    from jc315cli.write.bulk import _DIMENSION

    wb = Workbook()
    empty = wb.active
    assert empty is not None
    filled = wb.create_sheet("表")
    filled["B2"] = "a"
    for ws in (empty, filled):
        xml = written_sheet(wb, ws)
        assert len(_DIMENSION.findall(xml)) == 1, changed(
            "openpyxl",
            "a sheet's <dimension ref=…/>",
            f"is not written as bulk.py finds it: {xml!r}",
        )
        ends = xml.count(b"</sheetData>") + xml.count(b"<sheetData />")
        assert ends == 1 and xml.index(b"<dimension") < xml.index(b"<sheetData"), changed(
            "openpyxl", "a sheet's sheetData", f"is not written as bulk.py finds it: {xml!r}"
        )
    rows: list[tuple[list[object], float | None]] = [(["a", 1], 20), (["b", 2], None)]
    assert sheet_xml(rows, bulk=True) == sheet_xml(rows, bulk=False), changed(
        "openpyxl", "a sheet's XML around its rows", "differs from what bulk.py splices"
    )


def test_a_merged_range_can_be_registered_without_its_cells() -> None:
    """comparison_workbook merges thousands of ranges over rows bulk.py writes: the range only,
    as openpyxl would write it, without a MergedCell for each cell."""
    from openpyxl.worksheet.cell_range import CellRange

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.merged_cells.add(CellRange("B3:B5"))
    xml = written_sheet(wb, ws).decode("utf-8")
    assert '<mergeCells count="1"><mergeCell ref="B3:B5" /></mergeCells>' in xml, changed(
        "openpyxl",
        "merged_cells.add(CellRange)",
        f"no longer writes the range: {xml[-300:]!r}",
        user="write/comparison_workbook.py",
    )
    assert not cells_of(ws), changed(
        "openpyxl",
        "merged_cells.add(CellRange)",
        "makes cells",
        user="write/comparison_workbook.py",
    )

"""The floor: what any merge of N returned forms has to do, and nothing more. Read each file's
bytes, hash them, read both sheets with calamine, add up the twelve values, and write a report
of five sheets holding about as many cells as jc315's merged report (40 a form: 分单位明细 14,
报送情况 8, 问题清单 16, 汇总 and the identity 2) as raw XML in a zip. It checks nothing: no
bounds on the zip, no formulas without results, no hidden cells, no reporter, no date, no
rules, no exact money. bench.py times `jc315 merge` against it.

    python benchmarks/floor.py FOLDER OUTPUT.xlsx
    python benchmarks/floor.py --guards FOLDER OUTPUT.xlsx

Only the standard library and python-calamine: importing it costs what importing those costs.

With --guards (bench.py's tool `guarded`), each .xlsx also goes through the two passes of
jc315 that calamine cannot make for it, before calamine reads it: every zip member inflated
with a cap and its size and CRC checked (read/zipped.py), and the sheets' cells bounded and
looked at for formulas without results, error values, hidden rows and columns and formats
that show another number (read/preflight.py). That is the floor of a reader that may be given
a hostile file and must not count a number that is not there, on this stack: what it costs
over the floor is what jc315 cannot leave out, before it finds the form or checks a value.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from python_calamine import CalamineWorkbook

FORM_SHEET = "统计表"
ITEMS = 12  # E6:E17
DATE_CELL = (3, 2)  # C4
SHEETS = ("汇总", "分单位明细", "报送情况", "问题清单", "jc315_identity")


GUARDS: list[object] = []  # --guards: jc315's zip and sheet guards, imported on demand


def read(path: Path) -> tuple[str, str, list[float], object, int]:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if GUARDS and path.suffix == ".xlsx":
        inflate_members, check_xlsx = GUARDS
        check_xlsx(inflate_members(data))  # type: ignore[operator]
    book = CalamineWorkbook.from_filelike(BytesIO(data))
    grids = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    grid = grids[FORM_SHEET]
    values = [float(grid[5 + i][4] or 0) for i in range(ITEMS)]  # type: ignore[arg-type]
    filled = grid[DATE_CELL[0]][DATE_CELL[1]]
    return path.stem, sha, values, filled, sum(len(g) for g in grids.values())


def cell(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet(rows: list[list[object]]) -> str:
    body = "".join(
        f'<row r="{n}">{"".join(cell(v) for v in row)}</row>' for n, row in enumerate(rows, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
        f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}'
        "</sheetData></worksheet>"
    )


def report(forms: list[tuple[str, str, list[float], object, int]]) -> dict[str, list[list[object]]]:
    totals = [sum(f[2][i] for f in forms) for i in range(ITEMS)]
    return {
        "汇总": [[f"项目{i + 1}", t] for i, t in enumerate(totals)],
        # one column a unit, as jc315's 分单位明细: name, 12 values and the total
        "分单位明细": [
            [f[0] for f in forms],
            *[[f[2][i] for f in forms] for i in range(ITEMS)],
            [sum(f[2]) for f in forms],
        ],
        "报送情况": [
            [n + 1, f[0], "已报送", str(f[3]), "通过", f[1][:12], f[4], "是"]
            for n, f in enumerate(forms)
        ],
        "问题清单": [
            [n + 1, f[0], f"E{6 + k}", "提示", "已按数字读取", f[2][k], "无需处理", ""]
            for n, f in enumerate(forms)
            for k in range(2)
        ],
        "jc315_identity": [
            ["forms", len(forms)],
            ["sha256", hashlib.sha256(b"".join(f[1].encode() for f in forms)).hexdigest()],
        ],
    }


def write(output: Path, sheets: dict[str, list[list[object]]]) -> int:
    names = list(sheets)
    book = "".join(
        f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{sheet_types}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/'
            f'relationships"><sheets>{book}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships">{rels}</Relationships>',
        )
        for i, name in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet(sheets[name]))
    return sum(len(row) for rows in sheets.values() for row in rows)


def main() -> int:
    args = sys.argv[1:]
    if args[0] == "--guards":
        from jc315cli.read.preflight import check_xlsx
        from jc315cli.read.zipped import inflate_members

        GUARDS[:] = [inflate_members, check_xlsx]
        args = args[1:]
    folder, output = Path(args[0]), Path(args[1])
    forms = [read(path) for path in sorted(folder.iterdir()) if path.is_file()]
    sheets = report(forms)
    cells = write(output, sheets)
    totals = sheets["汇总"]
    print(f"{len(forms)} forms, {cells} cells written; totals {[t[1] for t in totals]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

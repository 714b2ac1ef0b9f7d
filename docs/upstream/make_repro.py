"""Make the minimal files of the reports in this folder (run from the repository root):

    python docs/upstream/make_repro.py

- ods-whitespace.ods: one table, one row of two cells ("a", 1), content.xml indented as
  Gnumeric writes it. Written here byte by byte, no office program needed.
- xls-format-50.xls: A1 = 3.5 in the number format `0.00##`, saved by Gnumeric (`ssconvert`),
  which numbers the formats it defines from 50.
- xls-many-styles.xls: xls-format-50.xls with 32,768 more cell styles (copies of A1's) and A1
  given the last of them, put into a compound file of its own by tests/biff.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
  <office:body>
    <office:spreadsheet>
      <table:table table:name="Sheet1">
        <table:table-column table:number-columns-repeated="2"/>
        <table:table-row>
          <table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>
          <table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>
        </table:table-row>
      </table:table>
    </office:spreadsheet>
  </office:body>
</office:document-content>
"""


def ods(target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("content.xml", CONTENT)


def xls(target: Path) -> None:
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "format-50.xlsx")
        wb = Workbook()
        wb.active["A1"] = 3.5
        wb.active["A1"].number_format = "0.00##"
        wb.save(source)
        command = ["ssconvert", "-T", "Gnumeric_Excel:excel_biff8", str(source), str(target)]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def many_styles(source: Path, target: Path) -> None:
    sys.path.insert(0, str(HERE.parents[1]))  # the repository root, for tests/biff.py
    from tests.biff import with_many_styles

    target.write_bytes(with_many_styles(source.read_bytes(), 32_768))


if __name__ == "__main__":
    ods(HERE / "ods-whitespace.ods")
    if shutil.which("ssconvert") is None:
        sys.exit("ssconvert not found: install Gnumeric to make xls-format-50.xls")
    xls(HERE / "xls-format-50.xls")
    many_styles(HERE / "xls-format-50.xls", HERE / "xls-many-styles.xls")

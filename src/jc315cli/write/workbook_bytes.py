"""A workbook as the bytes of its file, the same bytes every time: openpyxl stamps a file with
the time it was saved (in docProps/core.xml and on every zip entry), so two runs on the same
forms would give two different files, and nobody could tell by its checksum that a merged report
is the one a folder makes. Here the dates are fixed, and the large tables written as text
(bulk.py) are put into their sheets."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

    from jc315cli.write.bulk import BulkRows

# Zip entries cannot be dated before 1980; office suites show the document properties, not these.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook, timestamp: datetime) -> bytes:
    """Serialize `wb` deterministically: fixed document dates and zip entry times. The body rows
    of large tables (`jc315cli.write.bulk`) go into their sheets here."""
    from openpyxl import xml as openpyxl_xml

    if openpyxl_xml.LXML:  # see jc315cli/__init__.py
        raise RuntimeError(
            "openpyxl was imported before jc315cli with lxml installed: its lxml writer would "
            "change the bytes. Import jc315cli first."
        )
    from jc315cli.write.bulk import tables_of

    tables = tables_of(wb)
    for table in tables:
        table.check()
    wb.properties.creator = "jc315"
    wb.properties.lastModifiedBy = "jc315"
    wb.properties.created = timestamp
    buffer = io.BytesIO()
    _save_stored(wb, buffer)  # `modified` is stamped with the current time; fixed below
    # Only now is each sheet's part name known: openpyxl numbers them as it saves.
    spliced = {table.ws.path.lstrip("/"): table for table in tables}  # one a sheet (bulk.py)
    return _repack(buffer.getvalue(), timestamp, spliced)


def _save_stored(wb: Workbook, buffer: io.BytesIO) -> None:
    """What `wb.save` does (for a workbook built in memory, as every writer's is), in a zip
    whose entries are stored, not compressed: _repack compresses each entry once, as it writes
    the file, where it used to undo openpyxl's compression and do it again."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.modified = datetime.now()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes the archive


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def _repack(data: bytes, timestamp: datetime, tables: dict[str, BulkRows]) -> bytes:
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", content
                )
            if info.filename in tables:
                content = tables.pop(info.filename).splice(content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content, compresslevel=6)
    if tables:
        raise RuntimeError(f"no sheet part {sorted(tables)} in the written workbook")
    return out.getvalue()

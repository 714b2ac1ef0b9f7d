"""Changing a real .xls in tests: its BIFF8 records read from the compound file an office program
saved, changed, and put into a compound file of their own (one stream, `Workbook`), so that a
test can make an .xls no program here writes. Used for the workbook with more cell styles
than xlrd can hold (tests/test_unreadable.py, tests/test_writers.py)."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from xlrd.compdoc import CompDoc

XF, EOF, BOUNDSHEET = 0x00E0, 0x000A, 0x0085
CELLS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0201}  # LABELSST, NUMBER, RK, LABEL, BLANK
SECTOR = 512
END, FAT_SECTOR, FREE, NONE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    """(record type, data) of each BIFF record in order."""
    at = 0
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def with_many_styles(xls: bytes, styles: int) -> bytes:
    """The .xls with `styles` more cell styles, copies of the first cell's own, and that cell
    given the last of them: a valid BIFF8 file (Excel 2007 allows 64,000 styles) whose cell
    style number does not fit a signed 16-bit number. (The stream positions of INDEX records,
    which readers do not use, are left as they were.)"""
    stream = CompDoc(xls, logfile=io.StringIO()).get_named_stream("Workbook")
    assert stream is not None
    parts = list(records(stream))
    globals_end = next(i for i, (kind, _) in enumerate(parts) if kind == EOF)
    xfs = [i for i, (kind, _) in enumerate(parts[:globals_end]) if kind == XF]
    first_cell = next(i for i, (kind, _) in enumerate(parts) if kind in CELLS)
    own = struct.unpack_from("<H", parts[first_cell][1], 4)[0]
    copies = [(XF, parts[xfs[own]][1])] * styles
    cell = parts[first_cell][1]
    parts[first_cell] = (
        parts[first_cell][0],
        cell[:4] + struct.pack("<H", len(xfs) + styles - 1) + cell[6:],
    )
    parts[xfs[-1] + 1 : xfs[-1] + 1] = copies
    grown = 4 * styles + sum(len(data) for _, data in copies)
    out = bytearray()
    for kind, data in parts:
        if kind == BOUNDSHEET:  # where each sheet starts
            data = struct.pack("<I", struct.unpack_from("<I", data)[0] + grown) + data[4:]
        out += record(kind, data)
    return compound_file(bytes(out))


def compound_file(stream: bytes) -> bytes:
    """A compound file (version 3, 512-byte sectors) holding one stream named `Workbook`, at
    least 4,096 bytes long so that it lies in ordinary sectors: the stream's sectors, then one
    directory sector, then the allocation table's sectors."""
    assert len(stream) >= 4096
    data = stream + bytes(-len(stream) % SECTOR)
    count = len(data) // SECTOR
    tables = 1
    while count + 1 + tables > tables * SECTOR // 4:
        tables += 1
    assert tables <= 109  # all listed in the header
    fat = [*range(1, count), END, END] + [FAT_SECTOR] * tables
    fat += [FREE] * (tables * SECTOR // 4 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # byte order
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        tables,
        count,  # the directory's first sector
        0,
        4096,  # mini stream cutoff
        END,  # no mini allocation table
        0,
        END,  # no more allocation table sectors than the header lists
        0,
    )
    header += struct.pack("<109I", *range(count + 1, count + 1 + tables), *[FREE] * (109 - tables))
    directory = _entry("Root Entry", 5, child=1, start=END, size=0)
    directory += _entry("Workbook", 2, child=NONE, start=0, size=len(stream))
    directory += bytes(SECTOR - len(directory))
    return header + data + directory + struct.pack(f"<{len(fat)}I", *fat)


def _entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,  # black
        NONE,  # left sibling
        NONE,  # right sibling
        child,
        bytes(16),
        0,
        0,
        0,
        start,
        size,
    )

"""The zip container of an .xlsx, .xlsm or .ods, inflated before anything reads what is in it.

Every member is inflated by zlib directly with a cap on the whole (a zip bomb stops at the cap,
whatever sizes it declares), and its size and CRC are checked against the directory: neither a
declared size nor a stream that inflates past it is trusted. What comes out is small enough for
the sheet checks (preflight.py) and for calamine.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

from jc315cli.problems.errors import unreadable

MAX_MEMBERS = 1_000
MAX_INFLATED = 32 * 1024 * 1024  # all members together; a real form inflates to ~60 KB


def inflate_members(data: bytes) -> dict[str, bytes]:
    """Every member's name and inflated bytes, in the order of the zip's directory."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise unreadable("zip-unopenable") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise unreadable("too-many-members", count=len(infos))
        inflated: dict[str, bytes] = {}
        budget = MAX_INFLATED
        for info in infos:
            content = _inflate(data, info, budget)
            budget -= len(content)
            inflated[info.filename] = content
    return inflated


def inflate_member(data: bytes, name: str, budget: int) -> bytes | None:
    """One member's inflated bytes (None when there is no such member), with the same checks
    as every member of a form, at most `budget` bytes: a 活动总结's text lies in one member
    beside photos that need not be inflated at all."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise unreadable("zip-unopenable") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise unreadable("too-many-members", count=len(infos))
        info = next((i for i in infos if i.filename == name), None)
        return None if info is None else _inflate(data, info, budget, budget)


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, cap: int = MAX_INFLATED) -> bytes:
    """A member's bytes, inflated with at most `budget` bytes left, its size and CRC checked."""
    if info.file_size > budget:
        raise unreadable("inflates-too-far", megabytes=cap // (1024 * 1024))
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise unreadable("zip-truncated")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    body_start = start + 30 + name_len + extra_len
    raw = data[body_start : body_start + info.compress_size]
    if len(raw) < info.compress_size:
        raise unreadable("zip-truncated")
    key = (info.compress_type, info.CRC, info.file_size, raw)
    known = _INFLATED.get(key) if len(raw) <= _KEPT_SIZE else None
    if known is not None:  # these very bytes inflated and checked before, to this size and CRC
        return known
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(raw, budget + 1)
        except zlib.error:
            raise unreadable("zip-data-error") from None
        if len(content) > budget or inflater.unconsumed_tail:
            raise unreadable("inflates-too-far", megabytes=cap // (1024 * 1024))
    else:
        raise unreadable("zip-method")
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise unreadable("zip-checksum")
    if len(content) <= _KEPT_SIZE:  # (inflated: 64 KB can hold a member of 30 MB of zeros)
        if len(_INFLATED) >= _KEPT:
            _INFLATED.clear()
        _INFLATED[key] = content
    return content


# Forms from one template share most members byte for byte (styles, theme, workbook, relations):
# a batch inflates and checks each distinct one once. Kept: members that inflate to at most
# 64 KB, at most 256 of them (16 MB).
_INFLATED: dict[tuple[int, int, int, bytes], bytes] = {}
_KEPT = 256
_KEPT_SIZE = 64 * 1024

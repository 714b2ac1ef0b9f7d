"""The text layer of a PDF 活动总结, read by pypdf in a child process (isolation.py): pypdf is
plain Python, but its advisories are crafted files that make it loop or allocate without end,
and a child has a time and a memory limit. A PDF without text (a scan) is said to be one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jc315cli.problems.errors import Jc315Error
from jc315cli.read.isolation import Isolated
from jc315cli.read.material_bytes import (
    MAX_CHARACTERS,
    MaterialBytes,
    Passage,
    not_checked,
    stopped,
)

MAX_PAGES = 200  # a summary has a few; a PDF of hundreds of pages is something else
MIN_TEXT = 10  # characters (not spaces) below which a PDF is a scan: a page number, a stamp
PDF_SECONDS = 20
PDF_MEMORY = 512 * 1024 * 1024

Outcome = tuple[str, Any]  # ("pages", [text…]) or (reason, fields) of material-not-checked


def pdf_pages(loaded: MaterialBytes, path: Path, material: str) -> list[Passage]:
    """A passage a page (第 1 页): the lines of a page are one text, as a reader reads on."""
    if b"%PDF-" not in loaded.data[:1024]:
        raise not_checked("damaged", path, error="不是 PDF 文件")
    try:
        kind, payload = _read_isolated(loaded.data)
    except Jc315Error as error:
        raise stopped(error, path) from None
    if kind != "pages":
        raise not_checked(kind, path, material=material, **payload)
    pages = [_joined(text) for text in payload]
    if sum(len(re.sub(r"\s", "", page)) for page in pages) < MIN_TEXT:
        raise not_checked("no-text", path)
    return [Passage(f"第 {n} 页", page) for n, page in enumerate(pages, start=1) if page]


def _joined(text: str) -> str:
    """A page's lines as one text: a statement broken at the end of a line (“开展普法宣传活动
    15\\n场次”) reads whole again. Chinese lines join without a space, Latin words with one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii():
            out += " "
        out += line
    return out


def _read_pdf(data: bytes) -> Outcome:
    """In the child: every page's text, or why not."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are not for a clerk
    try:
        reader = PdfReader(_stream(data), strict=False)
        if reader.is_encrypted and not _opened(reader):
            return "encrypted", {}
        count = len(reader.pages)
        if count > MAX_PAGES:
            return "too-complex", {"what": f"有 {count} 页"}
        pages: list[str] = []
        characters = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            characters += len(text)
            if characters > MAX_CHARACTERS:
                return "too-complex", {"what": "文字超过一百万字"}
            pages.append(text)
    except Exception:  # pypdf raises many kinds for a damaged file
        return "damaged", {"error": "PDF 文件已损坏或无法解析"}
    return "pages", pages


def _opened(reader: Any) -> bool:
    """A PDF locked only against editing opens with the empty password, as every viewer does."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unknown method, or AES without its library: locked for us
        return False


def _stream(data: bytes) -> Any:
    from io import BytesIO

    return BytesIO(data)


_read_isolated = Isolated(_read_pdf, seconds=PDF_SECONDS, memory=PDF_MEMORY)

"""The text of a 活动总结, where it can be read: .docx, a PDF with a text layer, .txt. What
cannot be read (.doc, .wps, a scan) is said so, with how to make it readable, never guessed.

A .docx is read here, not with python-docx: its words lie in one member, word/document.xml,
which zipped.py inflates alone with a cap (a summary carries photos that need not be inflated)
and defusedxml parses as a stream, its depth bounded, with no DTD or entity allowed. python-docx
would inflate and parse every part of the package, unbounded, through lxml, to give back the
same paragraphs. A PDF is read by pypdf in a child process (pdf_text.py): its reader has had
many denial-of-service advisories, and a child has a time and a memory limit.
"""

from __future__ import annotations

import codecs
from io import BytesIO
from pathlib import Path

from jc315cli.problems.errors import Jc315Error
from jc315cli.read.material_bytes import (
    MAX_CHARACTERS,
    MaterialBytes,
    Passage,
    load_material,
    not_checked,
)

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a summary with its photos inside; text alone is ~30 KB
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a .txt summary
MAX_XML = 16 * 1024 * 1024  # word/document.xml inflated; a long summary's is ~200 KB
MAX_DEPTH = 64  # XML elements nested; Word writes about 10 (a table in a table: ~20)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLD_FORMATS = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".odt": "OpenDocument 文档（.odt）",
    ".rtf": "RTF 文档（.rtf）",
}
READABLE = (".docx", ".pdf", ".txt")


def document_text(path: Path, material: str = "活动总结") -> list[Passage]:
    """The passages of a summary, in order. Raises Jc315Error(`material-not-checked`) with a
    registered reason when its text cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        what = OLD_FORMATS.get(suffix, f"{suffix or '无扩展名'} 文件")
        raise not_checked("old-format", path, what=what)
    limit = MAX_TEXT_BYTES if suffix == ".txt" else MAX_DOCUMENT_BYTES
    loaded = load_material(path, limit, material)
    if suffix == ".txt":
        return _paragraphs(_decoded(loaded), path)
    if suffix == ".pdf":
        from jc315cli.read.pdf_text import pdf_pages

        return pdf_pages(loaded, path, material)
    return _paragraphs(docx_paragraphs(loaded.data, path, material), path)


def _paragraphs(texts: list[str], path: Path) -> list[Passage]:
    """Non-empty paragraphs numbered as a reader counts them (blank lines are not paragraphs)."""
    kept = [t.strip() for t in texts if t.strip()]
    if sum(len(t) for t in kept) > MAX_CHARACTERS:
        raise not_checked("too-complex", path, what="文字超过一百万字", material="活动总结")
    return [Passage(f"第 {n} 段", text) for n, text in enumerate(kept, start=1)]


def _decoded(loaded: MaterialBytes) -> list[str]:
    """A .txt's lines: UTF-8 (with or without its BOM), UTF-16 with a BOM, or GB18030 (which
    holds GBK and GB2312, what Notepad on a Chinese Windows saves). A file with NUL bytes and
    no UTF-16 BOM is not text."""
    data = loaded.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise not_checked("not-text-encoding", loaded.path)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise not_checked("not-text-encoding", loaded.path)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx_paragraphs(data: bytes, path: Path, material: str = "活动总结") -> list[str]:
    """Every paragraph's text of word/document.xml, in the order of the document (those in
    tables and text boxes too, a text box once), tracked deletions left out."""
    from jc315cli.read.zipped import inflate_member

    if data.startswith(_OLE):  # an encrypted .docx is an OLE file; so is a .doc renamed
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise not_checked("encrypted", path)
        raise not_checked("old-format", path, what=OLD_FORMATS[".doc"])
    try:
        xml = inflate_member(data, "word/document.xml", MAX_XML)
    except Jc315Error as error:
        raise _as_not_checked(error, path, material) from None
    if xml is None:
        raise not_checked("damaged", path, error="缺少 word/document.xml")
    return _walk(xml, path, material)


def _as_not_checked(error: Jc315Error, path: Path, material: str) -> Jc315Error:
    """A zip that cannot be inflated within the bounds, said of a material."""
    reason = error.problem.reason
    if reason == "too-many-members":
        return not_checked(
            "too-complex",
            path,
            what=f"压缩包内有 {error.fields['count']} 个文件",
            material=material,
        )
    if reason == "inflates-too-far":
        return not_checked("too-complex", path, what="解压后文字内容过大", material=material)
    return not_checked("damaged", path, error="不是有效的 Word 文档")


def _walk(xml: bytes, path: Path, material: str) -> list[str]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    paragraphs: list[str] = []
    parts: list[str] = []
    depth = skipped = characters = 0  # skipped: inside a Fallback (a text box's second copy)
    try:
        for event, element in iterparse(BytesIO(xml), events=("start", "end")):
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise not_checked(
                        "too-complex", path, what=f"层级超过 {MAX_DEPTH} 层", material=material
                    )
                skipped += element.tag == FALLBACK
                continue
            depth -= 1
            tag = element.tag
            if tag == FALLBACK:
                skipped -= 1
            elif skipped:
                pass
            elif tag == f"{W}t":
                parts.append(element.text or "")
                characters += len(element.text or "")
            elif tag == f"{W}tab":
                parts.append(" ")
            elif tag == f"{W}p":
                paragraphs.append("".join(parts))
                parts = []
            if characters > MAX_CHARACTERS:
                raise not_checked("too-complex", path, what="文字超过一百万字", material=material)
            if tag in (f"{W}p", f"{W}tbl"):
                element.clear()  # what was read is let go: memory stays that of one paragraph
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise not_checked("damaged", path, error=_xml_error(exc)) from None
    return paragraphs


def _xml_error(exc: Exception) -> str:
    from defusedxml import DefusedXmlException

    return (
        "含有不允许的 DTD 或实体定义"
        if isinstance(exc, DefusedXmlException)
        else "文字内容无法解析"
    )

"""Reading a 活动总结's text: real .docx (python-docx), PDFs (LibreOffice's, pypdf's, Pillow's
scan), .txt in the encodings Chinese Windows saves; what cannot be read said plainly, with how
to make it readable; hostile files (zip bombs, nested and entity-laden XML, a thousand pages)
bounded like a form, each with its reason and never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from jc315cli.problems.errors import Jc315Error
from jc315cli.read import document_text as reading
from jc315cli.read import pdf_text
from jc315cli.read.document_text import MAX_DEPTH, document_text
from jc315cli.read.isolation import Isolated
from tests.fixtures.make_materials import HONEST, write_docx

MATERIALS = Path(__file__).resolve().parent / "fixtures" / "materials"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def not_checked(path: Path) -> tuple[str | None, str, str]:
    with pytest.raises(Jc315Error) as caught:
        document_text(path)
    problem = caught.value.problem
    assert problem.code == "material-not-checked" and problem.severity == "info"
    return problem.reason, problem.message, problem.hint


def docx_with(path: Path, body: str, *, extra: dict[str, bytes] | None = None) -> Path:
    """A .docx whose word/document.xml holds `body` (deflated, as Word writes it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


# --- what can be read -------------------------------------------------------------------------


def test_a_docx_reads_as_its_paragraphs(tmp_path: Path) -> None:
    passages = document_text(write_docx(tmp_path / "总结.docx", HONEST))
    assert [p.text for p in passages] == list(HONEST)
    assert [p.where for p in passages[:2]] == ["第 1 段", "第 2 段"]


def test_a_docx_table_text_box_and_tracked_deletion(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("开头")
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text, cells[1].text = "接受咨询", "735件"
    document.add_paragraph("")  # an empty paragraph is no paragraph to a reader
    document.add_paragraph("结尾")
    document.save(str(tmp_path / "表格.docx"))
    assert [p.text for p in document_text(tmp_path / "表格.docx")] == [
        "开头",
        "接受咨询",
        "735件",
        "结尾",
    ]
    body = (
        f'<w:document {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<w:body><w:p><w:r><w:t>开展普法宣传活动</w:t></w:r><w:del><w:r><w:delText>15</w:delText>"
        "</w:r></w:del><w:ins><w:r><w:t>24</w:t></w:r></w:ins><w:r><w:t>场次</w:t></w:r></w:p>"
        "<w:p><mc:AlternateContent><mc:Choice><w:p><w:r><w:t>文本框</w:t></w:r></w:p></mc:Choice>"
        "<mc:Fallback><w:p><w:r><w:t>文本框</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>"
        "</w:p></w:body></w:document>"
    )
    texts = [p.text for p in document_text(docx_with(tmp_path / "修订.docx", body))]
    assert texts == ["开展普法宣传活动24场次", "文本框"]


def test_a_pdf_printed_by_libreoffice_reads_by_page() -> None:
    (page,) = document_text(MATERIALS / "summary-differs.pdf")
    assert page.where == "第 1 页"
    assert "开展普法宣传活动15 场次" in page.text  # the lines of a page read on


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b""), ("utf-16", b"")],
)
def test_a_txt_in_the_encodings_windows_saves(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "总结.txt"
    path.write_bytes(prefix + "活动总结\r\n\r\n开展普法宣传活动24场次。\r\n".encode(encoding))
    assert [p.text for p in document_text(path)] == ["活动总结", "开展普法宣传活动24场次。"]


# --- what cannot be read, said so -------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "what"),
    [(".doc", "旧版 Word 文档（.doc）"), (".wps", "WPS 文字文档（.wps）"), (".odt", "OpenDocument 文档（.odt）"),
     (".rtf", "RTF 文档（.rtf）")],
)  # fmt: skip
def test_a_format_whose_text_is_not_read(tmp_path: Path, suffix: str, what: str) -> None:
    path = tmp_path / f"总结{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    reason, message, hint = not_checked(path)
    assert reason == "old-format" and f"是{what}" in message and "未与统计表核对" in message
    assert "另存为 .docx" in hint


def test_a_doc_renamed_docx_is_said_to_be_a_doc(tmp_path: Path) -> None:
    path = tmp_path / "总结.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert not_checked(path)[0] == "old-format"


def test_a_scanned_pdf_has_no_text(tmp_path: Path) -> None:
    from PIL import Image

    scan = Image.new("RGB", (600, 800), "white")
    scan.save(tmp_path / "扫描件.pdf")  # a picture in a PDF: what a scanner makes
    reason, message, hint = not_checked(tmp_path / "扫描件.pdf")
    assert reason == "no-text" and "扫描件" in message and ".docx" in hint


def test_an_encrypted_pdf_and_one_locked_only_against_editing(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    for name, user in (("加密.pdf", "secret"), ("只限编辑.pdf", "")):
        writer = PdfWriter(clone_from=PdfReader(MATERIALS / "summary-differs.pdf"))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        with open(tmp_path / name, "wb") as handle:
            writer.write(handle)
    assert not_checked(tmp_path / "加密.pdf")[0] == "encrypted"
    assert "15 场次" in document_text(tmp_path / "只限编辑.pdf")[0].text


def test_an_encrypted_docx(tmp_path: Path) -> None:
    path = tmp_path / "总结.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    assert not_checked(path)[0] == "encrypted"


@pytest.mark.parametrize(
    ("name", "data"),
    [("总结.docx", b"PK\x03\x04 not really a zip"), ("总结.pdf", b"%PDF-1.7\n garbage"),
     ("总结.pdf", b"<html>not a pdf</html>"), ("空.docx", b"")],
)  # fmt: skip
def test_a_damaged_summary(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    reason, message, _ = not_checked(path)
    assert reason == "damaged" and "无法打开" in message


def test_a_docx_without_its_document(tmp_path: Path) -> None:
    path = tmp_path / "总结.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "缺少 word/document.xml" in not_checked(path)[1]


def test_a_txt_that_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "b.txt").write_bytes(b"\x80\xff\xfe\x80")
    assert not_checked(tmp_path / "a.txt")[0] == "not-text-encoding"
    assert not_checked(tmp_path / "b.txt")[0] == "not-text-encoding"


# --- hostile files, bounded -------------------------------------------------------------------


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "总结.docx"
    with path.open("wb") as handle:
        handle.truncate(reading.MAX_DOCUMENT_BYTES + 1)  # sparse: nothing is written
    reason, message, _ = not_checked(path)
    assert reason == "too-large" and "超过 50 MB" in message


def test_a_zip_bomb_docx(tmp_path: Path) -> None:
    body = f"<w:document {W}><w:body>" + "<w:p/>" * 4_000_000 + "</w:body></w:document>"
    path = docx_with(tmp_path / "炸弹.docx", body)
    assert path.stat().st_size < 200_000  # 24 MB of XML in a small file
    reason, message, _ = not_checked(path)
    assert reason == "too-complex" and "解压后文字内容过大" in message


def test_a_docx_with_photos_inside_reads_only_its_text(tmp_path: Path) -> None:
    photos = {f"word/media/image{n}.jpeg": bytes(3_000_000) for n in range(12)}  # 36 MB
    body = f"<w:document {W}><w:body><w:p><w:r><w:t>总结</w:t></w:r></w:p></w:body></w:document>"
    path = docx_with(tmp_path / "带照片.docx", body, extra=photos)
    assert [p.text for p in document_text(path)] == ["总结"]


def test_a_docx_of_too_many_members(tmp_path: Path) -> None:
    members = {f"word/part{n}.xml": b"" for n in range(1_001)}
    path = docx_with(tmp_path / "多.docx", f"<w:document {W}/>", extra=members)
    reason, message, _ = not_checked(path)
    assert reason == "too-complex" and "1003 个文件" in message


def test_deeply_nested_xml(tmp_path: Path) -> None:
    body = f"<w:document {W}>" + "<w:p>" * 100_000 + "</w:p>" * 100_000 + "</w:document>"
    reason, message, _ = not_checked(docx_with(tmp_path / "嵌套.docx", body))
    assert reason == "too-complex" and f"层级超过 {MAX_DEPTH} 层" in message


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    body = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "哈">{laughs}]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    reason, message, _ = not_checked(docx_with(tmp_path / "实体.docx", body))
    assert reason == "damaged" and "DTD 或实体" in message


def test_a_docx_of_too_much_text(tmp_path: Path) -> None:
    body = f"<w:document {W}><w:body><w:p><w:r><w:t>{'字' * 1_000_001}</w:t></w:r></w:p></w:body></w:document>"
    reason, message, _ = not_checked(docx_with(tmp_path / "长.docx", body))
    assert reason == "too-complex" and "一百万字" in message


def test_a_pdf_of_too_many_pages(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pdf_text.MAX_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "长.pdf", "wb") as handle:
        writer.write(handle)
    reason, message, _ = not_checked(tmp_path / "长.pdf")
    assert reason == "too-complex" and "有 201 页" in message


def test_a_pdf_read_past_its_time_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real reader in a real child, with a time limit no PDF can meet."""
    hurried = Isolated(pdf_text._read_pdf, seconds=0.001, memory=pdf_text.PDF_MEMORY)
    monkeypatch.setattr(pdf_text, "_read_isolated", hurried)
    try:
        reason, message, _ = not_checked(MATERIALS / "summary-honest.pdf")
    finally:
        hurried.stop()
    assert reason == "stopped" and "超过 0.001 秒仍未完成" in message


def test_a_pdf_with_no_header_is_not_given_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "总结.pdf"
    path.write_bytes(io.BytesIO(b"x" * 2048).getvalue())
    assert "不是 PDF 文件" in not_checked(path)[1]

"""Photos against the campaign: real JPEG and PNG files made with Pillow (photo-like scenes,
with and without EXIF), re-saved, resized, cropped and turned copies, sent by two units or found
in last year's collection folder; and hostile images (huge dimensions, a decompression bomb,
broken EXIF, a truncated file) bounded before they are decoded."""

from __future__ import annotations

import io
import itertools
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jc315cli.check.against import LastYear
from jc315cli.check.photos import SAME_LOOK
from jc315cli.check.validate import validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import MaterialChecks
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport
from jc315cli.read.photo import MAX_PHOTO_BYTES, Photo, exif_date, look_at_photo
from tests.conftest import EXAMPLES

ZEZHOU, GAOPING = "泽州县市场监督管理局", "高平市市场监督管理局"
IN_CAMPAIGN, LAST_YEAR = "2023:03:15 10:20:30", "2022:03:15 09:00:00"


def scene(seed: int, size: tuple[int, int] = (800, 600)) -> Any:
    """A photo-like picture: a sky-to-ground gradient, shapes, blur and sensor noise."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    width, height = size
    top, bottom = ([rnd.randrange(256) for _ in range(3)] for _ in range(2))
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * y / height) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(rnd.randrange(15, 40)):
        x0, y0 = rnd.randrange(-100, width), rnd.randrange(-100, height)
        box = [x0, y0, x0 + rnd.randrange(25, 350), y0 + rnd.randrange(25, 350)]
        fill = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=fill)
    grain = bytes(128 + int(rnd.gauss(0, 20)) % 128 for _ in range(width * height // 16))
    noise = Image.frombytes("L", (width // 4, height // 4), grain).resize(size).convert("RGB")
    return Image.blend(picture.filter(ImageFilter.GaussianBlur(2)), noise, 0.12)


def save(
    picture: Any,
    path: Path,
    *,
    taken: str | None = None,
    orientation: int | None = None,
    **options: Any,
) -> Path:
    from PIL import Image

    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken
    if orientation is not None:
        exif[0x0112] = orientation
    fmt = "PNG" if path.suffix.lower() == ".png" else "JPEG"
    picture.save(path, fmt, exif=exif, **options)
    return path


def hashed(picture: Any, tmp_path: Path, name: str = "p.jpg", **options: Any) -> Photo:
    return look_at_photo(save(picture, tmp_path / name, **options))


def distance(a: Photo, b: Photo) -> int:
    assert a.dhash is not None and b.dhash is not None
    return bin(a.dhash ^ b.dhash).count("1")


def not_checked(path: Path) -> tuple[str | None, str]:
    with pytest.raises(Jc315Error) as caught:
        look_at_photo(path)
    assert caught.value.problem.code == "material-not-checked"
    return caught.value.problem.reason, caught.value.problem.message


def collection(tmp_path: Path) -> Path:
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    for unit in ("泽州县", "高平市"):
        (folder / unit).mkdir()
    return folder


def notes(report: BatchReport, code: str) -> list[tuple[str | None, str]]:
    return [
        (n.reporter, n.problem.message) for n in report.material_notes if n.problem.code == code
    ]


# --- the likeness threshold, measured ---------------------------------------------------------


def test_copies_are_within_the_threshold_and_other_photos_far_beyond(tmp_path: Path) -> None:
    """The figures behind SAME_LOOK (photos.py), on a smaller set: every re-saved, resized,
    brightened copy within it; every other photo far from it."""
    from PIL import ImageEnhance

    originals = [scene(seed) for seed in range(6)]
    hashes = [hashed(p, tmp_path, quality=95) for p in originals]
    copies: dict[str, Callable[[Any], Photo]] = {
        "JPEG 质量 20": lambda p: hashed(p, tmp_path, quality=20),
        "JPEG 质量 60": lambda p: hashed(p, tmp_path, quality=60),
        "缩小一半": lambda p: hashed(p.resize((400, 300)), tmp_path),
        "缩略图": lambda p: hashed(p.resize((160, 120)), tmp_path),
        "PNG": lambda p: hashed(p, tmp_path, "p.png"),
        "亮 10%": lambda p: hashed(ImageEnhance.Brightness(p).enhance(1.1), tmp_path),
    }
    for name, copy in copies.items():
        far = max(distance(h, copy(p)) for p, h in zip(originals, hashes, strict=True))
        assert far < SAME_LOOK, name
    others = min(distance(a, b) for a, b in itertools.combinations(hashes, 2))
    assert others > 2 * SAME_LOOK


def test_a_photo_turned_by_its_exif_hashes_as_it_is_seen(tmp_path: Path) -> None:
    from PIL import Image

    upright = scene(7)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what a phone stores, with tag 6
    assert (
        distance(hashed(upright, tmp_path), hashed(stored, tmp_path, "turned.jpg", orientation=6))
        <= 2
    )


def test_a_plain_picture_is_not_compared_by_its_look(tmp_path: Path) -> None:
    from PIL import Image

    assert hashed(Image.new("RGB", (640, 480), "white"), tmp_path).dhash is None


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [("2023:03:15 10:20:30", "2023-03-15"), (b"2023:03:15 10:20:30\x00", "2023-03-15"),
     ("0000:00:00 00:00:00", None), ("2023:02:30 00:00:00", None), ("", None), (None, None),
     (12345, None)],
)  # fmt: skip
def test_the_exif_date(written: object, day: str | None) -> None:
    found = exif_date(written)
    assert (found.isoformat() if found else None) == day


def test_a_photo_taken_outside_the_campaign_is_a_note(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    save(scene(1), folder / "泽州县" / "现场.jpg", taken=IN_CAMPAIGN)
    save(scene(2), folder / "泽州县" / "旧照.jpg", taken=LAST_YEAR)
    save(scene(3), folder / "泽州县" / "无日期.png")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert notes(report, "photo-date-outside") == [
        (ZEZHOU, "“旧照.jpg”的拍摄日期是 2022-03-15，不在本次活动期间（2023-02-20 至 2023-03-22）")
    ]
    note = next(n for n in report.material_notes if n.problem.code == "photo-date-outside")
    assert note.problem.severity == "info" and note.material == "图片资料"
    assert report.contents[ZEZHOU].photos == 3


# --- the same photo twice ---------------------------------------------------------------------


def test_the_same_photo_sent_by_two_units(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    original = save(scene(4), folder / "泽州县" / "咨询台.jpg", taken=IN_CAMPAIGN, quality=92)
    shutil.copy(original, folder / "高平市" / "宣传现场.jpg")  # the very bytes
    from PIL import Image

    resized = Image.open(original).resize((400, 300))
    save(resized, folder / "高平市" / "宣传现场-小.jpg", quality=70)  # re-saved, smaller
    save(scene(5), folder / "高平市" / "另一张.jpg")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert sorted(notes(report, "photo-shared")) == sorted(
        [
            (
                ZEZHOU,
                "“咨询台.jpg”与高平市市场监督管理局报送的“宣传现场.jpg”是同一张照片（文件完全相同）",
            ),
            (
                GAOPING,
                "“宣传现场.jpg”与泽州县市场监督管理局报送的“咨询台.jpg”是同一张照片（文件完全相同）",
            ),
            (
                ZEZHOU,
                "“咨询台.jpg”与高平市市场监督管理局报送的“宣传现场-小.jpg”是同一张照片（画面相同，大小或压缩不同）",
            ),
            (
                GAOPING,
                "“宣传现场-小.jpg”与泽州县市场监督管理局报送的“咨询台.jpg”是同一张照片（画面相同，大小或压缩不同）",
            ),
        ]
    )
    shared = next(n for n in report.material_notes if n.problem.code == "photo-shared")
    assert shared.problem.severity == "warning" and report.ok  # 核实, never refused


def test_one_units_own_copies_are_no_news(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    original = save(scene(6), folder / "泽州县" / "a.jpg")
    shutil.copy(original, folder / "泽州县" / "a-副本.jpg")
    assert notes(validate_paths([folder], DEFAULT_CAMPAIGN), "photo-shared") == []


def photos_of(folder: Path) -> LastYear:
    """Last year with no figures, only its collection folder: the photos are what is looked at."""
    return LastYear(year=2022, values={}, folder=folder)


def test_last_years_photo_sent_again(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    last = tmp_path / "2022年3·15"
    (last / "收回" / "泽州县").mkdir(parents=True)
    old = save(scene(8), last / "收回" / "泽州县" / "IMG_0001.jpg", taken=LAST_YEAR)
    from PIL import Image

    save(Image.open(old).resize((640, 480)), folder / "泽州县" / "现场.jpg", quality=80)
    (last / "收回" / "泽州县" / "坏的.jpg").write_bytes(b"not a photo")  # last year's business
    report = validate_paths([folder], DEFAULT_CAMPAIGN, last_year=photos_of(last))
    assert notes(report, "photo-last-year") == [
        (
            ZEZHOU,
            "“现场.jpg”与往年收集的“2022年3·15/收回/泽州县/IMG_0001.jpg”是同一张照片（画面相同，大小或压缩不同）",
        )
    ]
    # The same folder given as last year's is not last year's: a photo is not its own copy.
    again = validate_paths([folder], DEFAULT_CAMPAIGN, last_year=photos_of(folder))
    assert notes(again, "photo-last-year") == []


def test_a_unit_may_send_no_photos_and_a_campaign_may_not_check_them(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    save(scene(9), folder / "泽州县" / "旧照.jpg", taken=LAST_YEAR)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert report.contents[GAOPING].photos == 0 and not notes(report, "material-not-checked")
    off = DEFAULT_CAMPAIGN.model_copy(update={"material_checks": MaterialChecks(photos="")})
    quiet = validate_paths([folder], off)
    assert notes(quiet, "photo-date-outside") == [] and quiet.contents[ZEZHOU].photos == 0


# --- what is not looked at ----------------------------------------------------------------------


def test_heic_and_archives_are_listed_as_not_checked(tmp_path: Path) -> None:
    folder = collection(tmp_path)
    (folder / "泽州县" / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic")
    with zipfile.ZipFile(folder / "泽州县" / "照片.zip", "w") as archive:
        for n in range(3):
            archive.writestr(f"现场{n}.jpg", b"jpeg")
        archive.writestr("说明.txt", b"")
    (folder / "泽州县" / "照片.rar").write_bytes(b"Rar!\x1a\x07\x00")
    messages = [
        m for _, m in notes(validate_paths([folder], DEFAULT_CAMPAIGN), "material-not-checked")
    ]
    assert messages == [
        "“IMG_0001.HEIC”是HEIC 格式的照片（.heic），只核对 JPEG 和 PNG 照片的拍摄日期和是否重复",
        "压缩包“照片.rar”不会解开，其中的图片未核对拍摄日期和是否重复",
        "压缩包“照片.zip”（内有 3 张图片）不会解开，其中的图片未核对拍摄日期和是否重复",
    ]


# --- hostile images, bounded ------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width`×`height` pixels and holds a few bytes of them."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header is changed to declare `width`×`height`."""
    buffer = io.BytesIO()
    scene(10, (64, 48)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "大.png",
            png_header(8_000, 8_000),
            "有 8000×8000 像素",
        ),  # within Pillow's limit, not ours
        ("炸弹.png", png_header(100_000, 100_000), "像素过多"),  # Pillow's own bomb limit, set here
        ("大.jpg", jpeg_declaring(20_000, 15_000), "有 20000×15000 像素"),
    ],
)
def test_huge_dimensions_are_refused_before_decoding(
    tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    (tmp_path / name).write_bytes(data)
    reason, message = not_checked(tmp_path / name)
    assert reason == "too-complex" and said in message


def test_broken_exif_is_no_date_not_a_failure(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    scene(11).save(buffer, "JPEG")
    data = buffer.getvalue()
    garbage = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff" + bytes(range(256)) * 4
    broken = data[:2] + b"\xff\xe1" + struct.pack(">H", len(garbage) + 2) + garbage + data[2:]
    (tmp_path / "坏EXIF.jpg").write_bytes(broken)
    photo = look_at_photo(tmp_path / "坏EXIF.jpg")
    assert photo.taken is None and photo.dhash is not None


def test_a_truncated_or_false_image_is_damaged(tmp_path: Path) -> None:
    whole = save(scene(12), tmp_path / "整.jpg").read_bytes()
    (tmp_path / "半.jpg").write_bytes(whole[: len(whole) // 3])
    (tmp_path / "假.png").write_bytes(b"GIF89a not a png")
    for name, said in (
        ("半.jpg", "图片数据不完整或已损坏"),
        ("假.png", "文件内容不是 JPEG 或 PNG 图片"),
    ):
        reason, message = not_checked(tmp_path / name)
        assert reason == "damaged" and said in message


def test_a_photo_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with (tmp_path / "大.jpg").open("wb") as handle:
        handle.truncate(MAX_PHOTO_BYTES + 1)
    reason, message = not_checked(tmp_path / "大.jpg")
    assert reason == "too-large" and "超过 50 MB" in message

"""What a photo says of itself: when it was taken (EXIF) and what it looks like (a 64-bit
difference hash, dHash), read by Pillow in a child process (isolation.py), as an .xls is: an
image decoder is native code fed a file from outside.

Bounded before decoding: the file's size, and the pixels its header declares (Pillow's own
decompression-bomb limit is set here explicitly, and the header is looked at before anything is
decoded). A JPEG is decoded at an eighth of its size at most (draft mode): the hash needs 9×8
pixels. Broken EXIF is no date, never a traceback.

dHash: the picture in grey, shrunk to 9×8 by averaging, one bit for each pair of neighbours in
a row (is the left one brighter?). A re-saved or resized copy keeps nearly every bit; another
photo differs in about half of them (measured: check/photos.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jc315cli.problems.errors import Jc315Error
from jc315cli.read.isolation import Isolated
from jc315cli.read.material_bytes import MaterialBytes, load_material, not_checked, stopped

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")
MAX_PHOTO_BYTES = 50 * 1024 * 1024  # a 200-megapixel phone photo is ~40 MB
MAX_JPEG_PIXELS = 250_000_000  # decoded at 1/8 at most: ~4 megapixels in memory
MAX_PNG_PIXELS = 50_000_000  # decoded whole (PNG has no draft mode): ~200 MB in RGBA
DRAFT = 256  # a JPEG is decoded at the smallest scale that keeps this many pixels a side
PHOTO_SECONDS = 10
PHOTO_MEMORY = 512 * 1024 * 1024
PLAIN = 8  # grey levels between the darkest and lightest of the 9×8: less is a plain picture
EXIF_IFD, DATE_TAKEN, DATE_DIGITIZED, ORIENTATION = 0x8769, 36867, 36868, 0x0112


@dataclass(frozen=True)
class Photo:
    path: Path
    sha256: str
    width: int
    height: int
    taken: date | None  # EXIF DateTimeOriginal (or DateTimeDigitized); None when absent
    dhash: int | None  # None for a picture too plain to be told from another by its look


def look_at_photo(path: Path, material: str = "图片资料") -> Photo:
    """Raises Jc315Error(`material-not-checked`) when the photo cannot be looked at."""
    loaded = load_material(path, MAX_PHOTO_BYTES, material)
    return photo_of(loaded, material)


def photo_of(loaded: MaterialBytes, material: str) -> Photo:
    try:
        kind, payload = _read_isolated(loaded.data)
    except Jc315Error as error:
        raise stopped(error, loaded.path) from None
    if kind != "photo":
        raise not_checked(kind, loaded.path, material=material, **payload)
    width, height, taken, dhash = payload
    return Photo(loaded.path, loaded.sha256, width, height, taken, dhash)


def _look(data: bytes) -> tuple[str, Any]:
    """In the child: ("photo", (width, height, taken, dhash)) or (reason, fields)."""
    from io import BytesIO

    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS  # set here, not left to Pillow's default
    try:
        with Image.open(BytesIO(data), formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_PNG_PIXELS
            if width * height > limit:
                what = f"有 {width}×{height} 像素（超过 {limit // 10_000} 万）"
                return "too-complex", {"what": what}
            taken, orientation = _exif(image)
            if image.format == "JPEG":
                image.draft("L", (DRAFT, DRAFT))
            grey = image.convert("L")
    except Image.DecompressionBombError:
        return "too-complex", {"what": "像素过多"}
    except Exception as exc:  # Pillow raises many kinds for a damaged image
        return "damaged", {"error": _said(exc)}
    return "photo", (width, height, taken, dhash(_upright(grey, orientation)))


def _said(exc: Exception) -> str:
    """What Pillow's failure means for a person, when it is one of the known ones."""
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "文件内容不是 JPEG 或 PNG 图片"
    if isinstance(exc, (OSError, SyntaxError)):
        return "图片数据不完整或已损坏"
    return "不是完好的 JPEG 或 PNG 图片"


def _exif(image: Any) -> tuple[date | None, int]:
    """The date taken and the EXIF orientation (1: as stored). EXIF is a file in a file:
    whatever fails in it means no date and no turn, never a failed photo."""
    try:
        exif = image.getexif()
        orientation = exif.get(ORIENTATION, 1)
        inner = exif.get_ifd(EXIF_IFD)
        written = inner.get(DATE_TAKEN) or inner.get(DATE_DIGITIZED)
    except Exception:
        return None, 1
    return exif_date(written), orientation if orientation in range(1, 9) else 1


def exif_date(written: object) -> date | None:
    """ "2023:03:15 10:20:30" → 2023-03-15; anything else (0000:00:00, bytes, a slip) → None."""
    if isinstance(written, bytes):
        written = written.decode("ascii", "replace")
    match = re.match(r"\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})", str(written or ""))
    if not match:
        return None
    try:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    except ValueError:
        return None


def _upright(grey: Any, orientation: int) -> Any:
    """The picture as a person sees it: a phone stores it turned and says so in EXIF; a copy
    saved by an editor is stored upright. Both must hash the same."""
    from PIL import Image

    turns = {
        2: [Image.Transpose.FLIP_LEFT_RIGHT],
        3: [Image.Transpose.ROTATE_180],
        4: [Image.Transpose.FLIP_TOP_BOTTOM],
        5: [Image.Transpose.TRANSPOSE],
        6: [Image.Transpose.ROTATE_270],
        7: [Image.Transpose.TRANSVERSE],
        8: [Image.Transpose.ROTATE_90],
    }
    for turn in turns.get(orientation, []):
        grey = grey.transpose(turn)
    return grey


def dhash(grey: Any) -> int | None:
    """The 64-bit difference hash of a grey picture; None when it is too plain to compare."""
    from PIL import Image

    small = grey.resize((9, 8), Image.Resampling.BOX)
    pixels = list(small.getdata())
    if max(pixels) - min(pixels) < PLAIN:
        return None
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return bits


_read_isolated = Isolated(_look, seconds=PHOTO_SECONDS, memory=PHOTO_MEMORY)

"""The figures behind SAME_LOOK (check/photos.py): how many of its 64 dHash bits a photo keeps
when it is re-saved, resized, brightened or cropped, and how far apart different photos are.
The photos are made with Pillow the way tests/test_photos.py makes them, at 1600×1200.

    python benchmarks/bench_photo_likeness.py              # 60 photos, 20 copied each way
    python benchmarks/bench_photo_likeness.py --photos 20  # quicker
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_photos import scene  # noqa: E402

from jc315cli.read.photo import dhash  # noqa: E402


def hashed(picture: Any) -> int:
    value = dhash(picture.convert("L"))
    assert value is not None
    return value


def resaved(picture: Any, quality: int) -> Any:
    from PIL import Image

    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def cropped(picture: Any, share: float) -> Any:
    dx, dy = int(picture.width * share), int(picture.height * share)
    return picture.crop((dx, dy, picture.width - dx, picture.height - dy))


def copies() -> dict[str, Callable[[Any], Any]]:
    from PIL import ImageEnhance

    return {
        "JPEG quality 90": lambda p: resaved(p, 90),
        "JPEG quality 50": lambda p: resaved(p, 50),
        "JPEG quality 20": lambda p: resaved(p, 20),
        "resized to 50%": lambda p: p.resize((p.width // 2, p.height // 2)),
        "resized to 25%, quality 60": lambda p: resaved(
            p.resize((p.width // 4, p.height // 4)), 60
        ),
        "thumbnail 160×120": lambda p: p.resize((160, 120)),
        "10% brighter": lambda p: ImageEnhance.Brightness(p).enhance(1.1),
        "20% less contrast": lambda p: ImageEnhance.Contrast(p).enhance(0.8),
        "cropped 2% a side": lambda p: cropped(p, 0.02),
        "cropped 5% a side": lambda p: cropped(p, 0.05),
        "cropped 10% a side": lambda p: cropped(p, 0.10),
        "another shot, 5% aside": lambda p: p.crop((p.width // 20, 0, p.width, p.height)).resize(
            p.size
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--copied", type=int, default=20)
    args = parser.parse_args()
    photos = [scene(seed, (1600, 1200)) for seed in range(args.photos)]
    hashes = [hashed(p) for p in photos]
    for name, copy in copies().items():
        bits = [
            bin(h ^ hashed(copy(p))).count("1")
            for p, h in zip(photos[: args.copied], hashes, strict=False)
        ]
        print(f"{name:28s} bits apart: {min(bits)}–{max(bits)}, mean {statistics.mean(bits):.1f}")
    apart = sorted(bin(a ^ b).count("1") for a, b in itertools.combinations(hashes, 2))
    print(
        f"different photos ({len(apart)} pairs): min {apart[0]}, 1st percentile {apart[len(apart) // 100]}, mean {statistics.mean(apart):.1f}"
    )


if __name__ == "__main__":
    main()

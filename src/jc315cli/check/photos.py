"""Photos against the campaign: taken outside its window (a 提示: a camera's clock can be
wrong), and the same photo sent by two reporters or found among last year's (核实: whose
activity it shows is for a person to ask).

The same photo is the same bytes, or a dHash (read/photo.py) at most SAME_LOOK bits apart.
Measured (benchmarks/bench_photo_likeness.py) on 60 photo-like pictures of 1600×1200 made with
Pillow as the tests make them, 20 copied each way: re-saved as JPEG at quality 20–90, resized
to a half, a quarter or a 160×120 thumbnail, a copy is 0–4 bits from its original; 10 %
brighter 0–8, 20 % less contrast 0–5; cropped by 2 % of each side 2–8, by 5 % 7–16, by 10 %
13–28; a second shot a step aside (5 %) 5–15; two different pictures 16 or more (1,770 pairs,
1 % under 20). 8 finds every re-saved, resized or lightly edited copy and most lightly
cropped ones, never another picture; a second shot of the same scene may be found, which is
why it is a question to ask (核实), never a verdict.

Pairs are found through buckets, not by comparing every photo with every other: two hashes at
most SAME_LOOK bits apart agree in at least one of SAME_LOOK + 1 slices of their bits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jc315cli.model.campaign import Campaign
from jc315cli.problems.registry import problem
from jc315cli.problems.report import MaterialNote
from jc315cli.read.photo import Photo

SAME_LOOK = 8  # bits of 64 two hashes of one photo may differ in (see the docstring)
WINDOW_WITHOUT_ISSUE = timedelta(days=60)  # before the deadline, when no issue date is known
SAME_BYTES = "文件完全相同"
SAME_PICTURE = "画面相同，大小或压缩不同"


@dataclass(frozen=True)
class Sent:
    """A photo and whose it is: a reporter's full name, or None for last year's."""

    reporter: str | None
    photo: Photo
    place: str  # how it is named to a person: a file name, or a path in last year's folder


def activity_window(campaign: Campaign) -> tuple[date, date]:
    """When photos of this campaign's activities can be taken: from the notice (issued_on) to
    the deadline, or the 60 days before the deadline when the campaign has no issue date."""
    first = campaign.issued_on or campaign.deadline - WINDOW_WITHOUT_ISSUE
    return first, campaign.deadline


def dated_outside(sent: Sent, window: tuple[date, date], material: str) -> MaterialNote | None:
    taken = sent.photo.taken
    if taken is None or window[0] <= taken <= window[1]:
        return None
    found = problem(
        "photo-date-outside", file=sent.place, day=taken.isoformat(),
        first=window[0].isoformat(), last=window[1].isoformat(),
    )  # fmt: skip
    return MaterialNote(
        reporter=sent.reporter, material=material, path=str(sent.photo.path), problem=found
    )


def same_photos(this_year: list[Sent], last_year: list[Sent], material: str) -> list[MaterialNote]:
    """A note to each reporter of a photo also sent by another reporter, naming the other, and
    of one found among last year's; the same photo twice in one reporter's folder is no news."""
    everyone = [*this_year, *last_year]
    notes: list[MaterialNote] = []
    told: set[tuple[str, str]] = set()  # (photo, other place) said once
    for a, b, how in _pairs(everyone):
        for this, other in ((a, b), (b, a)):
            if this.reporter is None or this.reporter == other.reporter:
                continue
            key = (str(this.photo.path), str(other.photo.path))
            if key in told:
                continue
            told.add(key)
            if other.reporter is None:
                found = problem("photo-last-year", file=this.place, other_file=other.place, how=how)
            else:
                found = problem(
                    "photo-shared", file=this.place, other_reporter=other.reporter,
                    other_file=other.place, how=how,
                )  # fmt: skip
            notes.append(
                MaterialNote(
                    reporter=this.reporter,
                    material=material,
                    path=str(this.photo.path),
                    problem=found,
                )  # fmt: skip
            )
    return notes


def _pairs(photos: list[Sent]) -> Iterator[tuple[Sent, Sent, str]]:
    """Every pair of the same photo, once, in the order of the list."""
    seen: set[tuple[int, int]] = set()
    by_bytes: dict[str, list[int]] = defaultdict(list)
    for index, sent in enumerate(photos):
        by_bytes[sent.photo.sha256].append(index)
    for group in by_bytes.values():
        for i, j in _within(group):
            seen.add((i, j))
            yield photos[i], photos[j], SAME_BYTES
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, sent in enumerate(photos):
        if sent.photo.dhash is not None:
            for key in _slices(sent.photo.dhash):
                buckets[key].append(index)
    for group in buckets.values():
        for i, j in _within(group):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            a, b = photos[i].photo.dhash, photos[j].photo.dhash
            assert a is not None and b is not None
            if bin(a ^ b).count("1") <= SAME_LOOK:
                yield photos[i], photos[j], SAME_PICTURE


def _within(group: list[int]) -> Iterator[tuple[int, int]]:
    for n, i in enumerate(group):
        for j in group[n + 1 :]:
            yield i, j


def _slices(bits: int) -> list[tuple[int, int]]:
    """(slice number, its bits) for SAME_LOOK + 1 slices of the 64 bits."""
    count = SAME_LOOK + 1
    edges = [64 * k // count for k in range(count + 1)]
    return [(k, (bits >> edges[k]) & ((1 << (edges[k + 1] - edges[k])) - 1)) for k in range(count)]


def place_in(path: Path, folder: Path) -> str:
    """A file of last year's folder as a person finds it there: 收回/泽州县/IMG_0001.jpg."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name

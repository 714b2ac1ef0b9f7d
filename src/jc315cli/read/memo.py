"""Remembering what is built from one object (a campaign's reporters, a form) for as long as a
run uses it: keyed by the object itself, not by its value, since hashing a thousand pydantic
models on every look-up would cost more than the look-up saves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def per_object(build: Callable[[K], V]) -> Callable[[K], V]:
    """`build(obj)`, built once per object. The object is kept with its result, so its id cannot
    be taken by another; a few objects are kept (a run uses one campaign, tests a handful)."""
    kept: dict[int, tuple[K, V]] = {}

    @wraps(build)
    def cached(obj: K) -> V:
        hit = kept.get(id(obj))  # the object is kept in `hit`, so no other can have its id
        if hit is not None:
            return hit[1]
        value = build(obj)
        if len(kept) >= KEEP:
            kept.clear()
        kept[id(obj)] = (obj, value)
        return value

    return cached


KEEP = 8

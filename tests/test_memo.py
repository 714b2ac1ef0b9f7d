"""What is built from one object is built once for that object, and never given to another."""

from __future__ import annotations

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.read.memo import KEEP, per_object


def test_built_once_per_object_never_for_an_equal_one() -> None:
    built: list[object] = []

    @per_object
    def size(reporters: tuple[object, ...]) -> int:
        built.append(reporters)
        return len(reporters)

    reporters = DEFAULT_CAMPAIGN.reporters
    equal = (*reporters,)  # the same reporters in another tuple
    assert equal == reporters and equal is not reporters
    assert size(reporters) == size(reporters) == len(reporters)
    assert built == [reporters]
    size(equal)
    assert len(built) == 2 and built[-1] is equal  # equal, but another object: built again
    for n in range(KEEP + 1):  # more objects than are kept: the first is built again
        size(tuple(range(n)))
    size(reporters)
    assert built[-1] is reporters

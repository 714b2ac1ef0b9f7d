"""Matching what a person typed against what the form expects: labels and reporter names,
ignoring whitespace, full/half-width forms and punctuation variants."""

from __future__ import annotations

from dataclasses import dataclass

from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.text import fold
from jc315cli.read.memo import per_object


@dataclass(frozen=True)
class _Index:
    """A campaign's reporters, looked up by name; built once per campaign, not once per file:
    a province merges thousands of files against thousands of reporters."""

    exact: dict[str, Reporter]  # every folded name → its (first) reporter
    inside: dict[str, tuple[Reporter, ...]]  # folded names of two characters or more
    lengths: tuple[int, ...]  # the lengths of those names
    by_name: dict[str, Reporter]  # full name, as written, → reporter
    order: dict[str, int]  # full name → place in the campaign


@per_object
def _index(reporters: tuple[Reporter, ...]) -> _Index:
    exact: dict[str, Reporter] = {}
    inside: dict[str, list[Reporter]] = {}
    for reporter in reporters:
        for name in reporter.names:
            key = fold(name)
            exact.setdefault(key, reporter)
            if len(key) >= 2 and reporter not in inside.setdefault(key, []):
                inside[key].append(reporter)
    return _Index(
        exact=exact,
        inside={key: tuple(found) for key, found in inside.items()},
        lengths=tuple(sorted({len(key) for key in inside})),
        by_name={r.name: r for r in reversed(reporters)},
        order={r.name: i for i, r in reversed(list(enumerate(reporters)))},
    )


def reporter_named(campaign: Campaign, name: str) -> Reporter | None:
    """The reporter whose full name is exactly `name` (as an identity sheet records it)."""
    return _index(campaign.reporters).by_name.get(name)


def match_reporter(campaign: Campaign, text: object) -> Reporter | None:
    """The campaign reporter meant by `text`: an exact match of any of its names first, else the
    one reporter whose longest name appears inside the text (e.g. a file name or
    "泽州县市场监督管理局（盖章）"). None when nothing or more than one reporter fits.

    Names inside the text are found by looking up each of its pieces of a name's length, so the
    work grows with the text, not with the number of reporters."""
    folded = fold(text)
    if not folded:
        return None
    index = _index(campaign.reporters)
    if folded in index.exact:
        return index.exact[folded]
    best: dict[str, tuple[int, Reporter]] = {}
    for length in index.lengths:
        for start in range(len(folded) - length + 1):
            for reporter in index.inside.get(folded[start : start + length], ()):
                best[reporter.name] = (length, reporter)  # lengths ascend: the last is longest
    if not best:
        return None
    ranked = sorted(best.values(), key=lambda pair: -pair[0])
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    # A longer name contained in the text wins over a shorter one ("城区" inside a longer name).
    return ranked[0][1]


def reporters_named(campaign: Campaign, text: object) -> list[Reporter]:
    """Every reporter named in `text` (a file or folder name), in the campaign's order. Unlike
    `match_reporter`, two reporters named side by side are both returned, however long their
    names: a material file called “泽州县市场监督管理局、高平市照片.zip” is nobody's for sure.
    A name found only inside a longer name of another reporter does not count."""
    folded = fold(text)
    if not folded:
        return []
    index = _index(campaign.reporters)
    if folded in index.exact:
        return [index.exact[folded]]
    spans: list[tuple[int, int, Reporter]] = []
    for length in index.lengths:
        for start in range(len(folded) - length + 1):
            for reporter in index.inside.get(folded[start : start + length], ()):
                spans.append((start, start + length, reporter))
    named = {
        reporter.name
        for start, end, reporter in spans
        if not any(
            other is not reporter and s <= start and end <= e and e - s > end - start
            for s, e, other in spans
        )
    }
    return sorted((index.by_name[name] for name in named), key=lambda r: index.order[r.name])

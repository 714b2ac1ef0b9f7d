"""Matching what a person typed against what the form expects: labels and reporter names,
ignoring whitespace, full/half-width forms and punctuation variants."""

from __future__ import annotations

from functools import lru_cache

from jc315cli.campaign import Campaign, Reporter
from jc315cli.text import fold


@lru_cache(maxsize=8)
def _names(
    reporters: tuple[Reporter, ...],
) -> tuple[dict[str, Reporter], tuple[tuple[str, Reporter], ...]]:
    """Every folded name → its reporter (for exact matches in one look-up), and the folded names
    of two characters or more (for finding a name inside a longer text). Built once per
    campaign, not once per file: a province merges thousands of files."""
    exact: dict[str, Reporter] = {}
    inside: list[tuple[str, Reporter]] = []
    for reporter in reporters:
        for name in reporter.names:
            key = fold(name)
            exact.setdefault(key, reporter)
            if len(key) >= 2:
                inside.append((key, reporter))
    return exact, tuple(inside)


def match_reporter(campaign: Campaign, text: object) -> Reporter | None:
    """The campaign reporter meant by `text`: an exact match of any of its names first, else the
    one reporter whose longest name appears inside the text (e.g. a file name or
    "泽州县市场监督管理局（盖章）"). None when nothing or more than one reporter fits."""
    folded = fold(text)
    if not folded:
        return None
    exact, inside = _names(campaign.reporters)
    if folded in exact:
        return exact[folded]
    best: dict[str, tuple[int, Reporter]] = {}
    for key, reporter in inside:
        if key in folded:
            length = best.get(reporter.name, (0, reporter))[0]
            best[reporter.name] = (max(length, len(key)), reporter)
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
    exact, inside = _names(campaign.reporters)
    if folded in exact:
        return [exact[folded]]
    spans: list[tuple[int, int, Reporter]] = []
    for key, reporter in inside:
        start = folded.find(key)
        while start >= 0:
            spans.append((start, start + len(key), reporter))
            start = folded.find(key, start + 1)
    named = {
        reporter.name
        for start, end, reporter in spans
        if not any(
            other is not reporter and s <= start and end <= e and e - s > end - start
            for s, e, other in spans
        )
    }
    return [r for r in campaign.reporters if r.name in named]

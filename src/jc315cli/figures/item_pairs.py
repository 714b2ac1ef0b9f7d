"""Which item of one form is which item of the other, when two reports of different years or
form versions are set side by side.

Items are matched in three passes, each only among the items still unmatched: the same id and
the same label (folded: spaces, full/half width and punctuation ignored); then the same label
under another id (the item moved: 编号由 7 改为 8); then the same id under another label (the
item was renamed). What is left is new in this report or gone from it. A renamed item is
matched only by its id, so a reordered form (a new item 7 pushing the old 7 to 8) is never read
as “7 renamed”. Items whose measure changed are shown, not compared.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from jc315cli.figures.change import Periods
from jc315cli.model.form import FormSpec, Item
from jc315cli.model.text import fold


@dataclass(frozen=True)
class ItemPair:
    last: Item | None
    this: Item | None
    note: str = ""  # 新增项目…, 项目名称由“…”改为“…”, 编号由 7 改为 8, …

    @property
    def item(self) -> Item:
        found = self.this or self.last
        assert found is not None
        return found

    @property
    def comparable(self) -> bool:
        return (
            self.last is not None
            and self.this is not None
            and self.last.measure == self.this.measure
        )


def match_items(last: FormSpec, this: FormSpec, words: Periods) -> list[ItemPair]:
    """Every item of both forms, once: in this form's order, an item gone from it after the
    item it used to follow. See the module docstring for the three passes; each looks an item
    up by its id or its label, so forms of thousands of items cost no more than reading them."""
    left = _Unmatched(last)
    pairs: dict[str, ItemPair] = {}  # this item id → its pair

    def take(find: Callable[[Item], Item | None], note: Callable[[Item, Item], str]) -> None:
        for item in this.items:
            found = None if item.id in pairs else find(item)
            if found is not None:
                left.take(found)
                pairs[item.id] = ItemPair(found, item, note(found, item))

    take(lambda b: left.by_id(b.id, fold(b.label)), lambda a, b: "")
    take(lambda b: left.by_label(fold(b.label)), lambda a, b: f"编号由 {a.id} 改为 {b.id}")
    take(lambda b: left.by_id(b.id), lambda a, b: f"项目名称由“{a.label}”改为“{b.label}”")
    out: list[ItemPair] = []
    for item in this.items:
        pair = pairs.get(item.id) or ItemPair(None, item, f"新增项目，{words.last}无此项")
        if pair.last is not None and pair.last.measure != item.measure:
            why = f"计量单位由“{pair.last.measure}”改为“{item.measure}”，不作比较"
            pair = ItemPair(pair.last, item, "；".join(x for x in (pair.note, why) if x))
        out.append(pair)
    return _with_gone(out, last, left.remaining(), words)


class _Unmatched:
    """The last form's items not matched yet, looked up by id or by folded label: the first in
    the form's order that is left."""

    def __init__(self, form: FormSpec) -> None:
        self.ids = {item.id: item for item in form.items}
        self.labels: dict[str, deque[Item]] = {}
        for item in form.items:
            self.labels.setdefault(fold(item.label), deque()).append(item)
        self.order = form.items
        self.taken: set[str] = set()

    def by_id(self, item_id: str, label: str | None = None) -> Item | None:
        found = self.ids.get(item_id)
        if found is None or found.id in self.taken:
            return None
        return found if label is None or fold(found.label) == label else None

    def by_label(self, label: str) -> Item | None:
        same = self.labels.get(label, deque())
        while same and same[0].id in self.taken:  # each taken item passed over once
            same.popleft()
        return same[0] if same else None

    def take(self, item: Item) -> None:
        self.taken.add(item.id)

    def remaining(self) -> list[Item]:
        return [item for item in self.order if item.id not in self.taken]


def _with_gone(
    out: list[ItemPair], last: FormSpec, gone: list[Item], words: Periods
) -> list[ItemPair]:
    """`out` with each gone item after the pair of the last item before it (in the last form)
    that is still there, gone items in a row in their order; at the top when none is."""
    place = {item.id: index for index, item in enumerate(last.items)}
    latest = [-1] * len(last.items)  # latest[p]: the last pair of out whose item stood at p
    for index, pair in enumerate(out):
        if pair.last is not None:
            latest[place[pair.last.id]] = index
    before = [-1] * len(last.items)  # before[p]: the last pair of out whose item stood above p
    for p in range(1, len(last.items)):
        before[p] = max(before[p - 1], latest[p - 1])
    after: dict[int, list[ItemPair]] = {}
    for item in gone:
        after.setdefault(before[place[item.id]], []).append(
            ItemPair(item, None, f"{words.this}无此项")
        )
    merged = after.get(-1, [])
    for index, pair in enumerate(out):
        merged += [pair, *after.get(index, [])]
    return merged

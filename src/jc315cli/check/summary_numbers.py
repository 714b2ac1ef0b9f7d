"""The numbers of a 活动总结 against the same reporter's 统计表: “开展普法宣传活动15场次” where the
table says 12 is a number to check with the county (核实), with both numbers and where each is.

Conservative by design: an honest summary must say nothing. A statement counts only when a
number is followed by a measure of the form (text_numbers.py) and the words just before it name
exactly one item of that measure: two or more of the item's own character pairs (from its label
and `phrase`, less the words every item shares, such as 开展, 活动, 情况), and none of any other
item of the measure. A number said to be last year's, a change (同比, 增加), a part (其中), a
running total (以来, 累计) or of another year (2022年) is left alone, as is a number that names
no item. A summary that says an item's number twice is fine when either agrees, or when the
parts of one sentence add up to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from jc315cli.check.text_numbers import Said, numbers_with_measures
from jc315cli.model.form import FormSpec, Item
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Number, Problem, exact
from jc315cli.read.material_bytes import Passage

# Pairs of characters that every item of a 3·15 form may share: they name no one item.
GENERIC = frozenset(
    ("开展", "活动", "情况", "组织", "各类", "接受", "消费", "费者", "金额", "开设", "数量", "工作",
     "进行", "共计", "累计", "宣传")
)  # fmt: skip
# Words before a number that make it no value of this campaign's table
NOT_THIS = ("同比", "环比", "增长", "增加", "减少", "下降", "上升", "提高", "降低", "去年", "上年",
            "往年", "前年", "较", "比上", "比去", "以来", "累计", "全年", "其中", "平均", "每", "分别")  # fmt: skip
SENTENCE = "。;!?\n"
CLAUSE = SENTENCE + ",:、()“”\"'《》"
YEAR = re.compile(r"(\d{4})年")
MIN_PAIRS = 2


@dataclass(frozen=True)
class Statement:
    item_id: str
    said: Said
    where: str  # 第 2 段
    sentence: tuple[str, int]  # (where, sentence number): parts of one sentence add up


def item_pairs(form: FormSpec) -> dict[str, frozenset[str]]:
    """Per item, the character pairs that name it among the items of its measure."""
    own = {item.id: _pairs_of(_words(item)) for item in form.items}
    out = {}
    for item in form.items:
        others = set().union(
            *(own[i.id] for i in form.items if i.measure == item.measure and i is not item)
        )
        out[item.id] = frozenset(own[item.id] - others - GENERIC)
    return out


def _words(item: Item) -> list[str]:
    """The item's own words: its sub-item name (the category is shared by its block) or its
    category, and its phrase."""
    return [item.name or item.category, *([item.phrase] if item.phrase else [])]


def _pairs_of(texts: list[str]) -> set[str]:
    pairs: set[str] = set()
    for text in texts:
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return pairs


def statements(passages: list[Passage], form: FormSpec, year: int) -> list[Statement]:
    """Every statement of an item's value in the passages, in order."""
    pairs = item_pairs(form)
    found = []
    for passage in passages:
        text = unicodedata.normalize("NFKC", passage.text).replace(" ", "")
        boundary = 0  # the end of the last statement: words before it are not this one's
        for said in numbers_with_measures(text, form):
            context = _context(text, boundary, said.start)
            boundary = said.end
            if _not_this_year(context, year):
                continue
            item_id = _named(context, said.measure, form, pairs)
            if item_id is not None:
                sentence = sum(text[: said.start].count(c) for c in SENTENCE)
                found.append(Statement(item_id, said, passage.where, (passage.where, sentence)))
    return found


def _context(text: str, boundary: int, start: int) -> str:
    """The words before a number that can name its item: its clause, or, when the clause names
    nothing (“开展普法宣传活动，共计15场次”), its sentence, from the last statement on."""
    head = text[boundary:start]
    clause = max(head.rfind(c) for c in CLAUSE) + 1
    sentence = max(head.rfind(c) for c in SENTENCE) + 1
    return head[clause:] + "\0" + head[sentence:clause]


def _not_this_year(context: str, year: int) -> bool:
    words = context.replace("\0", "")
    return any(w in words for w in NOT_THIS) or any(int(y) != year for y in YEAR.findall(words))


def _named(
    context: str, measure: str, form: FormSpec, pairs: dict[str, frozenset[str]]
) -> str | None:
    """The one item of `measure` the clause names, else the one its sentence names."""
    clause, _, sentence = context.partition("\0")
    for words in (clause, sentence + clause):
        seen = _pairs_of([words])
        scores = {i.id: len(pairs[i.id] & seen) for i in form.items if i.measure == measure}
        named = [i for i, score in scores.items() if score]
        if len(named) == 1 and scores[named[0]] >= MIN_PAIRS:
            return named[0]
        if named:  # two items named, or one too faintly: not a statement of either
            return None
    return None


def compare(found: list[Statement], report: FileReport, form: FormSpec) -> list[Problem]:
    """A problem per item whose every statement disagrees with the table (parts of one sentence
    that add up to it agree)."""
    by_item: dict[str, list[Statement]] = defaultdict(list)
    for statement in found:
        by_item[statement.item_id].append(statement)
    out = []
    for item_id, said in by_item.items():
        value = report.values.get(item_id)
        if value is None or any(_agrees(s.said, value) for s in said):
            continue
        lone = _lone(said)
        if _parts_add_up(said, value) or not lone:
            continue
        first = lone[0]
        item = form.item(item_id)
        out.append(
            problem(
                "summary-number-differs",
                item=item_id,
                label=item.label,
                value=_shown(first.said).split("（")[0],
                paragraph=first.where,
                summary_said=_shown(first.said),
                table_cell=report.cells.get(item_id, "?"),
                number=exact(value),
                measure=item.measure,
            )
        )
    return out


def _agrees(said: Said, value: Number) -> bool:
    """Whether the table's value, in the unit written and rounded (or cut) to the places
    written, is the number said: 82.0612 万元 is “82.06万元”, 12345 份 is “1.2万份”."""
    written = said.value / said.factor
    in_unit = Decimal(value) / said.factor
    step = Decimal(1).scaleb(-said.places)
    return written in (in_unit.quantize(step, ROUND_HALF_UP), in_unit.quantize(step, ROUND_DOWN))


def _lone(said: list[Statement]) -> list[Statement]:
    """The statements that are alone in their sentence for their item (not parts of a sum)."""
    count: dict[tuple[str, int], int] = defaultdict(int)
    for s in said:
        count[s.sentence] += 1
    return [s for s in said if count[s.sentence] == 1]


def _parts_add_up(said: list[Statement], value: Number) -> bool:
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for s in said:
        sums[s.sentence] += s.said.value
    return any(total == Decimal(value) for total in sums.values())


def _shown(said: Said) -> str:
    written = said.written
    if re.match(r"\d", written):  # 15场次 → 15 场次
        number = re.match(r"[\d.,]+", written)
        assert number is not None
        return f"{number.group(0)} {written[number.end() :]}"
    return f"{written}（{format(said.value.normalize(), 'f')} {said.measure}）"

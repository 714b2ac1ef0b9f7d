"""Write the two example merged reports that `jc315 summary` and `jc315 compare` are shown on:

* examples/2023年晋城市3·15活动情况汇总.xlsx — `jc315 merge examples/returned --date 2023-03-25`;
* examples/2024年晋城市3·15活动情况汇总.xlsx — the next year, with examples/campaign-2024.toml
  (第 3 项改名为“接受消费者咨询情况”，新增第 9 项): each unit's 2023 numbers changed by the
  factors in CHANGES, two items that were 0 in 2023 now not (阳城县 6.2, 开发区 6.1), merged
  with --date 2024-03-25.

Run from the repository root (the same bytes every time; tests/test_summary.py checks them):

    python -m examples.make_merged
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jc315cli  # noqa: F401  # before openpyxl: see src/jc315cli/__init__.py

# isort: split

from openpyxl import load_workbook

from examples.make_returned import VALUES
from jc315cli.commands.merge import merge_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign
from jc315cli.model.campaign_file import load_campaign
from jc315cli.model.form import ValueKind
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.write.blank_forms import build_timestamp, form_bytes, form_filename
from jc315cli.write.workbook_bytes import workbook_bytes

HERE = Path(__file__).resolve().parent
RETURNED = HERE / "returned"
CAMPAIGN_2024 = HERE / "campaign-2024.toml"
MERGED_2023 = HERE / "2023年晋城市3·15活动情况汇总.xlsx"
MERGED_2024 = HERE / "2024年晋城市3·15活动情况汇总.xlsx"
DATE_2023 = date(2023, 3, 25)
DATE_2024 = date(2024, 3, 25)

# 2024 = 2023 × factor, rounded half up (counts to whole numbers, 万元 to 4 places).
# fmt: off
CHANGES: dict[str, str] = {
    "1": "1.125", "2": "1", "3": "1.08", "4": "0.95", "5": "1.15", "6.1": "1.2", "6.2": "1",
    "6.3": "0.5", "6.4": "1.1", "6.5": "1.3", "7": "1", "8": "0.9",
}
# fmt: on
WAS_ZERO = {("阳城县", "6.2"): "2", ("开发区", "6.1"): "1"}  # 0 in 2023, not in 2024
NEW_ITEM = {"城区": 6, "泽州县": 5, "高平市": 4, "阳城县": 3, "陵川县": 2, "沁水县": 2, "开发区": 1}


def value_2024(campaign: Campaign, short: str, item_id: str) -> int | Decimal:
    form = campaign.form
    if item_id == "9":
        return NEW_ITEM[short]
    if (short, item_id) in WAS_ZERO:
        return int(WAS_ZERO[short, item_id])
    raw = Decimal(VALUES[short][item_id]) * Decimal(CHANGES[item_id])
    if form.measure_of(form.item(item_id)).kind is ValueKind.MONEY:
        return raw.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def returned_2024(campaign: Campaign, folder: Path) -> None:
    """Every unit's 2024 form, filled in and saved with fixed dates (the same bytes each run)."""
    timestamp = build_timestamp(campaign)
    for reporter in campaign.reporters:
        wb = load_workbook(io.BytesIO(form_bytes(campaign, reporter, timestamp)))
        ws = wb[FORM_SHEET]
        for index, item in enumerate(campaign.form.items):
            ws[LAYOUT.value_cell(index)] = value_2024(campaign, reporter.short_name, item.id)
        ws[LAYOUT.date_cell] = date(2024, 3, 20)
        path = folder / form_filename(campaign, reporter)
        path.write_bytes(workbook_bytes(wb, timestamp))


def make(out_2023: Path = MERGED_2023, out_2024: Path = MERGED_2024) -> None:
    merge_paths([RETURNED], DEFAULT_CAMPAIGN, out_2023, filled_on=DATE_2023, force=True)
    campaign = load_campaign(CAMPAIGN_2024)
    with tempfile.TemporaryDirectory() as tmp:
        returned_2024(campaign, Path(tmp))
        merge_paths([Path(tmp)], campaign, out_2024, filled_on=DATE_2024, force=True)


if __name__ == "__main__":
    make()
    print(f"已写出 {MERGED_2023.name}、{MERGED_2024.name}")

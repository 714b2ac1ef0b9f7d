"""Campaign files: the embedded default written out as commented TOML, and read back.

A person edits this file for next year's campaign (new deadline, new reporter, a changed item),
so every mistake in it must come back as one Chinese line naming the field and the value.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jc315cli.errors import CampaignFileError
from jc315cli.form import DEFAULT_CAMPAIGN, Campaign, Condition, Measure

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def load_campaign(path: Path | None) -> Campaign:
    """The campaign in `path`, or the embedded default when no file is given."""
    if path is None:
        return DEFAULT_CAMPAIGN
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CampaignFileError(f"找不到活动配置文件：{path}", "可用 jc315 init 生成一份") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(f"无法读取活动配置文件 {path}：{exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignFileError(
            f"活动配置文件 {path} 不是有效的 TOML：{exc}", "检查引号、括号和等号是否成对"
        ) from None
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        lines = [describe_validation_error(error, data) for error in exc.errors()]
        raise CampaignFileError(
            f"活动配置文件 {path} 有误：\n" + "\n".join(f"  • {line}" for line in lines),
            "改正后重试；jc315 init 可生成一份带注释的示例",
        ) from None


_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文字（用英文双引号括起来）",
    "date_type": "应为日期，如 2023-03-22",
    "date_parsing": "应为日期，如 2023-03-22",
    "date_from_datetime_parsing": "应为日期，如 2023-03-22",
    "tuple_type": "应为列表，如 [\"甲\", \"乙\"]",
    "list_type": "应为列表",
    "model_type": "应为一个表（[...] 或 {...}）",
    "string_too_short": "太短",
    "string_pattern_mismatch": "格式不对",
    "literal_error": "取值不在允许范围内",
}


def describe_validation_error(error: Any, data: Any) -> str:
    """One Chinese line for one pydantic error: field path, what is wrong, the value found."""
    loc = [part for part in error["loc"] if not str(part).startswith("function-")]
    field = ".".join(str(part + 1) if isinstance(part, int) else str(part) for part in loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "enum":
        message = "应为以下之一：" + "、".join(m.value for m in Measure)
        if "expected" in ctx and "count" in str(ctx["expected"]):
            message = "应为 \"count\"（整数）或 \"money\"（金额）"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        message = f"应{'不小于' if kind == 'greater_than_equal' else '不大于'} {bound}"
    elif kind == "literal_error":
        message = f"应为以下之一：{ctx.get('expected', '')}"
    else:
        message = _MESSAGES.get(kind, error["msg"])
    where = field or "（文件整体）"
    if kind in ("missing",):
        return f"{where}：{message}"
    return f"{where}：{message}（现为 {_show(error.get('input'))}）"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 60 else text[:57] + "…"
    return json.dumps(value, ensure_ascii=False, default=str)


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _inline(cond: Condition) -> str:
    return f"{{ left = {_s(cond.left)}, operator = {_s(cond.operator)}, right = {_s(cond.right)} }}"


def campaign_to_toml(campaign: Campaign) -> str:
    """The campaign as an editable TOML file with Chinese comments."""
    c = campaign
    out: list[str] = [
        "# jc315 活动配置文件（TOML 格式）。",
        "# 修改后，各命令加 --campaign 本文件 即按此配置生成、校验、汇总。",
        "# 文字用英文双引号括起来；日期写作 2023-03-22；以 # 开头的行是注释。",
        "",
        "# 年度：写入表头“2023年……”，并用于核对收回的表是否为本年度",
        f"year = {c.year}",
        "# 组织单位：汇总表以此单位名义填报",
        f"organizer = {_s(c.organizer)}",
        f"co_organizers = {_list(c.co_organizers)}",
    ]
    if c.issued_on:
        out += ["# 发文日期：早于此日期的填报日期视为不合理", f"issued_on = {c.issued_on.isoformat()}"]
    out += [
        "# 报送截止日期：晚于此日期填报的记为逾期",
        f"deadline = {c.deadline.isoformat()}",
        "",
        "# 联系人：印在表格底部",
        "[contact]",
        f"department = {_s(c.contact.department)}",
        f"person = {_s(c.contact.person)}",
        f"phone = {_s(c.contact.phone)}",
        f"email = {_s(c.contact.email)}",
        "",
        "# 填报单位：每个 [[reporters]] 一个。name 为全称（印在表上、用作文件名），",
        "# short_name 为简称，aliases 为别称：校验时凭这些名称认出填报单位。",
    ]
    for r in c.reporters:
        out += [
            "[[reporters]]",
            f"name = {_s(r.name)}",
            f"short_name = {_s(r.short_name)}",
            f"aliases = {_list(r.aliases)}",
            "",
        ]
    f = c.form
    out += [
        "# 统计表：改动项目会改变表的版本，请同时修改 version。",
        "[form]",
        f"id = {_s(f.id)}",
        f"version = {_s(f.version)}",
        f"title = {_s(f.title)}",
        "# 某单位的数值超过其他单位中位数的多少倍时提示“请核实”",
        f"outlier_factor = {f.outlier_factor}",
        "",
        "# 项目：按表中顺序排列。id 为编号（6.1 表示第 6 项的第 1 个子项）；",
        "# measure 为计量单位，可选 " + "、".join(m.value for m in Measure) + "；",
        "# kind 为 \"count\"（整数）或 \"money\"（万元金额，最多 4 位小数）。",
    ]
    for item in f.items:
        out += ["[[form.items]]", f"id = {_s(item.id)}", f"category = {_s(item.category)}"]
        if item.name:
            out.append(f"name = {_s(item.name)}")
        out += [f"measure = {_s(item.measure.value)}", f"kind = {_s(item.kind.value)}", ""]
    out += [
        "# 校验规则：when 成立时要求 check 成立，否则按 severity 报告。",
        "# 表达式写作 #{5}（第 5 项）、#{6.1} + #{6.2}（相加）或数字；operator 可为",
        "# ==、!=、>、>=、<、<=；severity 可为 \"error\"、\"warning\"、\"info\"。",
    ]
    for rule in f.rules:
        out += ["[[form.rules]]", f"code = {_s(rule.code)}", f"severity = {_s(rule.severity)}"]
        if rule.when:
            out.append(f"when = {_inline(rule.when)}")
        out += [
            f"check = {_inline(rule.check)}",
            f"message = {_s(rule.message)}",
            f"hint = {_s(rule.hint)}",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"

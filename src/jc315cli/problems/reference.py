"""What is printed from the registry for readers outside the code: the README's tables of
problems and of the reasons a file is unreadable, and the JSON schema of `jc315 validate
--format json`, with every code and reason listed. docs/make_docs.py writes both;
tests/test_problems.py fails when either is stale.
"""

from __future__ import annotations

import re
from typing import Any

from jc315cli.problems.kinds import KINDS, REASONS, E, N, ProblemKind, W
from jc315cli.problems.report import BatchReport, Tier


def report_schema() -> dict[str, Any]:
    """The JSON schema of `jc315 validate --format json`, with every problem code listed."""
    schema = BatchReport.model_json_schema(mode="serialization")
    code = schema["$defs"]["Problem"]["properties"]["code"]
    code["enum"] = list(KINDS)
    code["description"] = "; ".join(f"{k.code}: {k.title}" for k in KINDS.values())
    reason = schema["$defs"]["Problem"]["properties"]["reason"]
    reason["anyOf"][0]["enum"] = [r for reasons in REASONS.values() for r in reasons]
    reason["description"] = "; ".join(
        f"{name}: {', '.join(reasons)}" for name, reasons in REASONS.items()
    )
    schema["properties"]["collection"] = {
        "type": "object",
        "description": "where the collection stands, as `jc315 status --format json` gives it: "
        "each reporter's state, rounds, value history and replies; the rates; the merges",
    }
    return schema


# How a template's fields read in the README's table.
PLACEHOLDERS = {
    "raw": "填写内容",
    "number": "数值",
    "measure": "计量单位",
    "unit": "所写单位",
    "places": "位数",
    "max_places": "允许位数",
    "organizer": "组织单位",
    "example_date": "示例日期",
    "example_iso": "示例日期",
    "year": "年度",
    "title": "表名",
    "version": "版本",
    "found": "表中所写",
    "said": "表中所写",
    "reporter": "填报单位",
    "day": "日期",
    "deadline": "截止日期",
    "sent_on": "退回日期",
    "asked_by": "要求改正的日期",
    "campaign_a": "一个配置文件",
    "campaign_b": "另一个配置文件",
    "forms_say": "表的年度",
    "used": "所用配置",
    "remedy": "建议",
    "needed": "所需的路径",
    "which": "项目",
    "path": "路径",
    "address": "地址",
    "file": "文件名",
    "files": "文件名",
    "codepoint": "字符编号",
    "char": "字符",
    "shown": "无/横线",
    "serial": "序列号",
    "first": "最早日期",
    "last": "最晚日期",
    "reason": "原因",
    "sheets": "工作表",
    "value_header": "数量",
    "measure_header": "单位",
    "item_id": "项目编号",
    "item_label": "项目名称",
    "example_reporter": "单位全称",
    "kept": "保留的文件",
    "winner": "新文件",
    "loser": "旧文件",
    "reporters": "填报单位",
    "second": "文件名",
    "median": "中位数",
    "factor": "倍数",
    "paths": "文件",
    "option": "",
    "message": "具体说明",
    "hint": "具体建议",
    "name": "所写名称",
    "known": "名单",
    "sheet_name": "工作表",
    "where": "填报单位一栏或文件名",
    "why": "原因",
    "diffs": "不同之处",
    "bound": "上限",
    "cells": "单元格",
    "names": "单位名称",
    "count": "数目",
    "suffix": "扩展名",
    "error": "错误类型",
    "seconds": "秒数",
    "overlaps": "重复计算之处",
    "details": "各处错误",
    "expected": "配置的年度和版本",
    "flag": "选项",
    "this_file": "本次报表",
    "last_file": "上次报表",
    "this_reporter": "本次的单位",
    "last_reporter": "上次的单位",
    "place": "一处",
    "other_place": "另一处",
    "other": "另一处的数",
    "folder": "文件夹",
    "folder_reporter": "填报单位",
    "material": "材料",
    "materials": "材料",
    "folder_example": "单位简称",
    "named_in": "文件名或文件夹名",
    "words": "字样",
    "limit": "上限",
    "depth": "层数",
    "input": "输入文件",
    "labels": "表头",
    "paragraph": "第几段或第几页",
    "summary_said": "总结中的数",
    "table_cell": "单元格",
    "other_reporter": "另一单位",
    "other_file": "另一文件",
    "how": "相同之处",
    "inside": "图片数",
    "what": "文件种类",
    "cause": "系统给出的原因",
    "megabytes": "大小",
    "mistake": "错误",
    "mistakes": "各处错误",
    "line_number": "行号",
    "line": "该行内容",
    "advice": "针对该行的建议",
    "note": "说明",
    "others": "其他单位",
    "limits": "核实范围",
    "was": "上年的数",
    "change": "增减",
    "this_year": "本次年度",
}


def _readable(template: str) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: f"〈{PLACEHOLDERS[m.group(1)]}〉" if PLACEHOLDERS[m.group(1)] else "",
        template,
    )


def _cell(template: str) -> str:
    return _readable(template).replace("\n", " ").replace("|", "\\|")


def _tier(kind: ProblemKind) -> str:
    """The kind's tier in words; rule-failed's is its rule's severity's."""
    if kind.code == "rule-failed":
        return "按规则的级别"
    return kind.tier.word


def markdown_table() -> str:
    """The README's table of problems, then a table of the reasons of each kind that has them,
    printed from the registry."""
    names = {E: "错误", W: "警告", N: "提示"}
    rows = ["| 代码 | 级别 | 审核 | 类型 | 说明 | 建议 |", "|---|---|---|---|---|---|"]
    for k in KINDS.values():
        text = _cell(k.message) + ("（见下表）" if k.code in REASONS else "")
        level = names[k.severity]
        rows.append(f"| `{k.code}` | {level} | {_tier(k)} | {k.title} | {text} | {_cell(k.hint)} |")
    for code, reasons in REASONS.items():
        rows += ["", f"`{code}`（{KINDS[code].title}）的原因，即问题的 `reason` 字段：", ""]
        rows += ["| 原因 | 说明 | 建议 |", "|---|---|---|"]
        for r in reasons.values():
            hint = _cell(r.hint or KINDS[code].hint)
            rows.append(f"| `{r.code}` | {_cell(r.message)} | {hint} |")
    return "\n".join(rows)


# What each tier means for a value, and what is asked of the county, as docs/checks.md says it.
WHERE = {"cell": "单元格", "file": "整个文件", "batch": "各文件之间", "materials": "报送材料"}


def checks_table() -> str:
    """docs/checks.md's table: every kind found in a returned form (not the command's own
    errors), grouped by tier, 强制性 first, with where it is found and what is asked."""
    found = [k for k in KINDS.values() if k.where != "command" and not k.usage]
    rows: list[str] = []
    for tier in Tier:
        kinds = [
            k for k in found if k.tier is tier or (k.code == "rule-failed" and tier is Tier.VERIFY)
        ]
        rows += ["", f"### {tier.word}（{len(kinds)} 种）", ""]
        rows += ["| 代码 | 类型 | 查什么 | 在哪里 | 建议 |", "|---|---|---|---|---|"]
        for k in kinds:
            where = WHERE[k.where]
            rows.append(
                f"| `{k.code}` | {k.title} | {_cell(k.message)} | {where} | {_cell(k.hint)} |"
            )
    return "\n".join(rows[1:])

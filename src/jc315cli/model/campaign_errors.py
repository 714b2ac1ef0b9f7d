"""Finding and explaining a campaign file's mistakes in Chinese: the line, its text, and a hint
that fits the actual mistake (an unquoted or badly written date, Chinese quotes, an unknown key
and the keys that are allowed there), never the TOML parser's or pydantic's English; and, on the
parsed file before the models see it, every text too long, list too long or nesting too deep,
and every invisible character. Loaded only when a campaign file is read (campaign_file.py)."""

from __future__ import annotations

import json
import re
import types
import typing
import unicodedata
from typing import Any

from pydantic import BaseModel

from jc315cli.model.bounds import MAX_DEPTH, MAX_TEXT, list_limit, text_limit
from jc315cli.problems.report import clip, visible

_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "整数太大",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_inexact": "应为日期，如 2023-03-22（不带时间）",
    "decimal_max_digits": "数字的位数太多",
    "decimal_max_places": "小数位数太多",
    "decimal_whole_digits": "数字的位数太多",
    "dict_type": "应为一个表（[...] 或 {...}）",
    "string_type": "应为文字（用英文双引号括起来）",
    "date_type": "应为日期，如 2023-03-22",
    "date_parsing": "应为日期，如 2023-03-22",
    "date_from_datetime_parsing": "应为日期，如 2023-03-22",
    "tuple_type": '应为列表，如 ["甲", "乙"]',
    "list_type": "应为列表",
    "model_type": "应为一个表（[...] 或 {...}）",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "too_short": "至少要有一项",
    "decimal_parsing": '应为数字，如 "0.0001"',
    "decimal_type": '应为数字，如 "0.0001"',
    "finite_number": "应为有限的数字",
    "float_type": "应为数字",
    "string_pattern_mismatch": "格式不对",
    "literal_error": "取值不在允许范围内",
}


def describe_validation_error(error: Any, data: Any) -> str:
    """One Chinese line for one pydantic error: field path, what is wrong, the value found."""
    loc = [part for part in error["loc"] if not str(part).startswith("function-")]
    field = ".".join(
        str(part + 1) if isinstance(part, int) else clip(visible(str(part)), 30) for part in loc
    )
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "enum":
        message = '应为 "count"（计数，整数）或 "money"（金额）'
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(ctx[k] for k in ("ge", "le", "gt", "lt") if k in ctx)
        words = {
            "greater_than_equal": "不小于",
            "less_than_equal": "不大于",
            "greater_than": "大于",
            "less_than": "小于",
        }
        message = f"应{words[kind]} {bound}"
    elif kind == "extra_forbidden":
        from jc315cli.model.campaign import Campaign

        keys = allowed_keys(Campaign, loc)
        message = "不认识的字段（拼写错误？）" + (
            f"，这里可用的有：{'、'.join(keys)}" if keys else ""
        )
    elif kind in ("string_too_long", "too_long") and "max_length" in ctx:
        size, word = len(error.get("input") or ""), "个字" if kind == "string_too_long" else "项"
        message = f"太长，有 {size} {word}，最多 {ctx['max_length']} {word}"
    elif kind == "literal_error":
        message = f"应为以下之一：{str(ctx.get('expected', '')).replace(' or ', ', ')}"
    else:  # a kind not met so far: said in Chinese all the same, its code for a bug report
        message = _MESSAGES.get(kind, f"取值不合要求（{kind}）")
    where = field or "（文件整体）"
    if kind in ("missing",):
        return f"{where}：{message}"
    found = error.get("input")
    if isinstance(found, (dict, list)):  # a whole table: its text would only confuse
        return f"{where}：{message}"
    return f"{where}：{message}（现为 {show(found)}）"


def show(value: Any) -> str:
    """A value from the file as it is quoted in a message: never longer than a line."""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 60 else text[:57] + "…"
    if isinstance(value, str):
        value = visible(clip(value))
    return json.dumps(value, ensure_ascii=False, default=str)


PARSER_WORDS = [
    ("Invalid value", "这一行的值无法识别"),
    ("Expected '=' after a key", "键的后面缺少等号 ="),
    ("Expected newline or end of document after a statement", "这一行的值后面还有多余的内容"),
    ("Unclosed", "引号或括号没有配对"),
    ("Illegal character", "这一行有不允许的字符"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Invalid date", "日期不存在或写法不对"),
]


def explain_syntax_error(error: str, text: str) -> tuple[str, dict[str, Any]]:
    """The problem code and its fields for a TOML syntax error such as
    "Invalid value (at line 18, column 10)": the line and a hint that fits it, when the parser
    names one (not at the end of the document)."""
    where = re.search(r"at line (\d+), column (\d+)", error)
    words = next((chinese for english, chinese in PARSER_WORDS if english in error), "格式不对")
    if where is None:
        return "campaign-not-toml", {"mistake": words}
    number = int(where.group(1))
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    fields = {"mistake": words, "line_number": number, "line": line.strip(), "advice": _hint(line)}
    return "campaign-syntax", fields


def _hint(line: str) -> str:
    value = line.split("=", 1)[1].strip() if "=" in line else ""
    if re.search(r"[“”‘’]", line):
        return '请用英文双引号 "…" 括起文字，不要用中文引号“”'
    if "＝" in line or re.match(r"^\s*[\w.]+\s*[:：]", line):
        return "键和值之间用英文等号 =，如 year = 2023"
    if value.startswith("="):
        return "这一行多了一个等号：键和值之间只要一个 ="
    if re.match(r"\d{4}\s*[-/.年]\s*\d{1,2}", value):
        return "日期写成 2023-03-22（四位年份、两位月份和日期，用短横线），不加引号"
    if value and not re.match(r'["\'\[{\d+\-]|true|false|inf|nan', value):
        return f'文字要用英文双引号括起来，如 "{visible(clip(value.strip()))}"'
    return "检查这一行的引号、括号和等号是否成对；jc315 init 可生成一份带注释的示例"


def allowed_keys(model: type[BaseModel], loc: list[Any]) -> list[str]:
    """The keys a table at `loc` (the path of an unknown key) may have."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        current = _model_in(field.annotation) if field is not None else None
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


SHOWN_MISTAKES = 10  # a file with ten thousand mistakes gets a screenful, and the count


def listed(lines: list[str]) -> str:
    """The mistakes as a bulleted list, the first SHOWN_MISTAKES of them and the count."""
    shown = [f"  • {line}" for line in lines[:SHOWN_MISTAKES]]
    if len(lines) > SHOWN_MISTAKES:
        shown.append(f"  ……另有 {len(lines) - SHOWN_MISTAKES} 处")
    return "\n".join(shown)


def beyond_bounds(data: dict[str, Any]) -> list[str]:
    """Every place where the file goes beyond bounds.py: too deep, a list too long, a text too
    long. Checked on the parsed TOML before the models see it, so a 900 KB title is refused in
    a millisecond, and without recursion, so no nesting can exhaust the stack. A place is named
    only when something is found there: naming each of a large campaign's fields was most of
    the work."""
    found: list[str] = []
    stack: list[tuple[Any, _Place, str, int]] = [(data, None, "", 1)]
    while stack:
        value, place, pattern, depth = stack.pop()
        if isinstance(value, (dict, list)) and depth > MAX_DEPTH:
            found.append(f"{_where(place)}：表或列表一层套一层，超过 {MAX_DEPTH} 层")
        elif isinstance(value, dict):
            for key, inner in reversed(value.items()):
                if len(key) > MAX_TEXT:  # never a field's name: a mistake, shown clipped
                    found.append(f"{_where((place, key))}：字段名太长，有 {len(key)} 个字")
                    continue
                stack.append((inner, (place, key), _join(pattern, key), depth + 1))
        elif isinstance(value, list):
            limit = list_limit(pattern)
            if len(value) > limit:
                found.append(f"{_where(place)}：有 {len(value)} 项，最多 {limit} 项")
                continue
            inner_pattern = _join(pattern, "*")
            for index in reversed(range(len(value))):
                stack.append((value[index], (place, index), inner_pattern, depth + 1))
        elif isinstance(value, str) and len(value) > text_limit(pattern):
            found.append(
                f"{_where(place)}：太长，有 {len(value)} 个字，最多 {text_limit(pattern)} 个字"
                f"（现为 {show(value)}）"
            )
    return found


# Where a value is in the file: the place of its table or list, and its key (shown clipped) or
# its position (an index, shown counting from 1); None for the file itself.
_Place = tuple["_Place", str | int] | None


def _where(place: _Place) -> str:
    parts: list[str] = []
    while place is not None:
        place, part = place
        parts.append(str(part + 1) if isinstance(part, int) else clip(visible(part), 30))
    where = ""
    for part in reversed(parts):
        where = _join(where, part)
    return where


def _join(where: str, part: str) -> str:
    return f"{where}.{part}" if where else part


def control_characters(value: Any, where: str) -> list[str]:
    """Every text in the file with a control or invisible formatting character (ESC, U+202E…):
    printed on forms and in terminals, such a character would hide or reorder what is read."""
    if _all_plain(value):  # nearly every file: one quick look, no place named
        return []
    return _control_characters(value, where)


def _control_characters(value: Any, where: str) -> list[str]:
    if isinstance(value, dict):
        return [
            line
            for key, v in value.items()
            for line in _control_characters(v, f"{where}.{key}" if where else str(key))
        ]
    if isinstance(value, list):
        return [
            line for i, v in enumerate(value) for line in _control_characters(v, f"{where}.{i + 1}")
        ]
    if isinstance(value, str):
        found = _hidden(value)
        if found:
            return [f"{where}：含有看不见的控制字符 U+{ord(found[0]):04X}（现为 {show(value)}）"]
    return []


def _hidden(text: str) -> list[str]:
    """The control and formatting characters of `text` but for line breaks and tabs. A
    printable text has none (str.isprintable is false for every Cc and Cf character)."""
    if text.isprintable():
        return []
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t"]


def _all_plain(data: Any) -> bool:
    """No text anywhere in `data` has a character control_characters reports."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and _hidden(value):
            return False
    return True

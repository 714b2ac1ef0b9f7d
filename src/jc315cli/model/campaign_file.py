"""Campaign files: the embedded default written out as commented TOML, and read back.

A person edits this file for next year's campaign (new deadline, new reporter, a changed item),
so every mistake in it must come back as a registered problem: one Chinese line naming the
field and the value (found and worded in campaign_errors.py), a usage error (exit 2).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from jc315cli.model.bounds import MAX_BYTES, MAX_DEPTH
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign
from jc315cli.model.rules import Condition
from jc315cli.problems.errors import Jc315Error


def load_campaign(path: Path | None) -> Campaign:
    """The campaign in `path`, or the embedded default when no file is given."""
    if path is None:
        return DEFAULT_CAMPAIGN
    # Only a campaign file needs the TOML parser and the error explanations.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    from jc315cli.model import campaign_errors as mistakes

    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        code, fields = mistakes.explain_syntax_error(str(exc), text)
        raise Jc315Error(code, path=path, **fields) from None
    except RecursionError:  # the parser recurses once per level: [[[[…]]]] a thousand deep
        raise Jc315Error("campaign-too-deep", path=path, depth=MAX_DEPTH) from None
    beyond = mistakes.beyond_bounds(data)
    if beyond:
        raise Jc315Error("campaign-beyond-bounds", path=path, mistakes=mistakes.listed(beyond))
    hidden = mistakes.control_characters(data, "")
    if hidden:
        raise Jc315Error(
            "campaign-invisible-characters", path=path, mistakes=mistakes.listed(hidden)
        )
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        lines = [mistakes.describe_validation_error(error, data) for error in exc.errors()]
        raise Jc315Error("campaign-invalid", path=path, mistakes=mistakes.listed(lines)) from None


def _read(path: Path) -> str:
    """The text of a regular, reasonably small file (not a FIFO or /dev/zero, which never end)."""
    if not path.exists():
        raise Jc315Error("campaign-not-found", path=path)
    if not path.is_file():
        raise Jc315Error("campaign-not-a-file", path=path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Jc315Error("campaign-unreadable", path=path, cause=exc.strerror or exc) from None
    if len(data) > MAX_BYTES:
        raise Jc315Error("campaign-too-large", path=path, megabytes=MAX_BYTES >> 20)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Jc315Error("campaign-not-unicode", path=path) from None


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: Decimal) -> str:
    """A Decimal as TOML reads it back exactly: 3, or "0.5" (a TOML float would be binary)."""
    return format(value, "f") if value == value.to_integral_value() else _s(format(value, "f"))


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
        out += [
            "# 发文日期：早于此日期的填报日期视为不合理",
            f"issued_on = {c.issued_on.isoformat()}",
        ]
    out += [
        "# 报送截止日期：晚于此日期填报的记为逾期",
        f"deadline = {c.deadline.isoformat()}",
        "# 上年的汇总表（jc315 merge 写出的），或上年的收集文件夹，写相对于本文件的路径：",
        "# 校验时每个单位的数与它自己上年的数相比，相差过大或完全相同的须核实（见 [form.swing]）",
        f"last_year = {_s(c.last_year)}" if c.last_year else '# last_year = "../2022年3·15"',
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
        "# contact、phone、email 为该单位的联系人、电话、邮箱（可不写）：催报、退回时显示。",
    ]
    for r in c.reporters:
        out += [
            "[[reporters]]",
            f"name = {_s(r.name)}",
            f"short_name = {_s(r.short_name)}",
            f"aliases = {_list(r.aliases)}",
            *(
                f"{key} = {_s(value)}" if value else f"# {key} = {_s(example)}"
                for key, value, example in (
                    ("contact", r.contact, "联系人姓名"),
                    ("phone", r.phone, "0356-0000000"),
                    ("email", r.email, "name@example.com"),
                )
            ),
            "",
        ]
    out += [
        "# 报送材料：每个填报单位要报送的材料，每个 [[materials]] 一种，validate 逐个单位列出收到了哪些。",
        "# 缺少材料只是警告，不影响汇总；删去本节则不检查材料。",
        "# form = true 的一种就是统计表本身（按 .xlsx/.xls/.ods/.et 识别）。其他材料按扩展名 extensions",
        '# 识别（如 ".docx"，不分大小写）；两种材料有相同的扩展名（如 .pdf）时，按文件名中的字样 words',
        '# 区分，两者都要写 words。unit 为计数的量词（如 "张"，可不写）。',
        "# 材料放在收表文件夹中以单位命名的子文件夹里（如 收回/泽州县/），或文件名中写明单位名称。",
    ]
    for material in c.materials:
        out += ["[[materials]]", f"name = {_s(material.name)}"]
        if material.form:
            out.append("form = true")
        if material.extensions:
            out.append(f"extensions = {_list(material.extensions)}")
        if material.words:
            out.append(f"words = {_list(material.words)}")
        if material.unit:
            out.append(f"unit = {_s(material.unit)}")
        out.append("")
    k = c.material_checks
    out += [
        "# 材料内容的核对：summary 为活动总结（其中的数字与本单位统计表核对），photos 为图片资料",
        '# （核对照片的拍摄日期，以及是否与其他单位或往年的照片相同），写材料名称，写 "" 则不核对；',
        "# replies = true 时，需核实的结果也写进退回通知。",
        "[material_checks]",
        # a material this campaign does not have is written as "" (off): it would not load
        f"summary = {_s(k.summary if c.checked_material('summary') else '')}",
        f"photos = {_s(k.photos if c.checked_material('photos') else '')}",
        f"replies = {'true' if k.replies else 'false'}",
        "",
    ]
    d = c.folders
    out += [
        "# 收集文件夹（jc315 init 文件夹名 生成）中各环节的文件夹名称，以及汇总表的文件名",
        "# （{year} 代表年度）。在收集文件夹中运行命令时不必写路径，按这里的名称读写。",
        "[folders]",
        f"issued = {_s(d.issued)}",
        f"returned = {_s(d.returned)}",
        f"replies = {_s(d.replies)}",
        f"merged = {_s(d.merged)}",
        f"report = {_s(d.report)}",
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
        "# 空白表是否带“核实说明”一栏（true：填报单位可主动写明某个数的理由）；退回表总在需核实的数旁边带这一栏",
        f"note_column = {'true' if f.note_column else 'false'}",
        "",
        "# 表中的固定文字：生成时印在表上，校验时凭它们找到表头和各栏",
        "[form.labels]",
        *(f"{key} = {_s(value)}" for key, value in f.labels.model_dump().items()),
        "",
        "# 与上年比较（有上年的汇总表时）：某单位某项的数多于它上年的 factor 倍或少于上年的 1/factor，",
        "# 且相差至少 at_least（按本项的计量单位）时，提示“与上年相差大”，须核实。",
        "# 某一项另定时，在该项下写 swing = { factor = 5, at_least = 100 }。",
        "[form.swing]",
        f"factor = {_number(f.swing.factor)}",
        f"at_least = {_number(f.swing.at_least)}",
        "",
        '# 计量单位：每个 [[form.measures]] 一个，项目用 measure = "名称" 引用。',
        '# kind 为 "count"（计数，整数）或 "money"（金额，最多 places 位小数）；',
        "# suffixes 为数字后面还可以写的单位字样；conversions 为可换算的其他单位及倍数，",
        '# 如 { unit = "元", factor = "0.0001" } 表示填“5000元”按 0.5 万元计（并提示已换算）。',
    ]
    for m in f.measures:
        out += ["[[form.measures]]", f"name = {_s(m.name)}", f"kind = {_s(m.kind.value)}"]
        if m.places:
            out.append(f"places = {m.places}")
        if m.suffixes:
            out.append(f"suffixes = {_list(m.suffixes)}")
        if m.conversions:
            pairs = ", ".join(
                f"{{ unit = {_s(x.unit)}, factor = {_s(format(x.factor, 'f'))} }}"
                for x in m.conversions
            )
            out.append(f"conversions = [{pairs}]")
        out.append("")
    out += [
        "# 项目：按表中顺序排列。id 为编号（6.1 表示第 6 项的第 1 个子项），",
        "# category 为类别，name 为子项名称（没有子项的不写），measure 为上面定义的计量单位；",
        "# max 为一个单位本表的合理上限（可不写）：超过时提示“请核实”，不拒收（汇总表不检查）。",
        "# phrase 为活动总结（jc315 summary）中数字前面的说法，如“接受消费者咨询”写成",
        "# “接受消费者咨询3289件”；不写则用项目名称。一组子项连成一句：lead 写在句前、",
        "# tail 写在句后，都写在这组的第一项，如“通过电视专题节目19期、……等渠道开展宣传报道”。",
    ]
    for item in f.items:
        out += ["[[form.items]]", f"id = {_s(item.id)}", f"category = {_s(item.category)}"]
        if item.name:
            out.append(f"name = {_s(item.name)}")
        out.append(f"measure = {_s(item.measure)}")
        if item.max is not None:
            out.append(f"max = {format(item.max, 'f')}")
        if item.swing is not None:
            w = item.swing
            out.append(
                f"swing = {{ factor = {_number(w.factor)}, at_least = {_number(w.at_least)} }}"
            )
        for key, value in (("phrase", item.phrase), ("lead", item.lead), ("tail", item.tail)):
            if value is not None:
                out.append(f"{key} = {_s(value)}")
        out.append("")
    out += [
        "# 汇总表“分单位明细”中的柱状图：items 为要画的项目（计量单位须相同）；删去本节则不画图。"
    ]
    if f.chart is not None:
        out += [
            "[form.chart]",
            f"title = {_s(f.chart.title)}",
            f"items = {_list(f.chart.items)}",
            "",
        ]
    out += [
        "# 校验规则：when 成立时要求 check 成立，否则按 severity 报告。",
        "# 表达式写作 #{5}（第 5 项）、#{6.1} + #{6.2}（相加）或数字；operator 可为",
        '# ==、!=、>、>=、<、<=；severity 可为 "error"、"warning"、"info"。',
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

"""The table of problem kinds, as frictionless keeps one class per error: every code with its
severity, its Chinese title, its message template and its hint, one line each. Data only, so the
table reads as the list of everything jc315 can say; problems are made from it in registry.py,
and the README's table and the report's JSON schema are printed from it in reference.py.

Templates are `str.format` strings. Fields common to a campaign (`year`, `organizer`,
`example_date`) come from `Campaign.text_fields()`; the rest from the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from jc315cli.problems.report import NOTE_HEADER, Severity, Tier

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note (提示)


@dataclass(frozen=True)
class ProblemKind:
    code: str
    severity: Severity
    title: str  # a few Chinese words a clerk understands
    message: str
    hint: str = ""
    usage: bool = False  # raised as an error: the command was asked wrongly (exit 2, not 1)
    where: str = "cell"  # cell, file, batch, materials or command: where it is found
    refuses_merge: bool = False  # no --skip-invalid can set it aside: merging would be wrong
    # a warning that could change a number: 核实性, counted only once confirmed with a reason
    doubtful: bool = False
    for_collector: bool = False  # the collecting office sorts it out, not the county: no 退回

    @property
    def tier(self) -> Tier:
        """强制性, 核实性 or 提示 (docs/checks.md). rule-failed takes its severity from the
        campaign's rule, and so its tier: see `Tier.of`."""
        return Tier.of(self.severity, doubtful=self.doubtful)


@dataclass(frozen=True)
class Reason:
    """One of the registered reasons of a kind that has several (why a file cannot be read at
    all): a stable sub-code, given in the problem's `reason` field, and its own template. The
    kind's hint is used unless the reason has one of its own."""

    code: str
    message: str
    hint: str = ""


def _kinds(*kinds: ProblemKind) -> dict[str, ProblemKind]:
    return {kind.code: kind for kind in kinds}


def _reasons(*reasons: Reason) -> dict[str, Reason]:
    return {reason.code: reason for reason in reasons}


K = ProblemKind

# How a 核实性 value comes to count: said once, for the merge's refusal and the verdict's line.
HOW_TO_CONFIRM = (
    f"核实方法：填报单位在退回表中该项右边的“{NOTE_HEADER}”栏写明理由后重新报送，"
    "或市局核实后运行 jc315 confirm 单位 项目 --reason “理由”"
)

# The registry: one line per kind. Kept as a table, not reformatted.
# fmt: off
KINDS: dict[str, ProblemKind] = _kinds(
    # --- one cell's value (normalize.py) ---
    K("not-a-number", E, "不是数字", "“{raw}”不是数字", "请只填写阿拉伯数字，如 12；没有的填 0"),
    K("logical-value", E, "逻辑值", "单元格是逻辑值 {raw}，不是数字", "请把单元格格式改为“常规”，再填写阿拉伯数字"),
    K("date-cell", E, "日期格式", "单元格是日期或时间格式（{raw}），不是数字", "把单元格格式改为“常规”或“数值”后重新填写"),
    K("invisible-char", E, "不可见字符", "“{raw}”含有不可见字符 {codepoint}", "请清空单元格后重新输入数字"),
    K("not-arabic", E, "不是阿拉伯数字", "“{raw}”不是阿拉伯数字", "请用阿拉伯数字填写，如 12"),
    K("odd-digit", E, "特殊数字字符", "“{raw}”中的“{char}”（{codepoint}）不是普通数字", "请删除后用键盘上的数字 0–9 重新输入"),
    K("spaced-digits", E, "数字中有空格", "“{raw}”的数字之间有空格，无法确定是哪个数", "请删除空格；如是两个数，请核实后只填一个"),
    K("approximate", E, "约数", "“{raw}”是约数，不是确切数字", "请填写确切的阿拉伯数字，如 50；确实无法统计的请与{organizer}联系"),
    K("too-large", E, "位数过多", "“{raw}”位数过多，不像是实际统计数", "请核对后重新填写"),
    K("negative", E, "负数", "{number} 是负数", "数量不能为负，没有的填 0"),
    K("not-whole", E, "不是整数", "{number} 不是整数，本项以“{measure}”计", "请填写整数"),
    K("too-many-decimals", E, "小数位过多", "{number} {measure}有 {places} 位小数，超过 {max_places} 位", "本项以{measure}为单位，最多保留 {max_places} 位小数"),
    K("wrong-measure", E, "单位不符", "“{raw}”的单位与本项的单位（{measure}）不符", "本项以“{measure}”计，请只填写数字"),
    K("unit-converted", W, "已换算", "“{raw}”按{unit}填写，已换算为 {number} {measure}", "本项以{measure}为单位，请直接填写{measure}数", doubtful=True),
    K("written-as-none", N, "按 0 计", "填写为{shown}，按 0 计"),
    K("formula-no-value", E, "公式无结果", "单元格是公式，但文件里没有保存计算结果，无法知道显示的数", "公式没有计算结果，请在 Excel/WPS 中打开后重新保存，或直接填写数字"),
    K("error-value", E, "错误值", "单元格显示错误值 {raw}", "请改正公式或直接填写数字"),
    K("merged-value", E, "单元格被合并", "数量单元格与 {cells} 合并在一起，只显示一个数，其余的数被隐藏", "请取消合并，每项分别填写"),
    K("hidden-value", E, "单元格被隐藏", "数量单元格所在的行或列被隐藏，看不到其中的数", "请取消隐藏，核对后重新填写"),
    K("display-differs", E, "显示与数值不同", "单元格显示的不是实际的数：{why}", "请把单元格格式改为“常规”或“数值”，核对后重新填写"),
    K("blank", W, "未填写", "未填写，按 0 计", "没有的请填 0，以免被当作漏填", doubtful=True),
    # --- 填报日期 (dates.py, one_file.py) ---
    K("date-missing", W, "未填日期", "未填写填报日期", "请填写填报日期，如 {example_date}"),
    K("date-unreadable", W, "日期无法识别", "无法识别的填报日期“{raw}”", "请写作 {example_date} 或 {example_iso}"),
    K("date-serial", N, "日期已换算", "填报日期是数字 {serial}（单元格丢失了日期格式），按 {day} 理解"),
    K("date-implausible", W, "日期不合理", "填报日期 {day} 不合常理（应在 {first} 至 {last} 之间，截止日期 {deadline}）", "请核实填报日期"),
    K("late", W, "逾期", "逾期：填报日期 {day} 晚于报送截止日期 {deadline}"),
    K("corrected-on-time", N, "按期改正", "按期改正：填报日期 {day} 晚于报送截止日期 {deadline}，但在退回通知（{sent_on}）要求的 {asked_by} 之前"),
    # --- one file (read/, locate.py, one_file.py) ---
    K("unreadable", E, "无法读取", "{reason}", "请对方重新保存后再发送，或改存为 .xlsx", where="file"),  # see UNREADABLE
    K("macros-ignored", N, "含宏", "文件中含有宏，已忽略（只读取单元格的值，不运行宏）", where="file"),
    K("no-form-sheet", E, "找不到统计表", "在工作表 {sheets} 中都找不到统计表（需要表头“{value_header}”和各项目名称）", "请使用下发的统计表填写，不要删除表头和项目名称", where="file"),
    K("ambiguous-form-sheet", E, "多张统计表", "工作表 {sheets} 中都有统计表，无法确定以哪一张为准", "请只保留一张填好的统计表，删除其余副本后重新报送", where="file"),
    K("ambiguous-form-copy", E, "表格有两份", "工作表“{sheet_name}”中有不止一份统计表（表头在 {cells}），无法确定以哪一份为准", "请只保留一份填好的表，删除其余副本（包括隐藏的行和列）后重新报送", where="file"),
    K("hidden-form-sheet", E, "统计表被隐藏", "统计表所在的工作表“{sheet_name}”被隐藏，看到的可能是另一张表", "请取消隐藏，只在下发的统计表中填写", where="file"),
    K("wrong-form", E, "不是本表", "这不是本统计表（表标识为 {found}）", "请使用下发的统计表", where="file"),
    K("wrong-year", E, "年度不符", "这是 {found} 年的表，本次收集的是 {year} 年的表", "请使用 {year} 年下发的统计表重新填写", where="file"),
    K("wrong-title", E, "表名不符", "表头为“{found}”，本次收集的是“{title}”", "请使用本次下发的《{title}》重新填写", where="file"),
    K("title-missing", W, "缺少表头", "找不到表头“{title}”，无法核对是否为本次的表", "请使用本次下发的统计表填写，不要删除表头", where="file"),
    K("wrong-form-version", E, "版本不符", "表的版本为 {found}，本次使用的是 {version}", "表的项目可能已调整，请使用本次下发的统计表重新填写", where="file"),
    K("reporter-not-in-campaign", E, "单位不在名单", "表内标识的填报单位“{found}”不在本次活动的填报单位名单中", "请确认活动配置（--campaign）是否正确", where="file"),
    K("reporter-mismatch", E, "单位不一致", "此表是下发给 {reporter} 的，但{where}写的是“{found}”", "可能是用别的单位的表填写的：请与报送单位核实，用该单位自己的表重新填写"),
    K("unknown-reporter", E, "单位无法识别", "无法确定填报单位：{said}，文件名“{file}”中也没有可识别的单位名称", "请在填报单位一栏填写单位全称，如 {example_reporter}"),
    K("reporter-from-filename", N, "按文件名认定", "填报单位一栏{said}，按文件名认定为 {reporter}"),
    K("missing-item", E, "缺少项目", "找不到第 {item_id} 项“{item_label}”所在的行", "请不要删除或改写项目名称"),
    K("duplicate-label", E, "项目重复", "第 {item_id} 项“{item_label}”在 {cells} 出现了不止一次，无法确定哪一行是要填的", "请删除多余的行（包括隐藏的行）后重新报送"),
    K("measure-mismatch", E, "单位被改", "本项的单位应为“{measure}”，表中写的是“{found}”", "请把单位改回“{measure}”，并按{measure}填写数量"),
    K("measure-missing", E, "单位被删", "本项的单位一栏是空的，看不出数量是按什么单位填写的（应为“{measure}”）", "请在单位一栏填回“{measure}”，并核实数量是按{measure}填写的"),
    K("measure-column-missing", E, "缺少单位栏", "表中找不到“{measure_header}”一栏（应在“{value_header}”左边），看不出各项数量是按什么单位填写的", "请使用下发的统计表，不要删除或改写“{measure_header}”一栏及各项的单位", where="file"),
    K("all-blank", E, "空表", "所有项目都未填写", "这像是一张空表，请确认发送的是填好的文件", where="file"),
    K("rule-failed", W, "规则未通过", "{message}", "{hint}", doubtful=True),  # tier as its severity
    # --- across files (batch.py) ---
    K("duplicate-identical", W, "重复报送", "{reporter} 报送了内容相同的多份文件（{files}），只计一份：{kept}", where="batch", for_collector=True),
    K("duplicate-tie", E, "重复且无法取舍", "{reporter} 报送了数值不同的多份文件，填报日期相同或没有填写，无法判断以哪份为准：{diffs}", "请与该单位确认哪一份是最终版本，把其余的移到子文件夹“旧版/”（不会被读取）后重新运行", where="batch", for_collector=True),
    K("superseded", W, "已被替代", "已被 {winner} 替代，不计入汇总（{why}）", where="batch", for_collector=True),
    K("supersedes", N, "替代旧表", "替代了 {reporter} 先前报送的 {loser}（{day}）", where="batch"),
    K("double-count", E, "重复计算", "{reporters} 的数据同时包含在 {first} 和 {second} 中，汇总会重复计算", "请只保留其中一份（下级单位的表或已含该单位的汇总表）", where="batch", refuses_merge=True, for_collector=True),
    K("above-bound", W, "请核实", "{number} {measure} 超过本项的合理上限（{bound} {measure}），请核实", "请核对是否多写了位数或用错了单位（如把元当作万元）", where="batch", doubtful=True),
    K("outlier", W, "请核实", "{number} {measure} 超过其他单位中位数（{median}）的 {factor} 倍，请核实", "请核对是否多写了位数或用错了单位", where="batch", doubtful=True),
    K("same-as-other", W, "与其他单位相同", "各项数值与 {others} 本次报送的完全相同", "请核对是否用了其他单位的表或数", where="batch", doubtful=True),
    # --- against the reporter's own last year (last_year.py) ---
    K("year-swing", W, "与上年相差大", "{number} {measure}，上年为 {was} {measure}（{change}），超出核实范围：{limits}", "请核对数值和单位；变化确有原因的（如新增大案、统计口径变化）请写明", where="batch", doubtful=True),
    K("same-as-last-year", W, "与上年完全相同", "各项数值与 {year} 年报送的完全相同", "请核对是否误用了上年的表或数", where="batch", doubtful=True),
    # --- the county's own 核实说明 (confirm.py) ---
    K("county-note", N, "核实说明", "填报单位的核实说明：{note}"),
    K("form-in-two-places", E, "统计表放在两处", "{reporter} 的统计表同时放在 {place} 和 {other_place} 中，无法确定以哪一处为准", "请只保留一处，把另一处的表移到子文件夹“旧版/”（不会被读取）后重新运行", where="batch", for_collector=True),
    K("folder-mismatch", E, "放错文件夹", "此表放在 {folder_reporter} 的文件夹“{folder}”中，表内的填报单位却是 {reporter}", "请核实是哪个单位的表，放进该单位的文件夹或收表文件夹的第一层后重新运行", where="batch", for_collector=True),
    # --- the other materials (materials.py): warnings, never holding back the totals ---
    K("material-missing", W, "缺少材料", "未收到{material}", "收到后放进收表文件夹中以单位命名的子文件夹（如“{folder_example}/”），或在文件名中写明单位名称", where="materials"),
    K("material-unassigned", W, "材料无主", "“{file}”像是{material}，但文件名中没有单位名称，不知道是哪个单位的", "请放进以单位命名的子文件夹（如“{folder_example}/”），或在文件名中写明单位名称", where="materials"),
    K("material-ambiguous", W, "材料属于两个单位", "“{file}”的{named_in}中有 {names}，无法确定是哪个单位的", "请改名只写一个单位的名称，或放进该单位的子文件夹", where="materials"),
    K("material-unclear", W, "材料种类不明", "“{file}”可能是{materials}，无法确定是哪一种", "请在文件名中写明是哪一种，如加上{words}", where="materials"),
    K("material-folder-limit", W, "文件夹太大", "文件夹“{file}”中的文件超过 {limit} 个或层级超过 {depth} 层，其余的未查看", "请只放报送的材料；解压出的大量文件可以重新打包成一个压缩包", where="materials"),
    # --- the ledger (collection/store.py, ledger.py): notices, never stopping a command ---
    K("ledger-new", N, "新建台账", "台账 {path} 不存在，已新建：此前的收集历史不可用", "各单位的数字仍以收回的文件为准", where="command"),
    K("ledger-damaged", W, "台账已损坏", "台账已损坏（{reason}），已改名保存为 {kept}，并新建了台账：此前的收集历史不可用", "各单位的数字仍以收回的文件为准；损坏的台账没有删除，可交技术人员查看", where="command"),
    K("ledger-log-damaged", W, "台账日志已损坏", "台账的日志文件已损坏，已另存为 {kept}：最近记录的收集历史可能不全", "各单位的数字仍以收回的文件为准", where="command"),
    K("ledger-newer", W, "台账版本较新", "台账 {path} 是更新版本的 jc315 写的，本版本不读取、也不改动它：本次的收集历史不显示、不记录", "请升级 jc315 后再运行", where="command"),
    K("ledger-unavailable", W, "台账不可用", "台账 {path} 不可用（{reason}）：本次的收集历史不显示、不记录", "请检查 .jc315 文件夹能否写入、磁盘是否已满；各单位的数字仍以收回的文件为准", where="command"),
    K("ledger-write-failed", W, "台账写入失败", "无法写入台账（{reason}）：本次的结果未记入收集历史", "请检查 .jc315 文件夹能否写入、磁盘是否已满；各单位的数字仍以收回的文件为准", where="command"),
    # --- what the materials say (check/summary_numbers.py, check/photos.py): 核实, never refused ---
    K("summary-number-differs", W, "总结与统计表不符", "活动总结{paragraph}：{summary_said}；统计表 {table_cell}：{number} {measure}", "请核实哪个数正确：统计表有误的，改正后重新报送；活动总结有误的，改正活动总结后重新发送", where="materials", doubtful=True),
    K("photo-shared", W, "照片重复", "“{file}”与{other_reporter}报送的“{other_file}”是同一张照片（{how}）", "同一张照片出现在两个单位的材料中，请核实是否为本单位活动的照片", where="materials", doubtful=True),
    K("photo-last-year", W, "往年照片", "“{file}”与往年收集的“{other_file}”是同一张照片（{how}）", "请核实；如是往年的照片，请换成本次活动的照片", where="materials", doubtful=True),
    K("photo-date-outside", N, "拍摄日期不在活动期间", "“{file}”的拍摄日期是 {day}，不在本次活动期间（{first} 至 {last}）", "如不是本次活动的照片，请核实；相机日期设置有误的可忽略", where="materials"),
    K("material-not-checked", N, "内容未核对", "{reason}", where="materials"),  # see NOT_CHECKED
    # --- the command itself (raised as Jc315Error) ---
    K("path-not-found", E, "路径不存在", "路径不存在：{path}", "请检查文件或文件夹名称", usage=True, where="command"),
    K("no-inputs", E, "没有统计表", "没有找到任何统计表文件", "请给出文件，或含有 .xlsx/.xls/.ods 文件的文件夹", usage=True, where="command"),
    K("output-is-input", E, "输出即输入", "输出文件 {path} 也是输入文件之一", "请用 -o 指定另一个文件名，输入文件不会被修改", usage=True, where="command"),
    K("output-exists", E, "文件已存在", "以下文件已存在，未写入任何文件：\n{paths}", "确认要覆盖请加 --force，或换一个输出位置{option}", where="command"),
    K("output-not-xlsx", E, "扩展名不对", "输出文件 {path} 的扩展名不是 .xlsx，写出的是 Excel 工作簿", "请用 .xlsx 结尾的文件名，如 -o 汇总.xlsx", usage=True, where="command"),
    K("output-not-a-file", E, "输出不是文件", "输出位置 {path} 不是普通文件（是文件夹、设备或管道），不会写入", "请用 -o 指定一个 .xlsx 文件名", usage=True, where="command"),
    K("write-failed", E, "写入失败", "无法写入 {path}：{reason}", "请换一个有写入权限、空间足够的位置", where="command"),
    K("file-name-clash", E, "文件名冲突", "以下填报单位的文件名相同，会互相覆盖：{names}", "请在活动配置中修改其中一个单位的名称", usage=True, where="command"),
    K("output-in-inputs", E, "输出在收表文件夹里", "输出位置 {path} 在收回的文件夹里，下次校验会把它当作报回的表", "请换一个文件夹，如 -o 退回/ 或 -o 汇总.xlsx（不要放在收表文件夹里）", usage=True, where="command"),
    K("output-holds-inputs", E, "输出文件夹里有收回的表", "输出文件夹 {path} 里有输入文件 {input}，写在这里的文件下次校验会被当作报回的表", "请换一个不含收回文件的文件夹，如 -o 退回/", usage=True, where="command"),
    K("output-not-a-folder", E, "输出不是文件夹", "输出位置 {path} 已存在，但不是文件夹（是文件、设备或管道），不会写入", "请用 -o 指定一个文件夹，不存在的会自动新建", usage=True, where="command"),
    K("path-unusable", E, "路径无法使用", "无法使用路径 {path}：{reason}", "请改用较短的文件名或文件夹名，并确认有访问权限", usage=True, where="command"),
    # --- the campaign file (campaign_file.py, campaign_errors.py): usage errors ---
    K("campaign-ambiguous", E, "配置文件不止一个", "找到了两个活动配置文件：{campaign_a} 和 {campaign_b}，无法确定用哪一个", "请用 --campaign 指定其中一个，或在收集文件夹中运行", usage=True, where="command"),
    K("campaign-mismatch", E, "配置与收回的表不符", "收回的 {count} 份表都是 {forms_say}的表，而所用的是 {used}：可能用错了活动配置，未写出任何文件", "{remedy}；如确是填报单位用错了表，请用 --campaign 指明本次的配置文件后重试", usage=True, where="command"),
    K("not-a-collection", E, "不在收集文件夹中", "当前文件夹不在收集文件夹中，没有可显示的收集进度", "请进入用 jc315 init 建立的收集文件夹（含 jc315.toml）后运行，或先 jc315 init 文件夹名", usage=True, where="command"),
    K("confirm-item-unknown", E, "不认识的项目", "不认识的项目“{said}”", "请写项目的序号（如 5）、单元格（如 E10）或名称；可用的有：{known}", usage=True, where="command"),
    K("confirm-no-file", E, "没有可核实的表", "{reporter}在收回文件夹中没有可计入汇总的表（没有报送，或表中有错误）", "有错误的表请先退回改正；核实只针对没有错误、只待核实的表", usage=True, where="command"),
    K("confirm-nothing-doubtful", E, "该值无需核实", "{reporter}的第 {which} 项没有需核实的问题", "运行 jc315 validate 查看哪些数值需核实", usage=True, where="command"),
    K("confirm-not-recorded", E, "核实未能记录", "台账无法写入，核实结果未记录", "请检查收集文件夹中的 .jc315 文件夹能否写入、磁盘是否已满，然后重试", where="command"),
    K("web-no-ledger", E, "台账无法使用", "收集文件夹的台账无法打开或写入，网页无法记录各单位的链接和上传", "请检查收集文件夹中的 .jc315 文件夹能否写入、磁盘是否已满，然后重试", where="command"),
    K("web-cert-pair", E, "证书和私钥要一起给", "--cert 和 --key 须同时给出", "例如 jc315 web --lan --cert 证书.pem --key 私钥.pem", usage=True, where="command"),
    K("web-cannot-serve", E, "网页无法启动", "无法在 {address} 上提供网页：{reason}", "请换一个端口（--port），或确认该地址属于本机", usage=True, where="command"),
    K("no-paths", E, "没有给出文件", "没有给出{needed}，当前文件夹也不在收集文件夹中", "请给出{needed}，或先用 jc315 init 文件夹名 建立收集文件夹，在其中运行", usage=True, where="command"),
    K("campaign-not-found", E, "找不到配置文件", "找不到活动配置文件：{path}", "可用 jc315 init 生成一份", usage=True, where="command"),
    K("campaign-not-a-file", E, "配置文件不是文件", "活动配置文件 {path} 不是普通文件", "请给出一个 .toml 文件", usage=True, where="command"),
    K("campaign-unreadable", E, "无法读取配置文件", "无法读取活动配置文件 {path}：{cause}", "请确认有读取权限，或把文件复制到别处后重试", usage=True, where="command"),
    K("campaign-too-large", E, "配置文件过大", "活动配置文件 {path} 超过 {megabytes} MB，不像是活动配置文件", "请检查文件名", usage=True, where="command"),
    K("campaign-not-unicode", E, "配置文件编码不对", "活动配置文件 {path} 不是 UTF-8 编码的文本", "请用记事本等另存为 UTF-8 编码", usage=True, where="command"),
    K("campaign-not-toml", E, "配置文件格式不对", "活动配置文件 {path} 不是有效的 TOML：{mistake}", "检查引号、括号和等号是否成对", usage=True, where="command"),
    K("campaign-syntax", E, "配置文件写法有误", "活动配置文件 {path} 第 {line_number} 行有误：{mistake}\n  {line_number} | {line}", "{advice}", usage=True, where="command"),
    K("campaign-too-deep", E, "配置文件层数过多", "活动配置文件 {path} 中的表或列表一层套一层，超过 {depth} 层", "活动配置文件用不到这么多层；jc315 init 可生成一份带注释的示例", usage=True, where="command"),
    K("campaign-beyond-bounds", E, "配置文件超出上限", "活动配置文件 {path} 有误：\n{mistakes}", "活动配置文件的上限见 README“活动配置文件的上限”", usage=True, where="command"),
    K("campaign-invisible-characters", E, "配置文件有看不见的字符", "活动配置文件 {path} 有误：\n{mistakes}", "删去这些看不见的字符后重试", usage=True, where="command"),
    K("campaign-invalid", E, "配置文件有误", "活动配置文件 {path} 有误：\n{mistakes}", "改正后重试；jc315 init 可生成一份带注释的示例", usage=True, where="command"),
    K("unknown-reporter-name", E, "不认识的单位", "不认识的填报单位：{name}", "可用的有：{known}", usage=True, where="command"),
    K("merge-double-count", E, "重复计算，拒绝汇总", "拒绝汇总：{overlaps}", "同一单位的数据不能计算两次", where="command"),
    K("merge-invalid-files", E, "有文件未通过校验", "{count} 个文件未通过校验，未写出汇总表", "改正后重新汇总；或加 --skip-invalid 只汇总通过校验的文件", where="command"),
    K("merge-nothing-valid", E, "没有可汇总的文件", "没有通过校验的文件，无法汇总", "请改正未通过校验的文件后重新汇总", where="command"),
    K("merge-unverified", E, "有待核实的数值", "{count} 个文件有待核实的数值，未写出汇总表", f"{HOW_TO_CONFIRM}；或加 --skip-invalid 只汇总其余的文件", where="command"),
    K("last-year-not-merged", E, "上年的不是汇总表", "{file} 不是汇总表（没有各单位的分单位明细），无法与各单位上年的数比较", "请给出上年 jc315 merge 写出的汇总表，或上年的收集文件夹", usage=True, where="command"),
    K("last-year-not-earlier", E, "不是上年的表", "{file} 是 {year} 年的汇总表，不早于本次的 {this_year} 年", "请给出上一年的汇总表或收集文件夹", usage=True, where="command"),
    K("last-year-other-form", E, "上年的表不同", "{file} 是 {year} 年版本 {found} 的表，本次的表是版本 {version}，无法确定各项的对应关系", "请给出上年的收集文件夹（其中的活动配置说明了上年的表），如 --last-year ../{year}年3·15/", usage=True, where="command"),
    # --- reading a finished report back (summary, compare) ---
    K("report-unreadable", E, "无法读取报表", "无法读取报表 {file}：{why}", "这里要的是 jc315 merge 写出的汇总表，或某个单位的统计表（.xlsx、.xls、.ods）；活动配置文件（.toml）请用 --campaign 或 --last-campaign 给出", where="command"),
    K("report-invalid", E, "报表有错误", "{file} 中有 {count} 处错误，无法确定其中的数：\n{details}", "请改正后重试；汇总表请用 jc315 merge 重新生成，不要手工修改", where="command"),
    K("report-campaign-mismatch", E, "配置与报表不符", "{file} 是 {said} 的报表，{flag} 给出的活动配置是 {expected}", "请用 {flag} 指定制作这份报表时所用的活动配置文件（不给则为内置的 2023 年配置）", usage=True, where="command"),
    K("different-reporters", E, "不是同一单位", "{this_file} 是{this_reporter}的报表，{last_file} 是{last_reporter}的，不能同比", "请用 --compare 给出{this_reporter}上一次的报表", usage=True, where="command"),
    K("same-report", E, "同一份报表", "{last_file} 和 {this_file} 是同一份报表（内容完全相同），相比只会处处“持平”", "请先给出上一次（如去年）的报表，再给出本次的报表", usage=True, where="command"),
    K("report-inconsistent", E, "前后不一致", "{number} 与{other_place} {other} 不一致", "同一份汇总表里这两处应当相同，表可能被手工改过"),
    K("report-unit-twice", E, "单位重复", "{name} 在 {cells} 出现了不止一次，无法确定以哪一列为准", "同一单位在“分单位明细”中只应有一列，表可能被手工改过"),
    K("report-detail-missing", E, "缺少分单位明细", "这是汇总表，但找不到工作表“{sheet_name}”（现有工作表：{sheets}），无法核对汇总数是否等于各单位之和", "汇总表请用 jc315 merge 重新生成，不要删除或改名其中的工作表", where="file"),
    K("report-detail-header", E, "分单位明细表头不全", "工作表“{sheet_name}”中找不到表头“{labels}”，无法核对汇总数是否等于各单位之和", "汇总表请用 jc315 merge 重新生成，不要改写其中的表头", where="file"),
    K("report-detail-hidden", E, "分单位明细被隐藏", "工作表“{sheet_name}”被隐藏，其中各单位的数看不到", "请取消隐藏并核对；汇总表请用 jc315 merge 重新生成，不要手工修改", where="file"),
    K("report-column-unnamed", E, "单位列不明", "这一列的表头{why}，看不出是哪个单位的数", "汇总表里每个单位各占一列，表头写明单位；表可能被手工改过，请用 jc315 merge 重新生成"),
    K("report-kind-unknown", E, "看不出是谁的表", "没有表标识，填报单位一栏{found}，看不出这是哪个单位的统计表，还是汇总表", "请给出 jc315 merge 生成的汇总表，或单位报回的统计表（填报单位一栏写明单位全称）", where="file"),
)
# fmt: on


# Why a file cannot be read at all: `problem("unreadable", reason=…)` names one of these, and
# the problem carries its code in `reason`. One line per reason, as the kinds above.
R = Reason
# fmt: off
UNREADABLE: dict[str, Reason] = _reasons(
    # --- the file itself (read/workbook.py) ---
    R("not-a-file", "这不是一个普通文件"),
    R("cannot-open", "无法打开文件：{cause}"),
    R("unsupported-type", "不支持的文件类型“{suffix}”，只能读取 .xlsx、.xlsm、.xls、.ods、.et"),
    R("file-too-large", "文件有 {megabytes} MB，统计表不会这么大，已拒绝读取", "请确认发送的是统计表，而不是照片、视频或其他文件"),
    R("empty", "文件是空的（0 字节）"),
    R("encrypted", "文件设置了打开密码（已加密），无法读取", "请对方取消打开密码后重新发送"),
    R("wps-format", "WPS 表格格式（.et），请对方在 WPS 中另存为 .xlsx 后重新报送"),
    R("not-a-spreadsheet", "文件内容不是电子表格（不是有效的 Office/ODS 压缩包），可能已损坏或被改了扩展名"),
    R("damaged", "文件已损坏或不是有效的电子表格（{error}）"),
    # --- an .xls read in a child process (read/isolation.py) ---
    R("read-timeout", "读取超过 {seconds} 秒仍未完成（文件过大、过于复杂或已损坏），已停止读取", "请对方另存为 .xlsx 后重新报送"),
    R("too-complex", "文件过大或过于复杂：读取它需要超过 {megabytes} MB 内存，无法安全读取，请对方另存为 .xlsx 后重新报送"),
    R("reader-crashed", "读取时出错退出（文件可能已损坏或内容异常），已停止读取"),
    R("too-many-styles", "文件过于复杂：有 {count} 种单元格格式，存为 .xls 时无法安全读取", "请对方另存为 .xlsx 后重新报送"),
    # --- the zip container of .xlsx, .xlsm, .ods (read/zipped.py) ---
    R("zip-unopenable", "文件不完整或已损坏（压缩包无法打开），可能下载或复制时被截断"),
    R("zip-truncated", "文件不完整或已损坏（压缩包内容缺失），可能下载或复制时被截断"),
    R("zip-data-error", "文件已损坏（压缩数据错误）"),
    R("zip-method", "文件使用了不支持的压缩方式"),
    R("zip-checksum", "文件已损坏（压缩包内容校验不符），可能下载或复制时被截断"),
    R("too-many-members", "文件内容异常（压缩包内有 {count} 个文件），不像是统计表，已拒绝读取"),
    R("inflates-too-far", "文件内容异常（解压后超过 {megabytes} MB），不像是统计表，已拒绝读取"),
    # --- the sheets inside (read/preflight.py, read/preflight_ods.py) ---
    R("workbook-xml", "文件已损坏（工作簿结构无法解析）"),
    R("sheet-xml", "文件已损坏（工作表内容无法解析）"),
    R("no-content", "文件已损坏（缺少 content.xml）"),
    R("too-many-strings", "文件内容异常（声称有 {count} 个文字），不像是统计表，已拒绝读取"),
    R("too-many-cells", "文件内容异常（单元格超过 {limit} 个，或各工作表范围合计过大），不像是统计表，已拒绝读取"),
    R("too-much-text", "文件内容异常（文字内容合计过多），不像是统计表，已拒绝读取"),
    R("address-out-of-range", "文件内容异常（单元格地址超出工作表范围），不像是统计表，已拒绝读取"),
    R("area-too-large", "文件内容异常（表格范围达 {count} 个单元格），不像是统计表，已拒绝读取"),
    R("repeated-cells", "文件内容异常（单元格超过 {limit} 个（重复的单元格）），不像是统计表，已拒绝读取"),
)
# fmt: on

# Why the content of a material was not checked (its numbers, its photo's date and likeness):
# said plainly, with how to make it checkable, never guessed at.
# fmt: off
NOT_CHECKED: dict[str, Reason] = _reasons(
    R("old-format", "“{file}”是{what}，jc315 读不了其中的文字，数字未与统计表核对", "如需核对，请对方另存为 .docx（Word 文档）后重新发送"),
    R("no-text", "“{file}”是扫描件或图片（PDF 中没有文字），数字未与统计表核对", "如需核对，请对方发送 .docx（Word 文档），或由 Word/WPS 直接导出的 PDF"),
    R("encrypted", "“{file}”设置了密码，内容未核对", "如需核对，请对方取消密码后重新发送"),
    R("damaged", "“{file}”无法打开（{error}），内容未核对", "请对方重新保存后发送"),
    R("too-large", "“{file}”有 {megabytes} MB，超过 {limit} MB，内容未核对", "请确认发送的是{material}本身；过大的文件请压缩后再发送"),
    R("too-complex", "“{file}”{what}，不像是{material}，内容未核对", "请对方重新保存后发送"),
    R("stopped", "读取“{file}”时{why}，已停止，内容未核对", "请对方重新保存后发送"),
    R("not-text-encoding", "“{file}”不是可识别的文字（UTF-8 或 GBK 编码），数字未与统计表核对", "如需核对，请对方另存为 .docx（Word 文档）后重新发送"),
    R("image-format", "“{file}”是{what}，只核对 JPEG 和 PNG 照片的拍摄日期和是否重复", "如需核对，请对方转存为 JPEG（手机相机可设为“兼容性最佳”）"),
    R("in-archive", "压缩包“{file}”{inside}不会解开，其中的图片未核对拍摄日期和是否重复", "如需核对，请解压后放进该单位的文件夹"),
)
# fmt: on

# The kinds whose problems name one of several registered reasons.
REASONS: dict[str, dict[str, Reason]] = {
    "unreadable": UNREADABLE,
    "material-not-checked": NOT_CHECKED,
}

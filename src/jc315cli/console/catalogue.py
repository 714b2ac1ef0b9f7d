"""The Chinese for what Typer and Click print in English: the strings they pass through
gettext (CATALOGUE), and the messages the vendored Click builds with f-strings, which gettext
never sees (PATTERNS). Kept apart from the patching that puts them in place (i18n.py): the
words change with the wording of jc315, the patching with the versions of Typer and Click.
Unknown strings pass through unchanged: an upgrade can add English, not break anything.
"""

from __future__ import annotations

import re

CATALOGUE = {
    "Usage:": "用法：",
    "[OPTIONS]": "[选项]",
    "Usage: ": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Aborted.": "已中止。",
    "Aborted!": "已中止！",
    "(deprecated) ": "（已弃用）",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "No such option: {name}": "没有这个选项：{name}",
    "Did you mean {possibility}?": "您是想用 {possibility} 吗？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing {param_type} {param_hint}.": "缺少{param_type} {param_hint}。",
    "Missing {param_type}.": "缺少{param_type}。",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "小数",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的命令补全脚本。",
}


def translate(message: str) -> str:
    return CATALOGUE.get(message, message)


# Messages the vendored Click builds with f-strings, so gettext never sees them.
PATTERNS: list[tuple[str, str]] = [
    (r"No such option: (\S+)", r"没有这个选项：\1"),
    (r"\(Possible options: (.+?)\)", r"（可能的选项：\1）"),
    (r"Did you mean (.+?)\?", r"您是想用 \1 吗？"),
    (r"[。.]\s*[.。]\s*(您是想用)", r"。\1"),
    (r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)", r"多出了参数（\1）"),
    (r"Invalid value for (.+?): ", r"\1 的取值无效："),
    (r"Invalid value: ", r"取值无效："),
    (
        r"(?:Value error, )?'([^']+)' is not one of (.+?)\.$",
        r"“\1”不是可选的值，可选：\2。",
    ),
    (
        r"(?i)(?:file|dir|path|directory) '(.+?)' is a directory\.",
        r"“\1”是文件夹，这里要的是文件。",
    ),
    (
        r"(?i)(?:file|dir|path|directory) '(.+?)' is a file\.",
        r"“\1”是文件，这里要的是文件夹。",
    ),
    (r"(?i)(?:file|dir|path|directory) '(.+?)' does not exist\.", r"“\1”不存在。"),
    (r"Missing argument '(.+?)'\.", r"缺少参数 '\1'。"),
    (r"Missing option '(.+?)'\.", r"缺少选项 '\1'。"),
    (r"Option '(.+?)' requires an argument\.", r"选项 '\1' 需要一个值。"),
    (r"Option '(.+?)' does not take a value\.", r"选项 '\1' 不带值。"),
    (r"File '(.+?)' does not exist\.", r"文件 '\1' 不存在。"),
    (r"Path '(.+?)' does not exist\.", r"路径 '\1' 不存在。"),
    (
        r"(?:File|Path|Directory) '(.+?)' is a directory\.",
        r"'\1' 是文件夹，这里要的是文件。",
    ),
    (
        r"(?:File|Path|Directory) '(.+?)' is a file\.",
        r"'\1' 是文件，这里要的是文件夹。",
    ),
]


def translate_message(message: str) -> str:
    for pattern, replacement in PATTERNS:  # compiled on first use, by re's own cache
        message = re.sub(pattern, replacement, message)
    return message

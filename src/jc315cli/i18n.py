"""Chinese for the words Typer and Click print themselves (Usage, Options, error panels).

They call gettext's `_` at run time and keep a few titles as module constants, so we swap in a
small catalogue. Unknown strings pass through unchanged: an upgrade can add English, not break.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

CATALOGUE = {
    "Usage:": "用法：",
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


def install() -> None:
    """Point every loaded Typer/Click module's `_` at our catalogue and fix the rich titles,
    the usage prefix and the help option's text."""
    import importlib

    for name in (
        "typer.rich_utils",
        "typer._click.formatting",
        "typer._click.core",
        "click.formatting",
        "click.core",
    ):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    _patch_usage_prefix()
    _patch_help_option()
    _patch_error_messages()
    for name, module in list(sys.modules.items()):
        if module is None or not (name.startswith("typer") or name.startswith("click")):
            continue
        current: Callable[[str], str] | None = getattr(module, "_", None)
        if callable(current) and getattr(current, "__name__", "") == "gettext":
            module._ = translate  # type: ignore[attr-defined]
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        for constant, english in (
            ("ARGUMENTS_PANEL_TITLE", "Arguments"),
            ("OPTIONS_PANEL_TITLE", "Options"),
            ("COMMANDS_PANEL_TITLE", "Commands"),
            ("ERRORS_PANEL_TITLE", "Error"),
            ("ABORTED_TEXT", "Aborted."),
            ("RICH_HELP", "Try [blue]'{command_path} {help_option}'[/] for help."),
            ("DEFAULT_STRING", "[default: {}]"),
            ("REQUIRED_LONG_STRING", "[required]"),
            ("DEPRECATED_STRING", "(deprecated) "),
            ("ENVVAR_STRING", "[env var: {}]"),
        ):
            if hasattr(rich_utils, constant):
                setattr(rich_utils, constant, translate(english))


def _patch_usage_prefix() -> None:
    for name in ("typer._click.formatting", "click.formatting"):
        module = sys.modules.get(name)
        formatter = getattr(module, "HelpFormatter", None)
        if formatter is None or getattr(formatter.write_usage, "_jc315", False):
            continue
        original = formatter.write_usage

        def write_usage(
            self: object,
            prog: str,
            args: str = "",
            prefix: str | None = None,
            _original: Callable[..., None] = original,
        ) -> None:
            _original(self, prog, args, "用法：" if prefix is None else prefix)

        write_usage._jc315 = True  # type: ignore[attr-defined]
        formatter.write_usage = write_usage


def _patch_help_option() -> None:
    for name in ("typer._click.core", "click.core"):
        module = sys.modules.get(name)
        command = getattr(module, "Command", None)
        if command is None or getattr(command.get_help_option, "_jc315", False):
            continue
        original = command.get_help_option

        def get_help_option(
            self: object, ctx: object, _original: Callable[..., object] = original
        ) -> object:
            option = _original(self, ctx)
            if option is not None and hasattr(option, "help"):
                option.help = translate("Show this message and exit.")
            return option

        get_help_option._jc315 = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option


# Messages the vendored Click builds with f-strings, so gettext never sees them.
PATTERNS = [
    (re.compile(r"No such option: (\S+)"), r"没有这个选项：\1"),
    (re.compile(r"\(Possible options: (.+?)\)"), r"（可能的选项：\1）"),
    (re.compile(r"Did you mean (.+?)\?"), r"您是想用 \1 吗？"),
    (re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)"), r"多出了参数（\1）"),
    (re.compile(r"Invalid value for (.+?): "), r"\1 的取值无效："),
    (re.compile(r"Invalid value: "), r"取值无效："),
    (re.compile(r"Missing argument '(.+?)'\."), r"缺少参数 '\1'。"),
    (re.compile(r"Missing option '(.+?)'\."), r"缺少选项 '\1'。"),
    (re.compile(r"Option '(.+?)' requires an argument\."), r"选项 '\1' 需要一个值。"),
    (re.compile(r"Option '(.+?)' does not take a value\."), r"选项 '\1' 不带值。"),
    (re.compile(r"File '(.+?)' does not exist\."), r"文件 '\1' 不存在。"),
    (re.compile(r"Path '(.+?)' does not exist\."), r"路径 '\1' 不存在。"),
    (
        re.compile(r"(?:File|Path|Directory) '(.+?)' is a directory\."),
        r"'\1' 是文件夹，这里要的是文件。",
    ),
    (
        re.compile(r"(?:File|Path|Directory) '(.+?)' is a file\."),
        r"'\1' 是文件，这里要的是文件夹。",
    ),
]


def translate_message(message: str) -> str:
    for pattern, replacement in PATTERNS:
        message = pattern.sub(replacement, message)
    return message


def _patch_error_messages() -> None:
    rich_utils = sys.modules.get("typer.rich_utils")
    original = getattr(rich_utils, "rich_format_error", None)
    if original is None or getattr(original, "_jc315", False):
        return

    def rich_format_error(self: Any, *args: Any, **kwargs: Any) -> Any:
        english = self.format_message
        self.format_message = lambda: translate_message(english())
        return original(self, *args, **kwargs)

    rich_format_error._jc315 = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error  # type: ignore[union-attr]
    core = sys.modules.get("typer.core")
    if core is not None and getattr(core, "rich_format_error", None) is original:
        core.rich_format_error = rich_format_error  # type: ignore[attr-defined]

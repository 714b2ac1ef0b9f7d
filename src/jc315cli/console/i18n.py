"""Chinese for the words Typer and Click print themselves (Usage, Options, error panels).

They call gettext's `_` at run time and keep a few titles as module constants, so we point
them at the catalogue (catalogue.py) and patch the few places that build English themselves.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from jc315cli.console.catalogue import translate, translate_message

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec


def install() -> None:
    """Point every loaded Typer/Click module's `_` at our catalogue and fix the usage prefix,
    the help option's text and the help layout. Typer's rich help module (it imports
    rich.markdown, pygments and more: a third of a command's start-up) is not imported here: it
    is patched when Typer imports it, which only help and usage errors do."""
    for name in ("typer._click.formatting", "typer._click.core"):
        try:  # Typer's own copy of Click (older Typer uses Click itself, loaded with it)
            importlib.import_module(name)
        except ImportError:
            pass
    _patch_usage_prefix()
    _patch_help_option()
    _patch_parameter_display()
    _translate_loaded_modules()
    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils()
    elif not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())


def _translate_loaded_modules() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not (name.startswith("typer") or name.startswith("click")):
            continue
        current: Callable[[str], str] | None = getattr(module, "_", None)
        if callable(current) and getattr(current, "__name__", "") == "gettext":
            module._ = translate  # type: ignore[attr-defined]


def _patch_rich_utils() -> None:
    _translate_loaded_modules()
    _patch_error_messages()
    _patch_help_layout()
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


class _PatchOnImport:
    """Finds nothing itself: when `typer.rich_utils` is imported, it lets the other finders
    find it and patches the module right after it has run."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchAfter(spec.loader)  # type: ignore[assignment]
                return spec
        return None


class _PatchAfter:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        _patch_rich_utils()


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


def _patch_help_layout() -> None:
    """Typer's help tables cut a long run of Chinese with "…" and show Python types
    (<bool>, <list[Path]>). Help text is wrapped by jc315's own wrapper instead (by display
    cells, never cut), and a flag shows no type at all: its name says what it does."""
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is None or getattr(rich_utils, "_jc315_layout", False):
        return
    from jc315cli.console.wrap import Wrapped

    def wrapped(renderable: Any) -> Any:
        parts = getattr(renderable, "renderables", None)
        text: Any = getattr(renderable, "plain", None)
        if parts is not None:  # a Columns of Text pieces: help, default, required
            text = " ".join(getattr(p, "plain", str(p)) for p in parts)
        return Wrapped(text) if isinstance(text, str) else renderable

    for name in ("_get_parameter_help", "_make_command_help"):
        original = getattr(rich_utils, name, None)
        if original is None:
            continue

        def patched(*args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            return wrapped(_original(*args, **kwargs))

        setattr(rich_utils, name, patched)
    help_text = getattr(rich_utils, "_get_help_text", None)
    if help_text is not None:

        def paragraphs(*args: Any, _original: Callable[..., Any] = help_text, **kwargs: Any) -> Any:
            # A docstring's lines inside a paragraph are joined (Chinese needs no space).
            from rich.console import Group

            made = _original(*args, **kwargs)
            return Group(
                *(
                    Wrapped(re.sub(r"(?<!\n)\n(?!\n)", "", p.plain)) if hasattr(p, "plain") else p
                    for p in getattr(made, "renderables", made)
                )
            )

        rich_utils._get_help_text = paragraphs  # type: ignore[attr-defined]
    panel = getattr(rich_utils, "_print_options_panel", None)
    if panel is not None:

        def options_panel(*args: Any, _original: Callable[..., Any] = panel, **kwargs: Any) -> Any:
            params = kwargs.get("params", [])
            kept = [(p, p.opts) for p in params]
            for param, opts in kept:
                param.opts = [o for o in opts if o not in HIDDEN_NAMES]
            try:
                return _original(*args, **kwargs)
            finally:
                for param, opts in kept:
                    param.opts = opts

        rich_utils._print_options_panel = options_panel  # type: ignore[attr-defined]
    rich_utils._jc315_layout = True  # type: ignore[attr-defined]


# Old spellings of an option that still work but are not shown: one name per meaning in help
# (-o/--output everywhere), while a script written for `generate --out` goes on running.
HIDDEN_NAMES = frozenset({"--out"})


def _patch_parameter_display() -> None:
    """A flag shows no type and an argument shows its metavar, not a Python type."""
    core = sys.modules.get("typer.core")
    if core is None or getattr(core, "_jc315_display", False):
        return
    for class_name in ("TyperOption", "TyperArgument"):
        cls = getattr(core, class_name, None)
        if cls is None:
            continue
        original_type = cls.display_type_rich

        def display_type_rich(
            self: Any, ctx: Any, _original: Callable[..., Any] = original_type
        ) -> Any:
            # A flag's name says what it does; an argument's name is already its metavar.
            if (
                getattr(self, "is_flag", False)
                or getattr(self, "param_type_name", "") == "argument"
            ):
                return None
            return _original(self, ctx)

        cls.display_type_rich = display_type_rich
    option = getattr(core, "TyperOption", None)
    if option is not None and hasattr(option, "get_error_hint"):
        original_hint = option.get_error_hint

        def get_error_hint(self: Any, _original: Callable[..., str] = original_hint) -> str:
            opts = self.opts  # “缺少选项 '--output' / '-o'”, never the old spelling
            self.opts = [o for o in opts if o not in HIDDEN_NAMES] or opts
            try:
                return _original(self)
            finally:
                self.opts = opts

        option.get_error_hint = get_error_hint
    argument = getattr(core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "_usage_display_name"):

        def usage_name(self: Any) -> str:  # 文件或文件夹... rather than {文件或文件夹}...
            name = str(self.display_name_raw)
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 else "")

        argument._usage_display_name = usage_name
    core._jc315_display = True  # type: ignore[attr-defined]

"""The progress bar for work over many files: on a terminal only, never in JSON output."""

from __future__ import annotations

from typing import Any

from rich.console import Console

PROGRESS_FROM = 50  # files; fewer are done before a bar would be worth reading


class ProgressBar:
    """Files checked so far, the rate and the time left, on a terminal, for work over more than
    PROGRESS_FROM files; nothing when the output is not a terminal or is JSON. Drawn only when
    a count arrives (no refresh thread: worker processes are forked while it runs), and gone
    when the work is done, so the report that follows starts on a clean screen."""

    def __init__(self, console: Console, *, enabled: bool, what: str = "正在校验") -> None:
        self.console, self.enabled, self.what = console, enabled and console.is_terminal, what
        self._bar: Any = None
        self._task: Any = None
        self._shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= PROGRESS_FROM:
            return
        import time

        if self._bar is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn(self.what),
                BarColumn(),
                TextColumn("{task.completed}/{task.total} 个文件"),
                TextColumn("{task.fields[rate]}"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
                auto_refresh=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=total, rate="")
        now = time.monotonic()
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = f"每秒 {done / elapsed:.0f} 个" if elapsed > 0 else ""
        self._bar.update(self._task, completed=done, rate=rate)
        if now - self._shown >= 0.1 or done == total:
            self._shown = now
            self._bar.refresh()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

"""One command's use of the collection: the ledger opened (when the command runs in a
collection folder), the judging adjusted by what only the ledger knows (a correction's own
deadline), and what the command did recorded in one transaction each. Outside a collection
folder every method does nothing, so each command runs the same with or without one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from jc315cli.collection.board import Board, Present, board
from jc315cli.collection.deadlines import excuse_corrections
from jc315cli.collection.folder import Choice
from jc315cli.collection.mismatch import refuse_mismatch
from jc315cli.collection.records import MergeRecord, SeenFile, SentReply
from jc315cli.problems.report import BatchReport, FileReport

if TYPE_CHECKING:
    from jc315cli.check.confirm import Confirmations
    from jc315cli.collection.ledger import Ledger


def now() -> datetime:
    return datetime.now(timezone.utc)


class Session:
    """Open with `with Session(choice, inputs) as session:`."""

    def __init__(self, choice: Choice, inputs: Sequence[Path] = ()) -> None:
        self.choice = choice
        self.inputs = list(inputs)
        self.ledger: Ledger | None = None
        self._files: dict[str, tuple[Path, str, int]] = {}  # see _file

    def __enter__(self) -> Session:
        if self.choice.root is not None:
            from jc315cli.collection.ledger import Ledger

            self.ledger = Ledger.open(self.choice.root)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.ledger is not None:
            self.ledger.close()

    @property
    def notices(self) -> list[str]:
        """What the clerk should know about the ledger (new, set aside, unavailable)."""
        if self.ledger is None:
            return []
        return [n.message + (f"（{n.hint}）" if n.hint else "") for n in self.ledger.notices]

    def confirmations(self) -> Confirmations:
        """The values the city confirmed (`jc315 confirm`), as checking takes them."""
        from jc315cli.collection.verify import as_confirmations

        return as_confirmations(self.ledger.confirmations() if self.ledger is not None else [])

    def replies(self) -> list[SentReply]:
        return self.ledger.replies() if self.ledger is not None else []

    def adjust(self, reports: list[FileReport]) -> None:
        """Between reading the forms and checking them together: a forgotten campaign stops
        here, before anything is written; a correction is judged by its own deadline."""
        refuse_mismatch(reports, self.choice, [*self.inputs, Path.cwd()])
        excuse_corrections(reports, self.replies(), self.choice.campaign.deadline)

    def record_batch(self, report: BatchReport) -> None:
        if self.ledger is None:
            return
        at = now()
        self.ledger.record_files(self.seen(f, at) for f in report.files if f.sha256)

    def seen(self, report: FileReport, at: datetime) -> SeenFile:
        """The file as the ledger keeps it (ledger.seen_file), named as the clerk sees it."""
        from jc315cli.collection.ledger import seen_file

        _, name, size = self._file(report.path)
        return seen_file(report, name=name, size=size, at=at)

    def _file(self, text: str) -> tuple[Path, str, int]:
        """A checked file's path, its name as the ledger keeps it, and its size, looked up once
        a command: the files are recorded, then the board made for the report and the screen."""
        known = self._files.get(text)
        if known is None:
            path = Path(text)
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            known = self._files[text] = (path, self.shown(path), size)
        return known

    def shown(self, path: Path) -> str:
        """A path as the ledger keeps it: relative to the collection folder when inside it."""
        root = self.choice.root
        if root is not None:
            try:
                return path.resolve().relative_to(root.resolve()).as_posix()
            except (ValueError, OSError):
                pass
        return str(path)

    def record_replies(self, replies: Iterable[SentReply]) -> None:
        if self.ledger is not None:
            self.ledger.record_replies(replies)

    def record_merge(self, merge: MergeRecord) -> None:
        if self.ledger is not None:
            self.ledger.record_merge(merge)

    def board(self, present: Sequence[Present], today: date) -> Board:
        ledger = self.ledger
        files = ledger.files() if ledger is not None else []
        replies = ledger.replies() if ledger is not None else []
        merges = ledger.merges() if ledger is not None else []
        return board(self.choice.campaign, present, files, replies, merges, today)

    def board_after(self, report: BatchReport, today: date) -> Board:
        """The board right after the forms were judged (and recorded): outside a collection
        folder, from this run's files alone."""
        at = now()
        seen = {f.sha256: self.seen(f, at) for f in report.files if f.sha256}
        if self.ledger is not None and self.ledger.available:
            known = {s.sha256: s for s in self.ledger.files()}
            seen.update((sha, known[sha]) for sha in seen if sha in known)
            files = list(known.values())
        else:
            files = list(seen.values())
        present = [
            Present(self._file(f.path)[0], f.sha256, seen.get(f.sha256))
            for f in report.files
            if f.sha256
        ]
        ledger = self.ledger
        replies = ledger.replies() if ledger is not None else []
        merges = ledger.merges() if ledger is not None else []
        return board(self.choice.campaign, present, files, replies, merges, today)

    def present(self, forms: Iterable[Path]) -> list[Present]:
        """The forms now in 收回/, each by its content hash and, when known, its record."""
        from jc315cli.problems.errors import Jc315Error
        from jc315cli.read.workbook import load_bytes

        found = []
        for path in forms:
            try:
                digest = load_bytes(path).sha256
            except Jc315Error:
                continue
            known = self.ledger.file(digest) if self.ledger is not None else None
            found.append(Present(path, digest, known))
        return found

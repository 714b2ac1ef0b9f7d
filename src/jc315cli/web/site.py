"""What the running page knows besides the collection folder: its secrets, the addresses it
answers to, whether it is encrypted, what each visitor did last, and the long job running."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jc315cli.collection.folder import Choice
from jc315cli.web.keys import Keys

WRONG_SECRET_DELAY = 0.5  # seconds each wrong secret waits, one at a time
MAX_UPLOAD_FILES = 10  # files in one upload (each then held to read/workbook.MAX_FILE_BYTES)
MAX_KEPT_RESULTS = 1000  # results not yet shown; beyond, the oldest is dropped


@dataclass
class Job:
    """A merge started from the page: its progress, then its result or its error."""

    done: int = 0
    total: int = 0
    finished: bool = False
    error: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    thread: threading.Thread | None = None


@dataclass
class Site:
    choice: Choice
    keys: Keys
    hosts: set[str] = field(default_factory=set)  # Host header values served, e.g. 127.0.0.1:8765
    secure: bool = False  # served over TLS
    lan: bool = False  # reachable from the office network
    wrong_delay: float = WRONG_SECRET_DELAY
    wrong_lock: threading.Lock = field(default_factory=threading.Lock)
    intake_lock: threading.Lock = field(default_factory=threading.Lock)  # one upload at a time
    work_lock: threading.Lock = field(default_factory=threading.Lock)  # merge, feedback, …
    last: dict[str, dict[str, Any]] = field(default_factory=dict)  # secret and ticket → result
    last_lock: threading.Lock = field(default_factory=threading.Lock)
    job: Job | None = None

    @property
    def root(self) -> Path:
        assert self.choice.root is not None
        return self.choice.root

    def serve_on(self, host: str, port: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        self.hosts.add(f"{shown}:{port}")

    def remember(self, secret: str, result: dict[str, Any]) -> str:
        """Keep a result for the page the browser is sent to next, under a ticket of its own:
        two people on one link (or one in two tabs) each see what became of their own files."""
        ticket = secrets.token_urlsafe(16)
        with self.last_lock:
            self.last[f"{secret} {ticket}"] = result
            while len(self.last) > MAX_KEPT_RESULTS:
                del self.last[next(iter(self.last))]
        return ticket

    def recall(self, secret: str, ticket: str) -> dict[str, Any] | None:
        with self.last_lock:
            return self.last.pop(f"{secret} {ticket}", None) if ticket else None

    def unpath(self, text: str) -> str:
        """A message as a page may show it: no path of this PC in it."""
        root = str(self.root)
        for form in (root, root.replace("\\", "/"), str(self.root.resolve())):
            text = text.replace(form + "/", "").replace(form + "\\", "").replace(form, "收集文件夹")
        return text

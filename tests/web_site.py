"""A collection folder served by the page in-process (Flask's test client, no socket), for the
guard tests: blank forms generated, nothing returned yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.test_collection_folder import fill

HOST = "127.0.0.1:8765"
BASE = f"http://{HOST}"


@dataclass
class Served:
    folder: Path
    site: object
    app: Flask

    @property
    def keys(self):  # type: ignore[no-untyped-def]
        return self.site.keys  # type: ignore[attr-defined]

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def clerk(self) -> FlaskClient:
        client = self.client()
        assert client.get(f"/?k={self.keys.clerk}", base_url=BASE).status_code == 303
        return client

    def county(self, name: str) -> FlaskClient:
        client = self.client()
        secret = self.keys.links[name].secret
        assert client.get(f"/county?k={secret}", base_url=BASE).status_code == 303
        return client

    def blank(self, short: str) -> Path:
        return next((self.folder / "下发").glob(f"*{short}*.xlsx"))

    def filled(self, short: str, tmp: Path, **cells: str | int) -> bytes:
        out = fill(
            self.blank(short), tmp / f"{short}.xlsx", day=date(2023, 3, 20), value=5, **cells
        )
        return out.read_bytes()


def serve_folder(tmp_path: Path, runner: CliRunner, *, lan: bool = False) -> Served:
    from jc315cli.collection.folder import choose
    from jc315cli.collection.session import Session
    from jc315cli.web.app import create_app
    from jc315cli.web.keys import Keys
    from jc315cli.web.site import Site

    folder = tmp_path / "收集"
    assert invoke(runner, "init", folder).exit_code == 0
    assert invoke(runner, "generate", "-c", folder / "jc315.toml").exit_code == 0
    choice = choose(folder / "jc315.toml")
    with Session(choice) as session:
        keys = Keys.load(session)
    site = Site(choice, keys, lan=lan, wrong_delay=0.01)
    site.serve_on("127.0.0.1", 8765)
    return Served(folder, site, create_app(site))

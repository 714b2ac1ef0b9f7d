"""Which files a run reads: each file once, however it was named on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.read.inputs import collect_inputs
from tests.conftest import EXAMPLES


def _forms(*paths: Path) -> list[str]:
    return [p.name for p in collect_inputs(list(paths), DEFAULT_CAMPAIGN).forms]


def test_each_file_is_read_once_however_it_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "收到"
    shutil.copytree(EXAMPLES, folder)
    names = sorted(p.name for p in folder.iterdir())
    one = folder / names[0]
    again = folder / ".." / "收到"  # the same folder, spelled another way
    assert _forms(folder, again) == names
    assert _forms(one, folder) == names  # named, and in its folder: its place is the first
    (folder / "链接.xlsx").symlink_to(one)
    assert _forms(folder) == names  # a link to a form beside it is that form
    (tmp_path / "另一个").mkdir()
    other = tmp_path / "另一个" / names[0]
    shutil.copy(one, other)
    assert _forms(folder, other) == [*names, names[0]]  # the same name elsewhere is another file

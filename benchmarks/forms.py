"""Returned forms for the benchmarks, as each writer leaves them.

The forms are made once for the largest N with the project's own generator, for a campaign of N
reporters, with varied values (openpyxl). Reporter i's form is the same whatever N, so the
first n forms (by name) are exactly the returned forms of the campaign of n reporters, whose
file is written beside them as campaign-{n}.toml.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.campaign_file import campaign_to_toml
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.write.blank_forms import generate_forms

WRITERS = ("openpyxl", "libreoffice", "gnumeric", "mixed")


def campaign_of(n: int) -> Campaign:
    reporters = tuple(
        Reporter(name=f"测试{i:05d}市场监督管理局", short_name=f"测试{i:05d}") for i in range(n)
    )
    return DEFAULT_CAMPAIGN.model_copy(update={"reporters": reporters})


def make_writer_forms(writer: str, n: int, sizes: list[int], folder: Path) -> Path:
    """`folder/writer`, holding forms/ (n forms as `writer` leaves them) and campaign-{size}.toml
    for each size. Forms already there (of at least n) are used again."""
    if writer not in WRITERS:
        raise SystemExit(f"unknown writer {writer}: one of {', '.join(WRITERS)}")
    target = folder / writer
    forms = target / "forms"
    if not (forms.is_dir() and len(list(forms.iterdir())) >= n):
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        if writer == "openpyxl":
            make_forms(n, forms)
        else:
            source = make_writer_forms("openpyxl", n, [], folder) / "forms"
            resave(writer, sorted(source.iterdir())[:n], forms, folder)
    for size in sizes:
        toml = campaign_to_toml(campaign_of(size))
        (target / f"campaign-{size}.toml").write_text(toml, encoding="utf-8")
    return target


def make_forms(n: int, forms: Path) -> None:
    from openpyxl import load_workbook  # after jc315cli: see src/jc315cli/__init__.py

    campaign = campaign_of(n)
    made = generate_forms(campaign, forms)
    rng = random.Random(n)
    for form in made:
        wb = load_workbook(form.path)
        ws = wb[FORM_SHEET]
        for index, item in enumerate(campaign.form.items):
            money = campaign.form.measure_of(item).kind.value == "money"
            # valid values, within each item's bound and every rule: a form the merge counts
            # (a value above its bound is 核实性, and a merge with one writes nothing)
            top = min(300, int(item.max)) if item.max is not None else 300
            ws[LAYOUT.value_cell(index)] = (
                round(rng.uniform(0, 50), 4) if money else rng.randint(1, top)
            )
        ws[LAYOUT.date_cell] = date(2023, 3, rng.randint(15, 22))
        wb.save(form.path)


def resave(writer: str, sources: list[Path], forms: Path, folder: Path) -> None:
    forms.mkdir(parents=True)
    if writer == "gnumeric":
        for path in sources:
            subprocess.run(
                ["ssconvert", "-T", "Gnumeric_Excel:xlsx2", str(path), str(forms / path.name)],
                capture_output=True,
                check=True,
            )
        return
    plan = {"libreoffice": [("xlsx", sources)]}.get(writer)
    if plan is None:  # mixed: every 20th .xls, every 20th (offset by 10) .ods, the rest as made
        plan = [
            ("xls", [p for i, p in enumerate(sources) if i % 20 == 0]),
            ("ods", [p for i, p in enumerate(sources) if i % 20 == 10]),
        ]
        for i, path in enumerate(sources):
            if i % 10:
                shutil.copy(path, forms / path.name)
    profile = f"-env:UserInstallation=file://{folder}/lo-profile"
    for target, chosen in plan:
        for start in range(0, len(chosen), 200):  # not too long a command line
            batch = chosen[start : start + 200]
            for _ in range(3):  # LibreOffice now and then stops before the end of a long list
                missing = [p for p in batch if not (forms / f"{p.stem}.{target}").exists()]
                if not missing:
                    break
                subprocess.run(
                    ["soffice", profile, "--headless", "--convert-to", target, "--outdir"]
                    + [str(forms), *map(str, missing)],
                    capture_output=True,
                    check=True,
                )
            if any(not (forms / f"{p.stem}.{target}").exists() for p in batch):
                raise SystemExit(f"LibreOffice did not convert some of {batch[0].name} …")

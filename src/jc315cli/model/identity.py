"""Machine-readable identity carried inside every workbook jc315 writes.

It lives as plain key/value text cells on a very-hidden sheet, because plain cells are what
survive a person opening the file and saving it again as .xlsx, .xls or .ods in WPS, Excel or
LibreOffice (custom document properties and defined names do not, everywhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

if TYPE_CHECKING:
    from jc315cli.model.campaign import Campaign

IDENTITY_SHEET = "jc315_identity"
MARKER = "jc315-identity"
IDENTITY_FORMAT = "1"


class Identity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    form_id: str
    form_version: str
    year: int
    kind: Literal["form", "template", "consolidated"] = "form"
    reporter: str = ""  # full name of the reporter; for a consolidated report, the organizer
    generated_at: str = ""  # ISO 8601
    covers: tuple[str, ...] = ()  # consolidated: the reporters whose forms are in the total
    inputs: tuple[str, ...] = ()  # consolidated: "sha256  file name" of each input

    def covered_reporters(self) -> frozenset[str]:
        """Every reporting body whose numbers this workbook contains."""
        if self.kind == "consolidated":
            return frozenset(self.covers)
        return frozenset({self.reporter}) if self.reporter else frozenset()


def campaign_identity(campaign: Campaign, **fields: Any) -> Identity:
    """The identity of a workbook made for `campaign`: its form, version and year, plus `fields`."""
    return Identity(
        form_id=campaign.form.id, form_version=campaign.form.version, year=campaign.year, **fields
    )


_LIST_FIELDS = ("covers", "inputs")


def identity_rows(identity: Identity) -> list[tuple[str, str]]:
    """Rows to write, all as text: ("key", "value"). List fields repeat their key."""
    rows = [(MARKER, IDENTITY_FORMAT)]
    for key, value in identity.model_dump().items():
        if key in _LIST_FIELDS:
            rows += [(key, str(v)) for v in value]
        else:
            rows.append((key, str(value)))
    return rows


def parse_identity(grid: Sequence[Sequence[Any]]) -> Identity | None:
    """Read identity rows back from a sheet grid; None when the sheet is not an identity sheet
    or was damaged beyond reading."""
    data: dict[str, Any] = {name: [] for name in _LIST_FIELDS}
    seen_marker = False
    for row in grid:
        if len(row) < 2 or row[0] in (None, ""):
            continue
        key, value = str(row[0]).strip(), _as_text(row[1])
        if key == MARKER:
            seen_marker = True
        elif key in _LIST_FIELDS:
            data[key].append(value)
        else:
            data[key] = value
    if not seen_marker:
        return None
    try:
        return Identity.model_validate(data)
    except ValidationError:
        return None


def _as_text(value: Any) -> str:
    # An office suite may turn "2023" back into the number 2023.0 on a round trip.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)

"""Where the collection stands now: the forms in 收回/ (by content hash, not read again) and the
ledger's records, as `jc315 status` shows them and the page draws them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jc315cli.collection.board import Board
    from jc315cli.collection.session import Session


def board_now(session: Session, day: date) -> Board:
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.read.inputs import collect_inputs

    choice = session.choice
    returned = choice.folder("returned")
    if returned is None:
        raise Jc315Error("not-a-collection")
    forms = collect_inputs([returned], choice.campaign).forms if returned.is_dir() else []
    return session.board(session.present(forms), day)

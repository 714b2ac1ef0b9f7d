"""A new collection folder on disk: the campaign file, the folders of the process, the ledger.
Nothing already there is removed or changed, except jc315.toml itself with --force."""

from __future__ import annotations

from pathlib import Path

from jc315cli.collection.folder import CAMPAIGN_NAME
from jc315cli.model.campaign import Folders
from jc315cli.problems.errors import Jc315Error
from jc315cli.write.atomic import write_atomic

FOLDER_WORDS = {
    "issued": "下发的空白表",
    "returned": "收回的表和材料",
    "replies": "退回、催报通知",
    "merged": "汇总表",
}


def make_collection_folder(
    folder: Path, campaign: bytes, names: Folders, *, force: bool
) -> list[str]:
    """Make `folder` a collection folder; the lines say what is where."""
    from jc315cli.collection.ledger import Ledger

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for which in FOLDER_WORDS:
            (folder / str(getattr(names, which))).mkdir(exist_ok=True)
    except OSError as error:
        raise Jc315Error("write-failed", path=folder, reason=error.strerror or str(error)) from None
    write_atomic(folder / CAMPAIGN_NAME, campaign, force=force)
    with Ledger.open(folder.resolve()):
        pass
    lines = [f"{CAMPAIGN_NAME}：活动配置文件"]
    lines += [f"{getattr(names, which)}/：{words}" for which, words in FOLDER_WORDS.items()]
    return lines

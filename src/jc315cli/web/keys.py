"""The secrets that open the page: the clerk's (new each time `jc315 web` starts) and one per
reporter (kept in the ledger, so the links pasted into the 下发 notice outlive a restart, until
the clerk revokes one). Each is 256 random bits from `secrets`; a presented secret is compared
with every one in constant time, so neither the answer nor its timing says how close a guess
came."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from jc315cli.collection.links import Link
from jc315cli.collection.session import Session

CLERK = "clerk"


@dataclass(frozen=True)
class Who:
    """Who a request comes from: the clerk, or one reporter through its link."""

    secret: str
    link: Link | None  # None: the clerk

    @property
    def is_clerk(self) -> bool:
        return self.link is None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Keys:
    def __init__(self, links: list[Link]) -> None:
        self.clerk = new_secret()
        self._csrf_key = secrets.token_bytes(32)
        self.links = {link.reporter: link for link in links}

    @classmethod
    def load(cls, session: Session) -> Keys:
        """Every reporter's link from the ledger, one made for each reporter without one."""
        ledger = session.ledger
        if ledger is None or not ledger.writable:
            from jc315cli.problems.errors import Jc315Error

            raise Jc315Error("web-no-ledger")
        have = {link.reporter for link in ledger.links()}
        for reporter in session.choice.campaign.reporters:
            if reporter.name not in have:
                ledger.new_link(reporter.name, new_secret())
        return cls(ledger.links())

    def revoke(self, session: Session, reporter: str) -> bool:
        """A new secret for the reporter's link; the old one opens nothing from now on."""
        if session.ledger is None or not session.ledger.new_link(reporter, new_secret()):
            return False
        self.links = {link.reporter: link for link in session.ledger.links()}
        return True

    def who(self, presented: str) -> Who | None:
        """The clerk or the reporter whose secret this is; every secret compared, always."""
        given = presented.encode("utf-8", "replace")
        found: Who | None = None
        if hmac.compare_digest(given, self.clerk.encode()):
            found = Who(self.clerk, None)
        for link in self.links.values():
            if hmac.compare_digest(given, link.secret.encode()):
                found = Who(link.secret, link)
        return found

    def csrf(self, who: Who) -> str:
        """The token every form of this visitor carries: bound to its secret and this run."""
        return hmac.new(self._csrf_key, who.secret.encode(), hashlib.sha256).hexdigest()

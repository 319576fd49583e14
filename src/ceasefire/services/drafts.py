"""A party's drafts of reports: kept for the party alone until it files them.

A draft is not shared state: it is in no incident and no ledger entry, and every read or
write of it names the user's party (``store.drafts``), so another party can never read it.
A draft may leave out what a monitor does not know yet (``reports_in.DraftBody``); it is
kept again, changed, as often as needed, and filed as its party's report once it holds
everything a report needs, in one transaction that also deletes the draft.

Whoever writes a draft may say which version of it they started from (``expected``: the
``Draft.version`` they read): if someone of the party kept it since, the write is refused
(``PreconditionFailedError``) rather than overwriting what they kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.errors import PreconditionFailedError
from ceasefire.domain.events import Report
from ceasefire.domain.visibility import Default, ScopeChoice
from ceasefire.domain.words import N_
from ceasefire.domain.workflow import Role
from ceasefire.services.findings import require_role
from ceasefire.services.incidents import file_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.reports_in import DraftBody, draft_in, draft_json
from ceasefire.store import drafts as store
from ceasefire.store.database import Database
from ceasefire.store.drafts import Draft
from ceasefire.store.reports import StoredReport
from ceasefire.store.users import User

_CHANGED = N_(
    "Someone of your party kept this draft again since you opened it: open it again to see "
    "what they kept. Nothing was written; what you sent is below."
)


def save_draft(db: Database, user: User, body: DraftBody) -> Draft:
    """Keep a report as the party's draft: what it gives is checked now, as a report's is
    (``reports_in.draft_in``), not when it is filed."""
    require_role(user, Role.REPORTER, "drafting a report")
    draft_in(body)
    with db.transaction() as conn:
        return store.add_draft(
            conn, user.party_id, user.username, draft_json(body), datetime.now(UTC)
        )


def drafts(db: Database, user: User) -> list[Draft]:
    with db.read() as conn:
        return store.drafts_of(conn, user.party_id)


def draft(db: Database, user: User, draft_id: int) -> Draft:
    with db.read() as conn:
        return store.get_draft(conn, user.party_id, draft_id)


def keep_again(
    db: Database, user: User, draft_id: int, body: DraftBody, *, expected: str | None = None
) -> Draft:
    """The party's draft, holding ``body`` now (checked as a new draft is)."""
    require_role(user, Role.REPORTER, "changing a draft")
    draft_in(body)
    with db.transaction() as conn:
        _unchanged(store.get_draft(conn, user.party_id, draft_id, lock=True), expected)
        return store.replace_draft(conn, user.party_id, draft_id, draft_json(body))


def discard(db: Database, user: User, draft_id: int) -> None:
    require_role(user, Role.REPORTER, "discarding a draft")
    with db.transaction() as conn:
        store.delete_draft(conn, user.party_id, draft_id)


def share(
    ledger: Ledger,
    user: User,
    draft_id: int,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    scope: ScopeChoice = Default.AGREEMENT,
    expected: str | None = None,
) -> StoredReport:
    """File the draft's report (``report`` and its ``scope``: the draft's own, read from
    it, or as an editor changed it) as the user's party, and delete the draft, in one
    write signed by the party."""
    require_role(user, Role.REPORTER, "sharing a draft")
    with ledger.write(user.party_id) as writer:
        found = store.get_draft(writer.conn, user.party_id, draft_id, lock=True)  # still ours
        _unchanged(found, expected)
        stored = file_report(writer, report, settings, scope=scope)
        store.delete_draft(writer.conn, user.party_id, draft_id)
        return stored


def _unchanged(found: Draft, expected: str | None) -> None:
    if expected is not None and expected != found.version:
        raise PreconditionFailedError(
            f"draft {found.id} is at version {found.version}, not {expected}: it was kept "
            "again since; read it again",
            template=_CHANGED,
        )

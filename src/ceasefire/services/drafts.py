"""A party's drafts of reports: kept for the party alone until it shares them.

A draft is not shared state: it is in no incident and no ledger entry, and every read or
write of it names the user's party (``store.drafts``), so another party can never read it.
Sharing files the report as its party, in one transaction that also deletes the draft.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.events import Report
from ceasefire.domain.visibility import Default, ScopeChoice
from ceasefire.domain.workflow import Role
from ceasefire.services.findings import require_role
from ceasefire.services.incidents import file_report
from ceasefire.services.ledger import Ledger
from ceasefire.store import drafts as store
from ceasefire.store.database import Database
from ceasefire.store.drafts import Draft
from ceasefire.store.reports import StoredReport
from ceasefire.store.users import User


def save_draft(db: Database, user: User, body: dict[str, Any]) -> Draft:
    require_role(user, Role.REPORTER, "drafting a report")
    with db.transaction() as conn:
        return store.add_draft(conn, user.party_id, user.username, body, datetime.now(UTC))


def drafts(db: Database, user: User) -> list[Draft]:
    with db.read() as conn:
        return store.drafts_of(conn, user.party_id)


def draft(db: Database, user: User, draft_id: int) -> Draft:
    with db.read() as conn:
        return store.get_draft(conn, user.party_id, draft_id)


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
) -> StoredReport:
    """File the draft's report (``report`` and its ``scope``, read from it) as the user's
    party, and delete the draft, in one write signed by the party."""
    require_role(user, Role.REPORTER, "sharing a draft")
    with ledger.write(user.party_id) as writer:
        store.get_draft(writer.conn, user.party_id, draft_id)  # still there, still ours
        stored = file_report(writer, report, settings, scope=scope)
        store.delete_draft(writer.conn, user.party_id, draft_id)
        return stored

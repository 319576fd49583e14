"""The analysts' queue of correlation candidates: pairs of incidents that may be one event
(``domain.comparisons``), proposed when reports are recorded. Confirming one merges the
two incidents (``services.merges``, signed as every merge is); rejecting one is signed as a
``candidate_rejection.recorded`` entry, and the pair is never proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ceasefire.domain.visibility import Audience
from ceasefire.services.ledger import Ledger
from ceasefire.services.merges import Merged, merge_incidents
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import candidates as candidate_store
from ceasefire.store import tables as t
from ceasefire.store.candidates import Candidate
from ceasefire.store.database import Database
from ceasefire.store.records import CANDIDATE_REJECTION


@dataclass(frozen=True, slots=True)
class Queue:
    candidates: list[Candidate]
    total: int  # pending candidates the reader may read, on every page


def list_candidates(
    db: Database,
    audience: Audience = EVERYTHING,
    *,
    limit: int = 100,
    offset: int = 0,
    min_score: float = 0.0,
) -> Queue:
    """The pending candidates the reader's party may read, best score first."""
    with db.read() as conn:
        found, total = candidate_store.pending(
            conn, audience, limit=limit, offset=offset, min_score=min_score
        )
    return Queue(found, total)


def confirm_candidate(
    ledger: Ledger,
    incident_id: int,
    other_id: int,
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
) -> Merged:
    """An analyst confirms that the two incidents are one event: they are merged (the
    smaller id lives on), under the rules and with the entries of every merge. Confirming
    is the analyst's confirmation of a pair far apart too (``domain.merges``): the ids must
    be those of a pending candidate, not whatever incident a slip of a typed id names, and
    correlation proposes no pair beyond its tolerances (far lies several times beyond them;
    only a later merge into one of the two can move it so far)."""
    with ledger.db.read() as conn:
        candidate_store.get_candidate(conn, incident_id, other_id, audience)
    return merge_incidents(
        ledger, [incident_id, other_id], author=author, audience=audience, confirm_far=True
    )


def reject_candidate(
    ledger: Ledger,
    incident_id: int,
    other_id: int,
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
) -> int:
    """An analyst says the two incidents are two events: the rejection is kept (signed by
    the analyst's party), and the pair is not proposed again. Returns its id."""
    with ledger.write(author) as writer:
        conn = writer.conn
        candidate = candidate_store.get_candidate(conn, incident_id, other_id, audience)
        (rejection_id,) = writer.new_ids(t.candidate_rejections)
        candidate_store.save_rejection(
            conn, rejection_id, candidate, writer.author, datetime.now(UTC)
        )
        writer.changed(
            "candidate_rejection.recorded", CANDIDATE_REJECTION, [(rejection_id,)], new=True
        )
    return rejection_id

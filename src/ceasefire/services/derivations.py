"""Incidents derived again from their reports: after a merge or a split, and once after an
upgrade whose classification rules derive more, or otherwise, than the release before.

Incidents are not ledger records (docs/ledger.md §5): their summary, classification,
claims and verdicts are computed from reports and regimes, which are. A release that
changes how they are computed raises ``RULES_VERSION`` (``domain.incidents``) and adds a
migration that marks a database holding incidents with the version they were derived
under (as 0024 does); ``ceasefire init`` (and every command that opens the ledger) then
derives every stored incident again, so that ``ceasefire ledger verify``, which computes
them again too, finds them as this release writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection

from ceasefire.domain.classification import Assessment
from ceasefire.domain.incidents import RULES_VERSION, summarize
from ceasefire.services.joints import attributions_of
from ceasefire.services.rules import CurrentRules, Rules
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.turns import in_turns
from ceasefire.store import incidents as incident_store
from ceasefire.store import ledger as log_store
from ceasefire.store import reports as report_store
from ceasefire.store import rewrites
from ceasefire.store import states as state_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.derived_marks import KIND
from ceasefire.store.incident_rows import incident_row

_RULES = KIND  # its row in state_versions, beside the record kinds


def derived_rows(
    conn: Connection, rules: Rules, incident_ids: Sequence[int]
) -> tuple[list[dict[str, Any]], Assessment]:
    """Incidents summarised and classified from their reports (with the co-chairs' joint
    attribution where there is one): their rows, and the assessment their verdicts are."""
    stored = report_store.reports_of(conn, incident_ids)
    members = [[s.report for s in stored[i]] for i in incident_ids]
    summaries = [summarize(m) for m in members]
    attributed = attributions_of(conn, incident_ids)
    assessment = rules.assess_summaries(summaries, [attributed.get(i) for i in incident_ids])
    rows = [
        incident_row(summary, found, len(m))
        for summary, found, m in zip(summaries, assessment.outcomes(), members, strict=True)
    ]
    return rows, assessment


def derive_again(conn: Connection, rules: Rules, incident_ids: Sequence[int]) -> None:
    """Summarise and classify stored incidents again from their reports, writing what
    changed (a report's actors resolved again change few columns, and few pairs)."""
    rows, assessment = derived_rows(conn, rules, incident_ids)
    rewrites.update_changed(conn, dict(zip(incident_ids, rows, strict=True)))
    rewrites.set_changed_regimes(conn, incident_ids, assessment)


def settle_attribution(conn: Connection, incident_id: int, sequence: int) -> None:
    """After an assessment: when the co-chairs' joint attribution of the incident changed,
    derive it again (the attribution settles its sources' claims), and note a change of
    classification for the live feed (``reclassifications``), at the write's first entry."""
    (stored,) = incident_store.get_incidents(conn, [incident_id], EVERYTHING, explain=False)
    if attributions_of(conn, [incident_id]).get(incident_id) == stored.attributed_actor:
        return
    derive_again(conn, Rules.load(conn), [incident_id])
    (now,) = incident_store.get_incidents(conn, [incident_id], EVERYTHING, explain=False)
    if now.classification is not stored.classification:
        conn.execute(
            t.reclassifications.insert().values(
                sequence=sequence,
                incident_id=incident_id,
                before=stored.classification.value,
                after=now.classification.value,
            )
        )


def derived_under_other_rules(db: Database) -> bool:
    """Whether the stored incidents were derived under other rules than this release's.
    The migration that brought a release's rules marks a database that held incidents
    with the version they were derived under; one with no mark was derived under this
    release's."""
    with db.read() as conn:
        stored = state_store.stored_versions(conn).get(_RULES, RULES_VERSION)
    return stored != RULES_VERSION


def derive_all(db: Database, progress: Callable[[int, int], None] | None = None) -> int:
    """Derive every incident again under this release's rules, and record that they are;
    how many. In short transactions (``turns``), each holding the log's lock as a write
    does, so that a server already running waits for none of them long; each by the rules
    in force then, and without the incidents merged away meanwhile."""
    with db.read() as conn:
        ids = incident_store.all_incident_ids(conn)
    current = CurrentRules()

    def turn(part: Sequence[int]) -> None:
        with db.transaction() as conn:
            log_store.lock_log(conn)
            there = incident_store.existing_ids(conn, part)
            derive_again(conn, current(conn), [i for i in part if i in there])

    in_turns(db, ids, turn, progress=progress)
    with db.transaction() as conn:
        state_store.set_version(conn, _RULES, RULES_VERSION)
    return len(ids)

"""Analysts' judgements on incidents: merging those that are one event, splitting off the
reports that are another. Both move reports (and a merge their findings too), each with a
signed ``incident.merged`` or ``incident.split`` entry, and summarise and classify the
incidents they touch again. Which incidents may be merged (one scope; near, unless the
analyst confirms it) is ``domain.merges``'s rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.incidents import summarize
from ceasefire.domain.merges import Side, check_merge
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_
from ceasefire.services.derivations import derive_again
from ceasefire.services.joints import refresh_joints
from ceasefire.services.ledger import Ledger
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store import assessments as assessment_store
from ceasefire.store import candidates as candidate_store
from ceasefire.store import incidents as incident_store
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.incident_rows import StoredIncident, incident_row
from ceasefire.store.records import ASSESSMENT, MEASURE, REPORT


@dataclass(frozen=True, slots=True)
class Merged:
    """A merge: the incident that lives on, the ids merged into it (which answer 410 from
    now on), and the records that moved with them."""

    incident: StoredIncident
    merged_ids: tuple[int, ...]
    reports: tuple[int, ...]
    assessments: tuple[int, ...]
    measures: tuple[int, ...]


def merge_incidents(
    ledger: Ledger,
    incident_ids: Sequence[int],
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
    settings: CorrelationSettings | None = None,
    confirm_far: bool = False,
) -> Merged:
    """Merge incidents an analyst judges to be one event; the smallest id survives and the
    others are never used again. The analyst's party (``audience``) must read them all, and
    every agreement their findings are under; they must be of one scope, and near enough
    to be one event by the measure of correlation's ``settings`` unless the analyst
    confirms that they are (``confirm_far``: ``domain.merges``). The reports, assessments
    and response measures of the others move to the survivor, each with an
    ``incident.merged`` entry, and its joint findings follow from the assessments it now
    holds."""
    unique = sorted(set(incident_ids))
    if len(unique) < 2:
        raise InvalidInputError.because(
            "incident_ids", N_("name at least two different incidents to merge")
        )
    with ledger.write(author) as writer:
        conn = writer.conn
        found = incident_store.get_incidents(conn, unique, audience, explain=False)
        keep, others = unique[0], unique[1:]
        findings = assessment_store.findings_on(conn, others)
        hidden = sorted(
            {a for records in findings.values() for _, a in records if not audience.sees(a)}
        )
        if hidden:
            ids = ", ".join(map(str, others))
            raise PermissionDeniedError(
                f"incidents {ids} carry findings under {hidden[0]}, "
                f"which {audience.party} is not a party of: only its parties merge them",
                template=N_(
                    "Incidents %(ids)s carry findings under %(agreement)s, which your party is "
                    "not a party of: only its parties merge them."
                ),
                values={"ids": ids, "agreement": hidden[0]},
            )
        check_merge(
            [side_of(i) for i in found],
            settings or CorrelationSettings(),
            confirmed=confirm_far,
        )
        moving = [s.id for i in others for s in report_store.reports_of(conn, [i]).get(i, [])]
        report_store.move_reports(conn, moving, keep)
        assessment_store.move_findings(conn, others, keep)
        writer.changed("incident.merged", REPORT, [(i,) for i in moving])
        writer.changed("incident.merged", ASSESSMENT, [(i,) for i, _ in findings["assessment"]])
        writer.changed("incident.merged", MEASURE, [(i,) for i, _ in findings["measure"]])
        incident_store.record_merges(conn, others, keep, by=writer.author, at=datetime.now(UTC))
        incident_store.delete_incidents(conn, others)
        candidate_store.forget(conn, others)
        derive_again(conn, Rules.load(conn), [keep])
        refresh_joints(conn, [keep])
        return Merged(
            incident_store.get_incidents(conn, [keep], audience)[0],
            tuple(others),
            tuple(moving),
            tuple(i for i, _ in findings["assessment"]),
            tuple(i for i, _ in findings["measure"]),
        )


def side_of(incident: StoredIncident) -> Side:
    """What the rules of merging read of a stored incident."""
    return Side(
        id=incident.id,
        agreement_id=incident.agreement_id,
        lon=incident.lon,
        lat=incident.lat,
        location_precision=LocationPrecision(incident.location_precision),
        start=incident.time_start,
        end=incident.time_end,
        time_precision=TimePrecision(incident.time_precision),
        place=incident.place or incident.admin1 or incident.country,
    )


def split_incident(
    ledger: Ledger,
    incident_id: int,
    report_ids: Sequence[int],
    *,
    author: str | None = None,
    audience: Audience = EVERYTHING,
) -> tuple[StoredIncident, StoredIncident]:
    """Move some of an incident's reports to a new incident of their own (of the same
    scope); the analyst's party (``audience``) must read the incident."""
    wanted = sorted(set(report_ids))
    if not wanted:
        raise InvalidInputError.because("report_ids", N_("name at least one report to split off"))
    with ledger.write(author) as writer:
        conn = writer.conn
        incident_store.get_incidents(conn, [incident_id], audience, explain=False)
        own = {s.id for s in report_store.reports_of(conn, [incident_id]).get(incident_id, [])}
        strangers = [r for r in wanted if r not in own]
        if strangers:
            raise InvalidInputError.because(
                "report_ids",
                N_("report %(report)s is not part of incident %(incident)s"),
                report=strangers[0],
                incident=incident_id,
            )
        if len(wanted) == len(own):
            raise InvalidInputError.because(
                "report_ids",
                N_("splitting off every report would leave incident %(incident)s empty"),
                incident=incident_id,
            )
        rules = Rules.load(conn)
        moving = report_store.get_reports(conn, wanted, EVERYTHING)
        summary = summarize([s.report for s in moving])
        (found,) = rules.assess_summaries([summary]).outcomes()
        (new_id,) = incident_store.insert_incidents(
            conn,
            [incident_row(summary, found, len(moving))],
            writer.new_ids(t.incidents),
        )
        report_store.move_reports(conn, wanted, new_id)
        writer.changed("incident.split", REPORT, [(i,) for i in wanted])
        derive_again(conn, rules, [incident_id, new_id])
        kept, new = incident_store.get_incidents(conn, [incident_id, new_id], audience)
        return kept, new

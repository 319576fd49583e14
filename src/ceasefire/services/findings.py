"""Each co-chair's assessment of an incident, the joint finding, and response measures.

Every step is one write signed by the acting user's party: an officer records its party's
finding (a revision is a new record, so the history stays in the store and the ledger);
the joint finding is computed from the co-chairs' latest findings; measures are proposed,
agreed, commented on and marked done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from ceasefire.domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from ceasefire.domain.measures import MeasureKind, MeasureParties, MeasureStatus, step
from ceasefire.domain.regimes import Agreement
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_, Term
from ceasefire.domain.workflow import (
    Confidence,
    Finding,
    JointFinding,
    Role,
    joint_finding,
)
from ceasefire.services.derivations import settle_attribution
from ceasefire.services.joints import refresh_joints
from ceasefire.services.ledger import Ledger
from ceasefire.services.scopes import EVERYTHING
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import Writer
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import assessments as store
from ceasefire.store import incidents as incident_store
from ceasefire.store import tables as t
from ceasefire.store.assessments import Assessment, Measure, MeasureFilter
from ceasefire.store.audiences import audience_of
from ceasefire.store.database import Database
from ceasefire.store.records import ASSESSMENT, MEASURE
from ceasefire.store.users import User


@dataclass(frozen=True)
class Findings:
    """An incident's findings under one agreement: the joint one and every revision."""

    incident_id: int
    agreement_id: str
    co_chairs: tuple[str, ...]
    joint: JointFinding
    history: tuple[Assessment, ...]


def require_role(user: User, role: Role, doing: str) -> None:
    if user.role < role:
        raise PermissionDeniedError(
            f"{doing} needs the role {role.label}; {user.username} is {user.role.label}",
            template=N_("This needs the role %(role)s; your role is %(current)s."),
            values={"role": Term(role.label), "current": Term(user.role.label)},
        )


def _agreement(
    conn: Connection, incident_id: int, agreement_id: str | None, audience: Audience
) -> Agreement:
    """The agreement an incident's findings are made under: the one it is filed under, or
    the one named, or the one agreement whose regimes it was classified against."""
    (incident,) = incident_store.get_incidents(conn, [incident_id], audience, explain=False)
    scope = incident.agreement_id
    if scope is not None and agreement_id not in (None, scope):
        raise InvalidInputError(
            "agreement_id",
            f"incident {incident_id} is filed under {scope}: its findings are made under it",
            template=N_(
                "Incident %(id)s is filed under %(agreement)s: its findings are made under it."
            ),
            values={"id": incident_id, "agreement": scope},
        )
    if agreement_id is None:
        covering = [scope] if scope else store.agreements_of_incident(conn, incident_id)
        if len(covering) != 1:
            raise InvalidInputError(
                "agreement_id",
                f"incident {incident_id} falls under {len(covering)} agreements "
                f"({', '.join(covering) or 'none'}): name one",
                template=N_(
                    "Incident %(id)s falls under %(count)s agreements (%(agreements)s): "
                    "its findings are made under one of them, named."
                ),
                values={
                    "id": incident_id,
                    "count": len(covering),
                    "agreements": ", ".join(covering) or "—",
                },
            )
        agreement_id = covering[0]
    found = agreement_store.load_agreements(conn, agreement_id)
    if not found:
        raise NotFoundError(f"agreement {agreement_id!r} does not exist")
    if not audience.sees(agreement_id):
        raise PermissionDeniedError(
            f"{audience.party} is not a party of {agreement_id}: "
            "what is decided under it is for its parties only",
            template=N_(
                "Your party is not a party of %(agreement)s: the findings made under it are "
                "for its parties only."
            ),
            values={"agreement": agreement_id},
        )
    return found[0]


def _findings(conn: Connection, incident_id: int, agreement: Agreement) -> Findings:
    history = store.assessments_of(conn, incident_id, EVERYTHING, agreement.id)
    latest = {a.party_id: a.finding for a in history}  # later rows replace earlier ones
    return Findings(
        incident_id,
        agreement.id,
        agreement.co_chairs,
        joint_finding(agreement.co_chairs, latest),
        tuple(history),
    )


@dataclass(frozen=True)
class Assessing:
    """What a co-chair's officer finds about an incident."""

    finding: Finding
    confidence: Confidence
    reasoning: str
    attributed_actor_id: str | None = None
    agreement_id: str | None = None  # needed when the incident falls under several


def assess(
    ledger: Ledger,
    user: User,
    incident_id: int,
    assessing: Assessing,
    *,
    external: External | None = None,
) -> Findings:
    """Record (or revise) the user's party's finding on an incident; ``external``: the
    party signs the entry itself (``prepare_assessment`` first, ``services.signing``)."""
    _may_assess(user, user.party_id if external is None else external.author)
    with ledger.write(user.party_id, external=external) as writer:
        return _record(writer, user, incident_id, assessing)


def prepare_assessment(
    ledger: Ledger, user: User, incident_id: int, assessing: Assessing
) -> Prepared:
    """The entry the user's party's assessment would append, for it to sign."""
    _may_assess(user, user.party_id)
    return ledger.prepare(
        user.party_id, lambda writer: _record(writer, user, incident_id, assessing)
    )


def _may_assess(user: User, author: str) -> None:
    require_role(user, Role.OFFICER, "assessing an incident")
    if author != user.party_id:
        raise PermissionDeniedError(f"{user.username} assesses for {user.party_id} only")


def _record(writer: Writer, user: User, incident_id: int, assessing: Assessing) -> Findings:
    conn = writer.conn
    audience = audience_of(conn, user.party_id)
    agreement = _agreement(conn, incident_id, assessing.agreement_id, audience)
    _require_co_chair(user, agreement, "assess its incidents")
    actor = assessing.attributed_actor_id
    if actor is not None and actor not in {a.id for a in actor_store.load_actors(conn)}:
        raise InvalidInputError("attributed_actor_id", f"{actor!r} is not a known actor")
    earlier = any(
        a.party_id == user.party_id
        for a in store.assessments_of(conn, incident_id, EVERYTHING, agreement.id)
    )
    new_id = store.add_assessment(
        conn,
        writer.new_ids(t.assessments)[0],
        {
            "incident_id": incident_id,
            "agreement_id": agreement.id,
            "party_id": user.party_id,
            "finding": assessing.finding.value,
            "attributed_actor_id": actor,
            "confidence": assessing.confidence.value,
            "reasoning": assessing.reasoning,
            "assessed_by": user.username,
            # a self-signed write runs twice (prepared, then signed): one time for both
            "created": writer.external.time if writer.external else datetime.now(UTC),
        },
    )
    kind = "assessment.revised" if earlier else "assessment.recorded"
    writer.changed(kind, ASSESSMENT, [(new_id,)], new=True)
    refresh_joints(conn, [incident_id])
    settle_attribution(conn, incident_id, writer.start)
    return _findings(conn, incident_id, agreement)


def findings(
    db: Database, incident_id: int, audience: Audience, agreement_id: str | None = None
) -> Findings:
    """An incident's findings under an agreement the reader's party is a party of."""
    with db.read() as conn:
        agreement = _agreement(conn, incident_id, agreement_id, audience)
        return _findings(conn, incident_id, agreement)


def propose_measure(
    ledger: Ledger,
    user: User,
    incident_id: int,
    *,
    kind: MeasureKind,
    description: str,
    owner_party: str,
    due: date | None = None,
    agreement_id: str | None = None,
) -> Measure:
    """A co-chair's officer proposes a response measure, owned by a party of the agreement."""
    require_role(user, Role.OFFICER, "proposing a response measure")
    if not description.strip():
        raise InvalidInputError.because("description", N_("say what is to be done"))
    with ledger.write(user.party_id) as writer:
        conn = writer.conn
        agreement = _agreement(conn, incident_id, agreement_id, audience_of(conn, user.party_id))
        _require_co_chair(user, agreement, "propose response measures")
        parties = set(agreement.co_chairs) | set(agreement.members)
        if owner_party not in parties:
            raise InvalidInputError(
                "owner_party", f"{owner_party!r} is not a party of agreement {agreement.id}"
            )
        new_id = store.add_measure(
            conn,
            writer.new_ids(t.response_measures)[0],
            {
                "incident_id": incident_id,
                "agreement_id": agreement.id,
                "kind": kind.value,
                "description": description,
                "owner_party": owner_party,
                "due": due,
                "status": MeasureStatus.PROPOSED.value,
                "proposed_by": user.party_id,
                "created": datetime.now(UTC),
            },
        )
        writer.changed("measure.proposed", MEASURE, [(new_id,)], new=True)
        return store.get_measure(conn, new_id, EVERYTHING)


def _require_co_chair(user: User, agreement: Agreement, doing: str) -> None:
    if user.party_id not in agreement.co_chairs:
        raise PermissionDeniedError(
            f"only the co-chairs of {agreement.id} ({', '.join(agreement.co_chairs)}) "
            f"{doing}; {user.party_id} is not one"
        )


def set_status(ledger: Ledger, user: User, measure_id: int, status: MeasureStatus) -> Measure:
    """Take a measure a step further (``domain.measures``): a co-chair's officer agrees
    it, an officer of its owner marks it done, its proposer withdraws it."""
    require_role(user, Role.OFFICER, "changing a measure's status")
    with ledger.write(user.party_id) as writer:
        conn = writer.conn
        measure = store.get_measure(conn, measure_id, audience_of(conn, user.party_id))
        (agreement,) = agreement_store.load_agreements(conn, measure.agreement_id)
        parties = MeasureParties(agreement.co_chairs, measure.owner_party, measure.proposed_by)
        step(measure.status, status, party=user.party_id, parties=parties)
        store.set_measure_status(conn, measure_id, status)
        writer.changed(f"measure.{status.value}", MEASURE, [(measure_id,)])
        return store.get_measure(conn, measure_id, EVERYTHING)


def comment(ledger: Ledger, user: User, measure_id: int, text: str) -> Measure:
    """Any party of the agreement comments on a measure."""
    require_role(user, Role.REPORTER, "commenting on a measure")
    if not text.strip():
        raise InvalidInputError.because("text", N_("a comment cannot be empty"))
    with ledger.write(user.party_id) as writer:
        conn = writer.conn
        measure = store.get_measure(conn, measure_id, audience_of(conn, user.party_id))
        (agreement,) = agreement_store.load_agreements(conn, measure.agreement_id)
        if user.party_id not in set(agreement.co_chairs) | set(agreement.members):
            raise PermissionDeniedError(
                f"{user.party_id} is not a party of agreement {agreement.id}"
            )
        store.add_comment(
            conn,
            writer.new_ids(t.measure_comments)[0],
            {
                "measure_id": measure_id,
                "party_id": user.party_id,
                "author": user.username,
                "text": text,
                "created": datetime.now(UTC),
            },
        )
        writer.changed("measure.commented", MEASURE, [(measure_id,)])
        return store.get_measure(conn, measure_id, EVERYTHING)


def measure_register(db: Database, audience: Audience, where: MeasureFilter) -> list[Measure]:
    """The register of measures across incidents, as the reader's party may read it."""
    with db.read() as conn:
        return store.measures(conn, audience, where=where)


def measures_of(db: Database, incident_id: int, audience: Audience) -> list[Measure]:
    """The measures on an incident under the agreements the reader's party is in."""
    with db.read() as conn:
        incident_store.get_incidents(conn, [incident_id], audience, explain=False)
        return store.measures(conn, audience, incident_id=incident_id)

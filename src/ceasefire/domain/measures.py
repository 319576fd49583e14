"""Response measures: what is done about a finding, and the steps a measure goes through.

A co-chair's officer proposes a measure, owned by a party of the agreement. Another
co-chair agrees it (a proposal is its proposer's word; agreeing it is the others'), and
its owner marks it done; the party that proposed it may withdraw it while it is only
proposed::

    proposed ──agree (another co-chair)──> agreed ──done (the owner)──> done
        └──withdraw (the proposer)──> withdrawn

An agreement with one co-chair has no other to agree: its co-chair agrees its own.

*Overdue* is not a status: it is a flag shown beside the status of a measure still open
(proposed or agreed) after its due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.words import N_, Term


class MeasureKind(StrEnum):
    COMMUNICATION = "communication"  # a communication to a party
    DEMARCHE = "demarche"  # a joint démarche
    REFERRAL = "referral"  # referral to ministers


class MeasureStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    DONE = "done"
    WITHDRAWN = "withdrawn"

    @property
    def open(self) -> bool:
        """Whether something is still to be done about it."""
        return self in (MeasureStatus.PROPOSED, MeasureStatus.AGREED)


class Mover(StrEnum):
    """Who may take a step."""

    OTHER_CO_CHAIR = N_("a co-chair of the agreement other than the one that proposed it")
    OWNER = N_("the party that owns the measure")
    PROPOSER = N_("the party that proposed the measure")


# every step a measure can take, and who takes it
STEPS: dict[tuple[MeasureStatus, MeasureStatus], Mover] = {
    (MeasureStatus.PROPOSED, MeasureStatus.AGREED): Mover.OTHER_CO_CHAIR,
    (MeasureStatus.AGREED, MeasureStatus.DONE): Mover.OWNER,
    (MeasureStatus.PROPOSED, MeasureStatus.WITHDRAWN): Mover.PROPOSER,
}


@dataclass(frozen=True)
class MeasureParties:
    """Who stands where to a measure."""

    co_chairs: Sequence[str]
    owner: str
    proposer: str

    def may(self, party: str, mover: Mover) -> bool:
        if mover is Mover.OTHER_CO_CHAIR:
            sole = tuple(self.co_chairs) == (self.proposer,)
            return party in self.co_chairs and (party != self.proposer or sole)
        if mover is Mover.OWNER:
            return party == self.owner
        return party == self.proposer


def step(
    current: MeasureStatus, to: MeasureStatus, *, party: str, parties: MeasureParties
) -> MeasureStatus:
    """The status after ``party`` moves a measure from ``current`` to ``to``, or an error
    saying which step the rules allow instead (``status``) or who may take it."""
    mover = STEPS.get((current, to))
    if mover is None:
        allowed = [
            f"{to_.value} ({who.value})" for (from_, to_), who in STEPS.items() if from_ is current
        ]
        nexts = ", ".join(allowed) if allowed else "nothing: it is final"
        raise InvalidInputError(
            "status",
            f"a measure that is {current.value} cannot become {to.value}; it can become {nexts}",
            template=N_("A measure that is %(current)s cannot become %(to)s."),
            values={"current": Term(current.value), "to": Term(to.value)},
        )
    if not parties.may(party, mover):
        raise PermissionDeniedError(
            f"only {mover.value} may mark a {current.value} measure {to.value}; {party} is not",
            template=N_("Only %(mover)s may mark a %(current)s measure %(to)s."),
            values={
                "mover": Term(mover.value),
                "current": Term(current.value),
                "to": Term(to.value),
            },
        )
    return to


def steps_for(current: MeasureStatus, party: str, parties: MeasureParties) -> list[MeasureStatus]:
    """The statuses ``party`` may move a measure to from ``current``."""
    return [
        to for (start, to), mover in STEPS.items() if start is current and parties.may(party, mover)
    ]


def is_overdue(status: MeasureStatus, due: date | None, today: date) -> bool:
    """A measure still open after its due date is overdue."""
    return status.open and due is not None and due < today

"""The joint workflow's rules: roles, each co-chair's finding and the joint finding (response
measures: ``domain.measures``).

The seeds' joint centre: each co-chair assesses an incident for its party; the finding is
*agreed* when every co-chair's latest finding is the same, *disputed* when they differ,
and *pending* until each has spoken. A finding can be revised; the latest counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from ceasefire.domain.errors import InvalidInputError


class Role(IntEnum):
    """A user's role in its party; each role may do what the ones below it may."""

    OBSERVER = 1  # reads what its party may see
    REPORTER = 2  # files reports
    ANALYST = 3  # merges and splits incidents
    OFFICER = 4  # assesses for its party, agrees response measures
    ADMIN = 5  # manages its party's users and tokens

    @classmethod
    def named(cls, name: str) -> Role:
        try:
            return cls[name.upper()]
        except KeyError:
            known = ", ".join(r.name.lower() for r in cls)
            raise InvalidInputError("role", f"{name!r} is not one of {known}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Finding(StrEnum):
    VIOLATION = "violation"
    NO_VIOLATION = "no_violation"
    INSUFFICIENT_INFORMATION = "insufficient_information"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class JointStatus(StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    DISPUTED = "disputed"


@dataclass(frozen=True)
class JointFinding:
    status: JointStatus
    finding: Finding | None  # the agreed finding
    by_party: Mapping[str, Finding]  # each co-chair's latest finding
    waiting_for: tuple[str, ...]  # co-chairs that have not spoken


def joint_code(joint: JointFinding) -> str:
    """One word for a joint finding, as the map colours and filters by it: ``pending``,
    ``disputed``, or the agreed finding (``violation``, ``no_violation``,
    ``insufficient_information``)."""
    if joint.status is JointStatus.AGREED and joint.finding is not None:
        return joint.finding.value
    return joint.status.value


JOINT_CODES = ("pending", "disputed", *(f.value for f in Finding))


def joint_finding(co_chairs: Sequence[str], latest: Mapping[str, Finding]) -> JointFinding:
    """Pending until every co-chair has spoken; then agreed when their latest findings are
    the same, disputed when they differ."""
    spoken = {party: latest[party] for party in co_chairs if party in latest}
    waiting = tuple(party for party in co_chairs if party not in latest)
    values = set(spoken.values())
    if waiting or not co_chairs:
        return JointFinding(JointStatus.PENDING, None, spoken, waiting)
    if len(values) > 1:
        return JointFinding(JointStatus.DISPUTED, None, spoken, waiting)
    return JointFinding(JointStatus.AGREED, values.pop(), spoken, waiting)


def agreed_attribution(
    co_chairs: Sequence[str], latest: Mapping[str, tuple[Finding, str | None]]
) -> str | None:
    """The actor every co-chair's latest assessment attributes the incident to, when their
    findings agree too (None: not every co-chair has spoken, or they differ, or some name no
    actor). A joint attribution settles whose incident it was for classification, where the
    reports' sources disagree."""
    if not co_chairs or any(party not in latest for party in co_chairs):
        return None
    findings = {latest[party][0] for party in co_chairs}
    actors = {latest[party][1] for party in co_chairs}
    if len(findings) != 1 or len(actors) != 1:
        return None
    return actors.pop()

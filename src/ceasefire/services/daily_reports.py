"""Issuing a day's report: a co-chair's officer (or the host) records, in a signed ledger
entry, the SHA-256 of the file's bytes and the checkpoint it was built from. Once issued, a
day's report in a language and format is not issued again; anyone holding a copy can find
its entry by the file's hash and rebuild it (``reports.documents``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Connection

from ceasefire.domain.daily import check_begun, window
from ceasefire.domain.errors import ConflictError, InvalidInputError, PermissionDeniedError
from ceasefire.domain.regimes import Agreement
from ceasefire.domain.words import N_
from ceasefire.domain.workflow import Role
from ceasefire.services.findings import require_role
from ceasefire.services.ledger import Ledger
from ceasefire.services.upgrades import documents
from ceasefire.store import agreements as agreement_store
from ceasefire.store import issued_reports as store
from ceasefire.store import ledger as log_store
from ceasefire.store import tables as t
from ceasefire.store.database import Database
from ceasefire.store.issued_reports import IssuedReport
from ceasefire.store.proofs import root as log_root
from ceasefire.store.records import DAILY_REPORT
from ceasefire.store.users import User


@dataclass(frozen=True)
class Issuing:
    """What is issued: the day's report of an agreement in a language and format, whose
    bytes were built from the ledger's checkpoint of ``checkpoint_size`` entries and drawn
    by ``renderer`` (``reports.renderers``: component → version)."""

    agreement_id: str
    day: date
    cutoff: time
    language: str
    format: str
    body: bytes
    checkpoint_size: int
    renderer: dict[str, str]


def sha256_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def check_issuable(
    db: Database,
    agreement_id: str,
    day: date,
    cutoff: time,
    language: str,
    form: str,
    user: User | None,
) -> None:
    """What refuses a report before anything is built (building one is a snapshot of the
    ledger and a PDF: seconds of a server's time): no such agreement, a user who is not a
    co-chair's officer, a report issued already (``issue_daily_report`` checks these again
    as it writes), and a day that has not begun (``domain.daily.check_begun``)."""
    with db.read() as conn:
        agreement = _refusal(conn, agreement_id, day, language, form, user)
    check_begun(window(day, cutoff, agreement.time_zone), datetime.now(UTC))


def _refusal(
    conn: Connection, agreement_id: str, day: date, language: str, form: str, user: User | None
) -> Agreement:
    """The agreement, unless one of its reports may not be issued so (``check_issuable``)."""
    found = agreement_store.load_agreements(conn, agreement_id)
    if not found:
        raise InvalidInputError("agreement", f"{agreement_id!r} is not an agreement")
    if user is not None:
        require_role(user, Role.OFFICER, "issuing a daily report")
        if user.party_id not in found[0].co_chairs:
            raise PermissionDeniedError(
                f"{user.party_id} is not a co-chair of {agreement_id}: "
                "only a co-chair or the host issues its daily report",
                template=N_(
                    "Your party is not a co-chair of %(agreement)s: only a co-chair or "
                    "the host issues its daily report."
                ),
                values={"agreement": agreement_id},
            )
    earlier = store.issued_for(conn, agreement_id, day, language, form)
    if earlier is not None:
        raise ConflictError(
            f"the {language} {form} report of {agreement_id} "
            f"for {day} was issued already (daily_report:{earlier.id}, "
            f"SHA-256 {earlier.sha256}); an issued report is not issued again",
            template=N_(
                "This report (%(agreement)s, %(day)s, %(language)s, %(format)s) was issued "
                "already, as daily_report:%(id)s: an issued report is not issued again."
            ),
            values={
                "agreement": agreement_id,
                "day": day.isoformat(),
                "language": language,
                "format": form.upper(),
                "id": earlier.id,
            },
        )
    return found[0]


def issue_daily_report(ledger: Ledger, issuing: Issuing, user: User | None) -> IssuedReport:
    """Record the report as issued, signed by the user's party (a co-chair of the
    agreement, by an officer) or, with no user, by the host."""
    author = ledger.host_party if user is None else user.party_id
    with ledger.write(author) as writer:
        conn = writer.conn
        agreement = _refusal(
            conn, issuing.agreement_id, issuing.day, issuing.language, issuing.format, user
        )
        check_begun(window(issuing.day, issuing.cutoff, agreement.time_zone), datetime.now(UTC))
        size = log_store.DatabaseLog(conn).size
        if not 0 < issuing.checkpoint_size <= size:
            raise InvalidInputError(
                "checkpoint_size", f"{issuing.checkpoint_size} is not a size of the ledger"
            )
        digest = sha256_of(issuing.body)
        if store.issued_with_hash(conn, digest) is not None:
            raise ConflictError(
                f"a report with SHA-256 {digest} was issued already",
                template=N_("A report with these bytes (SHA-256 %(digest)s) was issued already."),
                values={"digest": digest},
            )
        issued = store.add_issued(
            conn,
            writer.new_ids(t.daily_reports)[0],
            {
                "agreement_id": issuing.agreement_id,
                "day": issuing.day,
                "cutoff": issuing.cutoff.strftime("%H:%M"),
                "language": issuing.language,
                "format": issuing.format,
                "sha256": digest,
                "checkpoint_size": issuing.checkpoint_size,
                "checkpoint_root": log_root(conn, issuing.checkpoint_size).hex(),
                "issued_by": author,
                "issued_by_user": None if user is None else user.username,
                "created": datetime.now(UTC),
                "renderer": dict(issuing.renderer),
            },
        )
        writer.changed("daily_report.issued", DAILY_REPORT, [(issued.id,)], new=True)
    return issued


@dataclass(frozen=True)
class Found:
    """An issued report as the ledger holds it, and the ledger entry that issued it (later
    entries of the record are migrations of its state)."""

    issued: IssuedReport
    entry: int


def find_issued(db: Database, body: bytes) -> Found | None:
    """The issued report whose bytes these are, as its latest ledger entry states it (None:
    no issued record has this hash, or the ledger holds none with it: a row written behind
    the ledger's back is not taken for an issued report, nor its fields for the ledger's)."""
    digest = sha256_of(body)
    with db.read() as conn:
        row = store.issued_with_hash(conn, digest)
        if row is None:
            return None
        record = DAILY_REPORT.record((row.id,))
        first = log_store.first_sequence(conn, record)
        latest = log_store.latest_sequences(conn, [record]).get(record)
        if first is None or latest is None:
            return None
        _, document = documents(conn, [latest])[latest]
    if document is None:
        return None
    state = DAILY_REPORT.kind.upgraded(document)
    if state["sha256"] != digest:
        return None
    return Found(store.issued_of_state(row.id, state), first)

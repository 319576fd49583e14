"""Filing reports one at a time, as the API, the workspace's form and a draft do: each a
signed write of its author, correlated, classified and stored by ``services.recording``.

Under load many filed reports wait for the log's lock at once. Those that wait in the same
write group (``services.commits``) are filed together by the first of them to get the
group's turn: one check of their source ids, one read of the stored incidents near them,
one correlation and classification, one insert a table and one append, each report's
entry still signed by its own author, with the sequence and ids it would have had filed
alone. A report that cannot be filed (its source id taken, its scope refused) fails alone;
if the batch fails as a whole, each is filed again on its own, so that only the one at
fault fails.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import cast

from ceasefire.domain.classification import Assessment
from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.errors import CeasefireError, ConflictError
from ceasefire.domain.events import Report
from ceasefire.domain.incidents import summarize
from ceasefire.domain.visibility import Default, ScopeChoice
from ceasefire.domain.words import N_
from ceasefire.services.commits import Group, Request
from ceasefire.services.ledger import Ledger
from ceasefire.services.recording import record_reports, store_reports
from ceasefire.services.rules import Rules
from ceasefire.services.scopes import choose_scope
from ceasefire.services.signing import External, Prepared
from ceasefire.services.writers import Writer, flush_together
from ceasefire.store import bulk
from ceasefire.store import reports as report_store
from ceasefire.store import tables as t
from ceasefire.store.records import REPORT
from ceasefire.store.reports import StoredReport

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Presumed:
    """A filed report's actors and classification, worked out before its write takes the
    log's lock (which every other write waits for) under the rules as last read; the write
    uses them only if those rules are still in force and the report makes a new incident
    of its own, and works them out again otherwise. Not worked out while this process's
    writes are being grouped: the report will most likely be filed with others, which are
    classified together under the lock, four times faster than each alone."""

    rules: Rules
    report: Report  # its actors resolved
    alone: Assessment  # of an incident of this report alone

    @classmethod
    def of(cls, ledger: Ledger, report: Report) -> Presumed | None:
        rules = ledger.rules_as_read()
        if rules is None or ledger.busy():
            return None
        resolved = rules.resolve_actors(report)
        return cls(rules, resolved, rules.assess_summaries([summarize([resolved])]))


def _as_filed(
    report: Report, rules: Rules, presumed: Presumed | None, scope: str | None
) -> tuple[Report, Assessment | None]:
    """The report as filed under ``rules`` in ``scope``, its actors resolved (as presumed,
    if that was under these rules), and the classification of an incident of it alone,
    if presumed under them too."""
    if presumed is not None and presumed.rules is rules:
        return replace(presumed.report, agreement_id=scope), presumed.alone
    return replace(rules.resolve_actors(report), agreement_id=scope), None


def _stored_already(report: Report) -> ConflictError:
    template = N_("report %(source)s/%(source_id)s exists already")
    values = {"source": report.source, "source_id": report.source_id}
    return ConflictError(template % values, template=template, values=values)


@dataclass(eq=False, kw_only=True)
class Filing(Request[StoredReport]):
    """A report filed with the author's key the server holds, waiting to be filed together
    with the others of its write group."""

    ledger: Ledger
    report: Report
    author: str
    scope: ScopeChoice
    settings: CorrelationSettings
    presumed: Presumed | None


@dataclass(frozen=True, slots=True)
class _Accepted:
    """A filing that passed its checks, as its batch files it."""

    filing: Filing
    writer: Writer  # its author's, beginning where its entries will
    report: Report  # as filed: actors resolved, scope chosen
    alone: Assessment | None  # the classification of an incident of it alone, if known


def submit_report(
    ledger: Ledger,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    author: str | None = None,
    external: External | None = None,
    scope: ScopeChoice = Default.AGREEMENT,
) -> StoredReport:
    """File one report; it joins or creates an incident of its scope (``scope``: the
    agreement whose parties alone read it, None for every party, or by default the
    author's one agreement). ``external``: the author signs the entry itself (see
    ``services.ledger.External``)."""
    presumed = Presumed.of(ledger, report)  # before the log's lock: less work under it
    settings = settings or CorrelationSettings()
    if external is None:
        author = author or ledger.host_party
        filing = Filing(
            _file_together,
            ledger=ledger,
            report=report,
            author=author,
            scope=scope,
            settings=settings,
            presumed=presumed,
        )
        return ledger.together(author, filing)
    with ledger.write(author, external=external) as writer:
        stored = file_report(writer, report, settings, scope=scope, presumed=presumed)
    return replace(stored, ledger_index=writer.indexes.get(REPORT.record([stored.id])))


def prepare_report(
    ledger: Ledger,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    author: str,
    scope: ScopeChoice = Default.AGREEMENT,
) -> Prepared:
    """The entry filing this report would append, for ``author``, which holds its own key,
    to sign; nothing is stored."""
    return ledger.prepare(author, lambda writer: file_report(writer, report, settings, scope=scope))


def file_report(
    writer: Writer,
    report: Report,
    settings: CorrelationSettings | None = None,
    *,
    scope: ScopeChoice = Default.AGREEMENT,
    presumed: Presumed | None = None,
) -> StoredReport:
    """``submit_report`` inside a write that may do more (sharing a draft deletes it)."""
    conn = writer.conn
    if report_store.existing_source_ids(conn, report.source, [report.source_id]):
        raise _stored_already(report)
    chosen = choose_scope(conn, writer.author, scope, audience=writer.audience())
    rules = writer.rules()
    filed, alone = _as_filed(report, rules, presumed, chosen)
    recorded = record_reports(
        writer, rules, [filed], settings or CorrelationSettings(), alone=alone
    )
    return recorded.stored[0]


def _file_together(group: Group, requests: list[Request[StoredReport]]) -> None:
    """File these reports in one go (``Committer.together``), those of each correlation
    settings together; if that fails, each on its own."""
    filings = cast(list[Filing], requests)
    by_settings: dict[CorrelationSettings, list[Filing]] = defaultdict(list)
    for filing in filings:
        by_settings[filing.settings].append(filing)
    for batch in by_settings.values():
        savepoint = group.savepoint()
        try:
            _file(group, batch)
        except Exception as error:
            group.roll_back_to(savepoint)
            if len(batch) == 1:
                batch[0].fail(error)
                continue
            log.warning(  # the error's text quoted and cut: it may hold a report's text
                "%d reports filed together were refused (%s: %r); filing each on its own",
                len(batch), type(error).__name__, str(error)[:300],
            )  # fmt: skip
            for filing in batch:  # so that only the one at fault fails
                filing.ended, filing.error = False, None
                _file_together(group, [filing])
        except BaseException:  # (Committer.together fails the requests it leaves unended)
            group.roll_back_to(savepoint)
            raise


def _file(group: Group, filings: list[Filing]) -> None:
    ledger = filings[0].ledger
    conn = group.conn
    rules = ledger.group_rules(group)
    by_source: dict[str, list[str]] = defaultdict(list)
    for filing in filings:
        by_source[filing.report.source].append(filing.report.source_id)
    taken = {
        (source, source_id)
        for source, ids in by_source.items()
        for source_id in report_store.existing_source_ids(conn, source, ids)
    }
    accepted: list[_Accepted] = []
    at = group.tail.size
    for filing in filings:
        report = filing.report
        try:
            if (report.source, report.source_id) in taken:
                raise _stored_already(report)
            writer = ledger.writer(group, filing.author, start=at)
            chosen = choose_scope(conn, filing.author, filing.scope, audience=writer.audience())
            ledger.keys.party_key(writer)  # a party's first write adds its key, first
        except CeasefireError as error:
            filing.fail(error)
            continue
        taken.add((report.source, report.source_id))
        filed, alone = _as_filed(report, rules, filing.presumed, chosen)
        accepted.append(_Accepted(filing, writer, filed, alone))
        at += writer.pending + 1  # its report's entry
    if not accepted:
        return
    ids = [a.writer.new_ids(t.reports)[0] for a in accepted]  # as each would give alone
    with bulk.deferred(conn):  # the rows of five tables in one round trip
        recorded, rows = store_reports(
            conn,
            rules,
            [a.report for a in accepted],
            filings[0].settings,
            incident_ids=lambda first: [ids[i] for i in first],
            report_ids=ids,
            alone=accepted[0].alone if len(accepted) == 1 else None,  # known of it alone
        )
        for a, row in zip(accepted, rows, strict=True):
            a.writer.inserted("report.created", REPORT, [row])
        flush_together([a.writer for a in accepted])
    for a, stored in zip(accepted, recorded.stored, strict=True):
        index = a.writer.indexes.get(REPORT.record([stored.id]))
        a.filing.finish(replace(stored, ledger_index=index))

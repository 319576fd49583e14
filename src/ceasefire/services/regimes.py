"""Adding regimes, extending them and ending them early; incidents in the area are
classified again, and the author is told which (those its party reads)."""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from ceasefire.domain.filters import BBox
from ceasefire.domain.regimes import Agreement, Extension, Regime
from ceasefire.domain.visibility import Audience
from ceasefire.services.ledger import Ledger
from ceasefire.services.reclassification import Reclassified, reclassify_areas, tally, told
from ceasefire.services.rules import Rules
from ceasefire.store import actors as actor_store
from ceasefire.store import agreements as agreement_store
from ceasefire.store import reclassifications as reclassification_store
from ceasefire.store.database import Database
from ceasefire.store.exclusions import load_lists
from ceasefire.store.records import REGIME


@dataclass(frozen=True, slots=True)
class RegimeChange:
    """A regime as a write (adding or extending it) left it; ``sequence``, the write's
    first entry, at which the incidents it classified anew are noted; and those of them
    the author's party reads (all of them for the host's operator), in id order."""

    regime: Regime
    sequence: int
    reclassified: list[Reclassified]

    def line(self) -> str:
        """One line for the command line: how many, and from what to what."""
        shifts = ", ".join(f"{s.count} {s.before} -> {s.after}" for s in tally(self.reclassified))
        count = len(self.reclassified)
        return f"{count} incident{'' if count == 1 else 's'} reclassified" + (
            f": {shifts}" if shifts else ""
        )


def add_regime(ledger: Ledger, regime: Regime, *, author: str | None = None) -> RegimeChange:
    """Add a regime (a local truce) to an agreement, signed by one of its co-chairs
    (``author``) or by the host."""
    with ledger.write(author) as writer:
        conn = writer.conn
        found = agreement_store.load_agreements(conn, regime.agreement_id)
        if not found:
            raise NotFoundError(f"agreement {regime.agreement_id!r} does not exist")
        _co_chair_or_host(ledger, writer.author, found[0], "add its regimes")
        if agreement_store.load_regimes(conn, regime_id=regime.id):
            raise ConflictError(f"regime {regime.id!r} exists already")
        known = {a.id for a in actor_store.load_actors(conn)}
        unknown = sorted(regime.excluded_actor_ids - known)
        if unknown:
            raise InvalidInputError("excluded_actors", f"{unknown[0]!r}: no such actor")
        if regime.exclusion_list is not None and not load_lists(conn, [regime.exclusion_list]):
            raise InvalidInputError(
                "exclusion_list", f"{regime.exclusion_list!r}: no such designation list"
            )
        agreement_store.save_regime(conn, regime)
        writer.changed("regime.created", REGIME, [(regime.id,)], new=True)
        changed = reclassify_areas(
            conn, Rules.load(conn), [BBox.around(regime.geometry)], writer.start
        )
        return RegimeChange(
            agreement_store.get_regime(conn, regime.id),
            writer.start,
            told(conn, author, changed),
        )


def _co_chair_or_host(ledger: Ledger, author: str, agreement: Agreement, doing: str) -> None:
    if author != ledger.host_party and author not in agreement.co_chairs:
        raise PermissionDeniedError(
            f"only the co-chairs of {agreement.id} ({', '.join(agreement.co_chairs)}) "
            f"{doing}; {author} is not one"
        )


def extend_regime(
    ledger: Ledger, regime_id: str, extension: Extension, *, author: str | None = None
) -> RegimeChange:
    """Move a regime's end later (or make it indefinite), keeping the history: decided by
    the co-chairs of its agreement and signed by one of them (``author``) alone, or by the
    host. An end at or before the one in force is refused (``Regime.extended``)."""
    return _change_end(ledger, regime_id, extension, author, ending=False)


def end_regime(
    ledger: Ledger, regime_id: str, ending: Extension, *, author: str | None = None
) -> RegimeChange:
    """Bring a regime's end forward, as when a truce is declared over: signed as an
    extension is, and kept in the same history. An end at or after the one in force, or
    not after the start, is refused (``Regime.ended``)."""
    return _change_end(ledger, regime_id, ending, author, ending=True)


def _change_end(
    ledger: Ledger, regime_id: str, change: Extension, author: str | None, *, ending: bool
) -> RegimeChange:
    with ledger.write(author) as writer:
        conn = writer.conn
        regime = agreement_store.get_regime(conn, regime_id)
        (agreement,) = agreement_store.load_agreements(conn, regime.agreement_id)
        if ending:
            _co_chair_or_host(ledger, writer.author, agreement, "end its regimes")
            regime.ended(change)  # the new end must lie before the end in force
        else:
            _co_chair_or_host(ledger, writer.author, agreement, "extend its regimes")
            regime.extended(change)  # the new end must lie after the end in force
        agreement_store.add_extension(conn, regime_id, change)
        writer.changed("regime.ended" if ending else "regime.extended", REGIME, [(regime_id,)])
        changed = reclassify_areas(
            conn, Rules.load(conn), [BBox.around(regime.geometry)], writer.start
        )
        return RegimeChange(
            agreement_store.get_regime(conn, regime_id),
            writer.start,
            told(conn, author, changed),
        )


def reclassified_by(
    db: Database, regime_id: str, sequence: int, audience: Audience
) -> list[Reclassified] | None:
    """The incidents that the write adding or extending a regime, whose first entry is
    ``sequence``, classified anew, those the audience reads; None when that entry is not
    about the regime."""
    with db.read() as conn:
        found = reclassification_store.written_at(
            conn, sequence, REGIME.record((regime_id,)), audience
        )
    return None if found is None else [Reclassified(*row) for row in found]

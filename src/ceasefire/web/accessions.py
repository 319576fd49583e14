"""/accessions: who joined (or left) which regime, when, through which channel and on what
evidence — settlements and armed groups — and, for each regime, how many were in it week
by week ("more than 90 settlements have declared that they joined the truce regime")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ceasefire.domain.accessions import Accession, counts_over_time, dated_after
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Regime
from ceasefire.domain.words import N_
from ceasefire.reports.charts import bars
from ceasefire.services import accessions as service
from ceasefire.store import agreements as agreement_store
from ceasefire.web.context import Page, UserPage
from ceasefire.web.render import render

router = APIRouter(include_in_schema=False)
WEEK = 7  # days between the points of a regime's chart
POINTS = 200  # at most; a longer span takes longer steps


@dataclass(frozen=True)
class Summary:
    """A regime's accessions: who was in it by the latest one's day, and a chart of the
    settlements in it at each step from the first."""

    regime: Regime
    first: date
    last: date
    settlements: int
    actors: int
    chart: Markup
    after_end: int  # accessions dated after the regime ended (as extended)


@router.get("/accessions", response_class=HTMLResponse)
def register(page: UserPage, regime: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    with page.db.read() as conn:
        regimes = {r.id: r for r in agreement_store.load_regimes(conn)}
    chosen = regimes.get(regime)
    if regime and chosen is None:
        raise InvalidInputError.because(
            "regime", N_("%(regime)s is not a regime"), regime=repr(regime)
        )
    stored, names = service.named_accessions(page.db, chosen.id if chosen else None)
    by_regime: dict[str, list[Accession]] = {}
    for s in stored:
        by_regime.setdefault(s.accession.regime_id, []).append(s.accession)
    return render(
        page,
        "accessions.html",
        active="registers",
        tab="accessions",
        regimes=sorted(regimes.values(), key=lambda r: (r.agreement_id, r.start, r.id)),
        chosen=chosen.id if chosen else "",
        summaries=[_summary(page, regimes[r], found) for r, found in sorted(by_regime.items())],
        accessions=list(reversed(stored)),  # the latest first
        subject=lambda a: names.get(a.subject, a.subject),
        regime_names={r.id: r.name for r in regimes.values()},
        link=_link,
    )


def _link(evidence: str) -> str | None:
    """The web address an accession's evidence is, if it is one (http or https), else
    None: the page links it by its host."""
    parts = urlsplit(evidence.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts.netloc
    return None


def _summary(page: Page, regime: Regime, items: list[Accession]) -> Summary:
    first = min(a.day for a in items)
    last = max(a.day for a in items)
    step = max(WEEK, -(-(last - first).days // POINTS))
    points = counts_over_time(items, first, last, step)
    if points[-1][0] != last:  # the last bar is the latest accession's day
        points += counts_over_time(items, last, last)
    label = page._("Settlements in %(regime)s from %(start)s to %(end)s") % {
        "regime": regime.name,
        "start": page.language.date(first),
        "end": page.language.date(last),
    }
    _, settlements, actors = points[-1]  # who was in it by the latest accession
    return Summary(
        regime,
        first,
        last,
        settlements,
        actors,
        chart=bars([settled for _, settled, _ in points], label=label),
        after_end=dated_after(items, regime.effective_end, regime.time_zone),
    )

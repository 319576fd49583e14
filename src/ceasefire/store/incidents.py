"""Incidents as rows, their regimes, and the bounding-box + time query.

The bbox query uses the R*Tree on SQLite and the GiST index of the generated PostGIS
column on PostgreSQL; the rest of the filter is the same SQL on both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    and_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
)

from ceasefire.domain.classification import (
    NO_REGIME_REASON,
    Assessment,
    Classification,
    Space,
    Timing,
    Verdict,
    explain,
)
from ceasefire.domain.errors import GoneError, NotFoundError
from ceasefire.domain.explanations import Gettext
from ceasefire.domain.filters import IncidentFilter
from ceasefire.domain.visibility import Audience
from ceasefire.domain.words import N_
from ceasefire.store import tables as t
from ceasefire.store.actors import actor_names
from ceasefire.store.agreements import load_regime_terms
from ceasefire.store.audiences import visible, within
from ceasefire.store.bulk import insert_columns, insert_many
from ceasefire.store.incident_rows import StoredIncident, StoredVerdict
from ceasefire.store.reports import CHUNK
from ceasefire.store.summaries import summaries

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rtree_day(moment: datetime) -> float:
    """A moment on the SQLite R*Tree's time axis: days since 1970 (its bounds are 32-bit
    floats, rounded outward, so a query pads its window by a day each side)."""
    return (moment - _EPOCH).total_seconds() / 86400


def insert_incidents(
    conn: Connection, rows: Sequence[dict[str, Any]], ids: Sequence[int]
) -> Sequence[int]:
    """Insert incident rows with these ids, in order."""
    insert_many(conn, t.incidents, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def update_incidents(conn: Connection, rows: Mapping[int, Mapping[str, Any]]) -> None:
    """Set these columns of these incidents (by id): one statement, run for every row,
    for each set of columns (a statement built per incident cost more than running it)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for incident_id, row in rows.items():
        by_columns[tuple(row)].append({"_id": incident_id, **row})
    statement = t.incidents.update().where(t.incidents.c.id == bindparam("_id"))
    for params in by_columns.values():  # SET: the columns the parameters name
        conn.execute(statement, params)


def existing_ids(conn: Connection, incident_ids: Sequence[int]) -> set[int]:
    """Those of these incidents that exist (one merged away is gone)."""
    i = t.incidents.c
    found: set[int] = set()
    for start in range(0, len(incident_ids), CHUNK):
        part = incident_ids[start : start + CHUNK]
        found.update(conn.execute(select(i.id).where(i.id.in_(part))).scalars())
    return found


def delete_incidents(conn: Connection, incident_ids: Sequence[int]) -> None:
    conn.execute(
        t.incident_regimes.delete().where(t.incident_regimes.c.incident_id.in_(incident_ids))
    )
    conn.execute(t.incidents.delete().where(t.incidents.c.id.in_(incident_ids)))


def set_regimes(
    conn: Connection, incident_ids: Sequence[int], assessment: Assessment, *, fresh: bool = False
) -> None:
    """Record how each regime bears on each incident (replacing what was there)."""
    ir = t.incident_regimes
    if not fresh:
        for i in range(0, len(incident_ids), CHUNK):
            conn.execute(ir.delete().where(ir.c.incident_id.in_(incident_ids[i : i + CHUNK])))
    insert_columns(conn, ir, assessment.columns(incident_ids))


def _bbox_clause(conn: Connection, f: IncidentFilter) -> ColumnElement[bool] | None:
    if f.bbox is None:
        return None
    b = f.bbox
    if conn.dialect.name == "postgresql":
        inside = geom_meets(*(literal(v) for v in (b.min_lon, b.min_lat, b.max_lon, b.max_lat)))
        if f.start is None and f.end is None:
            return inside
        # the coarse window the (geom, tstzrange) GiST index answers; _where adds the exact one
        return and_(inside, span_meets(_moment(f.start), _moment(f.end)))
    parts = [rtree_box()]
    params: dict[str, float] = {
        "min_lon": b.min_lon,
        "max_lon": b.max_lon,
        "min_lat": b.min_lat,
        "max_lat": b.max_lat,
    }
    if f.end is not None:
        parts.append("min_t <= :rt_end")
        params["rt_end"] = rtree_day(f.end) + 1
    if f.start is not None:
        parts.append("max_t >= :rt_start")
        params["rt_start"] = rtree_day(f.start) - 1
    subquery = text(f"SELECT id FROM incidents_rtree WHERE {' AND '.join(parts)}").bindparams(
        **params
    )
    return t.incidents.c.id.in_(subquery.columns(id=t.incidents.c.id.type))


def rtree_box(suffix: str = "") -> str:
    """SQLite: the R*Tree's condition that a row's box meets the one of the parameters
    ``min_lon{suffix}``, ``min_lat{suffix}``, ``max_lon{suffix}``, ``max_lat{suffix}``."""
    return (
        f"min_x <= :max_lon{suffix} AND max_x >= :min_lon{suffix} "
        f"AND min_y <= :max_lat{suffix} AND max_y >= :min_lat{suffix}"
    )


def geom_meets(
    min_lon: ColumnElement[Any],
    min_lat: ColumnElement[Any],
    max_lon: ColumnElement[Any],
    max_lat: ColumnElement[Any],
) -> ColumnElement[bool]:
    """PostgreSQL: an incident's indexed point meets the box (its 32-bit bounds, rounded
    outward: the exact coordinates are checked beside it)."""
    envelope = func.ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326)
    return literal_column("incidents.geom").op("&&")(envelope)


def span_meets(start: ColumnElement[Any], end: ColumnElement[Any]) -> ColumnElement[bool]:
    """PostgreSQL: an incident's time span meets [start, end] (NULL: unbounded), as the
    (geom, tstzrange) GiST index answers it."""
    c = t.incidents.c
    window = func.tstzrange(start, end, literal("[]"))
    return func.tstzrange(c.time_start, c.time_end, literal("[]")).op("&&")(window)


def ends_after(start: ColumnElement[Any] | datetime) -> ColumnElement[bool]:
    """An incident's span reaches past ``start`` (one of no length, at or after it)."""
    c = t.incidents.c
    return or_(c.time_end > start, c.time_start >= start)


def _moment(value: datetime | None) -> ColumnElement[Any]:
    return cast(literal(value), DateTime(timezone=True))


def where_clauses(conn: Connection, f: IncidentFilter) -> list[ColumnElement[bool]]:
    c = t.incidents.c
    clauses: list[ColumnElement[bool]] = []
    bbox = _bbox_clause(conn, f)
    if bbox is not None and f.bbox is not None:
        # the indexes keep 32-bit bounds, rounded outward: check the exact coordinates too
        b = f.bbox
        clauses += [bbox, c.lon.between(b.min_lon, b.max_lon), c.lat.between(b.min_lat, b.max_lat)]
    if f.end is not None:
        clauses.append(c.time_start < f.end)
    if f.start is not None:
        clauses.append(ends_after(f.start))
    if f.classification is not None:
        clauses.append(c.classification == f.classification.value)
    if f.event_type is not None:
        clauses.append(c.event_type == f.event_type)
    if f.regime_id is not None:
        ir = t.incident_regimes
        bears = and_(ir.c.regime_id == f.regime_id, ir.c.verdict != Verdict.OUTSIDE.value)
        clauses.append(c.id.in_(select(ir.c.incident_id).where(bears)))
    if f.agreement_id is not None:
        ir, rg = t.incident_regimes, t.regimes
        under = select(ir.c.incident_id).join(rg, rg.c.id == ir.c.regime_id)
        under = under.where(rg.c.agreement_id == f.agreement_id, ir.c.verdict != "outside")
        clauses.append(or_(c.agreement_id == f.agreement_id, c.id.in_(under)))
    if f.source is not None:
        r = t.reports
        clauses.append(c.id.in_(select(r.c.incident_id).where(r.c.source == f.source)))
    if f.joint == "none":
        pass  # needs the reader: matching_clauses
    elif f.joint is not None:
        clauses.append(c.joint == f.joint)
    if f.after_id is not None:
        clauses.append(c.id > f.after_id)
    return clauses


def matching_clauses(
    conn: Connection, f: IncidentFilter, audience: Audience
) -> list[ColumnElement[bool]]:
    """The conditions of the incidents the audience may read that match the filter. A
    filter by joint finding sees only those the reader may know (findings under an
    agreement are its parties' business)."""
    c = t.incidents.c
    clauses = [visible(c.agreement_id, audience), *where_clauses(conn, f)]
    if f.joint == "none":  # not assessed, as far as the reader may know
        clauses.append(or_(c.joint.is_(None), not_(within(c.joint_agreement, audience))))
    elif f.joint is not None:
        clauses.append(within(c.joint_agreement, audience))
    return clauses


def query_incidents(
    conn: Connection, f: IncidentFilter, audience: Audience, *, explain: bool = False
) -> list[StoredIncident]:
    """One page of the incidents the audience may read that match the filter, in id order,
    with their verdicts; with the reasons written out too when ``explain`` (a map view does
    not need them)."""
    matching = select(t.incidents).where(and_(*matching_clauses(conn, f, audience)))
    if f.bbox is not None and conn.dialect.name == "postgresql":
        # OFFSET 0 fences the filter off from ORDER BY id LIMIT n, so PostgreSQL scans the
        # spatial index and sorts the few hits instead of walking the primary key.
        hits = matching.offset(0).subquery("hits")
        query = select(hits).order_by(hits.c.id).limit(f.limit)
    else:
        query = matching.order_by(t.incidents.c.id).limit(f.limit)
    return hydrate(conn, conn.execute(query).all(), explain=explain, audience=audience)


def get_incidents(
    conn: Connection, incident_ids: Sequence[int], audience: Audience, *, explain: bool = True
) -> list[StoredIncident]:
    """These incidents; one the audience may not read is as missing as one never stored."""
    found = find_incidents(conn, incident_ids, audience, explain=explain)
    missing = sorted(set(incident_ids) - {i.id for i in found})
    if missing:
        survivor = merged_into(conn, missing[0])
        if survivor is not None and find_incidents(conn, [survivor], audience, explain=False):
            raise GoneError(
                f"incident {missing[0]} was merged into incident {survivor}",
                moved_to=f"incidents/{survivor}",
            )
        raise NotFoundError(
            f"incident {missing[0]} does not exist",
            template=N_("Incident %(incident)s does not exist, or your party does not read it."),
            values={"incident": missing[0]},
        )
    return found


def record_merges(
    conn: Connection, merged: Sequence[int], into: int, *, by: str, at: datetime
) -> None:
    """Remember that these incidents were merged into ``into`` (and so were those merged
    into them before)."""
    m = t.incident_merges
    conn.execute(m.update().where(m.c.merged_into.in_(merged)).values(merged_into=into))
    insert_many(
        conn,
        m,
        [{"incident_id": i, "merged_into": into, "merged_by": by, "merged_at": at} for i in merged],
    )


def merged_into(conn: Connection, incident_id: int) -> int | None:
    """The incident a merged one lives on in (None: it was never merged)."""
    m = t.incident_merges
    found = conn.execute(select(m.c.merged_into).where(m.c.incident_id == incident_id)).scalar()
    return None if found is None else int(found)


def merged_by(conn: Connection, incident_ids: Sequence[int], into: int) -> dict[int, str]:
    """Of these incidents, those merged into ``into`` (directly or through later merges),
    with the party that merged each."""
    m = t.incident_merges.c
    query = select(m.incident_id, m.merged_by).where(
        m.incident_id.in_(incident_ids), m.merged_into == into
    )
    return {int(row.incident_id): str(row.merged_by) for row in conn.execute(query)}


def find_incidents(
    conn: Connection, incident_ids: Sequence[int], audience: Audience, *, explain: bool = True
) -> list[StoredIncident]:
    """Those of these incidents that exist and the audience may read, in id order."""
    seen = visible(t.incidents.c.agreement_id, audience)
    rows: list[Any] = []
    for start in range(0, len(incident_ids), CHUNK):
        chunk = incident_ids[start : start + CHUNK]
        rows += conn.execute(select(t.incidents).where(t.incidents.c.id.in_(chunk), seen)).all()
    rows.sort(key=lambda r: int(r.id))
    return hydrate(conn, rows, explain=explain, audience=audience)


def all_incident_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(t.incidents.c.id).order_by(t.incidents.c.id)).scalars())


def hydrate(
    conn: Connection,
    rows: Sequence[Any],
    *,
    explain: bool,
    audience: Audience | None = None,
    summarize: bool = True,
) -> list[StoredIncident]:
    """Incidents with their verdicts and, when asked, the reasons written from them; the
    joint finding when ``audience`` may read the agreement it was made under (``None``:
    the caller is the system itself)."""
    ids = [r.id for r in rows]
    verdicts: dict[int, list[StoredVerdict]] = defaultdict(list)
    ir = t.incident_regimes
    for i in range(0, len(ids), CHUNK):
        query = (
            select(ir.c.incident_id, ir.c.regime_id, ir.c.verdict, ir.c.space, ir.c.timing)
            .where(ir.c.incident_id.in_(ids[i : i + CHUNK]))
            .order_by(ir.c.incident_id, ir.c.regime_id)
        )
        for incident_id, regime_id, verdict, space, timing in conn.execute(query):
            verdicts[incident_id].append(
                StoredVerdict(regime_id, Verdict(verdict), Space(space), Timing(timing))
            )
    summary = summaries(conn, ids) if summarize else {}
    incidents = [
        StoredIncident(
            id=r.id,
            time_start=r.time_start,
            time_end=r.time_end,
            time_precision=r.time_precision,
            lon=r.lon,
            lat=r.lat,
            location_precision=r.location_precision,
            place=r.place,
            admin1=r.admin1,
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            actor_ids=tuple(r.actor_ids),
            classification=Classification(r.classification),
            verdicts=tuple(verdicts[r.id]),
            report_count=r.report_count,
            agreement_id=r.agreement_id,
            joint=r.joint if audience is None or audience.sees(r.joint_agreement) else None,
            summary=summary.get(r.id),
            admin2=r.admin2,
            country=r.country,
            claims=tuple((c[0], tuple(c[1])) for c in r.claims or ()),
            attribution_disputed=bool(r.attribution_disputed),
            clipped_to=r.clipped_to,
            attributed_actor=r.attributed_actor,
            sources=r.sources,
        )
        for r in rows
    ]
    return explained(conn, incidents) if explain else incidents


def explained(
    conn: Connection,
    incidents: list[StoredIncident],
    gettext: Gettext | None = None,
    city: Callable[[str], str] | None = None,
) -> list[StoredIncident]:
    """The incidents with their reasons written out, in English or with ``gettext`` (and
    ``city``: a time zone's city in that language)."""
    _ = gettext or (lambda message: message)
    regime_ids = {v.regime_id for i in incidents for v in i.verdicts}
    terms = load_regime_terms(conn, regime_ids)
    actor_ids = {a for i in incidents for a in (*i.actor_ids, i.attributed_actor) if a}
    names = actor_names(conn, actor_ids)
    found = []
    for incident in incidents:
        subject = incident.subject(names)
        reasons = tuple(
            explain(subject, terms[v.regime_id], v.verdict, v.space, v.timing, _, city)
            for v in incident.verdicts
        )
        found.append(replace(incident, reasons=reasons or (_(NO_REGIME_REASON),)))
    return found

"""`ceasefire regimes list|add|extend|end`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import shapely
import typer

from ceasefire.cli.common import database, handled, local_time, open_ledger, out, show_table
from ceasefire.domain.errors import field_named
from ceasefire.domain.regimes import ENDING, EXTENSION, Extension, Regime
from ceasefire.domain.times import zone
from ceasefire.ingest.jsonfiles import read_json_file
from ceasefire.ingest.scenario_geometry import checked_area, geojson_geometry
from ceasefire.services import queries
from ceasefire.services.regimes import add_regime, end_regime, extend_regime

regimes_app = typer.Typer(help="List, add, extend and end regimes.", no_args_is_help=True)


@regimes_app.command("list")
@handled
def regimes_list(
    agreement: Annotated[str | None, typer.Option(help="Only this agreement.")] = None,
) -> None:
    """List regimes with their time windows and exclusions."""
    rows = []
    for r in queries.list_regimes(database(), agreement):
        tz = zone(r.time_zone)
        end = r.effective_end
        kinds = [kind for kind, _ in r.changes]
        early = " (ended early)" if kinds and kinds[-1] == ENDING else ""
        rows.append(
            [
                r.id,
                r.agreement_id,
                r.name,
                f"{r.start.astimezone(tz):%Y-%m-%d %H:%M} {r.time_zone}",
                "indefinite" if end is None else f"{end.astimezone(tz):%Y-%m-%d %H:%M}{early}",
                ", ".join(sorted(r.excluded_actor_ids)),
                str(kinds.count(EXTENSION)),
            ]
        )
    show_table(["id", "agreement", "name", "start", "end in force", "excludes", "extensions"], rows)


@regimes_app.command("add")
@handled
def regimes_add(
    id: Annotated[str, typer.Option(help="The new regime's id.")],
    agreement: Annotated[str, typer.Option(help="The agreement it belongs to.")],
    name: Annotated[str, typer.Option(help="Its name.")],
    geometry: Annotated[
        Path, typer.Option(help="GeoJSON file with its area (Polygon/MultiPolygon).")
    ],
    start: Annotated[str, typer.Option(help="Start, ISO 8601; without offset = agreement's zone.")],
    end: Annotated[str | None, typer.Option(help="End [default: open-ended].")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Excluded actor id (repeatable).")
    ] = None,
    exclusion_list: Annotated[
        str | None, typer.Option(help="A designation list whose actors it excludes.")
    ] = None,
    exclusion_rule: Annotated[
        str | None,
        typer.Option(help="Which of the list's actors: unanimous, majority, any, un_listed."),
    ] = None,
    follow: Annotated[
        list[str] | None,
        typer.Option(
            help="Also exclude groups connected so with excluded ones: part_of, offshoot_of, "
            "allied_with, renamed_to (repeatable)."
        ),
    ] = None,
) -> None:
    """Add a regime; incidents in its area are classified again."""
    db = database()
    found = queries.get_agreement(db, agreement)
    where = f"--geometry: {geometry}"
    from ceasefire.ingest.scenario import MAX_BYTES  # the scenario's models: only here

    area = geojson_geometry(read_json_file(geometry, MAX_BYTES, where=where), where)
    if area.geom_type == "GeometryCollection":
        area = shapely.union_all(shapely.get_parts(area))
    checked_area(area, where)
    regime = Regime(
        id=id,
        agreement_id=agreement,
        name=name,
        geometry=area,
        start=local_time(start, found.time_zone, "--start"),
        end=local_time(end, found.time_zone, "--end") if end else None,
        time_zone=found.time_zone,
        excluded_actor_ids=frozenset(exclude or ()),
        exclusion_list=exclusion_list,
        exclusion_rule=exclusion_rule,
        exclusion_follows=tuple(sorted(set(follow or ()))),
    )
    added = add_regime(open_ledger(db), regime)
    out.print(f"added regime {id}; {added.line()}")


@regimes_app.command("extend")
@handled
def regimes_extend(
    regime_id: Annotated[str, typer.Argument(help="The regime to extend.")],
    new_end: Annotated[
        str, typer.Option(help="New end, ISO 8601, after the end in force; or 'indefinite'.")
    ],
    decided: Annotated[str | None, typer.Option(help="When it was decided.")] = None,
    note: Annotated[str, typer.Option(help="Why, or who decided.")] = "",
) -> None:
    """Move a regime's end later (the history is kept); incidents are classified again."""
    db = database()
    tz = queries.get_regime(db, regime_id).time_zone
    end = None if new_end.lower() == "indefinite" else local_time(new_end, tz, "--new-end")
    when = local_time(decided, tz, "--decided") if decided else None
    with field_named("new_end", "--new-end"):
        extended = extend_regime(
            open_ledger(db), regime_id, Extension(new_end=end, decided=when, note=note)
        )
    final = extended.regime.effective_end
    out.print(
        f"{regime_id} now ends {'never (indefinite)' if final is None else final.isoformat()}; "
        f"{extended.line()}"
    )


@regimes_app.command("end")
@handled
def regimes_end(
    regime_id: Annotated[str, typer.Argument(help="The regime that ended.")],
    at: Annotated[str, typer.Option(help="When it ended, ISO 8601, before the end in force.")],
    decided: Annotated[str | None, typer.Option(help="When it was declared over.")] = None,
    note: Annotated[str, typer.Option(help="Who declared it over, and the source.")] = "",
) -> None:
    """End a regime early, as when a truce is declared over (the history is kept);
    incidents are classified again."""
    db = database()
    tz = queries.get_regime(db, regime_id).time_zone
    end = local_time(at, tz, "--at")
    when = local_time(decided, tz, "--decided") if decided else None
    with field_named("new_end", "--at"):
        ended = end_regime(
            open_ledger(db), regime_id, Extension(new_end=end, decided=when, note=note)
        )
    out.print(f"{regime_id} now ends {end.isoformat()}; {ended.line()}")

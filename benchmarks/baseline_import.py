"""The baseline of import_classify.py: what a user would hand-write with pandas and geopandas.

    python benchmarks/baseline_import.py SCENARIO.yaml ROWS.csv DATABASE_URL [ucdp|acled]

Reads the scenario's regimes (YAML → shapely), reads the UCDP GED CSV (or the ACLED export:
its ``event_id_cnty`` and ``event_date``, day first) with pandas, builds points, joins them
to the regimes with ``geopandas.sjoin(predicate="within")``, keeps the pairs whose event
starts inside the regime's time window (start <= date_start < end, or no end), and writes
the events (all columns) and the matches with ``DataFrame.to_sql``, into a fresh SQLite
file (``sqlite:///…``) through Python's sqlite3,
or into a PostgreSQL database through a SQLAlchemy engine. Run as its own process so that
its peak RSS is its own.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml
from shapely.geometry import shape
from sqlalchemy import create_engine

# the id column and the date column with its format, by the file's format
FORMATS = {
    "ucdp": ("id", "date_start", "%Y-%m-%d %H:%M:%S.%f"),
    "acled": ("event_id_cnty", "event_date", "%d/%m/%Y %H:%M:%S"),
}


def main(scenario_path: Path, csv_path: Path, url: str, file_format: str = "ucdp") -> None:
    id_column, date_column, date_format = FORMATS[file_format]
    started = time.perf_counter()
    scenario = yaml.safe_load(scenario_path.read_text(encoding="utf-8"))
    specs = [r for a in scenario["agreements"] for r in a["regimes"]]
    regimes = gpd.GeoDataFrame(
        {
            "regime_id": [r["id"] for r in specs],
            "regime_start": pd.to_datetime([str(r["start"]) for r in specs]),
            "regime_end": pd.to_datetime([str(r["end"]) if r.get("end") else None for r in specs]),
        },
        geometry=[shape(r["geometry"]) for r in specs],
        crs="EPSG:4326",
    )
    events = pd.read_csv(csv_path)
    starts = pd.to_datetime(events[date_column], format=date_format)
    points = gpd.GeoDataFrame(
        {"event_id": events[id_column], "date_start": starts},
        geometry=gpd.points_from_xy(events["longitude"], events["latitude"]),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, regimes, predicate="within", how="inner")
    in_time = (joined["date_start"] >= joined["regime_start"]) & (
        joined["regime_end"].isna() | (joined["date_start"] < joined["regime_end"])
    )
    matches = pd.DataFrame(joined.loc[in_time, ["event_id", "regime_id"]])
    if url.startswith("sqlite:///"):
        out_path = Path(url.removeprefix("sqlite:///"))
        out_path.unlink(missing_ok=True)
        with sqlite3.connect(out_path) as conn:
            events.to_sql("events", conn, index=False)
            matches.to_sql("matches", conn, index=False)
    else:
        engine = create_engine(url)
        events.to_sql("events", engine, index=False, chunksize=10_000)
        matches.to_sql("matches", engine, index=False, chunksize=10_000)
        engine.dispose()
    print(
        f"baseline: {len(events)} events, {len(joined)} point-in-regime pairs, "
        f"{len(matches)} matches in time, {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5) or sys.argv[4:] not in ([], ["ucdp"], ["acled"]):
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], *sys.argv[4:])

"""Seeded synthetic inputs: UCDP GED CSV rows and a scenario with many regimes.

Distributions follow the UCDP GED Ukraine file in /work/shared/data/events (where_prec,
date_prec and the date spans each implies, casualties, number of sources); points lie in
30-45E, 30-40N, 70% of them clustered around 60 hot spots, the rest uniform. Regimes are
local truces (80%, 0.05-0.4 degrees across) and larger zones (20%, 0.5-2 degrees), each a
box or a random convex polygon, with a time window between 2014 and 2023 (20% open-ended).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import yaml

COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip

LON = (30.0, 45.0)
LAT = (30.0, 40.0)
FIRST_DAY = date(2014, 1, 1)
DAYS = (date(2023, 12, 31) - FIRST_DAY).days + 1

# (side_a, side_b, type_of_violence, conflict name)
_DYADS = [
    ("Government of Syria", "Syrian insurgents", 1, "Syria: Government"),
    ("Government of Syria", "IS", 1, "Syria: Government"),
    ("Government of Iraq", "IS", 1, "Iraq: Government"),
    ("Government of Turkey", "PKK", 1, "Turkey: Kurdistan"),
    ("Government of Russia (Soviet Union)", "Syrian insurgents", 1, "Syria: Government"),
    ("SDF", "IS", 2, "SDF - IS"),
    ("Jabhat Fateh al-Sham", "Syrian insurgents", 2, "Jabhat Fateh al-Sham - Syrian insurgents"),
    ("HTS", "Ahrar al-Sham", 2, "HTS - Ahrar al-Sham"),
    ("IS", "Civilians", 3, "IS - Civilians"),
    ("Government of Syria", "Civilians", 3, "Government of Syria - Civilians"),
    ("Jabhat al-Nusra", "Civilians", 3, "Jabhat al-Nusra - Civilians"),
]
_COUNTRIES = [("Syria", 652), ("Iraq", 645), ("Turkey", 640), ("Lebanon", 660), ("Jordan", 663)]
_OFFICES = ["Agence France Presse", "Reuters News", "BBC Monitoring", "Xinhua News Agency",
            "Associated Press", "SOHR", "Al Jazeera"]  # fmt: skip
_VERBS = ["shelling kills", "clashes leave", "air strike kills", "ambush kills",
          "car bomb kills", "fighting leaves"]  # fmt: skip


def _choice(
    rng: np.random.Generator, values: list[int], weights: list[float], n: int
) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(values), size=n, p=p / p.sum())


def ucdp_frame(n: int, seed: int, first_id: int = 100_000) -> pd.DataFrame:
    """``n`` UCDP GED rows with all 49 standard columns, as strings where the file has text."""
    rng = np.random.default_rng(seed)
    # --- place
    hot_lon = rng.uniform(LON[0] + 0.5, LON[1] - 0.5, 60)
    hot_lat = rng.uniform(LAT[0] + 0.5, LAT[1] - 0.5, 60)
    clustered = rng.random(n) < 0.7
    spot = rng.integers(0, 60, n)
    lon = np.where(clustered, hot_lon[spot] + rng.normal(0, 0.3, n), rng.uniform(*LON, n))
    lat = np.where(clustered, hot_lat[spot] + rng.normal(0, 0.3, n), rng.uniform(*LAT, n))
    lon = np.round(np.clip(lon, *LON), 5)
    lat = np.round(np.clip(lat, *LAT), 5)
    where_prec = _choice(rng, [1, 2, 3, 4, 5, 6, 7], [27, 47, 1, 14.6, 8.8, 1, 0.1], n)
    # --- time
    date_prec = _choice(rng, [1, 2, 3, 4, 5], [72.3, 21.1, 2.2, 3.0, 1.3], n)
    span = np.select(
        [date_prec == 1, date_prec == 2, date_prec == 3, date_prec == 4],
        [0, rng.integers(1, 6, n), 6, rng.integers(7, 31, n)],
        default=rng.integers(31, 365, n),
    )
    start_day = rng.integers(0, DAYS - 365, n)
    starts = pd.Timestamp(FIRST_DAY) + pd.to_timedelta(start_day, unit="D")
    ends = starts + pd.to_timedelta(span, unit="D")
    # --- who
    dyad = rng.integers(0, len(_DYADS), n)
    side_a = np.array([d[0] for d in _DYADS], dtype=object)[dyad]
    side_b = np.array([d[1] for d in _DYADS], dtype=object)[dyad]
    violence = np.array([d[2] for d in _DYADS])[dyad]
    conflict = np.array([d[3] for d in _DYADS], dtype=object)[dyad]
    country = rng.integers(0, len(_COUNTRIES), n)
    # --- casualties: low <= best <= high
    deaths = rng.poisson(0.8, (n, 4)) * (rng.random((n, 4)) < 0.6)
    deaths[:, 2] += (violence == 3) * rng.integers(1, 4, n)
    best = deaths.sum(axis=1)
    low = best - np.minimum(best, rng.integers(0, 2, n))
    high = best + rng.integers(0, 3, n)
    sources = _choice(rng, [1, 2, 3, 4, 5], [80, 12.6, 3.8, 1.1, 0.7], n)
    # --- text
    ids = np.arange(first_id, first_id + n)
    years = starts.year.to_numpy()
    day_text = pd.Series(starts.strftime("%Y-%m-%d"))
    office = np.array(_OFFICES, dtype=object)[rng.integers(0, len(_OFFICES), n)]
    verb = np.array(_VERBS, dtype=object)[rng.integers(0, len(_VERBS), n)]
    town = pd.Series(rng.integers(1, 5000, n)).astype(str)
    headline = "Town " + town + ": " + verb + " " + pd.Series(best).astype(str)
    one_source = '"' + office + "," + day_text + "," + headline + '"'
    article = one_source.where(sources == 1, one_source + ';"Reuters News,' + day_text + ',More"')
    cell_row = np.floor((lat + 90) * 2).astype(int)
    cell_col = np.floor((lon + 180) * 2).astype(int)
    frame = pd.DataFrame(
        {
            "id": ids,
            "relid": pd.Series(years).astype(str).radd("SYR-") + "-" + pd.Series(ids).astype(str),
            "year": years,
            "active_year": 1,
            "code_status": np.where(rng.random(n) < 0.997, "Clear", "Check deaths"),
            "type_of_violence": violence,
            "conflict_dset_id": 200 + dyad,
            "conflict_new_id": 200 + dyad,
            "conflict_name": conflict,
            "dyad_dset_id": 400 + dyad,
            "dyad_new_id": 400 + dyad,
            "dyad_name": side_a + " - " + side_b,
            "side_a_dset_id": 600 + dyad,
            "side_a_new_id": 600 + dyad,
            "side_a": side_a,
            "side_b_dset_id": 800 + dyad,
            "side_b_new_id": 800 + dyad,
            "side_b": side_b,
            "number_of_sources": sources,
            "source_article": article,
            "source_office": office,
            "source_date": day_text,
            "source_headline": headline,
            "source_original": "local residents",
            "where_prec": where_prec,
            "where_coordinates": "Town " + town + " town",
            "where_description": "Town " + town + " town; near the main road",
            "adm_1": "Province " + pd.Series(cell_row // 4).astype(str),
            "adm_2": "District " + pd.Series(cell_col).astype(str),
            "latitude": lat,
            "longitude": lon,
            "geom_wkt": "POINT ("
            + pd.Series(lon).astype(str)
            + " "
            + pd.Series(lat).astype(str)
            + ")",
            "priogrid_gid": cell_row * 720 + cell_col + 1,
            "country": np.array([c[0] for c in _COUNTRIES], dtype=object)[country],
            "country_id": np.array([c[1] for c in _COUNTRIES])[country],
            "region": "Middle East",
            "event_clarity": np.where(rng.random(n) < 0.87, 1, 2),
            "date_prec": date_prec,
            "date_start": starts.strftime("%Y-%m-%d 00:00:00.000"),
            "date_end": ends.strftime("%Y-%m-%d 00:00:00.000"),
            "deaths_a": deaths[:, 0],
            "deaths_b": deaths[:, 1],
            "deaths_civilians": deaths[:, 2],
            "deaths_unknown": deaths[:, 3],
            "best": best,
            "high": high,
            "low": low,
            "gwnoa": np.array([c[1] for c in _COUNTRIES])[country],
            "gwnob": "",
        }
    )
    assert list(frame.columns) == COLUMNS
    return frame


def write_ucdp_csv(path: Path, n: int, seed: int, chunk: int = 200_000) -> None:
    """Write ``n`` rows in chunks (each chunk its own seed stream) to keep memory small."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        for i, start in enumerate(range(0, n, chunk)):
            frame = ucdp_frame(min(chunk, n - start), seed * 1000 + i, first_id=100_000 + start)
            frame.to_csv(out, index=False, header=(i == 0), lineterminator="\n")
    tmp.replace(path)


def regimes(count: int, seed: int) -> list[dict[str, object]]:
    """``count`` regimes: id, name, GeoJSON geometry, start, end (None = open-ended)."""
    rng = np.random.default_rng(seed + 7_919)
    out: list[dict[str, object]] = []
    for i in range(count):
        large = rng.random() < 0.2
        width = rng.uniform(0.5, 2.0) if large else rng.uniform(0.05, 0.4)
        height = width * rng.uniform(0.6, 1.4)
        cx = rng.uniform(LON[0] + width / 2, LON[1] - width / 2)
        cy = rng.uniform(LAT[0] + height / 2, LAT[1] - height / 2)
        if rng.random() < 0.4:
            area = shapely.box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        else:
            xs = cx + rng.uniform(-width / 2, width / 2, 12)
            ys = cy + rng.uniform(-height / 2, height / 2, 12)
            area = shapely.MultiPoint(np.column_stack([xs, ys])).convex_hull
        area = shapely.set_precision(area, 1e-5)
        if area.geom_type != "Polygon" or not area.is_valid:  # rare: rounding collapsed it
            area = shapely.box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        start = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS - 30)))
        end: date | None = None
        if rng.random() >= 0.2:
            days = int(rng.integers(1, 60)) if rng.random() < 0.5 else int(rng.integers(60, 730))
            end = start + timedelta(days=days)
        coords = [[round(x, 5), round(y, 5)] for x, y in area.exterior.coords]
        out.append(
            {
                "id": f"r{i:04d}",
                "name": f"{'zone' if large else 'local truce'} {i}",
                "geometry": {"type": "Polygon", "coordinates": [coords]},
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
            }
        )
    return out


def write_scenario(path: Path, count: int, seed: int) -> None:
    """A scenario with one agreement (time zone UTC) holding ``count`` regimes."""
    scenario = {
        "id": "bench",
        "title": "Benchmark scenario",
        "parties": [
            {"id": "us", "name": "United States", "kind": "state"},
            {"id": "ru", "name": "Russian Federation", "kind": "state"},
        ],
        "agreements": [
            {
                "id": "bench-cessation",
                "name": "Benchmark cessation of hostilities",
                "time_zone": "UTC",
                "co_chairs": ["us", "ru"],
                "regimes": regimes(count, seed),
            }
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(scenario, sort_keys=False, default_flow_style=None, width=10_000)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # python benchmarks/_generate.py FOLDER ROWS REGIMES SEED
    folder, rows, count, seed = Path(sys.argv[1]), *map(int, sys.argv[2:5])
    write_scenario(folder / "scenario.yaml", count, seed)
    write_ucdp_csv(folder / "rows.csv", rows, seed)

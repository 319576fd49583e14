"""The generated UCDP GED events told again in ACLED's export format, for import_classify.py.

Every generated UCDP row becomes one ACLED row of the same event (same place, same day or
the middle of its span, same sides, same deaths), in the 33 columns and the date spelling
of the ACLED export in /work/shared/data/events (``14/08/2020 00:00:00``, day first). ACLED
codes a day, a week or a month (``time_precision`` 1, 2, 3) and a place or a wider area
(``geo_precision`` 1, 2, 3), so UCDP's finer scales are folded into these; the event types
are ACLED's (battles, explosions, violence against civilians, and a few protests and
strategic developments, which the default hostilities do not cover). No ACLED row is
shipped or read: the values are made up.

    python benchmarks/_acled.py UCDP.csv ACLED.csv SEED
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = [
    "id", "iso", "event_id_cnty", "event_date", "year", "time_precision", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "source_scale", "notes", "fatalities", "timestamp",
    "geo_precision", "source", "civilian_targeting", "disorder_type", "tags", "actor_dyad",
]  # fmt: skip

# (event_type, sub_event_type, disorder_type) by UCDP type of violence, then the extras
_ORGANISED = [
    ("Battles", "Armed clash", "Political violence"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
]
_AGAINST_CIVILIANS = ("Violence against civilians", "Attack", "Political violence")
_OTHER = [
    ("Protests", "Peaceful protest", "Demonstrations"),
    ("Strategic developments", "Looting/property destruction", "Strategic developments"),
]


def acled_frame(ucdp: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The ACLED rows of ``ucdp``'s events (one each), seeded."""
    rng = np.random.default_rng(seed)
    n = len(ucdp)
    starts = pd.to_datetime(ucdp["date_start"], format="%Y-%m-%d %H:%M:%S.%f")
    ends = pd.to_datetime(ucdp["date_end"], format="%Y-%m-%d %H:%M:%S.%f")
    day = starts + (ends - starts) / 2  # ACLED codes a span at its middle
    day = day.dt.floor("D")
    date_prec = ucdp["date_prec"].to_numpy()
    time_precision = np.select([date_prec == 1, date_prec <= 3], [1, 2], default=3)
    where_prec = ucdp["where_prec"].to_numpy()
    geo_precision = np.select([where_prec == 1, where_prec <= 3], [1, 2], default=3)
    kind = np.where(
        ucdp["type_of_violence"].to_numpy() == 3, -1, rng.integers(0, len(_ORGANISED), n)
    )
    other = rng.random(n)
    kinds = [*_ORGANISED, _AGAINST_CIVILIANS, *_OTHER]
    pick = np.where(kind < 0, len(_ORGANISED), kind)
    pick = np.where(other < 0.08, len(_ORGANISED) + 1, pick)
    pick = np.where(other < 0.04, len(_ORGANISED) + 2, pick)
    table = np.array(kinds, dtype=object)
    side_a = ucdp["side_a"].astype(str)
    side_b = ucdp["side_b"].astype(str).where(ucdp["side_b"] != "Civilians", "Civilians (Syria)")
    best = ucdp["best"].astype(int)
    location = ucdp["where_coordinates"].astype(str).str.removesuffix(" town")
    date_text = day.dt.strftime("%d/%m/%Y 00:00:00")
    frame = pd.DataFrame(
        {
            "id": np.arange(900_000_000, 900_000_000 + n),
            "iso": ucdp["gwnoa"],
            "event_id_cnty": "GEN" + ucdp["id"].astype(str),
            "event_date": date_text,
            "year": day.dt.year,
            "time_precision": time_precision,
            "event_type": table[pick, 0],
            "sub_event_type": table[pick, 1],
            "actor1": side_a,
            "assoc_actor_1": np.where(rng.random(n) < 0.1, "Local militia; Tribal fighters", ""),
            "inter1": 1,
            "actor2": side_b,
            "assoc_actor_2": "",
            "inter2": np.where(ucdp["type_of_violence"].to_numpy() == 3, 7, 2),
            "interaction": 12,
            "region": ucdp["region"],
            "country": ucdp["country"],
            "admin1": ucdp["adm_1"],
            "admin2": ucdp["adm_2"],
            "admin3": "",
            "location": location,
            "latitude": ucdp["latitude"],
            "longitude": ucdp["longitude"],
            "source_scale": "National",
            "notes": "On " + day.dt.strftime("%d %B %Y") + ", in " + location + ": "
            + ucdp["source_headline"].astype(str).str.partition(": ")[2] + ".",
            "fatalities": best,
            "timestamp": 1_700_000_000 + rng.integers(0, 10_000_000, n),
            "geo_precision": geo_precision,
            "source": ucdp["source_office"].astype(str) + "; Reuters News",
            "civilian_targeting": np.where(pick == len(_ORGANISED), "Civilian targeting", ""),
            "disorder_type": table[pick, 2],
            "tags": "",
            "actor_dyad": side_a + " - " + side_b,
        }
    )  # fmt: skip
    assert list(frame.columns) == COLUMNS
    return frame


def write_acled_csv(ucdp_path: Path, path: Path, seed: int, chunk: int = 200_000) -> None:
    """Convert a generated UCDP GED file chunk by chunk (each chunk its own seed stream)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        reader = pd.read_csv(ucdp_path, chunksize=chunk, keep_default_na=False)
        for i, ucdp in enumerate(reader):
            frame = acled_frame(ucdp, seed * 1000 + i)
            frame.to_csv(out, index=False, header=(i == 0), lineterminator="\n")
    tmp.replace(path)


if __name__ == "__main__":
    write_acled_csv(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))

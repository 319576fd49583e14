"""The Syrian Archive's reports of Russian and chemical attacks, as a GeoJSON event file.

Each report is placed at its own coordinates if they fall inside Syria, else at a point
of its governorate; its time is Damascus time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import shapely
from demo_files import DATA, SHARED, Feature, write_features
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.taxonomy import check_event_type

DAMASCUS = ZoneInfo("Asia/Damascus")
RUSSIAN_WINDOW = (date(2015, 9, 1), date(2016, 9, 30))
CHEMICAL_WINDOW = (date(2015, 9, 1), date(2016, 12, 31))

# Governorate names in the Syrian Archive files (CSV: upper-case English; JSON: Arabic) ->
# OCHA ADM1_EN. A name missing here stops the build.
GOVERNORATES = {
    "ALEPPO": "Aleppo",
    "DAMASCUS": "Damascus",
    "DARAA": "Dar'a",
    "DERAA": "Dar'a",
    "DEIR EZZOR": "Deir-ez-Zor",
    "DEIR EZ-ZOR": "Deir-ez-Zor",
    "HAMA": "Hama",
    "HASAKAH": "Al-Hasakeh",
    "HOMS": "Homs",
    "IDLEB": "Idleb",
    "IDLIB": "Idleb",
    "LATAKIA": "Lattakia",
    "LATTAKIA": "Lattakia",
    "QUNEITRA": "Quneitra",
    "RAQQA": "Ar-Raqqa",
    "RIF DIMASHQ": "Rural Damascus",
    "SUWEIDA": "As-Sweida",
    "TARTUS": "Tartous",
    "حلب": "Aleppo",
    "دمشق": "Damascus",
    "ريف دمشق": "Rural Damascus",
    "درعا": "Dar'a",
    "دير الزور": "Deir-ez-Zor",
    "حماة": "Hama",
    "الحسكة": "Al-Hasakeh",
    "حمص": "Homs",
    "ادلب": "Idleb",
    "إدلب": "Idleb",
    "اللاذقية": "Lattakia",
    "القنيطرة": "Quneitra",
    "الرقة": "Ar-Raqqa",
    "السويداء": "As-Sweida",
    "طرطوس": "Tartous",
}


def governorate(name: str, where: str) -> str:
    try:
        return GOVERNORATES[name.strip()]
    except KeyError:
        sys.exit(f"build_demo: {where}: governorate {name!r} is not mapped to OCHA ADM1_EN")


def coordinate(text: object) -> float | None:
    """A decimal or degrees-minutes-seconds value (with mojibake marks), else None."""
    if isinstance(text, int | float):
        return float(text)
    if not isinstance(text, str) or not text.strip():
        return None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
    if not 1 <= len(numbers) <= 3:
        return None
    return float(sum(n / 60**i for i, n in enumerate(numbers)))


class Located(NamedTuple):
    x: float
    y: float
    precision: str  # "exact" or "adm1"
    admin1: str


class Locator:
    """Places a report: its own coordinates if inside Syria, else its governorate's point."""

    def __init__(self, simple: Mapping[str, BaseGeometry], full: Mapping[str, BaseGeometry]):
        self.simple, self.full = simple, full
        self.syria = shapely.union_all(list(full.values()))
        self.stats: Counter[str] = Counter()

    def locate(self, lat: object, lon: object, gov: str | None) -> Located | None:
        y, x = coordinate(lat), coordinate(lon)
        if y is not None and x is not None:
            point = Point(x, y)
            if self.syria.covers(point):
                admin1 = next(n for n, g in self.full.items() if g.covers(point))
                self.stats["exact"] += 1
                self.stats["exact, in another governorate than named"] += (
                    bool(gov) and gov != admin1
                )
                return Located(round(x, 5), round(y, 5), "exact", admin1)
            self.stats["coordinates outside Syria, ignored"] += 1
        elif lat or lon:
            self.stats["coordinates unreadable, ignored"] += 1
        if gov is None:
            self.stats["no coordinates and no governorate: skipped"] += 1
            return None
        point = self.simple[gov].point_on_surface()
        self.stats["adm1"] += 1
        return Located(round(point.x, 5), round(point.y, 5), "adm1", gov)


def report_feature(located: Located, props: Feature) -> Feature:
    props |= {
        "location_precision": located.precision,
        "admin1": located.admin1,
        "country": "Syria",
    }
    point = {"type": "Point", "coordinates": [located.x, located.y]}
    return {"type": "Feature", "geometry": point, "properties": props}


def damascus_time(local: datetime) -> str:
    return local.replace(tzinfo=DAMASCUS).isoformat()


def clean(text: str) -> str:
    """Whitespace collapsed; the file's mojibake dash made a dash, other mojibake dropped."""
    text = text.replace("\xe4\xf3\xf1", " - ")
    return " ".join(re.sub(r"[^\x00-\x7f]+", " ", text).split())


def russian_attacks(locator: Locator) -> list[Feature]:
    raw = (SHARED / "events" / "syrian_archive_russian_attacks_2015-2016.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("latin-1"), newline="")))
    event_type, sub_event_type = check_event_type("Explosions/Remote violence", "Air/drone strike")
    features = []
    for row in rows:
        code = row["reference_code"].strip()
        when = datetime.strptime(row["recording_date"].strip(), "%m/%d/%y %H:%M")
        gov_name, _, town = (part.strip() for part in row["location"].partition(" : "))
        gov = governorate(gov_name, code) if gov_name else None
        if not RUSSIAN_WINDOW[0] <= when.date() <= RUSSIAN_WINDOW[1]:
            continue
        located = locator.locate(row["location_latitude"], row["location_longitude"], gov)
        if located is None:
            continue
        description = clean(row["description_en"])
        props: Feature = {
            "source_id": code,
            "source": "syrian-archive",
            "time": damascus_time(when),
            "place": town or None,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actors": ["Russian Air Force"] if re.search(r"russia", description, re.I) else [],
            "narrative": description,
            "citations": [f"Syrian Archive, {code}, https://youtu.be/{row['youtube_id'].strip()}"],
        }
        features.append(report_feature(located, props))
    return features


MONTHS = "January February March April May June July August September October November December"


def incident_date(unit: Mapping[str, str]) -> date | None:
    """The record's date, or the '1 August 2016' date of its title, else None."""
    text = unit["incident_date"].strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
        return datetime.strptime(text, "%d/%m/%Y").date()
    found = re.search(rf"(\d{{1,2}}) ({MONTHS.replace(' ', '|')}) (\d{{4}})", unit["title_en"])
    if found:
        return datetime.strptime(" ".join(found.groups()), "%d %B %Y").date()
    return None


def chemical_attacks(locator: Locator) -> tuple[list[Feature], Counter[str]]:
    units = json.loads(
        (SHARED / "events" / "syrian_archive_chemical_attacks.json").read_text("utf-8")
    )["units"]
    event_type, sub_event_type = check_event_type("Explosions/Remote violence", "Chemical weapon")
    features, skipped = [], Counter[str]()
    for unit in units:
        code = unit["incident_code"].strip()
        gov_name, _, town = (part.strip() for part in unit["location"].partition(" : "))
        gov = governorate(gov_name, code) if gov_name else None
        day = incident_date(unit)
        if day is None:
            skipped["no date"] += 1
            continue
        if not CHEMICAL_WINDOW[0] <= day <= CHEMICAL_WINDOW[1]:
            continue
        if "didn't find any visual documentation" in unit["summary_en"]:
            skipped["in window, not documented (per its summary)"] += 1
            continue
        located = locator.locate(unit["latitude"], unit["longitude"], gov)
        if located is None:
            skipped["in window, no location"] += 1
            continue
        title = " ".join(unit["title_en"].split())
        props: Feature = {"source_id": code, "source": "syrian-archive"}
        hhmm = unit["incident_time"].strip()
        if re.fullmatch(r"\d{1,2}:\d{2}", hhmm):
            props["time"] = damascus_time(
                datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time())
            )
        else:
            props["date"] = day.isoformat()
        props |= {
            "place": town or None,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actors": [],
            "narrative": first_sentence(unit["summary_en"]) or title,
            "citations": [f"Syrian Archive, {code}, {title or 'chemical attacks database'}"],
        }
        features.append(report_feature(located, props))
    return features, skipped


def first_sentence(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def build_syrian_archive(
    simple: Mapping[str, BaseGeometry], full: Mapping[str, BaseGeometry]
) -> Path:
    locator = Locator(simple, full)
    russian = russian_attacks(locator)
    chemical, skipped = chemical_attacks(locator)
    features = sorted(
        russian + chemical,
        key=lambda f: (
            str(f["properties"].get("time") or f["properties"].get("date")),
            str(f["properties"]["source_id"]),
        ),
    )
    path = DATA / "syrian_archive_reports.geojson"
    write_features(
        path,
        features,
        "Facts (date/time, place, short description, reference code) from the Syrian Archive "
        "(syrianarchive.org) via lylla318/syrian_archive@437b6eda75d779ec0ad6125ec274cddca7aa5b44; "
        "licence not stated",
    )
    print(
        f"syrian archive: {len(russian)} Russian-attack reports, {len(chemical)} chemical; "
        f"chemical skipped {dict(skipped)}; locations {dict(locator.stats)}"
    )
    return path

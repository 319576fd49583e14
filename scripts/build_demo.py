"""Build the bundled demo scenarios in src/ceasefire/scenarios/ from ../shared/data.

Run by hand from the repository: ``.venv/bin/python scripts/build_demo.py``. The output is
reproducible (same input, same bytes). ``--schema`` only rewrites docs/scenario.schema.json,
which needs no shared data. What each output is made from, and under which licence, is in
src/ceasefire/scenarios/SOURCES.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import jsonschema  # type: ignore[import-untyped]
import shapely
import yaml
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.taxonomy import check_event_type
from ceasefire.ingest.scenario import load_scenario_file, scenario_json_schema

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
OUT = ROOT / "src" / "ceasefire" / "scenarios"
DATA = OUT / "data"
SCHEMA = ROOT / "docs" / "scenario.schema.json"
DAMASCUS = ZoneInfo("Asia/Damascus")
Feature = dict[str, Any]  # GeoJSON, as json.loads gives it
TOLERANCE = 0.003  # degrees: shapely.coverage_simplify, about 200 m
RUSSIAN_WINDOW = (date(2015, 9, 1), date(2016, 9, 30))
CHEMICAL_WINDOW = (date(2015, 9, 1), date(2016, 12, 31))

# English spellings that reports use for the governorates, beyond OCHA's ADM1_EN and the
# GeoNames-style province_name (added by us as the property aliases_en).
SYRIA_ALIASES = {
    "Al-Hasakeh": ["Hasakah", "Al-Hasakah", "Hasaka", "Hassakeh"],
    "Aleppo": ["Halab"],
    "Ar-Raqqa": ["Raqqa", "Raqqah", "Ar-Raqqah"],
    "As-Sweida": ["Sweida", "Suwayda", "As-Suwayda"],
    "Damascus": ["Dimashq"],
    "Dar'a": ["Daraa", "Deraa"],
    "Deir-ez-Zor": ["Deir Ezzor", "Deir ez-Zor", "Deir el-Zour", "Dayr az-Zawr"],
    "Hama": ["Hamah"],
    "Homs": ["Hims"],
    "Idleb": ["Idlib"],
    "Lattakia": ["Latakia", "Latakiya", "Al-Ladhiqiyah"],
    "Quneitra": ["Al-Qunaytirah", "Qunaytirah"],
    "Rural Damascus": ["Rif Dimashq", "Damascus Countryside", "Reef Damascus"],
    "Tartous": ["Tartus"],
}

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

DONBAS = {  # ADMIN_1 in the source -> properties we add
    "Донецька область": {
        "iso_3166_2": "UA-14",
        "name_en": "Donetsk Oblast",
        "name_ru": "Донецкая область",
        "aliases_en": ["Donetsk oblast", "Donetsk", "Donetska oblast", "Donetsk region"],
    },
    "Луганська область": {
        "iso_3166_2": "UA-09",
        "name_en": "Luhansk Oblast",
        "name_ru": "Луганская область",
        "aliases_en": ["Luhansk oblast", "Luhansk", "Luhanska oblast", "Lugansk oblast"],
    },
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", action="store_true", help="only write the JSON Schema")
    args = parser.parse_args(argv)
    written = [write_schema()]
    if not args.schema:
        if not SHARED.is_dir():
            sys.exit(f"build_demo: {SHARED.resolve()} not found (the shared data)")
        DATA.mkdir(parents=True, exist_ok=True)
        governorates, full = build_syria_boundaries()
        written.append(DATA / "syria_adm1.geojson")
        written.append(build_ukraine_boundaries())
        written.append(build_ucdp())
        written.append(build_syrian_archive(governorates, full))
        written += write_scenarios()
        check_scenarios()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    if not args.schema:
        total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file() and p.suffix != ".pyc")
        print(f"bundled data in {OUT.relative_to(ROOT)}: {total:,} bytes")
    return 0


def write_schema() -> Path:
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    SCHEMA.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA.write_text(text, encoding="utf-8")
    return SCHEMA


# --- boundaries -------------------------------------------------------------------------


def simplified(geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Simplify a polygon coverage keeping shared edges shared, on a 1e-5 degree grid."""
    if not shapely.coverage_is_valid(list(geometries)):
        sys.exit("build_demo: boundaries are not a clean coverage; cannot simplify them")
    result = [
        shapely.set_precision(g, 1e-5) for g in shapely.coverage_simplify(geometries, TOLERANCE)
    ]
    if not all(shapely.is_valid(g) for g in result) or not shapely.coverage_is_valid(result):
        sys.exit("build_demo: simplified boundaries are not valid")
    return result


def rounded(geometry: BaseGeometry) -> dict[str, object]:
    def walk(value: object) -> object:
        if isinstance(value, float):
            return round(value, 5)
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return {key: walk(value) for key, value in mapping(geometry).items()}


def write_features(path: Path, features: list[Feature], source: str) -> None:
    """A FeatureCollection, one feature per line, with a ``source`` foreign member."""
    dump = json.dumps
    lines = [dump(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = f'{{"type":"FeatureCollection","source":{dump(source, ensure_ascii=False)},'
    path.write_text(head + '"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def build_syria_boundaries() -> tuple[dict[str, BaseGeometry], dict[str, BaseGeometry]]:
    """Write data/syria_adm1.geojson; return the simplified and the full governorates."""
    source = json.loads(
        (SHARED / "boundaries" / "syria_admin1_governorates_ocha_codab.geojson").read_text("utf-8")
    )
    features = sorted(source["features"], key=lambda f: f["properties"]["ADM1_PCODE"])
    full = {f["properties"]["ADM1_EN"]: shape(f["geometry"]) for f in features}
    simple = dict(zip(full, simplified(list(full.values())), strict=True))
    if set(SYRIA_ALIASES) != set(full):
        sys.exit(f"build_demo: SYRIA_ALIASES does not match {sorted(full)}")
    out: list[Feature] = []
    for f in features:
        p = f["properties"]
        keep = {k: p[k] for k in ("ADM1_EN", "ADM1_AR", "ADM1_PCODE", "province_name")}
        keep["aliases_en"] = SYRIA_ALIASES[p["ADM1_EN"]]
        out.append(
            {"type": "Feature", "properties": keep, "geometry": rounded(simple[p["ADM1_EN"]])}
        )
    write_features(
        DATA / "syria_adm1.geojson",
        out,
        "OCHA COD-AB Syria admin1 v02 (2020-12-17), CC BY-IGO, via syrianzone/syrianzone "
        "frontend/public/assets/population/syr_admin1.geojson"
        "@1320f2e6933d7ece59092a6571cc2b525a6ec50b; "
        f"simplified (coverage, {TOLERANCE} deg), 5 decimals; aliases_en added",
    )
    return simple, full


def build_ukraine_boundaries() -> Path:
    source = json.loads((SHARED / "boundaries" / "ukraine_oblasts.geojson").read_text("utf-8"))
    chosen = [f for f in source["features"] if f["properties"]["ADMIN_1"] in DONBAS]
    if len(chosen) != len(DONBAS):
        sys.exit("build_demo: Donetsk and Luhansk oblasts not found in ukraine_oblasts.geojson")
    geometries = simplified([shape(f["geometry"]) for f in chosen])
    out: list[Feature] = []
    for f, geometry in zip(chosen, geometries, strict=True):
        name_uk = f["properties"]["ADMIN_1"]
        extra = DONBAS[name_uk]
        props = {"name_en": extra["name_en"], "name_uk": name_uk, **extra}
        out.append({"type": "Feature", "properties": props, "geometry": rounded(geometry)})
    out.sort(key=lambda f: str(f["properties"]["name_en"]))
    path = DATA / "ukraine_donbas_oblasts.geojson"
    write_features(
        path,
        out,
        "Outline simplified from peacerep/ukraine-map data/oblast.geojson"
        "@44d66009fadef343bbe838beead3ea2930739f95 (from justinelliotmeyers/Ukraine_2020; "
        f"licence not stated: coordinates only), coverage-simplified {TOLERANCE} deg, 5 decimals",
    )
    return path


# --- events -----------------------------------------------------------------------------


def csv_records(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each CSV record with its exact source text (records may span several lines)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    for fields in csv.reader(lines()):
        raw = "".join(consumed)
        consumed.clear()
        yield raw, fields


def build_ucdp() -> Path:
    raw = (SHARED / "events" / "ucdp_ged_ukraine_2014-2023.csv").read_bytes().decode("cp1252")
    records = csv_records(raw)
    header_text, header = next(records)
    year = header.index("year")
    kept = [text for text, fields in records if fields[year] in ("2015", "2016")]
    if len(kept) != 838:
        sys.exit(f"build_demo: expected 838 UCDP rows for 2015-2016, found {len(kept)}")
    path = DATA / "ucdp_ged_ukraine_2015_2016.csv"
    path.write_text(header_text + "".join(kept), encoding="utf-8", newline="")
    return path


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


# --- scenarios --------------------------------------------------------------------------


def nusra_aliases() -> list[str]:
    """QDe.137's name, original-script name and a.k.a.s from the UN list, one name each."""
    path = SHARED / "sanctions" / "un_isil_alqaida_entities_aliases_2018-10-29.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["reference_number"] == "QDe.137")
    names = [row["name"], row["name_original_script"]]
    for entry in row["aliases"].split(" | "):
        entry = re.sub(r"^[af]\.k\.a\.:\s*", "", entry).replace(" (original script)", "")
        entry = entry.replace(" - sub-unit name", "")
        head, variants = entry, ""
        if entry.endswith(")"):
            depth, start = 0, None
            for i in range(len(entry) - 1, -1, -1):
                depth += {")": 1, "(": -1}.get(entry[i], 0)
                if depth == 0:
                    start = i
                    break
            inner = entry[start + 1 : -1] if start is not None else ""
            if ";" in inner or not re.search(r"[A-Za-z]", entry[:start] if start else ""):
                head, variants = entry[:start].strip(), inner
        names += [head, *variants.split(";")]
    seen: dict[str, str] = {}
    for name in (n.strip() for n in names):
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def write_scenarios() -> list[Path]:
    aliases = "\n".join(f"      - {json.dumps(a, ensure_ascii=False)}" for a in nusra_aliases())
    syria = OUT / "syria-2016.yaml"
    syria.write_text(SYRIA_YAML.replace("{NUSRA_ALIASES}", aliases), encoding="utf-8")
    ukraine = OUT / "ukraine-2015.yaml"
    ukraine.write_text(UKRAINE_YAML, encoding="utf-8")
    return [syria, ukraine]


class _StringDates(yaml.SafeLoader):
    """Dates stay strings, as JSON Schema expects."""


_StringDates.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def check_scenarios() -> None:
    schema = scenario_json_schema()
    for path in (OUT / "syria-2016.yaml", OUT / "ukraine-2015.yaml"):
        jsonschema.validate(yaml.load(path.read_text("utf-8"), Loader=_StringDates), schema)
        scenario = load_scenario_file(path)
        print(
            f"{path.name}: {len(scenario.parties)} parties, {len(scenario.actors)} actors, "
            f"{len(scenario.places)} places, {len(scenario.agreements)} agreements, "
            f"{len(scenario.regimes)} regimes"
        )


SYRIA_YAML = """\
# Demo scenario "Syria 2016": the nationwide cessation of hostilities of 27 February 2016
# and the local "regimes of calm" of April-May 2016 (Latakia, Eastern Ghouta, Aleppo).
# Generated by scripts/build_demo.py: edit the script, not this file. Local times are
# Damascus time. Sources, and what is approximate, are in SOURCES.md next to this file.
id: syria-2016
title: Syria 2016 – cessation of hostilities and regimes of calm
parties:
  - {id: us, name: United States, kind: state}
  - {id: ru, name: Russian Federation, kind: state}
  - {id: un, name: UN Office of the Special Envoy for Syria, kind: un_office}
actors:
  - id: isil
    name: Islamic State of Iraq and the Levant
    kind: designated
    # On the UN ISIL (Da'esh) and Al-Qaida list as an a.k.a. of Al-Qaida in Iraq (QDe.115).
    aliases: [ISIL, ISIS, "Da'esh", Daesh, Islamic State in Iraq and the Levant, Islamic State,
              داعش]
  - id: nusra
    name: Jabhat al-Nusra
    kind: designated
    # UN ISIL (Da'esh) and Al-Qaida list, QDe.137 (listed 2014-05-14), as of 2018-10-29:
    # its name, original-script name and every a.k.a. (variants in brackets split out).
    aliases:
{NUSRA_ALIASES}
  - id: sy-gov
    name: Government of Syria
    kind: state
    aliases: [Syrian Arab Army, SAA, Syrian Arab Armed Forces, Syrian government forces,
              الجيش العربي السوري]
  - id: fsa
    name: Free Syrian Army
    kind: rebel
    aliases: [FSA, الجيش السوري الحر]
  - id: ru-af
    name: Russian Air Force
    kind: state
    aliases: [Russian Aerospace Forces, VKS, Воздушно-космические силы]
places:
  - file: data/syria_adm1.geojson   # OCHA COD-AB admin1, simplified
    level: adm1
    country: Syria
    name_property: ADM1_EN
    id_property: ADM1_PCODE
    alias_properties: [ADM1_AR, province_name, aliases_en]
agreements:
  - id: syria-coh-2016
    name: Cessation of hostilities in Syria (UNSC 2268)
    time_zone: Asia/Damascus
    signed: 2016-02-22   # the US-Russia joint statement; UNSC 2268 endorsed it on 26 February
    co_chairs: [us, ru]
    members: [un]
    description: >-
      Terms for a Cessation of Hostilities in Syria, announced by the United States and the
      Russian Federation as co-chairs of the International Syria Support Group on 22 February
      2016 and endorsed by UN Security Council resolution 2268 (2016). In force from 00:00
      Damascus time on 27 February 2016 for the parties that accepted it; it does not apply to
      ISIL ("Daesh"), Jabhat al-Nusra or other groups the Security Council designates as
      terrorist organisations. The local regimes of calm of April-May 2016 are regimes of this
      agreement: the same co-chairs declared them to reaffirm this cessation, on its terms.
    source: >-
      Joint Statement of the United States and the Russian Federation, as Co-Chairs of the
      ISSG, on Cessation of Hostilities in Syria, 22 February 2016; UN Security Council
      resolution 2268 (2016), S/RES/2268, 26 February 2016.
    regimes:
      - id: syria-coh
        name: Cessation of hostilities – Syria
        country: Syria
        start: 2016-02-27T00:00
        end: null   # open-ended
        excluded_actors: [isil, nusra]
      - id: latakia-calm-2016
        name: Regime of calm – northern Latakia
        description: >-
          Declared by Russia and the United States "in the northern areas of Latakia province"
          from 00:01 on 30 April 2016 for 72 hours. APPROXIMATE AREA: the whole Lattakia
          governorate stands for its northern areas.
        admin_area: Latakia
        start: 2016-04-30T00:01
        end: 2016-05-03T00:01
        excluded_actors: [isil, nusra]
        extensions:
          - new_end: 2016-05-10T00:01
            decided: 2016-05-06
            note: >-
              Russian Ministry of Defence: the regime of calm in Latakia province and Aleppo
              city is extended for 72 hours from 00:01 on 7 May (AFP, Reuters, 6-7 May 2016).
              No source was found for how it was carried from 3 to 7 May.
      - id: eastern-ghouta-calm-2016
        name: Regime of calm – Eastern Ghouta
        description: >-
          Declared by Russia and the United States in Eastern Ghouta (suburbs of Damascus)
          from 00:01 on 30 April 2016 for 24 hours, then extended. APPROXIMATE AREA: a
          hand-drawn polygon around Douma, Harasta, Arbin, Zamalka, Kafr Batna, Saqba and
          Hamouria, not a surveyed boundary of the enclave.
        geometry:
          type: Polygon
          coordinates: [[[36.345, 33.525], [36.355, 33.500], [36.390, 33.500], [36.420, 33.510],
                         [36.440, 33.560], [36.430, 33.600], [36.395, 33.605], [36.360, 33.580],
                         [36.345, 33.555], [36.345, 33.525]]]
        start: 2016-04-30T00:01
        end: 2016-05-01T00:01
        excluded_actors: [isil, nusra]
        extensions:
          - new_end: 2016-05-02T00:01
            decided: 2016-05-01
            note: >-
              Extended by 24 hours (Syrian army via SANA and Xinhua; Russian Ministry of
              Defence via Sputnik, 1 May 2016).
          - new_end: 2016-05-04T00:00
            decided: 2016-05-02
            note: >-
              Extended by two days, "until 24:00 on 3 May" (Lt Gen Kuralenko, Russian
              reconciliation centre, via Interfax; Syrian army: 48 hours, via Xinhua, 2 May 2016).
          - new_end: 2016-05-06T00:01
            decided: 2016-05-04
            note: >-
              The US State Department welcomed "today's reaffirmation of the cessation in
              Eastern Ghouta for the next 48 hours" (statement of 4 May 2016). APPROXIMATE END:
              the hour is not stated; 48 hours from 00:01 on 4 May.
      - id: aleppo-calm-2016
        name: Regime of calm – Aleppo city
        description: >-
          The United States and Russia extended the cessation to Aleppo; in force from 00:01
          Damascus time on 4 May 2016 for 48 hours, then extended. APPROXIMATE AREA: a
          hand-drawn polygon around the city (the US statement also names Aleppo province and
          the city's surroundings; the Russian one the city).
        geometry:
          type: Polygon
          coordinates: [[[37.08, 36.15], [37.16, 36.12], [37.23, 36.15], [37.25, 36.20],
                         [37.22, 36.26], [37.15, 36.28], [37.09, 36.25], [37.06, 36.20],
                         [37.08, 36.15]]]
        start: 2016-05-04T00:01
        end: 2016-05-06T00:01
        excluded_actors: [isil, nusra]
        extensions:
          - new_end: 2016-05-10T00:01
            decided: 2016-05-06
            note: >-
              Extended for 72 hours from 00:01 on 7 May (Russian Ministry of Defence, 6 May
              2016, via AFP and Reuters; welcomed by the US State Department). The Syrian army
              counted its 48 hours from 01:00 on 5 May.
          - new_end: 2016-05-12T00:00
            decided: 2016-05-09
            note: >-
              Extended for 48 hours "from 01:00 on Tuesday until midnight on Wednesday"
              (Syrian army general command via SANA, RIA Novosti, 9 May 2016), after the joint
              US-Russia statement of 9 May 2016 reaffirming the cessation nationwide.
"""

UKRAINE_YAML = """\
# Demo scenario "Ukraine 2015": the Minsk II ceasefire of 15 February 2015 in Donetsk and
# Luhansk oblasts. Generated by scripts/build_demo.py: edit the script, not this file.
# Local times are Kyiv time. Sources, and what is approximate, are in SOURCES.md.
id: ukraine-2015
title: Ukraine 2015 – Minsk II ceasefire
parties:
  # Trilateral Contact Group (Ukraine, Russia, OSCE) and Normandy format (with Germany and
  # France). The co-chairs are the two states of the contact group whose findings must
  # agree; the OSCE SMM monitors and reports, so it is a member, as are Germany and France.
  - {id: ua, name: Ukraine, kind: state}
  - {id: ru, name: Russian Federation, kind: state}
  - {id: osce-smm, name: OSCE Special Monitoring Mission to Ukraine, kind: monitoring_mission}
  - {id: de, name: Germany, kind: member_state}
  - {id: fr, name: France, kind: member_state}
actors:
  # Names as UCDP GED writes its sides ("Government of Ukraine", "DPR", "LPR",
  # "United Armed Forces of Novorossiya").
  - id: ua-gov
    name: Government of Ukraine
    kind: state
    aliases: [Armed Forces of Ukraine, Ukrainian Armed Forces, Збройні сили України, ЗСУ]
  - id: dpr
    name: Donetsk People's Republic
    kind: rebel
    aliases: [DPR, DNR, ДНР, Донецкая Народная Республика, Донецька народна республіка]
  - id: lpr
    name: Luhansk People's Republic
    kind: rebel
    aliases: [LPR, LNR, Lugansk People's Republic, ЛНР, Луганская Народная Республика,
              Луганська народна республіка]
  - id: novorossiya
    name: United Armed Forces of Novorossiya
    kind: rebel
    aliases: [Объединённые вооружённые силы Новороссии]
places:
  - file: data/ukraine_donbas_oblasts.geojson   # simplified outlines, with English names added
    level: adm1
    country: Ukraine
    name_property: name_en
    id_property: iso_3166_2
    alias_properties: [name_uk, name_ru, aliases_en]
agreements:
  - id: minsk-ii-2015
    name: Package of Measures for the Implementation of the Minsk Agreements (Minsk II)
    time_zone: Europe/Kyiv
    signed: 2015-02-12
    co_chairs: [ua, ru]
    members: [osce-smm, de, fr]
    description: >-
      Signed in Minsk on 12 February 2015 by the Trilateral Contact Group (OSCE, Ukraine,
      Russia) and by representatives of certain areas of Donetsk and Luhansk regions;
      endorsed by UN Security Council resolution 2202 (2015). Point 1: an immediate and
      comprehensive ceasefire in certain areas of the Donetsk and Luhansk regions from 00:00
      local time on 15 February 2015. Later points (heavy-weapons withdrawal, OSCE
      verification, ...) are sequenced on it.
    source: >-
      Package of Measures for the Implementation of the Minsk Agreements, 12 February 2015,
      annex I to UN Security Council resolution 2202 (2015), S/RES/2202.
    regimes:
      - id: minsk-ii-ceasefire
        name: Ceasefire – Donetsk and Luhansk oblasts (Minsk II, point 1)
        description: >-
          APPROXIMATE AREA: the whole of both oblasts stands for "certain areas of the
          Donetsk and Luhansk regions".
        admin_area: [Donetsk Oblast, Luhansk Oblast]
        start: 2015-02-15T00:00
"""


if __name__ == "__main__":
    raise SystemExit(main())

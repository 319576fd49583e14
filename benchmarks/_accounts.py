"""Real UCDP GED events told again by several sources, with the truth kept: the data of
benchmarks/correlation.py and of tests/domain/test_correlation_accuracy.py.

Each event is reported by ``ucdp-ged`` as the row gives it and by one or two simulated
sources, ``monitor`` and ``press`` (seeded), which disagree as real sources do:

- **time**, within its precision: a day-dated event stays on its day, the monitor often
  giving an hour of it (exact time); a week-dated one keeps its window;
- **place**, within its precision: moved up to 3 km (exact coordinates: another geocoding
  of the place), 5 km (a settlement), up to 25 km ("near" a named place); an event coded
  only to its district or oblast keeps the centroid, give or take 2 km;
- **type**, worded otherwise: a clash told as shelling ("Explosions/Remote violence /
  Shelling/artillery/missile attack"), the type without a sub-event type, or no type;
- **actors**, named by another alias from any script ("ЗСУ", "DNR", "Lugansk People's
  Republic"), by a name the register does not hold ("Ukrainian army", "separatists"), or
  left out.

Names are resolved by the actor register of the demo's Ukraine scenario
(``domain.resolution.NameIndex``), as the application resolves them.

Sets: an event is **unambiguous** when no other event of the file lies within 70 km and
two days of it (no tolerance of ours reaches that far); **ambiguous** events are the
distinct events of the file within 15 km and one day of another, told again the same way.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from ceasefire.domain.correlation import CorrelationSettings, Correlator, Footprint
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Report
from ceasefire.domain.precision import LocationPrecision, TimePrecision
from ceasefire.domain.resolution import NameIndex
from ceasefire.ingest.events import open_events
from ceasefire.services.recording import footprint

ROOT = Path(__file__).resolve().parent.parent
SHARED_GED = ROOT.parent / "shared" / "data" / "events" / "ucdp_ged_ukraine_2014-2023.csv"
BUNDLED_GED = ROOT / "src" / "ceasefire" / "scenarios" / "data" / "ucdp_ged_ukraine_2015_2016.csv"
SCENARIO = ROOT / "src" / "ceasefire" / "scenarios" / "ukraine-2015.yaml"

# how each actor of the register may be named by another source (None: left out)
OTHER_NAMES = {
    "ua-gov": ["Armed Forces of Ukraine", "ЗСУ", "Ukrainian Armed Forces", "Ukrainian army",
               "Збройні сили України", "Government of Ukraine"],
    "dpr": ["DNR", "ДНР", "Donetsk People's Republic", "Донецкая Народная Республика",
            "DPR", "pro-Russian separatists"],
    "lpr": ["LNR", "Lugansk People's Republic", "ЛНР", "LPR", "Luhansk separatists"],
    "novorossiya": ["Объединённые вооружённые силы Новороссии",
                    "United Armed Forces of Novorossiya", "NAF", "separatist forces"],
    "ru-gov": ["Russian Armed Forces", "Armed Forces of the Russian Federation",
               "Вооружённые силы Российской Федерации", "Russian army"],
}  # fmt: skip
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
_MOVE_M = {
    LocationPrecision.EXACT: 3_000.0,
    LocationPrecision.SETTLEMENT: 5_000.0,
    LocationPrecision.NEAR: 25_000.0,
}
_CENTROID_M = 2_000.0
_UNAMBIGUOUS = (70_000.0, 2 * 86_400.0)  # no other event this close in space and time
_AMBIGUOUS = (15_000.0, 86_400.0)  # another event at least this close


@dataclass(frozen=True, slots=True)
class Told:
    """One account of an event, with the event it is of (the truth)."""

    event: str
    report: Report


def register() -> NameIndex:
    """The actor register of the Ukraine scenario (names, aliases, dataset names)."""
    spec = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    index = NameIndex()
    for actor in spec["actors"]:
        refs = [r["name"] for r in actor.get("references", [])]
        index.add(actor["id"], actor["name"], [*actor.get("aliases", []), *refs])
    return index


def ged_events(path: Path | None = None) -> list[Report]:
    """The events of a UCDP GED file that correlation may join (known to the day or week),
    by date."""
    path = path or (SHARED_GED if SHARED_GED.exists() else BUNDLED_GED)
    with open_events(path, "ucdp") as events:
        reports = [row.report for row in events.rows() if hasattr(row, "report")]
    keep = (TimePrecision.DAY, TimePrecision.WEEK)
    return sorted((r for r in reports if r.time.precision in keep), key=lambda r: r.time.start)


def _close(a: Report, b: Report, limits: tuple[float, float]) -> bool:
    from ceasefire.domain.comparisons import distance_m

    gap = max((a.time.start - b.time.end).total_seconds(),
              (b.time.start - a.time.end).total_seconds(), 0.0)  # fmt: skip
    if gap > limits[1]:
        return False
    return distance_m(a.location.lon, a.location.lat, b.location.lon, b.location.lat) <= limits[0]


def split_sets(events: Sequence[Report]) -> tuple[list[Report], list[Report]]:
    """(unambiguous, ambiguous) events: see the module's docstring."""
    unambiguous, ambiguous = [], []
    # events are in order of start: any within two days of this one starts no further
    # apart than the longest time window and two days (week-dated events start a week apart)
    longest = max((e.time.end - e.time.start for e in events), default=timedelta(0))
    window = longest + timedelta(seconds=_UNAMBIGUOUS[1])
    for k, event in enumerate(events):
        near: list[Report] = []
        for step in (-1, 1):
            m = k + step
            while 0 <= m < len(events) and abs(events[m].time.start - event.time.start) <= window:
                near.append(events[m])
                m += step
        if not any(_close(event, other, _UNAMBIGUOUS) for other in near):
            unambiguous.append(event)
        elif any(_close(event, other, _AMBIGUOUS) for other in near):
            ambiguous.append(event)
    return unambiguous, ambiguous


def _moved(location: EventLocation, rng: random.Random) -> EventLocation:
    reach = _MOVE_M.get(location.precision, _CENTROID_M)
    d = reach * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = d * math.cos(bearing) / 111_320.0
    dlon = d * math.sin(bearing) / (111_320.0 * math.cos(math.radians(location.lat)))
    return replace(location, lon=location.lon + dlon, lat=location.lat + dlat)


def _time(time: EventTime, rng: random.Random, exact_share: float) -> EventTime:
    if time.precision is TimePrecision.DAY and rng.random() < exact_share:
        return EventTime.at(time.start + timedelta(minutes=rng.randrange(6, 23 * 60)))
    return time


def _kind(report: Report, rng: random.Random) -> tuple[str | None, str | None]:
    roll = rng.random()
    if roll < 0.3:
        return SHELLING
    if roll < 0.4:
        return report.event_type, None
    if roll < 0.45:
        return None, None
    return report.event_type, report.sub_event_type


def _actors(report: Report, index: NameIndex, rng: random.Random) -> tuple[ActorMention, ...]:
    named = []
    for mention in report.actors:
        resolved = index.resolve(mention.name).match
        if rng.random() < 0.2:
            continue  # left out
        if resolved is None:
            named.append(ActorMention(mention.name, mention.role))
            continue
        named.append(ActorMention(rng.choice(OTHER_NAMES[resolved.actor_id]), mention.role))
    return tuple(named)


def retell(events: Sequence[Report], seed: int, index: NameIndex) -> list[Told]:
    """Every event as ucdp-ged gives it and as one or two other sources tell it."""
    rng = random.Random(seed)
    told: list[Told] = []
    for event in events:
        key = event.source_id
        told.append(Told(key, event))
        others = [s for s in ("monitor", "press") if rng.random() < 0.75] or [
            rng.choice(("monitor", "press"))
        ]
        for source in others:
            kind = _kind(event, rng)
            told.append(Told(key, replace(
                event,
                source=source,
                source_id=f"{source}-{key}",
                time=_time(event.time, rng, 0.5 if source == "monitor" else 0.1),
                location=_moved(event.location, rng),
                event_type=kind[0],
                sub_event_type=kind[1],
                actors=_actors(event, index, rng),
            )))  # fmt: skip
    rng.shuffle(told)
    told.sort(key=lambda t: t.report.time.start.date())  # as they come in, day by day
    return told


def resolved(told: Sequence[Told], index: NameIndex) -> list[Footprint]:
    """Each account's footprint, its names resolved by the register."""
    cache: dict[str, str | None] = {}
    marks = []
    for t in told:
        mentions = []
        for m in t.report.actors:
            if m.name not in cache:
                match = index.resolve(m.name).match
                cache[m.name] = match.actor_id if match else None
            mentions.append(replace(m, actor_id=cache[m.name]))
        marks.append(footprint(replace(t.report, actors=tuple(mentions))))
    return marks


def correlate(marks: Sequence[Footprint], settings: CorrelationSettings) -> list[int]:
    """The incident of each footprint, one report at a time as ``record_reports`` does."""
    correlator = Correlator(settings)
    labels: list[int] = []
    for n, mark in enumerate(marks):
        match = correlator.match(mark)
        if match is None:
            mark.key = n
            correlator.add(mark)
            labels.append(n)
        else:
            correlator.join(match, mark)
            assert isinstance(match.key, int)
            labels.append(match.key)
    return labels


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    found_pairs: int


def pairwise(truth: Sequence[object], found: Sequence[object]) -> Scores:
    """Pairwise precision, recall and F1 of a grouping against the truth."""

    def pairs(groups: Iterator[int]) -> int:
        return sum(n * (n - 1) // 2 for n in groups)

    from collections import Counter

    both = pairs(iter(Counter(zip(truth, found, strict=True)).values()))
    true = pairs(iter(Counter(truth).values()))
    made = pairs(iter(Counter(found).values()))
    p = both / made if made else 1.0
    r = both / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f, true, made)


def day_of(t: Told) -> datetime:
    return t.report.time.start

"""Small hand-written scenario pieces for the store, services and API tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shapely.geometry import box

from ceasefire.domain.actors import Actor
from ceasefire.domain.designations import DesignationList
from ceasefire.domain.events import ActorMention, EventLocation, EventTime, Report
from ceasefire.domain.precision import LocationPrecision
from ceasefire.domain.regimes import Agreement, Party, Place, Regime
from ceasefire.domain.scenarios import Scenario
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger

DAMASCUS = ZoneInfo("Asia/Damascus")
SYRIA = box(35.7, 32.3, 42.4, 37.3)
HOMS = box(36.3, 34.0, 39.0, 35.2)


def scenario() -> Scenario:
    return Scenario(
        id="test",
        title="Test",
        parties=(Party("us", "United States"), Party("ru", "Russian Federation")),
        actors=(
            Actor("nusra", "Jabhat al-Nusra", aliases=("Al-Nusrah Front", "جبهة النصرة")),
            Actor("saa", "Syrian Arab Army", aliases=("Government of Syria",)),
        ),
        places=(Place("SY04", "Homs", "adm1", HOMS, country="Syria", aliases=("HOMS", "Hims")),),
        agreements=(
            Agreement("syria", "Cessation of hostilities", "Asia/Damascus", co_chairs=("us", "ru")),
        ),
        regimes=(
            Regime(
                id="coh",
                agreement_id="syria",
                name="Cessation of hostilities – Syria",
                geometry=SYRIA,
                start=datetime(2016, 2, 27, tzinfo=DAMASCUS),
                end=None,
                time_zone="Asia/Damascus",
                excluded_actor_ids=frozenset({"nusra"}),
            ),
        ),
    )


def ending(base: Scenario, end: datetime) -> Scenario:
    """``base`` with its first regime ending at ``end`` (an extension moves a regime's end
    later, so a regime to extend needs one)."""
    first, *others = base.regimes
    return replace(base, regimes=(replace(first, end=end), *others))


def following_a_list(
    rule: str, follows: tuple[str, ...], actors: tuple[Actor, ...] = ()
) -> Scenario:
    """``scenario()`` with these actors besides, whose regime excludes no actor by name but
    those the co-chairs' ISSG list excludes under ``rule`` ("any", "un_listed"...), and the
    groups connected to them as ``follows`` says."""
    base = scenario()
    regime = replace(
        base.regimes[0],
        excluded_actor_ids=frozenset(),
        exclusion_list="issg",
        exclusion_rule=rule,
        exclusion_follows=follows,
    )
    return replace(
        base,
        actors=(*base.actors, *actors),
        regimes=(regime,),
        designation_lists=(DesignationList("issg", "ISSG list", ("us", "ru")),),
    )


def report(
    source_id: str,
    *,
    source: str = "field",
    day: date = date(2016, 3, 2),
    lon: float = 36.29,
    lat: float = 33.51,
    precision: LocationPrecision = LocationPrecision.EXACT,
    actors: tuple[str, ...] = (),
    event_type: str | None = "Battles",
    admin1: str | None = None,
) -> Report:
    return Report(
        source=source,
        source_id=source_id,
        time=EventTime.dates(day, day),
        location=EventLocation(lon, lat, precision, admin1=admin1),
        event_type=event_type,
        actors=tuple(ActorMention(a) for a in actors),
        narrative=f"report {source_id}",
    )


def two_accounts(ledger: Ledger) -> tuple[int, int]:
    """One clash near Damascus told by two centres (scenario() loaded): the us-centre says
    the Syrian Arab Army fought, the ru-centre that Jabhat al-Nusra did, 2.8 km away: two
    incidents, one correlation candidate. Their ids, smaller first."""
    a = submit_report(
        ledger, report("a", source="us-centre", actors=("Syrian Arab Army",)), author="us"
    )
    b = submit_report(
        ledger,
        report("b", source="ru-centre", lon=36.32, actors=("Jabhat al-Nusra",)),
        author="ru",
    )
    assert a.incident_id != b.incident_id
    return min(a.incident_id, b.incident_id), max(a.incident_id, b.incident_id)

"""The registers' domain rules: who a regime excludes through affiliations, one holder of a
place at a time, accession histories, and the size of a regime's polygon."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import shapely

from ceasefire.domain.accessions import (
    Accession,
    Change,
    check_history,
    counts_over_time,
    dated_after,
)
from ceasefire.domain.actors import Affiliation
from ceasefire.domain.control import ControlArea, ControlMap, check_no_overlap
from ceasefire.domain.designations import (
    Designation,
    DesignationList,
    ListRule,
    Position,
    consolidate,
)
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.exclusions import Exclusion, Ground, widen
from ceasefire.domain.regimes import MAX_VERTICES, Regime


def test_a_connection_holds_only_while_its_affiliation_does() -> None:
    affiliations = [
        (
            "jund",
            Affiliation("allied_with", "nusra", since=date(2015, 1, 1), until=date(2016, 12, 31)),
        ),
        ("jfs", Affiliation("renamed_to", "nusra")),  # one group, two names: both ways
        ("cell", Affiliation("part_of", "jund")),  # two links away
        ("fsa", Affiliation("allied_with", "saa")),  # not connected to an excluded group
    ]
    found = widen(
        {"nusra": Ground("named")}, affiliations, ["allied_with", "renamed_to", "part_of"]
    )
    assert found.excluded(["jund"], date(2016, 3, 1))[0][1].via == "nusra"
    assert found.excluded(["jund"], date(2017, 3, 1)) == []
    assert found.excluded(["cell"], date(2016, 3, 1))[0][1].via == "jund"
    assert found.excluded(["cell"], date(2017, 3, 1)) == []  # its link's link ended
    assert found.excluded(["jfs"], date(2020, 1, 1))[0][1].relation == "renamed_to"
    assert found.excluded(["fsa", "saa"], date(2016, 3, 1)) == []
    only_named = widen({"nusra": Ground("named")}, affiliations, [])
    assert only_named.excluded(["jund", "jfs"], date(2016, 3, 1)) == []
    # a group listed now moves itself and those connected to it; the others stay
    listed = Ground("listed", list_name="ISSG", rule="majority", listed_by=("ru", "us"))
    both = widen({"nusra": Ground("named"), "saa": listed}, affiliations, ["allied_with"])
    moved = widen({"nusra": Ground("named")}, affiliations, ["allied_with"])
    assert both.changed_since(moved) == {"saa", "fsa"}
    assert both.changed_since(both) == set()


def test_levels_follow_who_listed_what() -> None:
    issg = DesignationList("issg", "ISSG", ("ru", "uk", "us"))
    said = [
        Designation("issg", "ru", "a", Position.LISTED),
        Designation("issg", "us", "a", Position.LISTED),
        Designation("issg", "uk", "a", Position.NOT_LISTED),
        Designation("issg", "ru", "b", Position.LISTED),
        Designation("issg", "us", "b", Position.NOT_LISTED),
        Designation("issg", "ru", "c", Position.LISTED),
    ]
    entries = consolidate(issg, said, on_un_list=["d"])
    assert {a: e.level for a, e in entries.items()} == {
        "a": "majority",
        "b": "disputed",
        "c": "some",
        "d": "none",
    }
    assert entries["d"].holds_under(ListRule.UN_LISTED) and not entries["a"].holds_under(
        ListRule.UN_LISTED
    )
    with pytest.raises(InvalidInputError, match="'fr' is not a member"):
        consolidate(issg, [Designation("issg", "fr", "a", Position.LISTED)])


def _area(
    actor: str, box: tuple[float, float, float, float], start: str, end: str | None = None
) -> ControlArea:
    return ControlArea(
        actor,
        shapely.box(*box),
        date.fromisoformat(start),
        date.fromisoformat(end) if end else None,
    )


def test_a_place_has_one_holder_a_day() -> None:
    held = [_area("nusra", (0, 0, 1, 1), "2015-03-28", "2016-06-30")]
    check_no_overlap(held, [_area("saa", (0, 0, 1, 1), "2016-07-01")])  # after: fine
    check_no_overlap(held, [_area("saa", (1, 0, 2, 1), "2016-01-01")])  # beside: fine
    # a sliver along a shared front line is not an overlap
    check_no_overlap(held, [_area("saa", (0.9995, 0, 2, 1), "2016-01-01")])
    with pytest.raises(InvalidInputError, match="overlaps"):
        check_no_overlap(held, [_area("saa", (0.5, 0, 2, 1), "2016-06-30")])
    control = ControlMap.of(held, {"nusra": "Jabhat al-Nusra"})
    assert control.holder(0.5, 0.5, date(2016, 1, 1)) is held[0]
    assert control.holder(0.5, 0.5, date(2016, 7, 1)) is None


def test_accession_histories_and_counts() -> None:
    def joined(day: str, change: Change = Change.JOINED, place: str = "douma") -> Accession:
        return Accession("coh", change, date.fromisoformat(day), "Hmeymim", place_id=place)

    check_history([joined("2016-03-01"), joined("2016-04-01", Change.LEFT), joined("2016-05-01")])
    with pytest.raises(InvalidInputError, match="had already joined"):
        check_history([joined("2016-03-01"), joined("2016-03-05")])
    with pytest.raises(InvalidInputError, match="without having joined"):
        check_history([joined("2016-03-01", Change.LEFT)])
    counts = counts_over_time(
        [joined("2016-03-01"), joined("2016-03-02", place="harasta")],
        date(2016, 2, 28),
        date(2016, 3, 6),
        step_days=3,
    )
    assert [(d.isoformat(), s) for d, s, _ in counts] == [
        ("2016-02-28", 0),
        ("2016-03-02", 2),
        ("2016-03-05", 2),
    ]


def test_a_regime_polygon_has_a_bounded_number_of_vertices() -> None:
    turns = [2 * math.pi * i / (MAX_VERTICES + 1) for i in range(MAX_VERTICES + 1)]
    circle = shapely.Polygon([(36 + 0.5 * math.cos(a), 33 + 0.5 * math.sin(a)) for a in turns])
    with pytest.raises(InvalidInputError, match="more than 100,000 vertices"):
        Regime("r", "a", "R", circle, datetime(2016, 2, 27, tzinfo=UTC), None, "UTC")


def test_an_accession_on_the_day_a_regime_ended_at_midnight_is_after_its_end() -> None:
    def on(day: date) -> Accession:
        return Accession("coh", Change.JOINED, day, "Hmeymim", place_id="douma")

    ended = datetime(2016, 9, 20, tzinfo=ZoneInfo("Asia/Damascus"))
    days = [date(2016, 9, 19), date(2016, 9, 20), date(2017, 1, 1)]
    assert dated_after([on(d) for d in days], ended, "Asia/Damascus") == 2
    noon = ended.replace(hour=12)  # ended within the 20th: that day is not after it
    assert dated_after([on(d) for d in days], noon, "Asia/Damascus") == 1
    assert dated_after([on(d) for d in days], None, "Asia/Damascus") == 0


def test_a_group_three_links_away_is_connected_whatever_order_the_links_come_in() -> None:
    """x <- b directly and x <- a <- b; b <- c <- d: d is three links from x by the short
    way. Searching deepest first, b reached first by the long way left c and d beyond the
    limit, and the short way did not look again: the order of the rows decided."""
    links = [
        ("a", Affiliation("part_of", "x")),
        ("b", Affiliation("part_of", "a")),
        ("b", Affiliation("part_of", "x")),
        ("c", Affiliation("part_of", "b")),
        ("d", Affiliation("part_of", "c")),
    ]
    for order in itertools.permutations(links):
        found = widen({"x": Ground("named")}, order, ["part_of"])
        assert [a for a, _ in found.excluded(["a", "b", "c", "d"], None)] == ["a", "b", "c", "d"]


def test_a_group_connected_to_two_excluded_ones_gets_its_grounds_in_one_order() -> None:
    """The order the excluded actors come in (a set's, which varies between processes)
    decides nothing: two server processes write the same reasons, and a group whose
    grounds are the same did not move."""
    links = [
        ("katiba", Affiliation("part_of", "isis")),
        ("katiba", Affiliation("part_of", "nusra")),
    ]
    one = widen({"nusra": Ground("named"), "isis": Ground("named")}, links, ["part_of"])
    other = widen({"isis": Ground("named"), "nusra": Ground("named")}, links, ["part_of"])
    assert [g.via for g in one.grounds["katiba"]] == ["isis", "nusra"]
    assert one.grounds == other.grounds
    shuffled = Exclusion({a: tuple(reversed(g)) for a, g in one.grounds.items()})
    assert one.changed_since(shuffled) == set()

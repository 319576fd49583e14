"""The record contract: declared, versioned states; checks that name the field; upgrades."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ceasefire.domain.records import KINDS, MEASURE, PLACE, REGIME, REPORT
from ceasefire.domain.states import (
    TAG,
    Field,
    StateError,
    StateKind,
    Type,
    Version,
    integer,
    items,
    text,
)

REPORT_0: dict[str, Any] = {
    "source": "ucdp-ged",
    "source_id": "1",
    "incident_id": 7,
    "time_start": "2015-02-16T00:00:00.000000Z",
    "time_end": "2015-02-16T23:59:59.999999Z",
    "time_precision": "day",
    "time_precision_code": None,
    "lon": 37.8,
    "lat": 48.0,
    "location_precision": "exact",
    "location_precision_code": "1",
    "place": "Debaltseve",
    "admin1": None,
    "admin2": None,
    "country": "Ukraine",
    "event_type": "Battles",
    "sub_event_type": None,
    "fatalities_low": 1,
    "fatalities_best": 2,
    "fatalities_high": 3,
    "narrative": "Shelling.",
    "citations": [],
    "attributes": {},
    "actors": [],
    "agreement_id": None,
}


# the kinds release 0.1.0 wrote; a kind new since starts at version 1 (docs/ledger.md §5)
RELEASE_0_1_0_KINDS = {
    "party",
    "key",
    "actor",
    "place",
    "agreement",
    "regime",
    "report",
    "assessment",
    "measure",
    "restriction",
}


def test_every_kind_declares_version_0_and_a_current_version_with_upgrades() -> None:
    for name, kind in KINDS.items():
        assert kind.versions[0].number == (0 if name in RELEASE_0_1_0_KINDS else 1)
        assert kind.current.number >= 1
        assert all(v.upgrade is not None for v in kind.versions[1:])


def test_a_document_is_its_fields_tagged_with_kind_and_version() -> None:
    document = REPORT.document({"narrative": "x"})
    assert document == {TAG: "report/1", "narrative": "x"}
    assert REPORT.version_of(document) == 1
    assert REPORT.version_of({"narrative": "x"}) == 0  # untagged: release 0.1.0's


def test_a_release_0_1_0_report_upgrades_to_report_1_with_the_same_facts() -> None:
    upgraded = REPORT.upgraded(REPORT_0)
    assert upgraded == {TAG: "report/1", **REPORT_0}
    assert REPORT.read(upgraded) == (1, REPORT_0)


def test_a_regime_of_release_0_1_0_gets_a_geometry_object_and_sorted_exclusions() -> None:
    old = {
        "agreement_id": "syria",
        "name": "Aleppo",
        "start": "2016-05-04T21:00:00.000000Z",
        "end": None,
        "area_name": None,
        "description": "",
        "geojson": '{"type":"Point","coordinates":[37.1,36.2]}',
        "exclusions": [{"actor_id": "nusra"}, {"actor_id": "isil"}],
        "extensions": [
            {"seq": 2, "new_end": None, "decided": None, "note": "b"},
            {"seq": 1, "new_end": None, "decided": None, "note": "a"},
        ],
    }
    upgraded = REGIME.upgraded(old)
    assert upgraded["geometry"] == {"type": "Point", "coordinates": [37.1, 36.2]}
    assert upgraded["excluded_actor_ids"] == ["isil", "nusra"]
    assert [e["seq"] for e in upgraded["extensions"]] == [1, 2]
    assert "geojson" not in upgraded and "exclusions" not in upgraded


def test_aliases_lose_their_derived_search_keys() -> None:
    old = {
        "name": "Homs",
        "level": "adm1",
        "country": "Syria",
        "code": "SY04",
        "geojson": json.dumps({"type": "Point", "coordinates": [36.7, 34.7]}),
        "aliases": [{"alias": "Hims", "key": "hims"}, {"alias": "HOMS", "key": "homs"}],
    }
    assert PLACE.upgraded(old)["aliases"] == ["HOMS", "Hims"]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"narrative": None}, "narrative", "is null, and the state requires it"),
        ({"incident_id": "7"}, "incident_id", "is not of type integer"),
        ({"incident_id": True}, "incident_id", "is not of type integer"),
        ({"lon": "37.8"}, "lon", "is not of type number"),
        ({"time_start": "2015-02-16T00:00:00Z"}, "time_start", "is not a UTC time"),
    ],
)
def test_a_state_that_breaks_its_declaration_names_the_field(
    change: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(StateError) as raised:
        REPORT.read({**REPORT_0, **change})
    assert raised.value.field == field
    assert raised.value.reason.startswith(reason)


def test_missing_and_unknown_fields_are_named() -> None:
    less = {k: v for k, v in REPORT_0.items() if k != "narrative"}
    with pytest.raises(StateError, match="missing 'narrative'"):
        REPORT.read(less)
    with pytest.raises(StateError, match="unknown 'x'"):
        REPORT.read({**REPORT_0, "x": 1})


def test_a_version_this_release_does_not_know_is_refused() -> None:
    with pytest.raises(StateError, match="'report/9' is not a version of report"):
        REPORT.read({**REPORT_0, TAG: "report/9"})
    with pytest.raises(StateError, match="'measure/1' is not a version of report"):
        REPORT.read({**REPORT_0, TAG: "measure/1"})


def test_lists_of_items_must_be_in_their_declared_order_and_their_items_are_checked() -> None:
    comment = {"party_id": "us", "author": "a", "text": "t", "created": None}
    state = MEASURE.upgraded(
        {
            "incident_id": 1,
            "agreement_id": "syria",
            "kind": "demarche",
            "description": "d",
            "owner_party": "us",
            "due": None,
            "status": "proposed",
            "proposed_by": "ru",
            "created": "2016-03-02T00:00:00.000000Z",
            "comments": [],
        }
    )
    with pytest.raises(StateError) as raised:
        MEASURE.read({**state, "comments": [comment]})
    assert raised.value.field == "comments[0].created"
    late = {**comment, "created": "2016-03-05T00:00:00.000000Z"}
    early = {**comment, "created": "2016-03-03T00:00:00.000000Z"}
    MEASURE.read({**state, "comments": [early, late]})
    with pytest.raises(StateError, match="in its order"):
        MEASURE.read({**state, "comments": [late, early]})


def test_a_kind_needs_consecutive_versions_each_with_its_upgrade() -> None:
    fields = (text("name"),)
    with pytest.raises(ValueError, match=r"versions must be 0, 1, 2\.\.\. or 1, 2"):
        StateKind("x", (Version(0, fields), Version(2, fields, dict)))
    with pytest.raises(ValueError, match="needs its upgrade"):
        StateKind("x", (Version(0, fields), Version(1, fields)))


def test_a_later_version_upgrades_through_every_version_between() -> None:
    def rename(state: Any) -> dict[str, Any]:
        return {"title": state["name"]}

    def count(state: Any) -> dict[str, Any]:
        return {**state, "steps": []}

    kind = StateKind(
        "provision",
        (
            Version(0, (text("name"),)),
            Version(1, (text("title"),), rename),
            Version(
                2,
                (text("title"), items("steps", [integer("n")], order=["n"])),
                count,
            ),
        ),
    )
    assert kind.upgraded({"name": "ceasefire"}) == {
        TAG: "provision/2",
        "title": "ceasefire",
        "steps": [],
    }
    assert kind.upgraded({"name": "x"}, to=1) == {TAG: "provision/1", "title": "x"}
    with pytest.raises(StateError, match="later than provision/1"):
        kind.upgraded({TAG: "provision/2", "title": "x", "steps": []}, to=1)


def test_integers_sort_as_numbers_in_ordered_lists() -> None:
    field = Field("steps", Type.ITEMS, items=(integer("n"),), order=("n",))
    kind = StateKind("k", (Version(0, (field,)),))
    kind.read({"steps": [{"n": -5}, {"n": 2}, {"n": 10}]})
    with pytest.raises(StateError):
        kind.read({"steps": [{"n": 10}, {"n": 2}]})


def test_a_kind_new_after_release_0_1_0_starts_at_version_1_and_is_always_tagged() -> None:
    kind = StateKind("provision", (Version(1, (text("title"),)),))
    assert kind.document({"title": "x"}) == {TAG: "provision/1", "title": "x"}
    assert kind.read({TAG: "provision/1", "title": "x"}) == (1, {"title": "x"})
    with pytest.raises(StateError, match="is missing"):
        kind.read({"title": "x"})
    with pytest.raises(StateError, match="not a version"):
        kind.read({TAG: "provision/0", "title": "x"})
    with pytest.raises(StateError, match="not a version"):
        kind.read({TAG: "provision/01", "title": "x"})


def test_a_release_0_1_0_report_out_of_order_is_widened_keeping_its_figures_as_given() -> None:
    old = {**REPORT_0, "fatalities_low": 2, "fatalities_best": 5, "fatalities_high": 4}
    upgraded = REPORT.upgraded(old)
    assert (upgraded["fatalities_low"], upgraded["fatalities_high"]) == (2, 5)
    assert upgraded["attributes"] == {"fatalities_as_given": "low 2, best 5, high 4"}


def test_a_daily_report_issued_before_renderers_were_recorded_upgrades_to_none() -> None:
    issued = {
        TAG: "daily_report/1",
        "agreement_id": "syria",
        "day": "2016-03-02",
        "cutoff": "19:30",
        "language": "ar",
        "format": "pdf",
        "sha256": "ab" * 32,
        "checkpoint_size": 7,
        "checkpoint_root": "cd" * 32,
        "issued_by": "ru",
        "issued_by_user": None,
        "created": "2016-03-02T17:00:00.000000Z",
    }
    upgraded = KINDS["daily_report"].upgraded(issued)
    assert upgraded == {**issued, TAG: "daily_report/2", "renderer": None}

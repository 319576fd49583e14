"""Scenario files: parsing into domain objects, and one-line errors naming the bad key."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import shapely
import yaml
from shapely.geometry import Point

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ingest.scenario import load_scenario_file, parse_scenario, scenario_json_schema
from ceasefire.scenarios import DEMO_SCENARIOS

FIXTURES = Path(__file__).parent / "scenario_fixtures"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json"


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / "minimal.yaml").read_text("utf-8"))
    return data


def regime(data: dict[str, Any], index: int) -> dict[str, Any]:
    found: dict[str, Any] = data["agreements"][0]["regimes"][index]
    return found


def error_of(data: object, base_dir: Path = FIXTURES) -> str:
    with pytest.raises(InvalidInputError) as info:
        parse_scenario(data, base_dir)
    return str(info.value)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class _StringDates(yaml.SafeLoader):
    """Leaves dates as strings, as a JSON document would have them."""


_StringDates.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --- a valid file -----------------------------------------------------------------------


def test_minimal_file_parses_into_parties_actors_places_and_agreements() -> None:
    scenario = load_scenario_file(FIXTURES / "minimal.yaml")

    assert (scenario.id, scenario.title) == ("test-2016", "Test scenario")
    assert [(p.id, p.kind) for p in scenario.parties] == [
        ("us", "state"),
        ("ru", "state"),
        ("un", "un_office"),
    ]
    assert scenario.actors[0].names() == (
        "Islamic State of Iraq and the Levant",
        "ISIL",
        "ISIS",
        "Da'esh",
    )
    assert [p.id for p in scenario.places] == ["SY02", "SY07", "SY06"]
    assert scenario.places[2].aliases == ("اللاذقية", "Al-Lādhiqīyah")
    (agreement,) = scenario.agreements
    assert (agreement.co_chairs, agreement.members) == (("us", "ru"), ("un",))
    assert agreement.signed == utc(2016, 2, 21, 22)  # 22 Feb 00:00 in Damascus
    assert [r.id for r in scenario.regimes] == ["nationwide", "latakia", "zone"]
    assert {r.agreement_id for r in scenario.regimes} == {"coh"}


def test_regime_start_in_damascus_local_time_is_stored_as_utc() -> None:
    nationwide = load_scenario_file(FIXTURES / "minimal.yaml").regimes[0]

    assert nationwide.start == utc(2016, 2, 26, 22)
    assert nationwide.start.isoformat() == "2016-02-26T22:00:00+00:00"
    assert nationwide.end is None
    assert nationwide.excluded_actor_ids == frozenset({"isil", "nusra"})


def test_date_objects_from_yaml_are_local_midnight_and_datetimes_local_time() -> None:
    data = minimal()
    regime(data, 0)["start"] = date(2016, 2, 27)
    regime(data, 2)["end"] = datetime(2016, 5, 6, 0, 1)

    scenario = parse_scenario(data, FIXTURES)

    assert scenario.regimes[0].start == utc(2016, 2, 26, 22)
    assert scenario.regimes[2].end == utc(2016, 5, 5, 21, 1)  # Damascus was UTC+3 in May


def test_time_with_an_explicit_offset_keeps_that_offset() -> None:
    data = minimal()
    regime(data, 0)["start"] = "2016-02-27T00:00Z"

    assert parse_scenario(data, FIXTURES).regimes[0].start == utc(2016, 2, 27)


def test_country_regime_is_the_union_of_that_countrys_adm1_places() -> None:
    nationwide = load_scenario_file(FIXTURES / "minimal.yaml").regimes[0]

    assert nationwide.area_name == "Syria"
    assert nationwide.geometry.covers(Point(37.0, 36.0))  # Aleppo
    assert nationwide.geometry.covers(Point(35.8, 35.5))  # Lattakia
    assert not nationwide.geometry.covers(Point(39.0, 35.0))


def test_admin_area_matches_an_alias_ignoring_case_and_diacritics() -> None:
    latakia = load_scenario_file(FIXTURES / "minimal.yaml").regimes[1]

    assert latakia.area_name == "Lattakia"  # found by "al ladhiqiyah" for "Al-Lādhiqīyah"
    assert latakia.geometry.covers(Point(35.8, 35.5))
    assert not latakia.geometry.covers(Point(37.0, 36.0))


def test_admin_area_list_covers_all_the_named_places() -> None:
    data = minimal()
    regime(data, 1)["admin_area"] = ["IDLIB", "Aleppo"]

    latakia = parse_scenario(data, FIXTURES).regimes[1]

    assert latakia.area_name == "Idleb, Aleppo"
    assert latakia.geometry.covers(Point(36.3, 35.8))
    assert latakia.geometry.covers(Point(37.0, 36.0))


def test_extensions_are_kept_in_order_and_the_last_one_sets_the_end() -> None:
    latakia = load_scenario_file(FIXTURES / "minimal.yaml").regimes[1]

    assert latakia.end == utc(2016, 5, 2, 21, 1)
    assert [(e.new_end, e.decided, e.note) for e in latakia.extensions] == [
        (utc(2016, 5, 9, 21, 1), utc(2016, 5, 5, 21), "extended by 72 hours"),
        (None, utc(2016, 5, 8, 21), "made indefinite"),
    ]
    assert latakia.effective_end is None


def test_geometry_file_is_read_relative_to_the_scenario_and_its_features_united() -> None:
    data = minimal()
    del regime(data, 2)["geometry"]
    regime(data, 2)["geometry_file"] = "zone.geojson"

    zone = parse_scenario(data, FIXTURES).regimes[2]

    assert zone.geometry.geom_type == "Polygon"
    assert zone.geometry.area == pytest.approx(0.02)
    assert zone.area_name is None


# --- errors name the path of the bad key ------------------------------------------------


def test_impossible_date_is_reported_with_its_path() -> None:
    data = minimal()
    regime(data, 2)["end"] = "2016-13-01"

    assert error_of(data) == "agreements[0].regimes[2].end: '2016-13-01' is not a date"


def test_co_chair_that_is_not_a_party_is_reported_with_its_index() -> None:
    data = minimal()
    data["agreements"][0]["co_chairs"] = ["us", "xx"]

    assert error_of(data) == "agreements[0].co_chairs[1]: 'xx' is not a party of this scenario"


def test_an_agreement_names_the_event_types_it_prohibits_or_takes_the_default() -> None:
    data = minimal()
    assert parse_scenario(data, FIXTURES).agreements[0].hostilities == (
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
    )
    data["agreements"][0]["hostilities"] = ["battles", "Protests"]
    (agreement,) = parse_scenario(data, FIXTURES).agreements
    assert agreement.hostilities == ("Battles", "Protests")
    assert {r.hostilities for r in parse_scenario(data, FIXTURES).regimes} == {
        frozenset({"Battles", "Protests"})
    }
    data["agreements"][0]["hostilities"] = ["Battles", "Skirmishes"]
    assert error_of(data).startswith(
        "agreements[0].hostilities[1]: 'Skirmishes' is not an ACLED event type (Battles, "
    )


def test_unknown_admin_area_is_reported_with_the_known_places() -> None:
    data = minimal()
    regime(data, 1)["admin_area"] = "Latakya"

    assert error_of(data) == (
        "agreements[0].regimes[1].admin_area: 'Latakya' is not a place of this scenario "
        "(known: Aleppo, Idleb, Lattakia)"
    )


def test_unknown_admin_area_in_a_list_is_reported_with_its_index() -> None:
    data = minimal()
    regime(data, 1)["admin_area"] = ["Aleppo", "Hama"]

    assert error_of(data).startswith("agreements[0].regimes[1].admin_area[1]: 'Hama' is not")


def test_unknown_key_is_reported_as_such() -> None:
    data = minimal()
    regime(data, 0)["strat"] = regime(data, 0).pop("start")

    message = error_of(data)

    assert message.splitlines()[0] == "agreements[0].regimes[0].start: required key is missing"
    assert "agreements[0].regimes[0].strat: unknown key" in message.splitlines()


def test_unknown_key_alone_is_the_whole_message() -> None:
    data = minimal()
    data["agreements"][0]["signd"] = "2016-02-22"

    assert error_of(data) == "agreements[0].signd: unknown key"


def test_missing_required_key_is_reported_with_its_path() -> None:
    data = minimal()
    del data["parties"][1]["name"]

    assert error_of(data) == "parties[1].name: required key is missing"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["parties"].append({"id": "us", "name": "Again"}),
            "parties[3].id: 'us' is a duplicate of parties[0].id",
        ),
        (
            lambda d: d["actors"].append({"id": "isil", "name": "Again"}),
            "actors[2].id: 'isil' is a duplicate of actors[0].id",
        ),
        (
            lambda d: regime(d, 2).__setitem__("id", "nationwide"),
            "agreements[0].regimes[2].id: 'nationwide' is a duplicate of "
            "agreements[0].regimes[0].id",
        ),
        (
            lambda d: d["agreements"].append({**d["agreements"][0], "regimes": []}),
            "agreements[1].id: 'coh' is a duplicate of agreements[0].id",
        ),
    ],
    ids=["party", "actor", "regime", "agreement"],
)
def test_duplicate_id_names_both_places(
    mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = minimal()
    mutate(data)

    assert error_of(data) == expected


def test_regime_ending_before_it_starts_is_refused() -> None:
    data = minimal()
    regime(data, 2)["end"] = "2016-05-01"

    assert error_of(data) == (
        "agreements[0].regimes[2].end: 2016-05-01T00:00 is not after start 2016-05-04T00:01"
    )


def test_extension_ending_before_the_start_is_refused() -> None:
    data = minimal()
    regime(data, 1)["extensions"][0]["new_end"] = "2016-04-29"

    assert error_of(data) == (
        "agreements[0].regimes[1].extensions[0].new_end: 2016-04-29T00:00 is not after "
        "start 2016-04-30T00:01"
    )


def test_extension_ending_no_later_than_the_end_in_force_is_refused() -> None:
    """Latakia's truce ends at 00:01 on 3 May 2016: an extension must move that later."""
    data = minimal()
    regime(data, 1)["extensions"][0]["new_end"] = "2016-05-02T12:00"

    assert error_of(data) == (
        "agreements[0].regimes[1].extensions[0].new_end: 2016-05-02T12:00:00+03:00 is not "
        "after the end of regime 'latakia' in force (2016-05-03T00:01:00+03:00): an "
        "extension moves the end later"
    )


def test_extension_of_a_regime_made_open_ended_is_refused() -> None:
    data = minimal()
    regime(data, 1)["extensions"].append({"new_end": "2016-06-01", "decided": "2016-05-20"})

    assert error_of(data) == (
        "agreements[0].regimes[1].extensions[2].new_end: regime 'latakia' is open-ended "
        "already: an extension cannot move its end"
    )


def test_self_intersecting_geometry_is_refused_not_repaired() -> None:
    data = minimal()
    bowtie = [[[37.0, 36.0], [37.2, 36.2], [37.2, 36.0], [37.0, 36.2], [37.0, 36.0]]]
    regime(data, 2)["geometry"] = {"type": "Polygon", "coordinates": bowtie}

    assert error_of(data) == (
        "agreements[0].regimes[2].geometry: is not a valid polygon (Self-intersection[37.1 36.1])"
    )


def test_point_geometry_is_refused_as_a_regime_area() -> None:
    data = minimal()
    regime(data, 2)["geometry"] = {"type": "Point", "coordinates": [37.1, 36.1]}

    assert error_of(data) == (
        "agreements[0].regimes[2].geometry: must be a Polygon or MultiPolygon, not Point"
    )


def test_missing_geometry_file_is_reported_with_its_path() -> None:
    data = minimal()
    del regime(data, 2)["geometry"]
    regime(data, 2)["geometry_file"] = "data/nowhere.geojson"

    message = error_of(data)

    assert message.startswith(
        "agreements[0].regimes[2].geometry_file: 'data/nowhere.geojson' not found ("
    )
    assert str(FIXTURES / "data" / "nowhere.geojson") in message


def test_missing_places_file_is_reported_with_its_path() -> None:
    data = minimal()
    data["places"][0]["file"] = "nowhere.geojson"

    assert error_of(data).startswith("places[0].file: 'nowhere.geojson' not found (")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ntitle: [unclosed\nparties: []\n", encoding="utf-8")

    with pytest.raises(InvalidInputError) as info:
        load_scenario_file(path)

    assert str(info.value).startswith("broken.yaml, line 3, column 8: invalid YAML: ")
    assert "\n" not in str(info.value)


def test_key_given_twice_is_a_yaml_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("id: x\ntitle: T\nid: y\n", encoding="utf-8")

    with pytest.raises(InvalidInputError) as info:
        load_scenario_file(path)

    assert str(info.value) == "twice.yaml, line 3, column 1: invalid YAML: duplicate key 'id'"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["agreements"][0].__setitem__("time_zone", "Asia/Damscus"),
            "agreements[0].time_zone: 'Asia/Damscus' is not an IANA time zone",
        ),
        (
            lambda d: regime(d, 0).__setitem__("excluded_actors", ["isil", "daesh"]),
            "agreements[0].regimes[0].excluded_actors[1]: 'daesh' is not an actor of this scenario",
        ),
        (
            lambda d: regime(d, 0).__setitem__("admin_area", "Aleppo"),
            "agreements[0].regimes[0]: needs exactly one of geometry, geometry_file, "
            "admin_area, country (found: admin_area, country)",
        ),
        (
            lambda d: regime(d, 0).__setitem__("country", "Syira"),
            "agreements[0].regimes[0].country: 'Syira' is not the country of adm1 places of "
            "this scenario (Syria)",
        ),
        (
            lambda d: regime(d, 0).__setitem__("start", "2016-03-25T00:30"),
            "agreements[0].regimes[0].start: 2016-03-25T00:30 does not exist in Asia/Damascus: "
            "the clocks moved forward over it",
        ),
        (
            lambda d: regime(d, 0).__setitem__("start", "2016-10-27T23:30"),
            "agreements[0].regimes[0].start: 2016-10-27T23:30 happened twice in Asia/Damascus: "
            "the clocks moved back (UTC+03:00 and then UTC+02:00); give the time with its UTC "
            "offset",
        ),
        (
            lambda d: d["parties"][2].__setitem__("kind", "ngo"),
            "parties[2].kind: 'ngo' is not one of 'state', 'un_office', 'monitoring_mission' "
            "or 'member_state'",
        ),
        (
            lambda d: d["actors"][1]["aliases"].append("isis"),
            "actors[1].aliases[1]: 'isis' already names actor 'isil'",
        ),
        (
            lambda d: d["agreements"][0].__setitem__("members", ["un", "us"]),
            "agreements[0].members[1]: 'us' is listed twice",
        ),
        (
            lambda d: d["agreements"][0].__setitem__("co_chairs", []),
            "agreements[0].co_chairs: needs at least one entry",
        ),
        (
            lambda d: d["parties"][0].__setitem__("id", "u s"),
            "parties[0].id: 'u s' is not an id (letters, digits and . _ : -, no spaces)",
        ),
        (
            lambda d: regime(d, 1)["extensions"].reverse(),
            "agreements[0].regimes[1].extensions[1].decided: is before the previous "
            "extension's (list them in order)",
        ),
    ],
    ids=[
        "time zone",
        "excluded actor",
        "two areas",
        "country",
        "nonexistent local time",
        "ambiguous local time",
        "party kind",
        "alias of two actors",
        "party twice",
        "no co-chair",
        "id with a space",
        "extensions out of order",
    ],
)
def test_broken_rule_is_reported_with_the_path_of_its_key(
    mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = minimal()
    mutate(data)

    assert error_of(data) == expected


def test_document_that_is_not_a_mapping_is_named_by_the_document_name() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_scenario(["id", "title"], FIXTURES, name="list.yaml")

    assert str(info.value) == "list.yaml: ['id', 'title'] is not a mapping"


def test_several_errors_are_reported_one_per_line_first_error_first() -> None:
    data = minimal()
    regime(data, 0)["start"] = "soon"
    data["parties"][0]["flag"] = "x"

    lines = error_of(data).splitlines()

    assert lines == [
        "parties[0].flag: unknown key",
        "agreements[0].regimes[0].start: 'soon' is not a date",
    ]


# --- schema and bundled scenarios -------------------------------------------------------


def test_schema_file_in_docs_is_the_one_the_models_generate() -> None:
    generated = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"

    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated


@pytest.mark.parametrize("path", [*DEMO_SCENARIOS, FIXTURES / "minimal.yaml"], ids=lambda p: p.name)
def test_scenario_file_validates_against_the_json_schema(path: Path) -> None:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDates)

    jsonschema.validate(document, scenario_json_schema())


def test_json_schema_refuses_an_unknown_key() -> None:
    document = yaml.load((FIXTURES / "minimal.yaml").read_text("utf-8"), Loader=_StringDates)
    document["agreements"][0]["regimes"][0]["strat"] = "2016-02-27"

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, scenario_json_schema())


def test_bundled_syria_scenario_parses_with_its_nationwide_and_local_regimes() -> None:
    scenario = load_scenario_file(DEMO_SCENARIOS[0])
    regimes = {r.id: r for r in scenario.regimes}
    nusra = next(a for a in scenario.actors if a.id == "nusra")

    assert scenario.id == "syria-2016"
    assert scenario.agreements[0].co_chairs == ("us", "ru")
    assert [p.level for p in scenario.places] == ["country"] + ["adm1"] * 14
    assert regimes["syria-coh"].start == utc(2016, 2, 26, 22)
    assert regimes["syria-coh"].end == utc(2016, 9, 19, 21)  # 00:00 on 20 September
    assert regimes["syria-coh"].excluded_actor_ids == frozenset({"isil", "nusra"})
    assert regimes["syria-coh"].geometry.covers(Point(36.2765, 33.5138))  # Damascus
    assert regimes["latakia-calm-2016"].area_name == "Lattakia"
    assert regimes["eastern-ghouta-calm-2016"].geometry.covers(Point(36.4028, 33.5722))  # Douma
    assert regimes["aleppo-calm-2016"].start == utc(2016, 5, 3, 21, 1)
    assert len(regimes["aleppo-calm-2016"].extensions) == 2
    assert "جبهة النصرة لأهل الشام" in nusra.aliases
    assert "Jabhat Fath al-Sham" in nusra.aliases


def test_bundled_ukraine_scenario_parses_with_the_minsk_ceasefire_over_both_oblasts() -> None:
    scenario = load_scenario_file(DEMO_SCENARIOS[1])
    (ceasefire,) = scenario.regimes

    assert scenario.agreements[0].time_zone == "Europe/Kyiv"
    assert ceasefire.start == utc(2015, 2, 14, 22)  # 00:00 Kyiv time, UTC+2 in February
    assert ceasefire.end == utc(2022, 2, 21, 22)  # the Minsk agreements "no longer exist"
    assert ceasefire.area_name == "Donetsk Oblast, Luhansk Oblast"
    assert ceasefire.geometry.covers(Point(37.80, 48.00))  # Donetsk city
    assert ceasefire.geometry.covers(Point(39.30, 48.57))  # Luhansk city
    assert not ceasefire.geometry.covers(Point(36.23, 49.99))  # Kharkiv
    assert shapely.get_num_interior_rings(ceasefire.geometry) == 0  # no slivers between them


def test_example_in_the_format_docs_parses_with_the_bundled_boundaries() -> None:
    docs = (SCHEMA_FILE.parent / "scenario.md").read_text(encoding="utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]

    scenario = parse_scenario(yaml.safe_load(example), DEMO_SCENARIOS[0].parent)

    assert [(r.id, r.area_name) for r in scenario.regimes] == [
        ("syria-coh", "Syria"),
        ("latakia-calm-2016", "Lattakia"),
        ("aleppo-calm-2016", None),
    ]


def _square(x: float, y: float, name: str, **props: object) -> dict[str, Any]:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _with_places(tmp_path: Path, features: list[dict[str, Any]]) -> dict[str, Any]:
    (tmp_path / "areas.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    data = minimal()
    data["places"] = [
        {"file": "areas.geojson", "level": "adm1", "country": "Syria", "name_property": "name"}
    ]
    data["agreements"][0]["regimes"] = [regime(data, 1)]
    regime(data, 0)["admin_area"] = "North"
    return data


def test_places_without_an_id_property_get_an_id_from_country_level_and_name(
    tmp_path: Path,
) -> None:
    data = _with_places(tmp_path, [_square(36, 35, "North"), _square(37, 35, "Al-Bāb")])

    scenario = parse_scenario(data, tmp_path)

    assert [p.id for p in scenario.places] == ["syria-adm1-north", "syria-adm1-al-bab"]
    assert scenario.regimes[0].area_name == "North"


def test_place_feature_without_its_name_property_is_reported(tmp_path: Path) -> None:
    data = _with_places(tmp_path, [_square(36, 35, "North"), _square(37, 35, "")])

    assert error_of(data, tmp_path) == (
        "places[0].file: feature 1 of 'areas.geojson' has no 'name'"
    )


def test_alias_property_that_is_not_a_name_is_reported(tmp_path: Path) -> None:
    data = _with_places(tmp_path, [_square(36, 35, "North", other=7)])
    data["places"][0]["alias_properties"] = ["other"]

    assert error_of(data, tmp_path) == (
        "places[0].file: feature 0 of 'areas.geojson': 'other' is not a name or list of names"
    )


def test_name_shared_by_two_places_must_be_given_by_id(tmp_path: Path) -> None:
    features = [_square(36, 35, "North", code="A"), _square(37, 35, "South", code="B", alt="North")]
    data = _with_places(tmp_path, features)
    data["places"][0] |= {"id_property": "code", "alias_properties": ["alt"]}

    assert error_of(data, tmp_path) == (
        "agreements[0].regimes[0].admin_area: 'North' names several places (A, B); use an id"
    )
    regime(data, 0)["admin_area"] = "B"
    assert parse_scenario(data, tmp_path).regimes[0].area_name == "South"


def test_invalid_boundary_polygon_in_a_places_file_is_made_valid(tmp_path: Path) -> None:
    bowtie = _square(36, 35, "North")
    bowtie["geometry"]["coordinates"] = [[[36, 35], [37, 36], [37, 35], [36, 36], [36, 35]]]
    data = _with_places(tmp_path, [bowtie])

    north = parse_scenario(data, tmp_path).places[0]

    assert north.geometry.is_valid
    assert north.geometry.area == pytest.approx(0.5)


def _bomb(levels: int) -> str:
    lines = ["id: x", 'title: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"k{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_within_a_second(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(9), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match="aliases expand it to more than 1,000,000 values"):
        load_scenario_file(path)
    assert time.perf_counter() - started < 1.0


def test_too_many_aliases_too_deep_or_too_big_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: &x 1\nb: [" + ",".join(["*x"] * 101) + "]\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="more than 100 aliases"):
        load_scenario_file(path)
    path.write_text("a: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="nested more than 64 deep"):
        load_scenario_file(path)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# " + "x" * (16 * 1024 * 1024) + "\n")
    with pytest.raises(InvalidInputError, match="a scenario may be 16,777,216"):
        load_scenario_file(path)


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
def test_garbage_behind_a_byte_order_mark_is_one_error(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "g.yaml"
    path.write_bytes(bom + b"\x01\x02\xff\xfe garbage \x00\x81")
    with pytest.raises(InvalidInputError):
        load_scenario_file(path)

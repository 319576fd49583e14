"""/api/v1/map/incidents: the incidents in view as points, or counted per cell with the
latest ones for the list; the joint finding only where the reader may know it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import SignAs
from api.test_incidents import post_report
from ceasefire.domain.workflow import Role
from ceasefire.services import maps

VIEW = {"bbox": "35,32,43,38", "zoom": "8"}


def view(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/map/incidents", params={**VIEW, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_few_incidents_come_as_points_with_their_summary(client: TestClient) -> None:
    post_report(client, source_id="a", narrative="  Shelling\\n of   <b>Jobar</b> ")
    post_report(client, source_id="b", lon=40.0, lat=36.0, date_start="2016-03-05")
    found = view(client)
    assert found["total"] == 2 and "cells" not in found
    latest, first = found["points"]
    assert latest["time_start"] > first["time_start"]
    assert first["classification"] == "potential_violation"
    assert first["summary"] == "Shelling\\n of <b>Jobar</b>"  # as given: the page escapes it
    assert view(client, bbox="39,35,41,37")["total"] == 1
    assert view(client, classification="outside_regime")["total"] == 0


def test_a_long_narrative_is_cut_for_the_summary(client: TestClient) -> None:
    post_report(client, narrative="word " * 100)
    (point,) = view(client)["points"]
    assert len(point["summary"]) == 160 and point["summary"].endswith("…")


def test_many_incidents_are_counted_per_cell_with_the_latest_listed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        post_report(client, source_id=f"west-{n}", lon=36.0 + n * 0.01, lat=33.5)
    for n in range(3):
        post_report(
            client, source_id=f"east-{n}", lon=41.0, lat=36.5 + n * 0.01, date_start="2016-03-09"
        )
    monkeypatch.setattr(maps, "MAX_POINTS", 4)
    monkeypatch.setattr(maps, "LISTED", 2)
    found = view(client, zoom="6")
    assert found["total"] == 8 and "points" not in found
    assert sorted(c["count"] for c in found["cells"]) == [3, 5]
    assert sum(c["by"].get("potential_violation", 0) for c in found["cells"]) == 8
    assert found["cell_size"] == pytest.approx(360 / 2**6 / 256 * 48)
    assert [p["time_start"][:10] for p in found["latest"]] == ["2016-03-09", "2016-03-09"]


def test_the_joint_finding_shows_and_filters(client: TestClient, sign_as: SignAs) -> None:
    incident = post_report(client)["incident_id"]
    assessed = client.post(
        f"/api/v1/incidents/{incident}/assessments",
        json={"finding": "violation", "confidence": "high", "reasoning": "seen"},
    )
    assert assessed.status_code == 201, assessed.text
    assert view(client)["points"][0]["joint"] == "pending"
    assert view(client, joint="pending")["total"] == 1
    assert view(client, joint="disputed")["total"] == 0
    ru = sign_as("ru", Role.OBSERVER)
    assert client.get("/api/v1/map/incidents", params=VIEW, headers=ru).json()["total"] == 1


def test_the_basemap_is_the_scenarios_admin_areas(client: TestClient) -> None:
    response = client.get("/api/v1/places")
    assert response.headers["content-type"].startswith("application/geo+json")
    (feature,) = response.json()["features"]
    assert feature["id"] == "SY04" and feature["properties"]["level"] == "adm1"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (the map computes the same from pixels)."""
    import math

    side = 2**z
    x = int((lon + 180) / 360 * side)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * side)
    return x, y


def test_a_tile_gives_its_incidents_as_points_or_counted_per_cell(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        post_report(client, source_id=f"jobar-{n}", lon=36.29 + n * 0.001, lat=33.51)
    post_report(client, source_id="far", lon=40.0, lat=36.0)
    x, y = tile_of(36.29, 33.51, 6)
    tile = client.get(f"/api/v1/map/tiles/6/{x}/{y}")
    assert tile.status_code == 200, tile.text
    assert tile.json()["total"] == 4 and len(tile.json()["points"]) == 4
    assert tile.json()["points"][0]["summary"] == "Shelling reported in Jobar."
    monkeypatch.setattr(maps, "TILE_POINTS", 2)
    counted = client.get(f"/api/v1/map/tiles/6/{x}/{y}").json()
    assert counted["total"] == 4 and [c["count"] for c in counted["cells"]] == [4]
    assert counted["cell_size"] == pytest.approx(360 / 2**6 / 16)
    empty = client.get("/api/v1/map/tiles/6/0/0").json()
    assert empty == {"total": 0, "cell_size": None, "points": []}
    outside = client.get(f"/api/v1/map/tiles/6/{x}/{y}", params={"from": "2017-01-01T00:00:00Z"})
    assert outside.json()["total"] == 0


def test_a_tile_that_does_not_exist_is_refused_naming_it(client: TestClient) -> None:
    refused = client.get("/api/v1/map/tiles/3/8/0")
    assert refused.status_code == 422 and refused.json()["field"] == "x"
    assert client.get("/api/v1/map/tiles/23/0/0").status_code == 422


def test_the_list_gives_the_total_and_the_latest(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in ("2016-03-02", "2016-03-04", "2016-03-03"):
        post_report(client, source_id=day, date_start=day)
    monkeypatch.setattr(maps, "LISTED", 2)
    listed = client.get("/api/v1/map/list", params={"bbox": "35,32,43,38"}).json()
    assert listed["total"] == 3
    assert [p["time_start"][:10] for p in listed["latest"]] == ["2016-03-04", "2016-03-03"]

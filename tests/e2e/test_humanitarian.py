"""The humanitarian access layer on the shared map: in the layers control, in the reader's
language, with a location's status and latest delivery in its popup."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import OpenAs, screenshot


def _post(page: Page, url: str, body: dict[str, object]) -> dict[str, object]:
    csrf = page.get_attribute("input[name=csrf]", "value") or ""
    base = page.url.split("/", 3)[:3]
    answer = page.request.post("/".join(base) + url, data=body, headers={"X-CSRF-Token": csrf})
    assert answer.status == 201, answer.text()
    found: dict[str, object] = answer.json()
    return found


def test_a_location_shows_on_the_humanitarian_layer(open_as: OpenAs) -> None:
    page = open_as("un-secretariat")
    location = {
        "id": "e2e-madaya",
        "name": "Madaya",
        "lon": 36.1,
        "lat": 33.69,
        "statuses": [{"status": "besieged", "since": "2016-01-01", "source": "OCHA"}],
    }
    _post(page, "/api/v1/humanitarian/locations", location)
    request = _post(
        page,
        "/api/v1/humanitarian/requests",
        {"location_id": "e2e-madaya", "requested_by": "OCHA", "requested": "2016-01-05"},
    )
    path = f"/api/v1/humanitarian/requests/{request['id']}"
    decision = {"decision": "approved", "decided": "2016-01-07", "decided_by": "Syria"}
    _post(page, f"{path}/decision", decision)
    _post(page, f"{path}/deliveries", {"delivered": "2016-01-11", "people_reached": 40000})

    page.goto(page.url.split("?")[0] + "?ll=33.69,36.1&z=9")
    page.hover(".leaflet-control-layers")
    overlay = page.locator(".leaflet-control-layers-overlays label", has_text="Humanitarian access")
    expect(overlay).to_have_count(1)
    expect(overlay.locator("input")).to_be_checked()
    marker = page.locator(".humanitarian-icon").first
    expect(marker).to_be_visible()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Madaya")
    expect(popup).to_contain_text("Besieged since")
    expect(popup).to_contain_text("Last delivery:")
    expect(popup).to_contain_text("People reached: 40,000")
    screenshot(page, "humanitarian-layer")

    russian = open_as("ru-officer", language="ru")
    russian.hover(".leaflet-control-layers")
    expect(
        russian.locator(".leaflet-control-layers-overlays label", has_text="Гуманитарный доступ")
    ).to_have_count(1)

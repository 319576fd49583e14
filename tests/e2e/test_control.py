"""The areas of control register's "On the map": the map opens on the area, outlined above
the incidents around it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from e2e.conftest import OpenAs, screenshot

# the map's view and where the area's outline is drawn, against the incidents' markers
VIEW = """() => {
    const map = window.ceasefireMap;
    const b = map.getBounds();
    const z = (name) => Number(getComputedStyle(map.getPane(name)).zIndex);
    return {
        zoom: map.getZoom(),
        view: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
        outlined: map.getPane("focus").querySelectorAll("canvas, svg").length,
        above: z("focus") > z("markerPane") && z("focus") < z("popupPane"),
    };
}"""


def test_a_small_area_opens_fitted_and_outlined_above_the_incidents(open_as: OpenAs) -> None:
    """The demo's Idlib area (Jabhat al-Nusra's, about 11 by 10 km) lay under a disc of
    counted incidents at the zoom the link opened the map at (8)."""
    page = open_as("us-officer")
    page.goto(page.url.split("?")[0] + "control")
    row = page.locator("#control-register tr", has_text="Jabhat al-Nusra")
    href = row.locator("a").get_attribute("href") or ""
    assert "bounds=36.58" in href and "area=" in href
    row.locator("a").click()
    page.wait_for_selector("#map[data-area]")
    page.wait_for_selector("#map[data-settled]")
    seen = page.evaluate(VIEW)
    bounds = parse_qs(urlsplit(href).query)["bounds"][0]
    west, south, east, north = (float(v) for v in bounds.split(","))
    view = seen["view"]
    assert view[0] <= west and view[1] <= south and view[2] >= east and view[3] >= north
    assert seen["zoom"] >= 11, seen  # fitted, not the zoom 8 it opened at
    assert seen["outlined"] == 1 and seen["above"], seen
    assert "area=" in page.url  # kept in the view's address, to share
    screenshot(page, "control-on-the-map")

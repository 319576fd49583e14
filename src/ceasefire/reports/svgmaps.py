"""The daily report's map, drawn on the server as SVG: admin boundaries, the agreement's
regimes and the day's incidents as dots coloured by classification. No tiles, no script,
no browser: the same picture in the HTML page and the PDF.

Coordinates are projected equirectangularly, x scaled by the cosine of the middle
latitude, which at a ceasefire's scale keeps shapes true enough to read.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Sequence

import shapely
from markupsafe import Markup, escape
from shapely.geometry.base import BaseGeometry

from ceasefire.domain.regimes import Place, Regime
from ceasefire.store.incident_rows import StoredIncident

WIDTH = 640
HEIGHT = 420
MARGIN = 12
COLOURS = {
    "potential_violation": "#c62828",
    "excluded_actor": "#6a1b9a",
    "outside_regime": "#616161",
    "undetermined": "#ef8f00",
    "not_covered": "#00838f",
}


class Frame:
    """Lon/lat to SVG pixels, fitting a bounding box into the map with a margin."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-6)
        span_y = max(north - south, 1e-6)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        self.west, self.north = west, north
        self.dx = (WIDTH - 2 * MARGIN - span_x * self.scale) / 2 + MARGIN
        self.dy = (HEIGHT - 2 * MARGIN - span_y * self.scale) / 2 + MARGIN

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.dx + (lon - self.west) * self.kx * self.scale,
            self.dy + (self.north - lat) * self.scale,
        )

    def path(self, geometry: BaseGeometry) -> str:
        """An SVG path of a polygon or multipolygon (holes drawn even-odd)."""
        rings: list[str] = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type != "Polygon":
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.xy(x, y) for x, y in ring.coords]
                rings.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        return "".join(rings)


def _bounds(
    regimes: Sequence[Regime], incidents: Sequence[StoredIncident]
) -> tuple[float, float, float, float]:
    shapes = [r.geometry for r in regimes]
    shapes += [shapely.Point(i.lon, i.lat) for i in incidents]
    if not shapes:
        return (-180.0, -60.0, 180.0, 75.0)
    west, south, east, north = shapely.union_all(shapes).bounds
    pad = max(east - west, north - south) * 0.03
    return west - pad, south - pad, east + pad, north + pad


def daily_map(
    regimes: Sequence[Regime],
    areas: Iterable[Place],
    incidents: Sequence[StoredIncident],
    *,
    label: str,
) -> Markup:
    """The map as an image of SVG (a ``data:`` URL, so the file stays self-contained and
    the PDF's renderer draws it without styling thousands of elements); ``label`` is its
    alternative text."""
    frame = Frame(_bounds(regimes, incidents))
    tolerance = 0.5 / frame.scale  # half a pixel
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f7"/>',
    ]
    names = []
    for place in areas:
        shape = shapely.simplify(place.geometry, tolerance, preserve_topology=True)
        parts.append(
            f'<path d="{frame.path(shape)}" fill="#fbfbf8" stroke="#b7bec7" '
            f'stroke-width="0.7" fill-rule="evenodd"/>'
        )
        if place.level == "adm1":
            x, y = frame.xy(*place.geometry.representative_point().coords[0])
            names.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="9" fill="#7b8490" '
                f'text-anchor="middle">{escape(place.name)}</text>'
            )
    for regime in regimes:
        shape = shapely.simplify(regime.geometry, tolerance, preserve_topology=True)
        parts.append(
            f'<path d="{frame.path(shape)}" fill="#0b57d0" fill-opacity="0.08" '
            f'stroke="#0b57d0" stroke-width="1.2" fill-rule="evenodd"/>'
        )
    parts += names
    for incident in incidents:
        x, y = frame.xy(incident.lon, incident.lat)
        colour = COLOURS.get(incident.classification.value, "#616161")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{colour}" stroke="#ffffff" '
            f'stroke-width="0.8"/>'
        )
    parts.append("</svg>")
    data = base64.b64encode("".join(parts).encode("utf-8")).decode("ascii")
    return Markup(
        f'<img class="map" width="{WIDTH}" height="{HEIGHT}" alt="{escape(label)}" '
        f'src="data:image/svg+xml;base64,{data}">'
    )

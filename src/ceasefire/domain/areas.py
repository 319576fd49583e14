"""Where an incident may lie: its point, its admin area, or a circle of its precision's
radius clipped to the unit its source also names (docs/classification.md, "Place")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from ceasefire.domain.precision import UNCERTAINTY_RADIUS_M, LocationPrecision
from ceasefire.domain.verdicts import Space, Subject

_METRES_PER_DEGREE = 111_320.0
_CIRCLE_VERTICES = 16
_SLIVER = 1e-6
_EXACT_PLACE = LocationPrecision.EXACT  # enum member lookups are slow in hot loops


def uncertainty_areas(subjects: Sequence[Subject]) -> NDArray[np.object_]:
    """The area each subject may lie in: its point, its admin area, or an ellipse of the
    precision's radius around the point clipped to the unit its source also names (built
    for all subjects at once)."""
    n = len(subjects)
    lon = np.fromiter((s.location.lon for s in subjects), dtype=np.float64, count=n)
    lat = np.fromiter((s.location.lat for s in subjects), dtype=np.float64, count=n)
    radius = np.fromiter(
        (UNCERTAINTY_RADIUS_M[s.location.precision] for s in subjects), dtype=np.float64, count=n
    )
    areas: NDArray[np.object_] = shapely.points(lon, lat)
    given = np.fromiter((s.area is not None for s in subjects), dtype=bool, count=n)
    if given.any():
        areas[given] = [s.area for s, g in zip(subjects, given, strict=True) if g]
    circle = ~given & (radius > 0)
    if circle.any():
        areas[circle] = _ellipses(lon[circle], lat[circle], radius[circle])
    bounded = circle & np.fromiter((s.bounds is not None for s in subjects), dtype=bool, count=n)
    if bounded.any():
        bounds = np.array([s.bounds for s, b in zip(subjects, bounded, strict=True) if b])
        clipped = shapely.intersection(areas[bounded], bounds)
        # a point its source places outside the unit it names keeps its whole circle
        kept = shapely.area(clipped) > 0
        targets = np.flatnonzero(bounded)[kept]
        areas[targets] = clipped[kept]
    return areas


def _ellipses(
    lon: NDArray[np.float64], lat: NDArray[np.float64], radius_m: NDArray[np.float64]
) -> NDArray[np.object_]:
    """Polygons approximating circles of radius_m around each point, in degrees."""
    theta = np.linspace(0.0, 2.0 * np.pi, _CIRCLE_VERTICES + 1)
    # the polygon circumscribes the circle, so it never claims less doubt than the radius
    r_lat = radius_m / _METRES_PER_DEGREE / np.cos(np.pi / _CIRCLE_VERTICES)
    r_lon = r_lat / np.maximum(np.cos(np.radians(lat)), 0.01)
    xs = np.clip(lon[:, None] + r_lon[:, None] * np.cos(theta)[None, :], -180.0, 180.0)
    ys = np.clip(lat[:, None] + r_lat[:, None] * np.sin(theta)[None, :], -90.0, 90.0)
    xs[:, -1], ys[:, -1] = xs[:, 0], ys[:, 0]
    rings: NDArray[np.object_] = shapely.polygons(np.stack([xs, ys], axis=-1))
    return rings


def within_codes(
    regimes: NDArray[np.object_],
    places: NDArray[np.object_],
    subj_idx: NDArray[np.intp],
    subjects: Sequence[Subject],
) -> NDArray[np.int8]:
    """For pairs of a regime's area and an incident's area that meet: ``Space.INSIDE``
    where the incident's area lies within the regime's, else ``Space.EDGE``."""
    # Every pair intersects (the tree query saw to that), so an exact point is inside:
    # the boundary is part of the area.
    exact = np.fromiter(
        (s.location.precision is _EXACT_PLACE for s in subjects), dtype=bool, count=len(subjects)
    )[subj_idx]
    inside = exact | shapely.covers(regimes, places)
    # An admin area whose edge runs along the regime's edge (an oblast of a regime made of
    # oblasts) may poke out by rounding error alone: allow a sliver of 1e-6 of its area.
    # Only admin areas and circles clipped to one can (a bare circle never shares an
    # edge), and only where the area's bounding box lies within the regime's, give or take
    # that sliver.
    given = np.fromiter(
        (s.area is not None or s.bounds is not None for s in subjects),
        dtype=bool,
        count=len(subjects),
    )[subj_idx]
    doubtful = np.flatnonzero(~inside & given)
    if doubtful.size:
        area_box = shapely.bounds(places[doubtful])
        regime_box = shapely.bounds(regimes[doubtful])
        slack = 1e-6 * np.maximum(area_box[:, 2] - area_box[:, 0], area_box[:, 3] - area_box[:, 1])
        boxed = (
            (area_box[:, 0] >= regime_box[:, 0] - slack)
            & (area_box[:, 1] >= regime_box[:, 1] - slack)
            & (area_box[:, 2] <= regime_box[:, 2] + slack)
            & (area_box[:, 3] <= regime_box[:, 3] + slack)
        )
        doubtful = doubtful[boxed]
    if doubtful.size:
        outside = shapely.area(shapely.difference(places[doubtful], regimes[doubtful]))
        inside[doubtful] = outside <= _SLIVER * shapely.area(places[doubtful])
    return np.where(inside, int(Space.INSIDE), int(Space.EDGE)).astype(np.int8)

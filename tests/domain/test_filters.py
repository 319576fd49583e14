"""The incident filter's parts: a map tile's area."""

from __future__ import annotations

import pytest
import shapely

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.filters import BBox


def test_a_map_tile_is_its_web_mercator_square() -> None:
    world = BBox.of_tile(0, 0, 0)
    assert (world.min_lon, world.max_lon) == (-180, 180)
    assert world.max_lat == pytest.approx(85.0511, abs=1e-4)
    assert world.min_lat == pytest.approx(-85.0511, abs=1e-4)
    north_east = BBox.of_tile(1, 1, 0)
    assert (north_east.min_lon, north_east.min_lat) == (0, pytest.approx(0))
    with pytest.raises(InvalidInputError) as refused:
        BBox.of_tile(2, 1, 4)
    assert refused.value.field == "y"


def test_the_box_around_a_polygon_holds_its_corners() -> None:
    area = shapely.Polygon([(36.5, 35.8), (36.8, 35.9), (36.6, 36.0)])
    assert BBox.around(area) == BBox(36.5, 35.8, 36.8, 36.0)

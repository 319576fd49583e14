"""Fatalities: always low <= best <= high; a range out of order is refused, or widened."""

from __future__ import annotations

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.events import Fatalities


@pytest.mark.parametrize(
    ("low", "best", "high", "field"),
    [
        (5, 2, 1, "fatalities.best"),
        (None, 5, 1, "fatalities.high"),
        (3, None, 2, "fatalities.high"),
        (1, 4, 3, "fatalities.high"),
    ],
)
def test_a_range_out_of_order_is_refused_naming_the_field(
    low: int | None, best: int | None, high: int | None, field: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Fatalities(low, best, high)
    assert raised.value.field == field
    assert "the range must be low <= best <= high" in raised.value.reason


def test_a_range_in_order_or_partly_known_is_kept() -> None:
    assert Fatalities(1, 1, 1) == Fatalities(1, 1, 1)
    assert Fatalities(None, 3, None).best == 3 and Fatalities(2, None, 9).high == 9


def test_holding_gives_the_smallest_ordered_range_that_holds_every_figure() -> None:
    assert Fatalities.holding(5, 2, 1) == Fatalities(1, 2, 5)
    assert Fatalities.holding(2, 5, 4) == Fatalities(2, 5, 5)
    assert Fatalities.holding(None, 5, 4) == Fatalities(None, 5, 5)
    assert Fatalities.holding(1, 2, 3) == Fatalities(1, 2, 3)
    assert Fatalities.holding(2, 5, 4).same(2, 5, 5) and not Fatalities.holding(2, 5, 4).same(
        2, 5, 4
    )

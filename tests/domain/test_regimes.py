"""A regime's extensions: each moves its end later, or makes it open-ended; none ends it
sooner. An ending brings it forward, and nothing else does."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import ENDING, EXTENSION, Extension, Regime

DAMASCUS = ZoneInfo("Asia/Damascus")
START = datetime(2016, 4, 30, 0, 1, tzinfo=DAMASCUS)
END = datetime(2016, 5, 6, 0, 1, tzinfo=DAMASCUS)  # Eastern Ghouta's end in force, 4 May


def ghouta(end: datetime | None = END) -> Regime:
    return Regime(
        id="eastern-ghouta",
        agreement_id="syria",
        name="Regime of calm – Eastern Ghouta",
        geometry=shapely.box(36.345, 33.5, 36.44, 33.605),
        start=START,
        end=end,
        time_zone="Asia/Damascus",
    )


def refusal(regime: Regime, new_end: datetime | None) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as raised:
        regime.extended(Extension(new_end, note="cut short"))
    return raised.value


def test_an_extension_to_an_end_before_the_one_in_force_is_refused() -> None:
    """The walkthrough: 'until 6 May 00:01' extended to 1 May 06:00 would end it 5 days
    early; refused, naming the field, in the regime's time zone and as a catalogue
    message."""
    error = refusal(ghouta(), datetime(2016, 5, 1, 6, tzinfo=DAMASCUS))
    assert error.field == "new_end"
    assert error.reason == (
        "2016-05-01T06:00:00+03:00 is not after the end of regime 'eastern-ghouta' in force "
        "(2016-05-06T00:01:00+03:00): an extension moves the end later"
    )
    assert error.template is not None and "%(current)s" in error.template
    assert error.values["current"] == "2016-05-06T00:01:00+03:00"


def test_an_extension_to_the_very_end_in_force_is_refused() -> None:
    assert refusal(ghouta(), END).field == "new_end"


def test_an_extension_is_measured_against_the_last_extension_not_the_first_end() -> None:
    extended = ghouta().extended(Extension(datetime(2016, 5, 10, tzinfo=DAMASCUS)))
    error = refusal(extended, datetime(2016, 5, 8, tzinfo=DAMASCUS))  # after 6 May, before 10
    assert "(2016-05-10T00:00:00+03:00)" in error.reason
    assert extended.extended(Extension(None)).effective_end is None


def test_a_regime_open_ended_already_takes_no_extension() -> None:
    for regime in (ghouta(end=None), ghouta().extended(Extension(None))):
        assert not regime.extensible
        for new_end in (datetime(2016, 12, 31, tzinfo=DAMASCUS), None):
            error = refusal(regime, new_end)
            assert error.field == "new_end"
            assert error.reason == (
                "regime 'eastern-ghouta' is open-ended already: an extension cannot move its end"
            )
    assert ghouta().extensible


def test_an_end_before_the_start_is_still_named_as_such() -> None:
    error = refusal(ghouta(), datetime(2016, 4, 1, tzinfo=DAMASCUS))
    assert "is not after the start of regime 'eastern-ghouta'" in error.reason


@given(st.lists(st.integers(min_value=-200, max_value=200) | st.none(), max_size=6))
def test_every_extension_taken_moves_the_end_later(shifts: list[int | None]) -> None:
    """Whatever is asked, in any order, the end in force never comes sooner."""
    regime = ghouta()
    for shift in shifts:
        current = regime.effective_end
        new_end = None if shift is None or current is None else current + timedelta(hours=shift)
        try:
            regime = regime.extended(Extension(new_end))
        except InvalidInputError:
            assert current is None or (new_end is not None and new_end <= current)
            continue
        assert current is not None
        assert regime.effective_end is None or regime.effective_end > current


# Endings: a truce declared over before its end in force (the Syrian army declared the
# renewed cessation over on 19 September 2016).


def test_an_ending_brings_the_end_forward_and_is_named_an_ending() -> None:
    ended = ghouta().ended(Extension(datetime(2016, 5, 3, 12, tzinfo=DAMASCUS), note="over"))
    assert ended.effective_end == datetime(2016, 5, 3, 12, tzinfo=DAMASCUS)
    assert [kind for kind, _ in ended.changes] == [ENDING]
    assert ended.state_at(datetime(2016, 5, 2, tzinfo=DAMASCUS)) == "in_force"
    assert ended.state_at(datetime(2016, 5, 4, tzinfo=DAMASCUS)) == "ended"
    # a regime that ran to its end as agreed expired; it did not end early
    assert ghouta().state_at(datetime(2016, 5, 7, tzinfo=DAMASCUS)) == "expired"


def test_an_ending_at_or_after_the_end_in_force_is_refused() -> None:
    for when in (END, END + timedelta(hours=1)):
        with pytest.raises(InvalidInputError) as raised:
            ghouta().ended(Extension(when))
        assert raised.value.field == "new_end"
        assert "an ending brings the end forward" in raised.value.reason
        assert "2016-05-06T00:01:00+03:00" in raised.value.reason  # the regime's own clock


def test_an_ending_must_name_a_time_after_the_start() -> None:
    for when in (None, START, START - timedelta(days=1)):
        with pytest.raises(InvalidInputError) as raised:
            ghouta().ended(Extension(when))
        assert raised.value.field == "new_end"


def test_an_open_ended_regime_can_be_ended_and_then_extended_again() -> None:
    ended = ghouta(end=None).ended(Extension(datetime(2016, 5, 20, tzinfo=DAMASCUS)))
    renewed = ended.extended(Extension(datetime(2016, 6, 1, tzinfo=DAMASCUS), note="renewed"))
    assert [kind for kind, _ in renewed.changes] == [ENDING, EXTENSION]
    assert renewed.effective_end == datetime(2016, 6, 1, tzinfo=DAMASCUS)
    assert renewed.state_at(datetime(2016, 5, 25, tzinfo=DAMASCUS)) == "extended"


def test_an_ending_decided_later_leaves_the_state_as_it_was_until_then() -> None:
    ending = Extension(
        datetime(2016, 5, 2, tzinfo=DAMASCUS), decided=datetime(2016, 5, 5, tzinfo=DAMASCUS)
    )
    ended = ghouta().ended(ending)
    assert ended.state_at(datetime(2016, 5, 4, tzinfo=DAMASCUS)) == "in_force"  # not yet known
    assert ended.state_at(datetime(2016, 5, 5, tzinfo=DAMASCUS)) == "ended"

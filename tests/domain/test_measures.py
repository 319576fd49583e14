"""A response measure's steps, who takes each, and overdue as a flag beside the status."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.measures import MeasureParties, MeasureStatus, is_overdue, step

PROPOSED, AGREED, DONE, WITHDRAWN = (
    MeasureStatus.PROPOSED,
    MeasureStatus.AGREED,
    MeasureStatus.DONE,
    MeasureStatus.WITHDRAWN,
)
# the US proposed it, Russia owns it; both co-chair the agreement
PARTIES = MeasureParties(co_chairs=("us", "ru"), owner="ru", proposer="us")


def test_a_measure_is_agreed_by_a_co_chair_then_done_by_its_owner() -> None:
    assert step(PROPOSED, AGREED, party="ru", parties=PARTIES) is AGREED
    assert step(AGREED, DONE, party="ru", parties=PARTIES) is DONE


def test_only_its_proposer_withdraws_a_proposed_measure() -> None:
    assert step(PROPOSED, WITHDRAWN, party="us", parties=PARTIES) is WITHDRAWN
    with pytest.raises(PermissionDeniedError, match="only the party that proposed the measure"):
        step(PROPOSED, WITHDRAWN, party="ru", parties=PARTIES)


def test_a_measure_cannot_skip_being_agreed() -> None:
    with pytest.raises(InvalidInputError) as raised:
        step(PROPOSED, DONE, party="ru", parties=PARTIES)
    assert raised.value.field == "status"
    assert "a measure that is proposed cannot become done; it can become agreed" in str(
        raised.value
    )


@pytest.mark.parametrize("final", [DONE, WITHDRAWN])
def test_done_and_withdrawn_are_final(final: MeasureStatus) -> None:
    with pytest.raises(InvalidInputError, match="it can become nothing: it is final"):
        step(final, AGREED, party="us", parties=PARTIES)


def test_the_owner_marks_it_done_and_no_one_else() -> None:
    with pytest.raises(PermissionDeniedError, match="only the party that owns the measure"):
        step(AGREED, DONE, party="us", parties=PARTIES)
    with pytest.raises(PermissionDeniedError, match="only a co-chair of the agreement"):
        step(PROPOSED, AGREED, party="ua", parties=PARTIES)


def test_overdue_is_a_flag_of_open_measures_past_their_due_date() -> None:
    today, due = date(2016, 3, 10), date(2016, 3, 9)
    assert is_overdue(PROPOSED, due, today) and is_overdue(AGREED, due, today)
    assert not is_overdue(DONE, due, today) and not is_overdue(WITHDRAWN, due, today)
    assert not is_overdue(AGREED, today, today)  # due today is not late yet
    assert not is_overdue(AGREED, None, today)

"""A response measure's steps, who takes each, and overdue as a flag beside the status."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire.domain.errors import InvalidInputError, PermissionDeniedError
from ceasefire.domain.measures import MeasureParties, MeasureStatus, is_overdue, step, steps_for

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


def test_the_proposer_does_not_agree_its_own_proposal() -> None:
    """Agreeing is the other co-chair's word: the proposer's would agree with itself."""
    with pytest.raises(PermissionDeniedError) as raised:
        step(PROPOSED, AGREED, party="us", parties=PARTIES)
    assert str(raised.value) == (
        "only a co-chair of the agreement other than the one that proposed it may mark a "
        "proposed measure agreed; us is not"
    )
    assert raised.value.template == "Only %(mover)s may mark a %(current)s measure %(to)s."
    assert steps_for(PROPOSED, "us", PARTIES) == [WITHDRAWN]
    assert steps_for(PROPOSED, "ru", PARTIES) == [AGREED]
    # its own proposal, owned by the other co-chair: still not the proposer's to agree
    mine = MeasureParties(co_chairs=("us", "ru"), owner="us", proposer="us")
    assert steps_for(PROPOSED, "us", mine) == [WITHDRAWN]


def test_any_other_co_chair_agrees_where_there_are_more_than_two() -> None:
    three = MeasureParties(co_chairs=("us", "ru", "un"), owner="ru", proposer="us")
    assert [p for p in ("us", "ru", "un") if AGREED in steps_for(PROPOSED, p, three)] == [
        "ru",
        "un",
    ]


def test_a_sole_co_chair_agrees_its_own_proposal() -> None:
    """An agreement with one co-chair has no other to agree: a measure is not stuck."""
    sole = MeasureParties(co_chairs=("osce",), owner="osce", proposer="osce")
    assert step(PROPOSED, AGREED, party="osce", parties=sole) is AGREED


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
    with pytest.raises(PermissionDeniedError, match="only a co-chair of the agreement other"):
        step(PROPOSED, AGREED, party="ua", parties=PARTIES)


def test_overdue_is_a_flag_of_open_measures_past_their_due_date() -> None:
    today, due = date(2016, 3, 10), date(2016, 3, 9)
    assert is_overdue(PROPOSED, due, today) and is_overdue(AGREED, due, today)
    assert not is_overdue(DONE, due, today) and not is_overdue(WITHDRAWN, due, today)
    assert not is_overdue(AGREED, today, today)  # due today is not late yet
    assert not is_overdue(AGREED, None, today)

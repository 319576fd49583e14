"""A designation list's rules: what a member's submission makes of its designations (and
of its notes), and what a submission or a version changes in the consolidated list, by
the one computation that versions, comparisons and previews share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.designations import (
    LEFT_OUT,
    Designation,
    DesignationList,
    Position,
    Row,
    consolidate,
    note_after,
    positions_moved,
    submission,
)
from ceasefire.domain.errors import RowsError
from ceasefire.domain.list_changes import Change, Word, between, changes, said_by, version_changes

ISSG = DesignationList("issg", "ISSG", ("ru", "uk", "us"))
LISTED, NOT_LISTED = Position.LISTED, Position.NOT_LISTED


def _held(*designations: tuple[str, Position, str]) -> dict[str, Designation]:
    return {a: Designation("issg", "ru", a, p, note) for a, p, note in designations}


def _submit(held: dict[str, Designation], *rows: Row, complete: bool = True) -> list[Designation]:
    return submission("issg", "ru", [(r, r.actor) for r in rows], held, complete=complete)


def test_a_note_given_replaces_none_given_keeps_the_one_held_while_the_position_stays() -> None:
    held = Designation("issg", "ru", "ahrar", LISTED, "Russia provided evidence")
    assert note_after(held, LISTED, None) == "Russia provided evidence"
    assert note_after(held, LISTED, " a new reason ") == "a new reason"
    assert note_after(held, LISTED, "") == ""  # said to be none: removed
    assert note_after(held, NOT_LISTED, None) == ""  # the reason was for the old position
    assert note_after(None, LISTED, None) == ""


def test_a_resubmission_without_notes_changes_nothing() -> None:
    held = _held(("isil", LISTED, "everyone agrees"), ("ahrar", LISTED, "evidence given"))
    assert _submit(held, Row(1, "isil"), Row(2, "ahrar")) == []


def test_a_position_that_moves_without_a_note_drops_the_old_one() -> None:
    held = _held(("ahrar", LISTED, "evidence given"))
    (changed,) = _submit(held, Row(1, "ahrar", NOT_LISTED))
    assert (changed.position, changed.note) == (NOT_LISTED, "")


def test_a_complete_list_leaves_out_what_it_no_longer_lists_and_a_partial_one_does_not() -> None:
    held = _held(("isil", LISTED, "x"), ("ahrar", LISTED, "y"), ("saa", NOT_LISTED, "z"))
    changed = _submit(held, Row(1, "isil"))
    assert [(d.actor_id, d.position, d.note) for d in changed] == [
        ("ahrar", NOT_LISTED, LEFT_OUT)
    ]  # saa stays not listed, as it was
    assert _submit(held, Row(1, "isil"), complete=False) == []


def test_a_group_both_listed_and_not_is_refused_with_every_such_row_named() -> None:
    with pytest.raises(RowsError) as raised:
        _submit(
            {},
            Row(1, "isil"),
            Row(2, "isil", NOT_LISTED),
            Row(3, "ahrar", NOT_LISTED),
            Row(4, "ahrar"),
        )
    assert sorted(raised.value.rows) == [2, 4]
    assert "row 2: 'isil' is both listed and not listed (row 1)" in raised.value.message
    assert raised.value.rows[4].values == {"actor": "ahrar", "first": 3}


def test_a_repeated_row_without_a_note_keeps_the_first_rows_note() -> None:
    (changed,) = _submit({}, Row(1, "isil", note="first"), Row(2, "isil"))
    assert changed.note == "first"


def test_only_positions_that_move_make_a_version() -> None:
    held = _held(("isil", LISTED, "old"), ("ahrar", LISTED, ""))
    changed = _submit(held, Row(1, "isil", note="new"), Row(2, "ahrar", NOT_LISTED), Row(3, "jn"))
    assert [d.actor_id for d in changed] == ["ahrar", "isil", "jn"]
    assert [d.actor_id for d in positions_moved(held, changed)] == ["ahrar", "jn"]


def test_a_change_says_how_a_groups_place_moved_and_whose_position_moved_it() -> None:
    said = {("ru", "isil"): LISTED, ("us", "isil"): LISTED, ("ru", "ahrar"): LISTED}
    moved = {
        ("uk", "isil"): LISTED,  # majority -> unanimous
        ("ru", "ahrar"): NOT_LISTED,  # some -> none: no member lists it any more
        ("uk", "jn"): LISTED,  # a group no member spoke of
        ("uk", "saa"): NOT_LISTED,  # refused, listed by none before and after
        ("fr", "saa"): LISTED,  # not a member: counts for nothing
        ("ru", "isil"): LISTED,  # as it was: no change
    }
    found = {c.actor_id: c for c in changes(ISSG, said, moved)}
    assert {a: (c.change, c.before, c.after) for a, c in found.items()} == {
        "isil": (Change.MOVED, "majority", "unanimous"),
        "ahrar": (Change.REMOVED, "some", "none"),
        "jn": (Change.ADDED, "none", "some"),
        "saa": (Change.HELD, "none", "none"),
    }
    assert found["ahrar"].words == (Word("ru", LISTED, NOT_LISTED),)
    assert found["jn"].words == (Word("uk", None, LISTED),)


def test_comparing_two_versions_either_way_mirrors_the_change() -> None:
    old = {("ru", "isil"): LISTED}
    new = {("ru", "isil"): LISTED, ("us", "isil"): NOT_LISTED, ("us", "jn"): LISTED}
    forward = {c.actor_id: c for c in between(ISSG, old, new)}
    backward = {c.actor_id: c for c in between(ISSG, new, old)}
    assert (forward["isil"].before, forward["isil"].after) == ("some", "disputed")
    assert (backward["isil"].before, backward["isil"].after) == ("disputed", "some")
    assert backward["jn"].change is Change.REMOVED
    assert backward["jn"].words == (Word("us", LISTED, None),)


def test_a_version_whose_rows_moved_no_position_changed_nothing() -> None:
    """A version written when a note alone made one holds its position as it was."""
    rows = [(1, "ru", "isil", LISTED), (2, "ru", "isil", LISTED), (3, "us", "isil", LISTED)]
    found = version_changes(ISSG, rows)
    assert [len(found[v]) for v in (1, 2, 3)] == [1, 0, 1]
    assert found[3][0].change is Change.MOVED and found[3][0].after == "majority"


MEMBERS = ("ru", "uk", "us")
SUBMISSIONS = st.lists(
    st.tuples(
        st.sampled_from((*MEMBERS, "fr")),
        st.dictionaries(
            st.sampled_from(("isil", "jn", "ahrar", "saa")),
            st.sampled_from(tuple(Position)),
            min_size=1,
        ),
    ),
    max_size=8,
)


@given(SUBMISSIONS)
def test_each_versions_changes_are_the_comparison_with_the_version_before(
    submissions: list[tuple[str, dict[str, Position]]],
) -> None:
    """The count beside a version, its changes, and a comparison of it with the version
    before it are one computation, whatever the members submitted (a non-member too)."""
    rows = [
        (version, party, actor, position)
        for version, (party, said) in enumerate(submissions, start=1)
        for actor, position in sorted(said.items())
    ]
    found = version_changes(ISSG, rows)
    state: dict[tuple[str, str], Position] = {}
    for version, (party, said) in enumerate(submissions, start=1):
        before = dict(state)
        state.update({(party, actor): p for actor, p in said.items()})
        assert found[version] == between(ISSG, before, state)
        members_only = [(party, a) for a in said if party in MEMBERS]
        moved = {key for key in members_only if before.get(key) is not state[key]}
        assert len(found[version]) == len({actor for _, actor in moved})
        # the levels are those of the consolidated list at each version
        consolidated = consolidate(
            ISSG,
            [Designation("issg", p, a, pos) for (p, a), pos in state.items() if p in MEMBERS],
        )
        for change in found[version]:
            assert change.after == consolidated[change.actor_id].level
    assert said_by([Designation("issg", "ru", "isil", LISTED)]) == {("ru", "isil"): LISTED}

"""Sealed entries commit to a record's state without revealing it; an opening proves it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import Entry, Opening, commitment, sealed_change, sealed_of, state_hash

STATE = {"finding": "violation", "agreement_id": "syria", "reasoning": "seen"}
SALT = bytes(range(32))


def test_the_commitment_is_the_labelled_hash_of_salt_and_canonical_state() -> None:
    import hashlib

    expected = hashlib.sha256(
        b"ceasefire/sealed-state/v1\x00"
        + SALT
        + b'{"agreement_id":"syria","finding":"violation","reasoning":"seen"}'
    ).hexdigest()
    assert commitment(SALT, STATE) == expected


def test_another_salt_hides_the_same_state() -> None:
    other = bytes(32)
    assert commitment(SALT, STATE) != commitment(other, STATE)
    assert commitment(SALT, STATE) != state_hash(STATE)


def test_a_salt_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="salt"):
        commitment(b"short", STATE)


def test_a_sealed_change_is_recognised_and_anything_else_is_not() -> None:
    change = sealed_change("syria", commitment(SALT, STATE))
    assert sealed_of(change) == ("syria", commitment(SALT, STATE))
    assert sealed_of(STATE) is None
    assert sealed_of({"sealed": {"agreement": "syria", "commitment": "not hex"}}) is None
    assert sealed_of({"sealed": {"agreement": "syria"}}) is None
    assert sealed_of({"sealed": "x"}) is None


def test_a_sealed_entrys_state_hash_is_its_commitment_so_the_chain_holds_without_the_state() -> (
    None
):
    committed = commitment(SALT, STATE)
    entry = Entry(
        sequence=4,
        time=datetime(2016, 3, 2, tzinfo=UTC),
        kind="assessment.recorded",
        record="assessment:1",
        change=sealed_change("syria", committed),
        author_party="us",
        author_key_id="0badcafe",
        previous=None,
    )
    assert entry.sealed() == ("syria", committed)
    assert entry.state_hash() == committed
    assert b"violation" not in entry.canonical()


def test_an_opening_round_trips_through_its_line_and_checks_its_commitment() -> None:
    opening = Opening(7, SALT, STATE)
    line = opening.to_json()
    assert b"\n" not in line
    again = Opening.from_json(line)
    assert again == opening
    assert again.commitment() == commitment(SALT, STATE)
    assert Opening(7, SALT, {**STATE, "finding": "no_violation"}).commitment() != (
        opening.commitment()
    )


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (b'{"salt":"00","sequence":1,"state":{}}', "opening.salt"),
        (b'{"salt":"' + b"0" * 64 + b'","sequence":-1,"state":{}}', "opening.sequence"),
        (b'{"salt":"' + b"0" * 64 + b'","sequence":1,"state":[]}', "opening.state"),
        (b'{"sequence":1,"state":{}}', "opening"),
        (b"not json", "opening"),
    ],
)
def test_a_malformed_opening_names_what_is_wrong(line: bytes, field: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Opening.from_json(line)
    assert raised.value.field == field

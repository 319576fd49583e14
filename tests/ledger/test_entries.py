"""Entries: canonical bytes, signed leaves the tree covers, and batches signed once."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.domain.errors import InvalidInputError
from ceasefire.ledger import MemoryTree, ProofError, verify_inclusion
from ceasefire.ledger.batches import BatchSignature, batch_proof, batch_root, batch_tree
from ceasefire.ledger.canonical import JsonValue
from ceasefire.ledger.entries import Entry, state_hash
from ceasefire.ledger.keys import PartyKey, SignatureError
from ceasefire.ledger.leaves import (
    BatchPosition,
    SignedEntry,
    batch_message,
    sign_entry,
    verify_leaf,
)

from .test_canonical import json_objects

RU = PartyKey("ru-mod.example", hashlib.sha256(b"ru").digest())
US = PartyKey("us-state.example", hashlib.sha256(b"us").digest())
CESSATION = datetime(2016, 2, 27, 0, 0, tzinfo=timezone(timedelta(hours=2)))  # Damascus


def entry(sequence: int = 0, key: PartyKey = RU, **changes: object) -> Entry:
    fields: dict[str, object] = {
        "sequence": sequence,
        "time": CESSATION + timedelta(minutes=sequence % 1440),
        "kind": "regime.extended",
        "record": "regime:aleppo-local-truce",
        "change": {"end": "2016-05-07T00:00:00Z", "hours": 72, "step": sequence},
        "author_party": key.name.split(".")[0],
        "author_key_id": key.key_id,
        "previous": None,
    }
    fields.update(changes)
    return Entry(**fields)  # type: ignore[arg-type]


def batch_of(count: int, start: int = 0, key: PartyKey = RU) -> list[Entry]:
    return [
        entry(start + i, key, kind="report.created", record=f"report:ucdp-ged:{start + i}")
        for i in range(count)
    ]


def test_the_canonical_form_is_rfc_8785_of_exactly_the_eight_fields() -> None:
    previous = state_hash({"end": "2016-05-04T00:00:00Z"})
    assert (
        entry(previous=previous).canonical()
        == (
            f'{{"author_key_id":"{RU.key_id}","author_party":"ru-mod",'
            '"change":{"end":"2016-05-07T00:00:00Z","hours":72,"step":0},'
            f'"kind":"regime.extended","previous":"{previous}",'
            '"record":"regime:aleppo-local-truce",'
            '"sequence":0,"time":"2016-02-26T22:00:00.000000Z"}'
        ).encode()
    )
    assert b'"previous":null' in entry().canonical()


def test_times_are_utc_with_six_fractional_digits() -> None:
    made = entry(time=datetime(2016, 7, 15, 9, 30, 0, 1200, tzinfo=UTC))
    assert json.loads(made.canonical())["time"] == "2016-07-15T09:30:00.001200Z"
    assert entry().time.tzinfo is UTC
    assert entry().time == CESSATION


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^time: .* is not an aware datetime"):
        entry(time=datetime(2016, 2, 27))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sequence", -1),
        ("sequence", True),
        ("sequence", 2**53),
        ("kind", "ReportCreated"),
        ("kind", "report"),
        ("record", "report 123"),
        ("record", "ucdp-ged-123"),
        ("author_party", "ru mod"),
        ("author_key_id", "C74F20A3"),
        ("previous", "ab" * 31),
        ("change", ["not", "an", "object"]),
    ],
)
def test_fields_that_break_their_rule_are_refused_by_name(name: str, value: object) -> None:
    with pytest.raises(InvalidInputError, match=f"^{name}: "):
        entry(**{name: value})  # type: ignore[arg-type]


def test_a_change_that_is_not_json_is_refused_with_its_path() -> None:
    with pytest.raises(InvalidInputError, match=r"^change\.casualties\.best: nan has no JSON"):
        entry(change={"casualties": {"best": float("nan")}})


def test_an_entry_cannot_be_changed_after_it_is_made() -> None:
    change: dict[str, JsonValue] = {"actors": ["Jabhat al-Nusra"]}
    made = entry(change=change)
    before = made.canonical()
    change["actors"] = []
    assert made.change["actors"] == ("Jabhat al-Nusra",)
    assert made.canonical() == before
    with pytest.raises(TypeError):
        made.change["actors"] = ()  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.kind = "report.deleted"  # type: ignore[misc]


def test_an_entry_reads_back_from_its_canonical_bytes() -> None:
    made = entry(7, previous=state_hash({"a": 1}))
    assert Entry.from_canonical(made.canonical()) == made
    assert hash(Entry.from_canonical(made.canonical())) == hash(made)


@given(
    sequence=st.integers(0, 2**53 - 1),
    time=st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    offset=st.integers(-14 * 60, 14 * 60),
    change=json_objects,
    previous=st.none() | st.binary(min_size=1).map(lambda b: hashlib.sha256(b).hexdigest()),
)
def test_any_entry_round_trips_through_its_canonical_bytes(
    sequence: int, time: datetime, offset: int, change: dict[str, JsonValue], previous: str | None
) -> None:
    made = entry(
        sequence,
        time=time.astimezone(timezone(timedelta(minutes=offset))),
        change=change,
        previous=previous,
    )
    again = Entry.from_canonical(made.canonical())
    assert again == made
    assert again.canonical() == made.canonical()
    assert again.time == time


def test_missing_and_unknown_fields_are_named() -> None:
    fields = json.loads(entry().canonical())
    del fields["kind"], fields["previous"]
    fields["signature"] = "x"
    text = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(
        InvalidInputError, match=r"^entry: fields: missing 'kind', 'previous'; unknown 'signature'$"
    ):
        Entry.from_canonical(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'"sequence":0', b'"sequence":"0"', r"^entry\.sequence: '0' is not an integer"),
        (b".000000Z", b"Z", r"^entry\.time: .* is not RFC 3339 UTC"),
        (b".000000Z", b".000000+00:00", r"^entry\.time: "),
        (b"2016-02-26", b"2016-02-30", r"^entry\.time: .* is not a date and time"),
        (b'"change":{', b'"change":{"a":[1,2], ', r"^entry: is JSON but not in RFC 8785"),
        (b'"kind":"regime.extended"', b'"kind":null', r"^entry\.kind: None is not"),
    ],
)
def test_tampered_or_malformed_canonical_bytes_are_refused(
    old: bytes, new: bytes, message: str
) -> None:
    text = entry().canonical()
    assert old in text
    with pytest.raises(InvalidInputError, match=message):
        Entry.from_canonical(text.replace(old, new, 1))


def test_state_hash_is_sha256_of_the_canonical_state_whatever_the_key_order() -> None:
    state: dict[str, JsonValue] = {
        "status": "agreed",
        "findings": {"us": "violation", "ru": "violation"},
    }
    reordered: dict[str, JsonValue] = {
        "findings": {"ru": "violation", "us": "violation"},
        "status": "agreed",
    }
    canonical = b'{"findings":{"ru":"violation","us":"violation"},"status":"agreed"}'
    assert state_hash(state) == hashlib.sha256(canonical).hexdigest() == state_hash(reordered)
    assert state_hash({**state, "status": "disputed"}) != state_hash(state)


def test_a_signed_entry_verifies_with_its_author_key_and_reads_back_from_its_leaf() -> None:
    signed = sign_entry(entry(), RU)
    signed.verify(RU.public_key)
    leaf = signed.leaf()
    assert json.loads(leaf) == {
        "entry": json.loads(entry().canonical()),
        "signature": base64.b64encode(signed.signature).decode(),
    }
    assert SignedEntry.from_leaf(leaf) == signed
    assert verify_leaf(leaf, index=0, key=RU.public_key) == signed


def test_a_signature_by_party_a_does_not_verify_as_party_b() -> None:
    signed = sign_entry(entry(), RU)
    with pytest.raises(SignatureError, match=f"names key {RU.key_id}, but was checked with key"):
        signed.verify(US.public_key)
    claims_us = entry(key=US)  # says US wrote it, but RU signs it
    forged = SignedEntry(claims_us, RU.sign(claims_us.signed_message()))
    with pytest.raises(SignatureError, match=r"^entry 0 by us-state: signature does not verify"):
        forged.verify(US.public_key)


def test_a_key_cannot_sign_an_entry_that_names_another_key() -> None:
    with pytest.raises(InvalidInputError, match=f"^author_key_id: entry names key {US.key_id}"):
        sign_entry(entry(key=US), RU)


def test_swapping_the_signatures_of_two_entries_breaks_the_tree_and_both_signatures() -> None:
    ru, us = sign_entry(entry(0, RU), RU), sign_entry(entry(1, US), US)
    tree = MemoryTree.from_entries([ru.leaf(), us.leaf()])
    swapped = [SignedEntry(ru.entry, us.signature), SignedEntry(us.entry, ru.signature)]
    for index, (signed, key) in enumerate(zip(swapped, [RU, US], strict=True)):
        with pytest.raises(ProofError):
            verify_inclusion(
                leaf_hash=signed.leaf_hash(),
                index=index,
                size=2,
                proof=tree.inclusion_proof(index),
                root=tree.root(),
            )
        with pytest.raises(SignatureError, match=r"does not verify"):
            signed.verify(key.public_key)
    assert MemoryTree.from_entries([s.leaf() for s in swapped]).root() != tree.root()


def test_altering_any_byte_of_a_leaf_is_refused_or_fails_its_signature() -> None:
    leaf = sign_entry(entry(3, change={"note": "Ghouta"}), RU).leaf()
    for position in range(len(leaf)):
        for replacement in {leaf[position] ^ 0x01, ord("0"), ord("a")} - {leaf[position]}:
            altered = leaf[:position] + bytes([replacement]) + leaf[position + 1 :]
            with pytest.raises((InvalidInputError, SignatureError, ProofError)):
                verify_leaf(altered, index=3, key=RU.public_key)


def test_a_leaf_at_another_index_than_its_sequence_is_refused() -> None:
    leaf = sign_entry(entry(4), RU).leaf()
    with pytest.raises(ProofError, match=r"^leaf 3 holds the entry of sequence 4"):
        verify_leaf(leaf, index=3, key=RU.public_key)


def test_a_leaf_with_a_non_canonical_signature_encoding_is_refused() -> None:
    signed = sign_entry(entry(), RU)
    encoded = base64.b64encode(signed.signature).decode()
    assert encoded.endswith("==")
    last = encoded[-3]
    twin = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    sibling = twin[twin.index(last) ^ 1]  # differs only in a padding bit
    leaf = signed.leaf().replace(encoded.encode(), (encoded[:-3] + sibling + "==").encode())
    with pytest.raises(InvalidInputError, match=r"^leaf"):
        SignedEntry.from_leaf(leaf)


def test_leaves_with_missing_or_unknown_fields_are_named() -> None:
    leaf = json.loads(sign_entry(entry(), RU).leaf())
    leaf["witness"] = "x"
    del leaf["signature"]
    text = json.dumps(leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    with pytest.raises(InvalidInputError, match=r"^leaf: fields: missing 'signature'; unknown"):
        SignedEntry.from_leaf(text)


def test_a_batch_signature_proves_each_member_with_its_own_proof() -> None:
    entries = batch_of(5, start=10)
    batch = BatchSignature.sign(entries, RU)
    batch.verify(RU.public_key)
    members = batch.signed_entries(entries)
    assert len({m.leaf() for m in members}) == 5
    log = MemoryTree.from_entries([b"earlier"] * 10 + [m.leaf() for m in members])
    tree = batch_tree(entries)
    assert tree.root() == batch.root
    for index, member in enumerate(members):
        proof = tree.inclusion_proof(index)
        assert proof == batch_proof(entries, index)
        member.verify(RU.public_key, batch_proof=proof)
        read = verify_leaf(member.leaf(), index=10 + index, key=RU.public_key, batch_proof=proof)
        assert read == member
        assert read.batch == BatchPosition(batch.root, 5, index)
        verify_inclusion(
            leaf_hash=member.leaf_hash(),
            index=10 + index,
            size=log.size,
            proof=log.inclusion_proof(10 + index),
            root=log.root(),
        )


def test_a_batch_signature_does_not_cover_an_entry_outside_the_batch() -> None:
    entries = batch_of(4)
    batch = BatchSignature.sign(entries, RU)
    outsider = entry(2, record="report:ucdp-ged:999", kind="report.created")
    smuggled = SignedEntry(outsider, batch.signature, BatchPosition(batch.root, 4, 2))
    for proof in (batch_proof(entries, 2), batch_proof([*entries[:2], outsider, entries[3]], 2)):
        with pytest.raises(SignatureError, match=f"not shown to be in batch {batch.root.hex()}"):
            smuggled.verify(RU.public_key, batch_proof=proof)


def test_a_batch_member_needs_its_own_proof_and_its_own_position() -> None:
    entries = batch_of(4)
    members = BatchSignature.sign(entries, RU).signed_entries(entries)
    with pytest.raises(SignatureError, match=r"not shown to be in batch"):
        members[2].verify(RU.public_key, batch_proof=batch_proof(entries, 1))
    moved = dataclasses.replace(members[2], batch=BatchPosition(members[2].batch.root, 4, 1))  # type: ignore[union-attr]
    with pytest.raises(SignatureError, match=r"not shown to be in batch"):
        moved.verify(RU.public_key, batch_proof=batch_proof(entries, 1))
    with pytest.raises(InvalidInputError, match=r"^batch_proof: .* pass its proof"):
        members[2].verify(RU.public_key)


def test_a_batch_signature_is_no_signature_of_a_single_entry_nor_of_another_party() -> None:
    entries = batch_of(1)
    batch = BatchSignature.sign(entries, RU)
    member = batch.signed_entries(entries)[0]
    member.verify(RU.public_key, batch_proof=[])
    assert batch.root == batch_root(entries)
    alone = SignedEntry(entries[0], batch.signature)
    with pytest.raises(SignatureError, match=r"does not verify"):
        alone.verify(RU.public_key)
    with pytest.raises(SignatureError, match=r"does not verify"):
        batch.verify(US.public_key)
    assert batch.message() == batch_message(batch.root, 1)
    assert batch.message().startswith(b"ceasefire/batch-signature/v1\x00")


def test_a_batch_leaf_reads_back_and_names_its_batch() -> None:
    entries = batch_of(3)
    batch = BatchSignature.sign(entries, RU)
    member = batch.signed_entries(entries)[1]
    leaf = json.loads(member.leaf())
    assert leaf["batch"] == {"index": 1, "root": batch.root.hex(), "size": 3}
    assert leaf["signature"] == base64.b64encode(batch.signature).decode()
    assert SignedEntry.from_leaf(member.leaf()) == member


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([], "^entries: a batch needs at least one entry"),
        ([entry(0), entry(2)], r"^entries\[1\]: has sequence 2; a batch is consecutive from 0"),
        ([entry(0), entry(1, US)], r"^entries\[1\]: is by us-state key"),
    ],
)
def test_a_batch_is_consecutive_entries_by_one_author_key(
    entries: list[Entry], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        BatchSignature.sign(entries, RU)


def test_a_batch_signature_is_not_given_to_entries_it_did_not_sign() -> None:
    batch = BatchSignature.sign(batch_of(3), RU)
    with pytest.raises(InvalidInputError, match=r"^entries: are not the 3 entries of batch"):
        batch.signed_entries([*batch_of(3)[:2], entry(2, record="report:ucdp-ged:9")])


def test_the_worked_example_in_docs_ledger_md_is_what_the_code_signs() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text("utf-8")
    section = doc[doc.index("## 2. Entries, signatures and keys") :]
    shown = re.search(r"```json\n(.+)\n```", section)
    assert shown is not None
    example = Entry(
        sequence=0,
        time=CESSATION,
        kind="regime.extended",
        record="regime:aleppo-local-truce",
        change={"end": "2016-05-07T00:00:00Z"},
        author_party="ru-mod",
        author_key_id=RU.key_id,
        previous=state_hash({"end": "2016-05-04T00:00:00Z"}),
    )
    signed = sign_entry(example, RU)
    assert shown.group(1).encode() == signed.leaf()
    assert f"key id\n`{RU.key_id}`" in section
    assert f"`{signed.leaf_hash().hex()}`" in section
    verify_leaf(shown.group(1).encode(), index=0, key=RU.public_key)


def test_an_entry_gives_the_state_hash_of_its_change() -> None:
    change: dict[str, JsonValue] = {"narrative": "Shelling in Jobar.", "lon": 36.29, "n": 1.0}
    made = entry(3, change=change)
    assert made.state_hash() == state_hash(change) == state_hash(dict(made.change))

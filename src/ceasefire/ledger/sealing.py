"""Sealed entries: an entry that commits to a record's state without revealing it.

A record scoped to one agreement (docs/workflow.md, "Who sees what") is read only by that
agreement's parties, yet every party checks the whole log. So its entry's ``change`` holds
a **commitment** to the state, not the state::

    {"sealed": {"agreement": "syria-coh-2016", "commitment": "<hex SHA-256>"}}

    commitment = SHA-256("ceasefire/sealed-state/v1" ‖ 0x00 ‖ salt (32 bytes) ‖ state)

where ``state`` is the record state's canonical JSON. The **opening** — the salt and the
state — is kept by the host and given only to the agreement's parties. Anyone can check a
sealed entry's place, signature and state chain (its ``previous`` and the next entry's are
commitments); a party that holds the opening also checks that the state is the one the
author signed. The salt is 32 secret random-looking bytes, so a commitment to a state with
few possible values (a finding, a status) cannot be found by trying them all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ceasefire.domain.errors import InvalidInputError

from .canonical import JsonValue, canonical_json, parse_canonical

SEALED = "sealed"
SEALED_STATE_LABEL = b"ceasefire/sealed-state/v1\x00"
SALT_SIZE = 32
_HASH = re.compile(r"[0-9a-f]{64}")


def commitment(salt: bytes, state: Mapping[str, JsonValue]) -> str:
    """The hex commitment to a record state under ``salt``."""
    if len(salt) != SALT_SIZE:
        raise InvalidInputError("salt", f"is {len(salt)} bytes, not {SALT_SIZE}")
    return hashlib.sha256(
        SEALED_STATE_LABEL + salt + canonical_json(state, field="state")
    ).hexdigest()


def sealed_change(agreement: str, committed: str) -> dict[str, JsonValue]:
    """The ``change`` of a sealed entry."""
    return {SEALED: {"agreement": agreement, "commitment": committed}}


def sealed_of(change: Mapping[str, JsonValue]) -> tuple[str, str] | None:
    """``(agreement, commitment)`` of a sealed entry's change; None for an open one. (No
    shared table has a column named ``sealed``, so an open state never has this form.)"""
    if len(change) != 1 or SEALED not in change:
        return None
    inner = change[SEALED]
    if not isinstance(inner, Mapping) or set(inner) != {"agreement", "commitment"}:
        return None
    agreement, committed = inner["agreement"], inner["commitment"]
    if not isinstance(agreement, str) or not isinstance(committed, str):
        return None
    if not _HASH.fullmatch(committed):
        return None
    return agreement, committed


@dataclass(frozen=True)
class Opening:
    """What opens a sealed entry: its sequence, the salt and the state it commits to."""

    sequence: int
    salt: bytes
    state: Mapping[str, JsonValue]

    def commitment(self) -> str:
        return commitment(self.salt, self.state)

    def to_json(self) -> bytes:
        """One line of a bundle's ``openings.jsonl``: canonical JSON with no raw newline."""
        body: dict[str, JsonValue] = {
            "salt": self.salt.hex(),
            "sequence": self.sequence,
            "state": dict(self.state),
        }
        return canonical_json(body, field="opening")

    @classmethod
    def from_json(cls, data: bytes, *, where: str = "opening") -> Opening:
        """Parse a line written by ``to_json``; a malformed one names what is wrong."""
        parsed = parse_canonical(data, field=where)
        if not isinstance(parsed, Mapping) or set(parsed) != {"salt", "sequence", "state"}:
            raise InvalidInputError(where, "must be an object of salt, sequence and state")
        sequence, salt, state = parsed["sequence"], parsed["salt"], parsed["state"]
        if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
            raise InvalidInputError(f"{where}.sequence", f"{sequence!r} is not an entry's place")
        if not isinstance(salt, str) or not _HASH.fullmatch(salt):
            raise InvalidInputError(f"{where}.salt", "must be 32 bytes in lower-case hex")
        if not isinstance(state, Mapping):
            raise InvalidInputError(f"{where}.state", "must be a JSON object")
        return cls(sequence, bytes.fromhex(salt), state)

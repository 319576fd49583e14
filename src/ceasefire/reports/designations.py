"""A consolidated designation list as CSV and as FollowTheMoney entities.

FollowTheMoney (https://followthemoney.tech) is the entity format of OpenSanctions and
Aleph: each listed actor is an ``Organization`` (or ``Person`` for a UN-listed individual),
and each member's listing of it a ``Sanction`` naming the member as its authority, one JSON
object a line, so the list can be loaded beside the sanctions data analysts already use.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from typing import Any, TextIO

from ceasefire.domain.cells import cell
from ceasefire.domain.designations import Consolidated, ListEntry, ListRule

CSV_COLUMNS = [
    "actor_id",
    "name",
    "level",
    "listed_by",
    "not_listed_by",
    "silent",
    "on_un_list",
    *(f"under_{rule.value}" for rule in ListRule),
]


def spoken_of(found: Consolidated) -> Iterator[ListEntry]:
    """The entries some member listed or refused (UN-listed actors alone are left out)."""
    for entry in found.entries.values():
        if entry.listed_by or entry.not_listed_by:
            yield entry


def write_csv(found: Consolidated, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in spoken_of(found):
        writer.writerow(
            cell(value)
            for value in [
                entry.actor_id,
                found.names.get(entry.actor_id, ""),
                entry.level,
                ";".join(entry.listed_by),
                ";".join(entry.not_listed_by),
                ";".join(entry.silent),
                "yes" if entry.on_un_list else "no",
                *("yes" if entry.holds_under(rule) else "no" for rule in ListRule),
            ]
        )
        count += 1
    return count


def _id(*parts: str) -> str:
    return "ceasefire-" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:20]


def ftm_entities(found: Consolidated) -> Iterator[dict[str, Any]]:
    designation_list = found.designation_list
    for entry in spoken_of(found):
        if not entry.listed_by:
            continue
        entity_id = _id("actor", entry.actor_id)
        yield {
            "id": entity_id,
            "schema": "Organization",
            "properties": {
                "name": [found.names.get(entry.actor_id, entry.actor_id)],
                "topics": ["sanction"],
                "notes": [f"{designation_list.name}: {entry.level} (version {found.version})"],
            },
        }
        for party in entry.listed_by:
            yield {
                "id": _id("sanction", designation_list.id, party, entry.actor_id),
                "schema": "Sanction",
                "properties": {
                    "entity": [entity_id],
                    "authority": [party],
                    "program": [designation_list.name],
                    "status": ["listed"],
                },
            }


def write_ftm(found: Consolidated, out: TextIO) -> int:
    count = 0
    for entity in ftm_entities(found):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count

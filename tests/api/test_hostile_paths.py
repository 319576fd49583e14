"""Every route with a number in its path, given one past the largest 64-bit integer (and
one far past it): a 4xx naming the parameter, never a 500, and nothing written."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from ceasefire.store.database import Database
from counts import row_counts

HUGE = [str(2**63), str(2**124), "-" + str(2**63)]


def numbered_routes(schema: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(method, path, its integer path parameters) of every operation that has one."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            numbers = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
            ]
            if numbers:
                found.append((method.upper(), path, numbers))
    return found


def filled(path: str, numbers: list[str], huge: str) -> str:
    """The path with ``huge`` for each number and ``x`` for any other parameter."""
    return re.sub(r"\{(\w+)\}", lambda m: huge if m[1] in numbers else "x", path)


def test_a_number_past_64_bits_in_any_path_is_a_4xx_naming_it(
    client: TestClient, db: Database
) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    routes = numbered_routes(schema)
    assert len(routes) >= 15, routes
    before = row_counts(db)
    wrong = []
    for method, path, numbers in routes:
        for huge in HUGE:
            url = filled(path, numbers, huge)
            answer = client.request(method, url, json={})
            shown = f"{method} {url}: {answer.status_code} {answer.text[:200]}"
            if not 400 <= answer.status_code < 500:
                wrong.append(shown)
            elif answer.status_code == 422 and answer.json().get("field") not in numbers:
                wrong.append(f"{shown} (does not name {numbers})")
    assert wrong == [], "\n".join(wrong)
    assert row_counts(db) == before

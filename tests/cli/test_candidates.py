"""`ceasefire incidents candidates|confirm|reject`: the queue of conflicting accounts at the
command line."""

from __future__ import annotations

from collections.abc import Callable

from typer.testing import Result

import builders
from builders import scenario
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario

Run = Callable[..., Result]


def two_accounts(ledger: Ledger) -> tuple[int, int]:
    load_scenario(ledger, scenario())
    return builders.two_accounts(ledger)


def test_candidates_are_listed_with_score_and_reasons_then_confirmed(
    run: Run, ledger: Ledger
) -> None:
    a, b = two_accounts(ledger)
    listed = run("incidents", "candidates")
    assert listed.exit_code == 0, listed.output
    header, row = listed.stdout.strip().splitlines()
    assert header.split("\t") == ["incident", "other", "score", "reasons", "agreement"]
    cells = row.split("\t")
    assert cells[:2] == [str(a), str(b)]
    assert 0.45 <= float(cells[2]) < 0.65
    assert "no actor in common (saa vs nusra)" in cells[3]
    confirmed = run("incidents", "confirm", str(b), str(a), "--party", "us")
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout.strip() == f"merged incident {b} into {a} (1 reports moved)"
    assert run("incidents", "candidates").stdout.strip().splitlines()[1:] == []


def test_a_rejected_candidate_leaves_the_queue_and_errors_are_one_line(
    run: Run, ledger: Ledger
) -> None:
    a, b = two_accounts(ledger)
    rejected = run("incidents", "reject", str(a), str(b), "--party", "ru")
    assert rejected.exit_code == 0, rejected.output
    assert rejected.stdout.startswith(f"rejected: incidents {a} and {b} are two events")
    assert run("incidents", "candidates").stdout.strip().splitlines()[1:] == []
    again = run("incidents", "confirm", str(a), str(b), "--party", "us")
    assert again.exit_code == 2
    assert again.output.strip() == f"error: no pending candidate pairs incidents {a} and {b}"
    outsider = run("incidents", "candidates", "--party", "nobody")
    assert outsider.exit_code == 2
    assert "party 'nobody' does not exist" in outsider.output

"""Correlation on real events told again by several sources (benchmarks/_accounts.py):
the accounts of each unambiguous event become one incident, F1 >= 0.95, with the
calibrated thresholds, and a pair of accounts proposed is a pair of one event."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ceasefire.domain.batches import batch_of, group_batch
from ceasefire.domain.correlation import CorrelationSettings

ACCOUNTS = Path(__file__).resolve().parents[2] / "benchmarks" / "_accounts.py"


@pytest.fixture(scope="module")
def accounts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accounts_benchmark", ACCOUNTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_accounts_of_unambiguous_real_events_become_one_incident_each(
    accounts: ModuleType,
) -> None:
    index = accounts.register()
    events = accounts.ged_events(accounts.BUNDLED_GED)  # UCDP GED 2015-2016, in the package
    unambiguous, ambiguous = accounts.split_sets(events)
    assert len(unambiguous) > 40 and len(ambiguous) > 100
    told = accounts.retell(unambiguous, 7, index)
    assert {t.report.source for t in told} == {"ucdp-ged", "monitor", "press"}
    marks = accounts.resolved(told, index)
    truth = [t.event for t in told]
    one_at_a_time = accounts.pairwise(truth, accounts.correlate(marks, CorrelationSettings()))
    assert one_at_a_time.f1 >= 0.95, one_at_a_time
    assert one_at_a_time.precision >= 0.99, one_at_a_time


def test_the_batch_path_groups_unambiguous_events_as_well(accounts: ModuleType) -> None:
    index = accounts.register()
    unambiguous, _ = accounts.split_sets(accounts.ged_events(accounts.BUNDLED_GED))
    told = accounts.retell(unambiguous, 8, index)
    labels = group_batch(batch_of(accounts.resolved(told, index)), CorrelationSettings())
    found = accounts.pairwise([t.event for t in told], labels.tolist())
    assert found.f1 >= 0.95, found
    assert found.precision >= 0.99, found

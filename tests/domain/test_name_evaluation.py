"""The name-resolution evaluation (benchmarks/names.py) meets its targets on the UN list:
recall of at least 95 % over every kind of variant, and no false merge."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "names.py"


@pytest.mark.shared_data
def test_names_resolve_with_high_recall_and_no_false_merge() -> None:
    spec = importlib.util.spec_from_file_location("names_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    names = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = names  # its dataclasses look their module up
    try:
        spec.loader.exec_module(names)
    finally:
        del sys.modules[spec.name]
    index, listed = names.register()
    tallies, problems = names.evaluate(index, listed)
    merges = [p for p in problems if p.startswith("FALSE MERGE")]
    assert merges == []
    assert tallies["all"].cases > 1000
    assert tallies["all"].recall >= 0.95, "\n".join(problems)
    for category in ("hand", "transliterated", "typo", "cyrillic", "original script"):
        assert tallies[category].cases > 30
        assert tallies[category].recall >= 0.9, category

"""The demo scenarios bundled with ceasefire, and the event files that go with them.

Built by ``scripts/build_demo.py`` from public data; where each file comes from, its licence
and what was changed are in ``SOURCES.md`` next to this module. Read the scenarios with
``ceasefire.ingest.scenario.load_scenario_file``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

_HERE = Path(__file__).resolve().parent

DEMO_SCENARIOS: Final[tuple[Path, ...]] = (
    _HERE / "syria-2016.yaml",
    _HERE / "ukraine-2015.yaml",
)

# (path, import format, source name) of each bundled event file.
DEMO_EVENT_FILES: Final[tuple[tuple[Path, str, str], ...]] = (
    (_HERE / "data" / "ucdp_ged_ukraine_2015_2016.csv", "ucdp", "ucdp-ged"),
    (_HERE / "data" / "syrian_archive_reports.geojson", "geojson", "syrian-archive"),
)

# the settlements that made local truces after the cessation began (PA-X Local: SOURCES.md),
# and the regime they join
DEMO_ACCESSIONS: Final[tuple[Path, str]] = (
    _HERE / "data" / "syria_local_accessions.csv",
    "syria-coh",
)
# who held which ground: ILLUSTRATIVE (SOURCES.md), recorded by the host
DEMO_CONTROL: Final[Path] = _HERE / "data" / "syria_control_illustrative.geojson"
# the co-chairs' lists of terrorist groups as they stated them in the talks (SOURCES.md):
# the designation list's id and (member, file) of each submission
DEMO_DESIGNATIONS: Final[tuple[str, tuple[tuple[str, Path], ...]]] = (
    "issg",
    (
        ("ru", _HERE / "data" / "issg_designations_ru.csv"),
        ("us", _HERE / "data" / "issg_designations_us.csv"),
    ),
)

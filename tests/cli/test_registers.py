"""`ceasefire accessions ...` and `ceasefire control ...` from files, as analysts run them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from builders import scenario
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario

Run = Callable[..., Result]


def test_accessions_from_a_csv_then_counted(run: Run, ledger: Ledger, tmp_path: Path) -> None:
    load_scenario(ledger, scenario())
    rows = tmp_path / "accessions.csv"
    rows.write_text(
        "regime,date,change,settlement,lon,lat,actor,channel\n"
        "coh,2016-03-01,joined,Douma,36.40,33.57,,Hmeymim\n"
        "coh,2016-03-03,joined,,,,Syrian Arab Army,Hmeymim\n",
        encoding="utf-8",
    )
    done = run("accessions", "import", str(rows), "--party", "ru")
    assert done.exit_code == 0, done.output
    assert "recorded 2 accessions; 1 settlements added" in done.output
    counted = run(
        "accessions", "count", "--regime", "coh", "--from", "2016-03-01", "--to", "2016-03-08"
    )
    assert counted.output.strip().splitlines()[1:] == ["2016-03-01\t1\t0", "2016-03-08\t1\t1"]
    listed = run("accessions", "list", "--regime", "coh")
    assert "settlement-douma" in listed.output and "saa" in listed.output

    rows.write_text(
        "regime,date,change,actor,channel\ncoh,2016-02-01,left,saa,x\n", encoding="utf-8"
    )
    refused = run("accessions", "import", str(rows), "--party", "ru")
    assert refused.exit_code == 2
    assert (
        "left regime coh on 2016-02-01" in refused.output or "before regime coh" in refused.output
    )
    rows.write_text("regime,date,channel\ncoh,2016-03-01,x\n", encoding="utf-8")
    assert (
        "has no column actor or settlement"
        in run("accessions", "import", str(rows), "--party", "ru").output
    )


def test_control_from_geojson_then_asked(run: Run, ledger: Ledger, tmp_path: Path) -> None:
    load_scenario(ledger, scenario())
    areas = tmp_path / "areas.geojson"
    box = [[36.5, 35.8], [36.8, 35.8], [36.8, 36.0], [36.5, 36.0], [36.5, 35.8]]
    areas.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Polygon", "coordinates": [box]},
                        "properties": {"actor": "Al-Nusrah Front", "valid_from": "2015-03-28"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    done = run("control", "import", str(areas), "--party", "us")
    assert done.exit_code == 0, done.output
    held = run("control", "at", "--lon", "36.6", "--lat", "35.9", "--date", "2016-03-01")
    assert held.output.startswith("Jabhat al-Nusra (nusra), area ")
    assert "from 2015-03-28" in held.output
    again = run("control", "import", str(areas), "--party", "us")
    assert again.exit_code == 2 and "overlaps" in again.output
    assert run("ledger", "verify").exit_code == 0

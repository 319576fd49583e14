"""The actors as FollowTheMoney entities, read back by the followthemoney package."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from ceasefire.scenarios import DEMO_SCENARIOS

Run = Callable[..., Result]
SYRIA = next(p for p in DEMO_SCENARIOS if p.name.startswith("syria"))


def ftm_model() -> Any:
    """followthemoney's model; importing it raises the csv module's field size limit for the
    whole process, which the importers' tests rely on, so the limit is put back."""
    limit = csv.field_size_limit()
    try:
        from followthemoney import model
    finally:
        csv.field_size_limit(limit)
    return model


def test_every_actor_is_an_organization_followthemoney_reads_as_written(
    run: Run, tmp_path: Path
) -> None:
    assert run("load", str(SYRIA)).exit_code == 0
    out = tmp_path / "actors.ftm.json"
    result = run("actors", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    organizations = [e for e in entities if e["schema"] == "Organization"]
    assert len(organizations) == 7  # the Syrian scenario's actors
    model = ftm_model()
    for entity in entities:
        assert model.get_proxy(entity).to_dict() == entity  # every property is FtM's
    names = {n for e in organizations for n in e["properties"]["name"]}
    aliases = {a for e in organizations for a in e["properties"].get("alias", [])}
    assert "Jabhat al-Nusra" in names or any("Nusra" in n for n in names)
    assert any(any("\u0600" <= c <= "\u06ff" for c in a) for a in aliases)  # Arabic script

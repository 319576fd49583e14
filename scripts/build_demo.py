"""Build the bundled demo scenarios in src/ceasefire/scenarios/ from ../shared/data.

Run by hand from the repository: ``.venv/bin/python scripts/build_demo.py``. The output is
reproducible (same input, same bytes). ``--schema`` only rewrites docs/scenario.schema.json,
which needs no shared data. What each output is made from, and under which licence, is in
src/ceasefire/scenarios/SOURCES.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import yaml
from demo_accessions import build_accessions
from demo_archive import build_syrian_archive
from demo_control import build_control
from demo_designations import build_designations
from demo_files import DATA, OUT, ROOT, SCHEMA, SHARED
from demo_syria import SYRIA_YAML, build_syria_boundaries, build_syria_outline, nusra_aliases
from demo_ukraine import UKRAINE_YAML, build_ucdp, build_ukraine_boundaries, build_ukraine_outline

from ceasefire.ingest.scenario import load_scenario_file, scenario_json_schema


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", action="store_true", help="only write the JSON Schema")
    args = parser.parse_args(argv)
    written = [write_schema()]
    if not args.schema:
        if not SHARED.is_dir():
            sys.exit(f"build_demo: {SHARED.resolve()} not found (the shared data)")
        DATA.mkdir(parents=True, exist_ok=True)
        governorates, full = build_syria_boundaries()
        written.append(DATA / "syria_adm1.geojson")
        written.append(build_ukraine_boundaries())
        written.append(build_ukraine_outline())
        written.append(build_syria_outline(governorates))
        written.append(build_ucdp())
        written.append(build_syrian_archive(governorates, full))
        written.append(build_accessions())
        written.append(build_control())
        written += build_designations()
        written += write_scenarios()
        check_scenarios()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    if not args.schema:
        total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file() and p.suffix != ".pyc")
        print(f"bundled data in {OUT.relative_to(ROOT)}: {total:,} bytes")
    return 0


def write_schema() -> Path:
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    SCHEMA.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA.write_text(text, encoding="utf-8")
    return SCHEMA


def write_scenarios() -> list[Path]:
    aliases = "\n".join(f"      - {json.dumps(a, ensure_ascii=False)}" for a in nusra_aliases())
    syria = OUT / "syria-2016.yaml"
    syria.write_text(SYRIA_YAML.replace("{NUSRA_ALIASES}", aliases), encoding="utf-8")
    ukraine = OUT / "ukraine-2015.yaml"
    ukraine.write_text(UKRAINE_YAML, encoding="utf-8")
    return [syria, ukraine]


class _StringDates(yaml.SafeLoader):
    """Dates stay strings, as JSON Schema expects."""


_StringDates.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def check_scenarios() -> None:
    schema = scenario_json_schema()
    for path in (OUT / "syria-2016.yaml", OUT / "ukraine-2015.yaml"):
        jsonschema.validate(yaml.load(path.read_text("utf-8"), Loader=_StringDates), schema)
        scenario = load_scenario_file(path)
        print(
            f"{path.name}: {len(scenario.parties)} parties, {len(scenario.actors)} actors, "
            f"{len(scenario.places)} places, {len(scenario.agreements)} agreements, "
            f"{len(scenario.regimes)} regimes"
        )


if __name__ == "__main__":
    raise SystemExit(main())

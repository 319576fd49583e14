"""Scenario files: a task force's parties, actors, places, agreements and regimes in YAML.

The format is described in ``docs/scenario.md`` and, as JSON Schema, in
``docs/scenario.schema.json`` (generated from the models of ``scenario_specs`` by
``scenario_json_schema``).
Every error names the key path it comes from, e.g.
``agreements[0].regimes[2].end: '2016-13-01' is not a date``.

Times are local times in the agreement's time zone (a date alone is 00:00) and are stored
as aware UTC; a time written with an offset (``+03:00``, ``Z``) keeps that offset. Nothing
is repaired silently, except that an invalid boundary polygon of a places file goes through
``shapely.make_valid`` (boundary files often carry self-touching rings); regime geometries
written in the scenario or its geometry files must be valid as they are.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml
from pydantic import ValidationError

from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Agreement, Regime
from ceasefire.domain.scenarios import Scenario
from ceasefire.ingest.scenario_errors import check_unique, invalid_scenario
from ceasefire.ingest.scenario_geometry import read_places
from ceasefire.ingest.scenario_objects import (
    ScenarioContext,
    read_actors,
    read_agreement,
    read_lists,
    read_parties,
    read_regime,
)
from ceasefire.ingest.scenario_specs import ScenarioSpec

__all__ = ["load_scenario_file", "parse_scenario", "scenario_json_schema"]


def scenario_json_schema() -> dict[str, object]:
    """The JSON Schema of scenario files (draft 2020-12), generated from the models."""
    schema = ScenarioSpec.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


MAX_BYTES = 16 * 1024 * 1024  # the demo's scenarios are 10 KB; their geometry files apart
MAX_ALIASES = 100  # "*name" references: a few are handy, thousands are an alias bomb
MAX_NODES = 1_000_000  # values once every alias is expanded ("billion laughs")
MAX_DEPTH = 64


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last),
    more than ``MAX_ALIASES`` aliases, more than ``MAX_NODES`` values once aliases are
    expanded (a "billion laughs" document expands each alias into its anchor's whole tree,
    nine times nine times ...), and nesting deeper than ``MAX_DEPTH``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}

    def _size(self, node: yaml.Node) -> int:
        """How many values a node stands for, its aliases expanded (remembered)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._size(k) + self._size(v) for k, v in node.value)
        self._sizes[id(node)] = size
        return size

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name)", self._mark()
                )
            mark = self._mark()
            node = super().compose_node(parent, index)
            self._nodes += self._size(node) if node is not None else 0
            if self._nodes > MAX_NODES:
                raise yaml.composer.ComposerError(
                    None, None, f"aliases expand it to more than {MAX_NODES:,} values", mark
                )
            return node
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} deep", self._mark()
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _mark(self) -> yaml.Mark | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        return event.start_mark if event is not None else None


def _unique_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Hashable, object]:
    loader.flatten_mapping(node)
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        if isinstance(key, Hashable):
            seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_scenario_file(path: Path) -> Scenario:
    """Read and check a scenario YAML file; relative paths in it are relative to it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInputError(
                str(path), f"is {size:,} bytes; a scenario may be {MAX_BYTES:,}"
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError(str(path), "no such file") from None
    except UnicodeDecodeError:
        raise InvalidInputError(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInputError(str(path), f"cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(exc.problem or exc).split())
        raise InvalidInputError(f"{path.name}{where}", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(path.name, f"invalid YAML: {' '.join(str(exc).split())}") from None
    return parse_scenario(data, path.parent, name=path.name)


def parse_scenario(data: object, base_dir: Path, name: str = "scenario") -> Scenario:
    """Check already-loaded scenario data; ``name`` labels errors about the whole document."""
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise invalid_scenario(exc, name) from None
    parties = read_parties(spec.parties)
    actors = read_actors(spec.actors)
    places = read_places(spec.places, base_dir)
    party_ids = {p.id for p in parties}
    lists = read_lists(spec.designation_lists, party_ids)
    context = ScenarioContext(
        base_dir, party_ids, {a.id for a in actors}, places, {d.id for d in lists}
    )
    agreements: list[Agreement] = []
    regimes: list[Regime] = []
    for i, agreement_spec in enumerate(spec.agreements):
        agreement = read_agreement(agreement_spec, f"agreements[{i}]", context)
        agreements.append(agreement)
        for j, regime_spec in enumerate(agreement_spec.regimes):
            where = f"agreements[{i}].regimes[{j}]"
            regimes.append(read_regime(regime_spec, where, agreement, context))
    check_unique([(f"agreements[{i}].id", a.id) for i, a in enumerate(agreements)])
    check_unique(
        [
            (f"agreements[{i}].regimes[{j}].id", r.id)
            for i, a in enumerate(spec.agreements)
            for j, r in enumerate(a.regimes)
        ]
    )
    return Scenario(
        spec.id, spec.title, parties, actors, places, tuple(agreements), tuple(regimes), lists
    )

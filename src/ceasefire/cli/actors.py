"""`ceasefire actors import-un|resolve|show|unresolved|map|export`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import (
    bar,
    database,
    err,
    handled,
    open_ledger,
    out,
    say_resolved_anew,
    show_table,
    tracker,
)
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.ingest.unlist import read_un_list
from ceasefire.reports.ftm import write_ftm
from ceasefire.services.actors import (
    actor_of,
    import_un_list,
    map_name,
    resolution_document,
    resolve_names,
    unresolved_names,
)
from ceasefire.services.scopes import EVERYTHING

actors_app = typer.Typer(
    help="The actor register: the UN list, and which actor a name refers to.",
    no_args_is_help=True,
)


@actors_app.command("import-un")
@handled
def import_un(
    file: Annotated[
        Path,
        typer.Argument(
            help="The UN Security Council Consolidated List, XML as the UN publishes it "
            "(consolidated.xml)."
        ),
    ],
) -> None:
    """Import every entity and individual of the UN list as actors, with reference
    numbers, names, aliases in every script and listing dates. An actor already in the
    register with the same reference keeps its id and gains the list's names. Importing
    the same list again changes nothing."""
    listed = read_un_list(file)
    log = open_ledger(create=True)
    with bar(f"importing {file.name}", len(listed)) as progress:
        summary = import_un_list(log, listed, progress=tracker(progress))
    out.print(summary.line(), highlight=False)
    say_resolved_anew(summary.resolved_again)
    if summary.reclassified:
        out.print(
            f"  {summary.reclassified} incidents name a group whose exclusion a listing "
            "moved and were classified again"
        )


@actors_app.command("resolve")
@handled
def resolve(
    names: Annotated[list[str], typer.Argument(help="Names as a report writes them.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a line, in input order.")
    ] = False,
) -> None:
    """Which actor each name refers to, with a score from 0 to 1, and the nearest
    candidates. A name no actor matches well enough, or that two actors match alike,
    resolves to none (docs/actors.md)."""
    log = open_ledger()
    found = resolve_names(log, names)
    if as_json:
        for resolution in found:
            answer = resolution_document(log, resolution)
            sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        return
    rows = []
    for resolution in found:
        match = resolution.match
        best = resolution.candidates[0] if resolution.candidates else None
        rows.append(
            [
                resolution.name,
                f"{match.actor_id} ({match.name})" if match else "no match",
                f"{match.score:.3f}" if match else "",
                ""
                if best is None or match is not None
                else f"{best.actor_id} {best.score:.3f} via {best.alias!r}",
            ]
        )
    show_table(["name", "actor", "score", "nearest (no match)"], rows)


@actors_app.command("show")
@handled
def show(actor_id: Annotated[str, typer.Argument(help="An actor's id.")]) -> None:
    """An actor with its names, UN reference, dataset names and affiliations."""
    actor = actor_of(open_ledger(), actor_id)
    if actor is None:
        raise NotFoundError(f"no actor {actor_id!r}")
    out.print(f"{actor.id}: {actor.name} ({actor.kind or 'kind not given'})", highlight=False)
    if actor.un_reference:
        out.print(f"  UN list: {actor.un_reference}, listed {actor.un_listed_on or '?'}")
    for alias in actor.aliases:
        out.print(f"  a.k.a. {alias}", highlight=False, markup=False)
    for system, name in actor.references:
        out.print(f"  {system}: {name}", highlight=False, markup=False)
    for a in actor.affiliations:
        dates = f" {a.since or '…'} – {a.until or '…'}" if a.since or a.until else ""
        out.print(f"  {a.relation} {a.related_id}{dates}", highlight=False)


@actors_app.command("unresolved")
@handled
def unresolved(
    limit: Annotated[int, typer.Option(help="How many names to show.", min=1)] = 50,
) -> None:
    """The names reports give that resolve to no actor, most mentioned first, with the
    nearest candidate: map each once with `ceasefire actors map`."""
    found, total = unresolved_names(open_ledger(), EVERYTHING, limit=limit)  # the host's
    rows = [
        [
            u.name,
            str(u.mentions),
            "" if u.nearest is None else f"{u.nearest.actor_id} {u.nearest.score:.3f}",
        ]
        for u in found
    ]
    show_table(["name", "mentions", "nearest"], rows)
    if total > len(found):
        out.print(f"{len(found)} of {total}; use --limit for more")


@actors_app.command("map")
@handled
def map_command(
    name: Annotated[str, typer.Argument(help="The name as reports write it.")],
    party: Annotated[str, typer.Option(help="The analyst's party (signs the mapping).")],
    actor: Annotated[str | None, typer.Option(help="The actor it is.")] = None,
    none: Annotated[
        bool, typer.Option("--none", help="It is no actor of the register (stop listing it).")
    ] = False,
) -> None:
    """Say once which actor a name is (or that it is none): a signed mapping that every
    stored report naming it is resolved by again (here, with a progress bar, unless a
    server is running it)."""
    if (actor is None) == (not none):
        raise InvalidInputError("--actor", "give --actor ID, or --none")
    with bar(f"resolving again the reports that give {name!r}", None) as progress:
        mapped = map_name(open_ledger(), name, actor, author=party, progress=tracker(progress))
    target = actor or "no actor of the register"
    changed = (
        "incidents changed not counted (its run was stopped and taken up again)"
        if mapped.changed is None
        else f"{mapped.changed} incidents changed"
    )
    out.print(
        f"{name!r} is {target}; {changed}",
        highlight=False,
        markup=False,
    )


@actors_app.command("export")
@handled
def actors_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File [default: stdout]")
    ] = None,
) -> None:
    """Write every actor as FollowTheMoney entities (JSON lines): an Organization with its
    name, aliases in any script and UN reference, and an UnknownLink for each affiliation."""
    db = database()
    if output is None:
        write_ftm(db, sys.stdout)
        return
    with output.open("w", encoding="utf-8") as handle:
        count = write_ftm(db, handle)
    err.print(f"wrote {count} FollowTheMoney entities to {output}", highlight=False)

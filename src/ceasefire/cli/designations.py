"""`ceasefire designations lists|create|submit|held|show|versions|diff|export`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import database, handled, open_ledger, out, show_table
from ceasefire.domain.designations import DesignationList, Position, held_version, list_rule
from ceasefire.ingest.designation_files import ListFormat, read_list_file
from ceasefire.reports.designations import spoken_of, write_csv, write_ftm
from ceasefire.services import designations as service

designations_app = typer.Typer(
    help="Designation lists: each member's submission, and the consolidated list by rule.",
    no_args_is_help=True,
)


@designations_app.command("lists")
@handled
def lists() -> None:
    """The designation lists, with their members and latest version."""
    db = database()
    rows = []
    for d in service.lists(db):
        found = service.versions(db, d.id)
        rows.append([d.id, d.name, ", ".join(d.members), str(found[-1].number if found else 0)])
    show_table(["id", "name", "members", "version"], rows)


@designations_app.command("create")
@handled
def create(
    list_id: Annotated[str, typer.Argument(help="The new list's id.")],
    name: Annotated[str, typer.Option(help="Its name.")],
    member: Annotated[list[str], typer.Option(help="A member party's id (repeatable).")],
    description: Annotated[str, typer.Option(help="What the list is for.")] = "",
) -> None:
    """Create a designation list (or change its name and members), signed by the host."""
    outcome = service.save_list(
        open_ledger(), DesignationList(list_id, name, tuple(member), description)
    )
    out.print(f"designation list {list_id}: {outcome.value}")


@designations_app.command("submit")
@handled
def submit(
    list_id: Annotated[str, typer.Argument(help="The list.")],
    file: Annotated[Path, typer.Argument(help="The member's list: CSV, JSON or UN XML.")],
    party: Annotated[str, typer.Option(help="The member submitting it (signs it).")],
    format: Annotated[ListFormat, typer.Option(help="The file's format.")] = ListFormat.CSV,
    encoding: Annotated[str | None, typer.Option(help="The CSV's encoding.")] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Add to the member's list; without it, the file is the whole list and "
            "actors left out of it are no longer listed by the member.",
        ),
    ] = False,
    if_version: Annotated[
        str | None,
        typer.Option(
            help="The member's list as you read it (`designations held`): refused if "
            "someone of the party submitted since, which this would undo."
        ),
    ] = None,
) -> None:
    """Submit a member's designations. Each actor is named by id, by UN reference
    (un:QDe.137) or by name in any script; a name that resolves to no actor stops the
    submission, naming its row. Incidents are classified anew where a regime follows the
    list, and those that change are listed."""
    rows = read_list_file(file, format, encoding)
    submitted = service.submit(
        open_ledger(), list_id, party, rows, complete=not partial, expected=if_version
    )
    out.print(submitted.line(), highlight=False)
    out.print(f"  {party}'s list is now at version {submitted.held_as}", highlight=False)
    for change in submitted.reclassified:
        out.print(f"  incident {change.incident_id}: {change.before} -> {change.after}")


@designations_app.command("held")
@handled
def held(
    list_id: Annotated[str, typer.Argument(help="The list.")],
    party: Annotated[str, typer.Argument(help="The member.")],
) -> None:
    """A member's designations as they stand, each with its note, and the version to give
    `submit --if-version`."""
    db = database()
    found = service.held(db, list_id, party, member=True)
    names = service.actor_names(db, found)
    out.print(f"{party}'s list for {list_id}, version {held_version(found)}", highlight=False)
    rows = [
        [d.actor_id, names.get(d.actor_id, ""), _said(d.position), d.note]
        for _, d in sorted(found.items())
    ]
    show_table(["actor", "name", "position", "note"], rows)


@designations_app.command("show")
@handled
def show(
    list_id: Annotated[str, typer.Argument(help="The list.")],
    version: Annotated[int | None, typer.Option(help="A version [default: the latest].")] = None,
    rule: Annotated[
        str | None, typer.Option(help="Only the actors on the list under this rule.")
    ] = None,
) -> None:
    """The consolidated list: each actor with its level of agreement and who listed it."""
    found = service.consolidated(database(), list_id, version)
    chosen = None if rule is None else list_rule(rule, "--rule")
    rows = [
        [
            e.actor_id,
            found.names.get(e.actor_id, ""),
            e.level,
            ", ".join(e.listed_by),
            ", ".join(e.not_listed_by),
            ", ".join(e.silent),
        ]
        for e in spoken_of(found)
        if chosen is None or e.holds_under(chosen)
    ]
    out.print(f"{found.designation_list.name}, version {found.version}", highlight=False)
    show_table(["actor", "name", "level", "listed by", "not listed by", "silent"], rows)


@designations_app.command("versions")
@handled
def versions(list_id: Annotated[str, typer.Argument(help="The list.")]) -> None:
    """Each version of the list: who submitted, when, and how many groups it changed
    (as many as `diff` lists from the version before)."""
    rows = [
        [str(v.number), v.party_id, f"{v.submitted:%Y-%m-%d %H:%M:%S}Z", str(len(v.changes))]
        for v in service.versions(database(), list_id)
    ]
    show_table(["version", "party", "submitted", "changes"], rows)


@designations_app.command("diff")
@handled
def diff(
    list_id: Annotated[str, typer.Argument(help="The list.")],
    old: Annotated[int, typer.Argument(help="A version.")],
    new: Annotated[int, typer.Argument(help="A later version.")],
) -> None:
    """What changed from one version to another: each group a member's position on
    moved (added, removed, moved to another level, or held its level), its level of
    agreement in each version, and whose position moved."""
    db = database()
    found = service.compare(db, list_id, old, new)
    names = service.actor_names(db, [c.actor_id for c in found])
    rows = [
        [
            c.actor_id,
            names.get(c.actor_id, ""),
            c.change.value,
            c.before,
            c.after,
            ", ".join(f"{w.party_id}: {_said(w.before)} -> {_said(w.after)}" for w in c.words),
        ]
        for c in found
    ]
    show_table(
        ["actor", "name", "change", f"version {old}", f"version {new}", "positions moved"], rows
    )


def _said(position: Position | None) -> str:
    return "silent" if position is None else position.value


class ExportFormat(StrEnum):
    CSV = "csv"
    FTM = "ftm"


@designations_app.command("export")
@handled
def export(
    list_id: Annotated[str, typer.Argument(help="The list.")],
    format: Annotated[
        ExportFormat, typer.Option(help="csv, or ftm (FollowTheMoney JSON lines).")
    ] = ExportFormat.CSV,
    version: Annotated[int | None, typer.Option(help="A version [default: the latest].")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File [default: stdout].")
    ] = None,
) -> None:
    """The consolidated list with who listed what: CSV (one row an actor, with whether it
    is on the list under each rule) or FollowTheMoney entities."""
    found = service.consolidated(database(), list_id, version)
    write = write_csv if format is ExportFormat.CSV else write_ftm
    if output is None:
        write(found, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = write(found, handle)
    out.print(f"wrote {count} {'rows' if format is ExportFormat.CSV else 'entities'} to {output}")

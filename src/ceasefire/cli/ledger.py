"""`ceasefire ledger verify|export|checkpoint|cosign|rotate-key`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import (
    State,
    bar,
    database,
    err,
    handled,
    open_ledger,
    out,
    settings,
    tracker,
)
from ceasefire.domain.errors import InvalidInputError, NotFoundError
from ceasefire.services import scopes
from ceasefire.services.bundles import export_bundle, verify_bundle
from ceasefire.services.logs import cosign_as
from ceasefire.services.rotations import rotate_key
from ceasefire.services.verification import Verification, trusted_host_key, verify_database
from ceasefire.store import checkpoints as checkpoint_store

ledger_app = typer.Typer(
    help="Verify and export the ledger, and show its checkpoints.", no_args_is_help=True
)
SHOWN = 20  # problems listed before "and N more"


@ledger_app.command()
@handled
def verify(
    folder: Annotated[
        Path | None,
        typer.Argument(help="An exported bundle to check offline (default: the database)."),
    ] = None,
    db: Annotated[
        str | None, typer.Option(help="Check this database (URL or SQLite file).")
    ] = None,
    trusted_checkpoint: Annotated[
        Path | None,
        typer.Option(help="A checkpoint you kept earlier: the log must still extend it."),
    ] = None,
    host_key: Annotated[
        str | None,
        typer.Option(help="The host's verifier key (name+id+base64) to check checkpoints with."),
    ] = None,
) -> None:
    """Recompute the tree, check every signature, entry and checkpoint, and (for a
    database) that every row of shared state is the one its entries wrote.
    Exits 1 naming the first problem found."""
    if folder is not None and db is not None:
        raise InvalidInputError("--db", "give a bundle folder or --db, not both")
    trusted = _read(trusted_checkpoint) if trusted_checkpoint else None
    key = trusted_host_key(host_key)
    with bar("verifying", None) as progress:
        if folder is not None:
            result = verify_bundle(
                folder, trusted=trusted, host_key=key, progress=tracker(progress)
            )
        else:
            if db is not None:
                State.db_url = db
            result = verify_database(
                database(),
                origin=settings().ledger_origin,
                trusted=trusted,
                host_key=key,
                progress=tracker(progress),
            )
    _report(result)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError("--trusted-checkpoint", f"cannot read {path}: {error}") from None


def _report(result: Verification) -> None:
    root = result.root.hex() if result.size else "(empty)"
    out.print(f"{result.size} entries, root {root}", highlight=False)
    out.print(
        f"{result.checkpoints} checkpoints and {result.cosignatures} cosignatures checked"
        + ("" if result.records is None else f"; {result.records} records in the database")
        + ("" if result.incidents is None else f", {result.incidents} incidents recomputed"),
        highlight=False,
    )
    if result.sealed:
        out.print(
            f"{result.sealed} sealed entries, {result.opened} of them opened and checked",
            highlight=False,
        )
    if result.migrated:
        out.print(
            f"{result.migrated} entries migrate records to later states, "
            f"{result.migrations_checked} of them checked against the declared upgrades",
            highlight=False,
        )
    for key in result.keys:
        out.print(f"  key {key}", highlight=False)
    for rotation in result.rotations:
        out.print(f"  {rotation}", highlight=False)
    if result.ok:
        out.print("verified: no problems found")
        return
    err.print(f"error: {result.problems[0]}", highlight=False, markup=False)
    for problem in result.problems[1:SHOWN]:
        err.print(f"  also: {problem}", highlight=False, markup=False)
    if len(result.problems) > SHOWN:
        err.print(f"  and {len(result.problems) - SHOWN} more", highlight=False)
    raise typer.Exit(1)


@ledger_app.command()
@handled
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the bundle into.")],
    party: Annotated[
        str | None,
        typer.Option(
            help="Open only the sealed entries this party may read [default: all of them]"
        ),
    ] = None,
) -> None:
    """Write a self-contained bundle (entries, checkpoints, cosignatures, keys, openings,
    README) that `ceasefire ledger verify DIR` checks with no database."""
    db = database()
    audience = scopes.audience_for(db, party)
    with bar("exporting", None) as progress:
        size = export_bundle(db, folder, progress=tracker(progress), audience=audience)
    out.print(f"exported {size} entries to {folder}", highlight=False)


@ledger_app.command("cosign")
@handled
def cosign_command(
    party: Annotated[
        list[str], typer.Option("--party", help="A party whose key the server holds (repeatable).")
    ],
) -> None:
    """Cosign the latest checkpoint as parties whose keys the server holds (a party with
    no key gets one). A party holding its own key cosigns with POST /api/v1/ledger/cosign."""
    saved = cosign_as(open_ledger(), party)
    out.print(
        f"checkpoint of size {saved.checkpoint.size} cosigned by {', '.join(party)}",
        highlight=False,
    )


@ledger_app.command("rotate-key")
@handled
def rotate_key_command(
    party: Annotated[
        str, typer.Option("--party", help="The party (the host included) whose key to rotate.")
    ],
) -> None:
    """Give a party whose key the server holds a new key: a `key.rotated` entry, signed by
    the old key, names the new one, and the party signs with the new key from then on.
    A party holding its own key rotates it with POST /api/v1/parties/{party}/keys/rotate."""
    done = rotate_key(open_ledger(), party)
    out.print(
        f"party {done.party}: key rotated at entry {done.sequence}, signed by the old key "
        f"{done.old.key_id}; it signs with {done.new.name} ({done.new.key_id}) from now on",
        highlight=False,
    )


@ledger_app.command()
@handled
def checkpoint(
    size: Annotated[
        int | None, typer.Option(help="The size to show (default: the latest).")
    ] = None,
) -> None:
    """Print a signed checkpoint with its cosignatures: keep it to verify against later."""
    with database().read() as conn:
        saved = checkpoint_store.load_checkpoint(conn, size)
    if saved is None:
        raise NotFoundError("the ledger has no checkpoint" + (f" of size {size}" if size else ""))
    print(saved.cosigned_note(), end="")

"""`ceasefire parties add` and `ceasefire users add|token|list`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ceasefire.cli.common import database, err, handled, open_ledger, out, settings, show_table
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.regimes import Party
from ceasefire.domain.workflow import Role
from ceasefire.services.accounts import Accounts
from ceasefire.services.parties import KINDS, add_party
from ceasefire.store import users as user_store

parties_app = typer.Typer(help="Add parties.", no_args_is_help=True)
users_app = typer.Typer(help="Add users and give them API tokens.", no_args_is_help=True)


def _accounts() -> Accounts:
    return Accounts(database(), memory_kib=settings().password_memory_kib)


@parties_app.command("add")
@handled
def add_party_command(
    party_id: Annotated[str, typer.Argument(help="Short id, e.g. 'us', 'osce-smm'.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    kind: Annotated[str, typer.Option(help=f"One of {', '.join(KINDS)}.")] = "state",
) -> None:
    """Add a party (signed into the ledger by the host)."""
    add_party(open_ledger(), Party(party_id, name, kind))
    out.print(f"added party {party_id}", highlight=False)


@users_app.command("add")
@handled
def add_user_command(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    party: Annotated[str, typer.Option(help="The party the user acts for.")],
    role: Annotated[
        str, typer.Option(help="observer, reporter, analyst, officer or admin.")
    ] = "observer",
    name: Annotated[str, typer.Option(help="Display name [default: the username].")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a user of a party. Without --password-stdin the password is asked for; a user
    with no password signs in with API tokens only (`ceasefire users token`)."""
    if password_stdin:
        password: str | None = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        password = None
    if password == "":
        raise InvalidInputError("password", "is empty")
    user = _accounts().add_user(
        party, username, role=Role.named(role), password=password, display_name=name
    )
    how = "" if password else "; no password: it signs in with API tokens only"
    out.print(f"added {user.username} ({user.role.label} of {user.party_id}){how}", highlight=False)


@users_app.command("token")
@handled
def token_command(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 90,
) -> None:
    """Make an API token for a user; it is printed once, on stdout, and never again."""
    token_id, secret = _accounts().issue_token(username, name=name, days=days)
    err.print(f"token {token_id} for {username}, valid {days} days:", highlight=False)
    print(secret)


@users_app.command("list")
@handled
def list_users_command(
    party: Annotated[str | None, typer.Option(help="Only this party's users.")] = None,
) -> None:
    """List users: username, party, role."""
    with database().read() as conn:
        found = user_store.list_users(conn, party)
    show_table(
        ["username", "party", "role", "name"],
        [[u.username, u.party_id, u.role.label, u.display_name] for u in found],
    )

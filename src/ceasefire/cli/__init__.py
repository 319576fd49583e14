"""The `ceasefire` command. Known errors print one line and exit 2; no tracebacks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.accessions import accessions_app
from ceasefire.cli.accounts import parties_app, users_app
from ceasefire.cli.actors import actors_app
from ceasefire.cli.common import (
    State,
    bar,
    database,
    err,
    handled,
    open_ledger,
    out,
    say_resolved_anew,
    secret_settings,
    settings,
    tracker,
    upgrade,
)
from ceasefire.cli.control import control_app
from ceasefire.cli.designations import designations_app
from ceasefire.cli.humanitarian import humanitarian_app
from ceasefire.cli.imports import import_app, run_import
from ceasefire.cli.incidents import incidents_app
from ceasefire.cli.ledger import ledger_app
from ceasefire.cli.measures import measures_app
from ceasefire.cli.regimes import regimes_app
from ceasefire.cli.reports import report_app
from ceasefire.config import Settings
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.workflow import Role
from ceasefire.ingest.accession_files import read_accession_file
from ceasefire.ingest.control_files import read_control_file
from ceasefire.ingest.designation_files import ListFormat, read_list_file
from ceasefire.services import designations, scopes
from ceasefire.services.accessions import list_accessions, record_accessions
from ceasefire.services.accounts import Accounts
from ceasefire.services.control import geojson as control_geojson
from ceasefire.services.control import record_areas
from ceasefire.services.ledger import Ledger, host_of
from ceasefire.services.logs import cosign_as
from ceasefire.services.reclassification import reclassify, resolve_actors_again
from ceasefire.services.scenarios import load_scenario
from ceasefire.store import users as user_store
from ceasefire.store.database import Database

app = typer.Typer(
    help="ceasefire: a shared record and map for monitoring ceasefires.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(regimes_app, name="regimes")
app.add_typer(actors_app, name="actors")
app.add_typer(designations_app, name="designations")
app.add_typer(accessions_app, name="accessions")
app.add_typer(control_app, name="control")
app.add_typer(humanitarian_app, name="humanitarian")
app.add_typer(incidents_app, name="incidents")
app.add_typer(import_app, name="import")
app.add_typer(ledger_app, name="ledger")
app.add_typer(measures_app, name="measures")
app.add_typer(report_app, name="report")
app.add_typer(parties_app, name="parties")
app.add_typer(users_app, name="users")


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL or SQLite file "
            "[default: $CEASEFIRE_DATABASE_URL or ./ceasefire.sqlite]"
        ),
    ] = None,
) -> None:
    State.db_url = db


@app.command()
@handled
def init() -> None:
    """Create the database, or bring it up to date: its schema, and its records' states
    (signed migrations, which need CEASEFIRE_LEDGER_SECRET when there are any)."""
    db = database(create=True)
    open_ledger(db)
    out.print(f"database ready: {db.describe()}")


@app.command()
@handled
def load(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Apply the file even where it would undo a change made since its last load "
            "(each reversal is a signed update).",
        ),
    ] = False,
) -> None:
    """Load scenario files (agreements, regimes, parties, actors, places). Idempotent:
    loading a file again applies only what changed in it since its last load, keeps what
    was changed since in the database (an extension agreed over the API), and refuses,
    naming the record, where the file would undo such a change."""
    from ceasefire.ingest.scenario import load_scenario_file  # its models: only here

    log = open_ledger(create=True)
    for path in files:
        scenario = load_scenario_file(path)
        with bar(f"resolving names, classifying incidents for {path.name}", None) as progress:
            summary = load_scenario(log, scenario, progress=tracker(progress), force=force)
        out.print(summary.line())
        say_resolved_anew(summary.resolved_again)
        if summary.reclassified:
            out.print(f"  classified {summary.reclassified} incidents again")


@app.command("reclassify")
@handled
def reclassify_command(
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help="First resolve again the actors every stored report names (what an "
            "interrupted `load` or `actors import-un` left; signed as the host).",
        ),
    ] = False,
) -> None:
    """Classify every incident again against the regimes in force."""
    if names:
        log = open_ledger()
        with bar("resolving names", None) as progress:
            say_resolved_anew(len(resolve_actors_again(log, progress=tracker(progress))))
        db = log.db
    else:
        db = database()
    with bar("classifying", None) as progress:
        counts = reclassify(db, progress=tracker(progress))
    out.print(", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no incidents")


@app.command()
@handled
def serve(
    host: Annotated[
        str | None, typer.Option(help="[default: $CEASEFIRE_HOST or 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="[default: $CEASEFIRE_PORT or 8000]")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Server processes [default: $CEASEFIRE_WORKERS or 1]")
    ] = None,
) -> None:
    """Serve the workspace (/) and the API (/api/v1, OpenAPI at /docs)."""
    config = settings()
    if workers is not None:
        config = config.model_copy(update={"workers": workers})
    serve_app(config, host, port)


APP = "ceasefire.app:served_app"


def serve_app(config: Settings, host: str | None, port: int | None) -> None:
    from ceasefire.cli import workers

    db = Database(config.database_url)
    State.opened.append(db)
    db.migrate()
    hosting = host_of(db, config.ledger_origin)
    if config.host_party and hosting and hosting != config.host_party:
        raise InvalidInputError(
            "CEASEFIRE_HOST_PARTY",
            f"this log's host is {hosting!r}, not {config.host_party!r}: a log has one host, "
            f"the party whose key it registered first as its origin (unset it, or set "
            f"{hosting})",
        )
    config = secret_settings(config)
    if config.ledger_secret is None:
        raise InvalidInputError(
            "CEASEFIRE_LEDGER_SECRET",
            "is not set: a server on PostgreSQL, on a database whose signing keys were sealed "
            "with a secret given before, or with CEASEFIRE_REQUIRE_SECRET needs the secret "
            "that seals its signing keys given explicitly; it never makes one itself",
        )
    upgrade(Ledger.from_settings(db, config))
    bind_host, bind_port = host or config.host, port or config.port
    processes = f"{config.workers} processes, " if config.workers > 1 else ""
    at_once = f"{processes}{config.threads} requests at once" + (" in each" if processes else "")
    out.print(f"serving http://{bind_host}:{bind_port}  (API /api/v1, docs /docs; {at_once})")
    # each process builds its app from the environment (ceasefire.app.served_app)
    os.environ["CEASEFIRE_DATABASE_URL"] = config.database_url
    try:
        code = workers.serve(APP, bind_host, bind_port, config.workers)
    except OSError as error:
        raise InvalidInputError("port", f"{bind_host}:{bind_port}: {error.strerror}") from None
    if code:
        raise typer.Exit(code)


@app.command()
@handled
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after loading.")
    ] = True,
) -> None:
    """Load the bundled demo (Syria 2016, Ukraine 2015) and serve it. Idempotent.

    The UN secretariat hosts it; the co-chairs cosign its ledger. Without
    CEASEFIRE_LEDGER_SECRET the demo seals its keys with a demo secret."""
    from ceasefire.scenarios import DEMO_EVENT_FILES, DEMO_SCENARIOS

    os.environ.setdefault("CEASEFIRE_HOST_PARTY", DEMO_HOST)
    if not os.environ.get("CEASEFIRE_LEDGER_SECRET"):
        os.environ["CEASEFIRE_LEDGER_SECRET"] = DEMO_SECRET
        err.print(
            f"CEASEFIRE_LEDGER_SECRET is not set: the demo seals its keys with {DEMO_SECRET!r}"
        )
    log = open_ledger(create=True)
    from ceasefire.ingest.scenario import load_scenario_file  # its models: only here

    for path in DEMO_SCENARIOS:
        out.print(load_scenario(log, load_scenario_file(path)).line())
    for path, fmt, source in DEMO_EVENT_FILES:
        run_import(log, path, fmt, source, None, None)
    _demo_registers(log)
    logins = _demo_users(log)
    saved = cosign_as(log, DEMO_COSIGNERS)
    out.print(
        f"ledger: {saved.checkpoint.size} signed entries; the latest checkpoint is cosigned by "
        + ", ".join(DEMO_COSIGNERS),
        highlight=False,
    )
    config = settings()
    base = f"http://{config.host}:{config.port}"
    out.print(f"\nSign in at {base}/login as:", highlight=False)
    for line in logins:
        out.print(f"  {line}", highlight=False)
    if serve_after:
        where = f"--db {State.db_url} " if State.db_url else ""
        out.print(
            f"\nOpen {base}/ : the shared map, both agreements, the live feed.\n"
            "Also (docs/workflow.md walks through the joint workflow with these users):\n"
            f"  {base}/docs  (the API; make a token with `ceasefire users token`)\n"
            f"  .venv/bin/ceasefire {where}ledger verify",
            highlight=False,
        )
        serve_app(config, None, None)


def _demo_registers(log: Ledger) -> None:
    """The demo's registers, each loaded once (a second load would join, hold and submit
    twice): accessions, areas of control, the co-chairs' designations."""
    from ceasefire.scenarios import DEMO_ACCESSIONS, DEMO_CONTROL, DEMO_DESIGNATIONS

    accessions, regime = DEMO_ACCESSIONS
    if not list_accessions(log.db, regime):
        joined = read_accession_file(accessions)
        out.print(f"accessions: {record_accessions(log, joined).line()}")
    if not control_geojson(log.db, None)["features"]:
        out.print(f"control: {record_areas(log, read_control_file(DEMO_CONTROL)).line()}")
    issg, submissions = DEMO_DESIGNATIONS
    if designations.consolidated(log.db, issg).version == 0:
        for party, path in submissions:
            listed = read_list_file(path, ListFormat.CSV)
            out.print(f"designations: {designations.submit(log, issg, party, listed).line()}")


DEMO_HOST = "un"  # the UN secretariat hosts the task force's server
DEMO_COSIGNERS = ["us", "ru", "ua"]  # the co-chairs of the two agreements
DEMO_SECRET = "demo secret, not for real use"
# the two co-chairs' officers, the UN secretariat that hosts the task force, and a monitor
# of the other agreement, who reads none of the Syrian task force's own records
DEMO_USERS = [
    ("us-officer", "us", Role.OFFICER, "United States officer"),
    ("ru-officer", "ru", Role.OFFICER, "Russian Federation officer"),
    ("un-secretariat", "un", Role.ADMIN, "UN secretariat"),
    ("osce-monitor", "osce-smm", Role.REPORTER, "OSCE SMM monitor"),
]


def _demo_users(log: Ledger) -> list[str]:
    """Make the demo's users once; their logins (the password is the username + '-demo')."""
    accounts = Accounts(log.db, memory_kib=settings().password_memory_kib)
    with log.db.read() as conn:
        known = {u.username for u in user_store.list_users(conn)}
    lines = []
    for username, party, role, name in DEMO_USERS:
        password = f"{username}-demo"
        if username not in known:
            accounts.add_user(party, username, role=role, password=password, display_name=name)
        reads = ", ".join(sorted(scopes.audience(log.db, party).agreements)) or "none"
        lines.append(f"{username} / {password}   ({role.label} of {party}; agreements: {reads})")
    return lines


# click's exceptions, which Typer raises but does not export (BadParameter is a UsageError)
_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
UsageError: type[Exception] = _CLICK_ERRORS["UsageError"]
ClickError: type[Exception] = _CLICK_ERRORS["ClickException"]


def main(args: list[str] | None = None) -> None:
    """Entry point of the console script. A mistake in the command line (an unknown option,
    a missing argument, a value of the wrong type) is one line on stderr naming the
    command, and exit status 2, as ceasefire's own errors are (``cli.common.handled``)."""
    try:
        code = app(args=args, prog_name="ceasefire", standalone_mode=False)
    except UsageError as error:
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "ceasefire"
        message = error.format_message()  # type: ignore[attr-defined]
        err.print(
            f"error: {where}: {message} (see '{where} --help')", highlight=False, markup=False
        )
        raise SystemExit(2) from None
    except ClickError as error:
        err.print(f"error: {error.format_message()}", highlight=False, markup=False)  # type: ignore[attr-defined]
        raise SystemExit(1) from None
    except typer.Abort:
        err.print("aborted", highlight=False, markup=False)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()

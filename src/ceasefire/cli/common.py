"""What every command shares: consoles, settings, the database, progress bars, tables,
and turning ceasefire's own errors into one line and exit status 2."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, ClassVar, ParamSpec, TypeVar, get_type_hints

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text
from typer.models import ArgumentInfo, OptionInfo

from ceasefire.config import Settings
from ceasefire.domain.cells import cell
from ceasefire.domain.errors import CeasefireError, InvalidInputError
from ceasefire.domain.times import to_utc
from ceasefire.secret_files import with_secret
from ceasefire.services.derivations import derive_all, derived_under_other_rules
from ceasefire.services.joints import fill_joints
from ceasefire.services.ledger import Ledger
from ceasefire.services.upgrades import pending, upgrade_states
from ceasefire.store.database import Database, normalize_url, sqlite_file
from ceasefire.store.records import RECORD_TYPES

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")


def handled(function: Callable[P, R]) -> Callable[P, R]:
    """Turn ceasefire's own errors into one line on stderr and exit status 2."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            check_arguments(function, kwargs)
            return function(*args, **kwargs)
        except CeasefireError as error:
            err.print(f"error: {error.message}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except OSError as error:  # a file named on the command line: missing, not writable
            where = f"{error.filename}: " if error.filename else ""
            err.print(f"error: {where}{error.strerror or error}", highlight=False, markup=False)
            raise typer.Exit(2) from None
        finally:
            while State.opened:
                State.opened.pop().dispose()

    return wrapper


INT64 = 2**63 - 1  # the largest whole number a column holds


def check_arguments(function: Callable[..., object], values: dict[str, object]) -> None:
    """Refuse, naming the option, what no command can use: text that is not Unicode (a
    lone surrogate: bytes on the command line that are not UTF-8, which no file or column
    can hold) and whole numbers beyond 64 bits."""
    for name, value in values.items():
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, str) and not _encodable(item):
                raise InvalidInputError(
                    _option(function, name),
                    f"{item!r} is not valid text (bytes that are not UTF-8)",
                )
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) > INT64:
                raise InvalidInputError(_option(function, name), f"{item} is more than {INT64}")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _option(function: Callable[..., object], name: str) -> str:
    """How the command line names a parameter: its option (--party) or argument (FILE)."""
    hint = get_type_hints(function, include_extras=True).get(name)
    for info in getattr(hint, "__metadata__", ()):
        if isinstance(info, ArgumentInfo):
            return name.upper()
        if isinstance(info, OptionInfo):
            long = [d for d in info.param_decls or () if d.startswith("--")]
            return long[0].split("/")[0] if long else f"--{name.replace('_', '-')}"
    return f"--{name.replace('_', '-')}"


class State:
    db_url: ClassVar[str | None] = None
    opened: ClassVar[list[Database]] = []  # disposed when the command ends


def settings() -> Settings:
    try:
        config = Settings()
    except ValidationError as error:  # a CEASEFIRE_* variable the settings cannot take
        first = error.errors()[0]
        name = "CEASEFIRE_" + "_".join(str(part) for part in first["loc"]).upper()
        raise InvalidInputError(name, first["msg"].removeprefix("Value error, ")) from None
    if State.db_url:
        config = config.model_copy(update={"database_url": State.db_url})
    return config


def yield_cpu(niceness: int) -> None:
    """Lower this process's CPU priority by ``niceness`` (where the platform has one), so
    that bulk work gives way to a server on the same machine."""
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)


def database(*, create: bool = False) -> Database:
    """The database the command works on, migrated. A command that only reads or adds to
    one (``create`` False) refuses a SQLite file that is not there, rather than making an
    empty one in the current folder."""
    url = normalize_url(settings().database_url)
    if not create:
        missing = sqlite_file(url)
        if missing is not None and not missing.exists():
            raise InvalidInputError(
                "--db",
                f"no database at {missing}: run `ceasefire init` (or `ceasefire demo`), "
                "or pass --db",
            )
    db = Database(url)
    State.opened.append(db)
    db.migrate()
    return db


def open_ledger(db: Database | None = None, *, create: bool = False) -> Ledger:
    """The (migrated) database with the ledger its writes are signed into, every record's
    state brought up to this release's (``services.upgrades``)."""
    db = db or database(create=create)
    log = Ledger.from_settings(db, secret_settings())
    upgrade(log)
    return log


def secret_settings(config: Settings | None = None) -> Settings:
    """The settings with the ledger secret: given, or kept beside a local SQLite database
    (made on first use, and said so once: ``ceasefire.secret_files``)."""
    config, made = with_secret(config or settings(), create=True)
    if made is not None:
        err.print(
            f"made a ledger secret in {made} (readable by you alone); it seals the signing "
            "keys: keep a copy apart from the database's backups",
            highlight=False,
        )
    return config


def upgrade(log: Ledger) -> dict[str, int]:
    """Migrate record states to this release's versions, saying what was migrated, and
    derive what older releases did not keep (joint findings)."""
    filled = fill_joints(log.db)
    if filled:
        err.print(f"derived the joint findings of {filled} assessed incidents", highlight=False)
    if derived_under_other_rules(log.db):
        with bar("classifying incidents under this release's rules", None) as progress:
            derived = derive_all(log.db, progress=tracker(progress))
        if derived:
            err.print(
                f"classified {derived} incidents again under this release's rules",
                highlight=False,
            )
    if not pending(log.db):
        return {}
    with bar("migrating record states", None) as progress:
        done = upgrade_states(log, progress=tracker(progress))
    for kind, count in done.items():
        err.print(
            f"migrated {count} {kind} records to {RECORD_TYPES[kind].kind.tag()} "
            f"(signed {kind}.migrated entries)",
            highlight=False,
        )
    return done


def say_resolved_anew(incidents: int) -> None:
    """After actors came (a scenario, the UN list): how many incidents name actors whose
    names the reports give resolve otherwise now."""
    if incidents:
        out.print(f"  {incidents} incidents name actors resolved anew and were classified again")


@contextmanager
def bar(label: str, total: int | None, *, in_bytes: bool = False) -> Iterator[Progress]:
    columns: list[Any] = [TextColumn("{task.description}", markup=False), BarColumn()]
    columns.append(DownloadColumn() if in_bytes else TextColumn("{task.completed}/{task.total}"))
    columns.append(TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        progress.add_task(label, total=total)
        yield progress


def tracker(progress: Progress) -> Callable[[int, int], None]:
    """A callback that moves a bar's only task to `done` of `total`."""
    task = progress.task_ids[0]
    return lambda done, total: progress.update(task, completed=done, total=total)


def show_table(columns: list[str], rows: list[list[str]]) -> None:
    """A table on a terminal (cells as plain text, never markup); tab-separated lines with
    a header when piped or redirected, each cell that a spreadsheet would run as a formula
    neutralised (numbers such as -33.5 stay numbers)."""
    if not out.is_terminal:
        for line in [columns, *rows]:
            print("\t".join(_tsv_cell(cell) for cell in line))
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out.print(table)


def _tsv_cell(value: str) -> str:
    flat = value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    try:
        float(flat)
    except ValueError:
        return str(cell(flat))
    return flat


def day_of(text: str, option: str) -> date:
    """A day given on the command line (YYYY-MM-DD); one line naming the option if not."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(option, f"{text!r} is not a day (YYYY-MM-DD)") from None


def local_time(text: str, time_zone: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(field, f"{text!r} is not an ISO 8601 date or time") from None
    return to_utc(value, time_zone, field)

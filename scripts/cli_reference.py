"""Write docs/cli.md from the `ceasefire` command's own --help texts.

.venv/bin/python scripts/cli_reference.py          # rewrite docs/cli.md
.venv/bin/python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from ceasefire.cli import app

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _walk(command: object, path: list[str]) -> list[list[str]]:
    found = [path]
    children = getattr(command, "commands", {})
    for name in sorted(children):
        found += _walk(children[name], [*path, name])
    return found


def help_text(path: list[str]) -> str:
    env = {"COLUMNS": "100", "TERMINAL_WIDTH": "100", "NO_COLOR": "1", "FORCE_COLOR": ""}
    runner = CliRunner()
    result = runner.invoke(app, [*path[1:], "--help"], env=env, color=False, prog_name="ceasefire")
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def reference() -> str:
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from `ceasefire --help` by `scripts/cli_reference.py`; a test fails when it",
        "is out of date. Every command takes the database from `--db` (before the command name)",
        "or `CEASEFIRE_DATABASE_URL`, default `./ceasefire.sqlite`. Errors in what you give it",
        "(a file, a value, the command line itself) print one line and exit with status 2.",
        "`init`, `load`, `import events` and `demo` create a SQLite file that is not there;",
        "every other command refuses one, naming it.",
        "",
    ]
    for path in _walk(root, ["ceasefire"]):
        lines += [f"## `{' '.join(path)}`", "", "```", help_text(path), "```", ""]
    return "\n".join(lines)


def main() -> int:
    text = reference()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

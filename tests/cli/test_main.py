"""The console script: a mistake in the command line is one line naming the command, and
exit status 2, as ceasefire's own errors are; help and success exit 0."""

from __future__ import annotations

import pytest

from ceasefire.cli import main


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["import", "events"],
            "error: ceasefire import events: Missing argument 'file'. "
            "(see 'ceasefire import events --help')",
        ),
        (["--bogus"], "error: ceasefire: No such option: --bogus (see 'ceasefire --help')"),
        (
            ["incidents", "list", "--limit", "abc"],
            "error: ceasefire incidents list: Invalid value for '--limit'",
        ),
        (["nowhere"], "error: ceasefire: No such command 'nowhere'."),
    ],
)
def test_a_command_line_mistake_is_one_line_and_exit_2(
    args: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith(line)


def test_help_is_printed_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import", "events", "--help"])
    assert exited.value.code == 0
    assert "Usage: ceasefire import events" in capsys.readouterr().out


def test_a_ceasefire_error_keeps_its_own_line_and_exit_2(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--db", f"sqlite:///{tmp_path}/absent.sqlite", "incidents", "list"])
    assert exited.value.code == 2
    assert "no database at" in capsys.readouterr().err

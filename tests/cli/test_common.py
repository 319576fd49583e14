"""How the CLI prints tables: plain text on a terminal, safe tab-separated lines in a pipe."""

from __future__ import annotations

import pytest
from rich.console import Console

from ceasefire.cli import common


def test_a_piped_table_neutralises_formula_cells_and_keeps_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common.show_table(
        ["name", "lon", "count"],
        [['=HYPERLINK("http://x")', "-33.5", "+7"], ["@SUM(1)\tx", "36.2", "3"]],
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "name\tlon\tcount",
        '\'=HYPERLINK("http://x")\t-33.5\t+7',
        "'@SUM(1) x\t36.2\t3",
    ]


def test_a_table_on_a_terminal_shows_cells_as_text_not_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Console(force_terminal=True, width=80, record=True, color_system=None)
    monkeypatch.setattr(common, "out", terminal)
    common.show_table(["name"], [["[bold red]Jabhat[/] al-Nusra"]])
    assert "[bold red]Jabhat[/] al-Nusra" in terminal.export_text()

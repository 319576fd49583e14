"""The reports' CLI tests run `ceasefire` as the CLI tests do: the same fixture."""

from __future__ import annotations

from cli.conftest import Run, run

__all__ = ["Run", "run"]

"""What drew an issued report: the release, a digest of the files that draw it in its
language, and the libraries that set its text, with each difference named."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from ceasefire.reports import renderers
from ceasefire.reports.renderers import DRAWING, REPORTS, differences, renderer


def _reports_imported_by(module: str, seen: set[str]) -> set[str]:
    tree = ast.parse((REPORTS / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        module_name = node.module if isinstance(node, ast.ImportFrom) else None
        if module_name and module_name.startswith("ceasefire.reports."):
            name = module_name.rsplit(".", 1)[1]
            if name not in seen:
                seen.add(name)
                _reports_imported_by(name, seen)
    return seen


def test_the_drawing_digests_every_report_module_a_report_is_drawn_with() -> None:
    assert _reports_imported_by("documents", {"documents"}) == set(DRAWING)


def _drawing_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, folder: str, name: str, text: str
) -> tuple[str, str]:
    """The drawing of a Russian PDF before and after ``name`` in a copy of the renderers'
    ``folder`` (``DOMAIN`` or ``TEMPLATES``) is given ``text``, as another installation's."""
    before = renderer("ru", "pdf")["drawing"]
    copy = tmp_path / folder.lower()
    shutil.copytree(getattr(renderers, folder), copy)
    (copy / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(renderers, folder, copy)
    try:
        renderers._renderer.cache_clear()
        return before, renderer("ru", "pdf")["drawing"]
    finally:
        renderers._renderer.cache_clear()


def test_the_drawing_digests_the_domains_words_the_report_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = (renderers.DOMAIN / "words.py").read_text(encoding="utf-8") + "\n# reworded\n"
    before, after = _drawing_after(monkeypatch, tmp_path, "DOMAIN", "words.py", words)
    assert after != before


def test_a_pdf_names_the_libraries_that_set_its_text_and_html_only_its_own() -> None:
    pdf, html = renderer("ar", "pdf"), renderer("ar", "html")
    assert {"weasyprint", "pydyf", "fonttools", "Pango"} <= set(pdf)
    assert not {"weasyprint", "Pango"} & set(html)
    assert pdf["drawing"] == html["drawing"] and pdf["Babel"] == html["Babel"]
    assert pdf["Pango"].count(".") == 2 and pdf["tz"]


def test_each_language_draws_with_its_own_catalogue() -> None:
    assert len({renderer(code, "html")["drawing"] for code in ("en", "ru", "ar")}) == 3


def test_a_changed_template_changes_the_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = "<p>another</p>"
    before, after = _drawing_after(monkeypatch, tmp_path, "TEMPLATES", "daily.html", changed)
    assert after != before


def test_differences_name_each_component_that_differs_or_is_missing() -> None:
    here = {"ceasefire": "0.2.0", "drawing": "b", "Babel": "2.19.0", "Pango": "1.50.12"}
    recorded = {"ceasefire": "0.1.0", "drawing": "a", "Babel": "2.19.0", "weasyprint": "66.0"}
    assert differences(recorded, here) == [
        "ceasefire: 0.1.0 when issued, 0.2.0 here",
        "drawing: a when issued, b here",
        "weasyprint: 66.0 when issued, none here",
        "Pango: none when issued, 1.50.12 here",
    ]
    assert differences(here, here) == []

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


def test_the_drawing_digests_the_domains_words_the_report_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = renderer("ru", "pdf")["drawing"]
    copy = tmp_path / "domain"
    shutil.copytree(renderers.DOMAIN, copy)
    words = copy / "words.py"
    words.write_text(words.read_text(encoding="utf-8") + "\n# reworded\n", encoding="utf-8")
    monkeypatch.setattr(renderers, "DOMAIN", copy)
    try:
        renderers._renderer.cache_clear()
        assert renderer("ru", "pdf")["drawing"] != before
    finally:
        renderers._renderer.cache_clear()


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
    before = renderer("en", "html")["drawing"]
    copy = tmp_path / "templates"
    shutil.copytree(renderers.TEMPLATES, copy)
    monkeypatch.setattr(renderers, "TEMPLATES", copy)
    (copy / "daily.html").write_text("<p>another</p>", encoding="utf-8")
    try:
        renderers._renderer.cache_clear()
        assert renderer("en", "html")["drawing"] != before
    finally:
        renderers._renderer.cache_clear()


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

"""The notebooks: paired text form in sync, parameters first, and every one runs on the seeds.

The slow tests execute all six notebooks through `kit report` (papermill, a real kernel) on the
seeds, on the gold tables with hostile text, on empty tables, on undated and reprinted articles of
our own and on a folder of one article; and a notebook step that fails.
"""
from __future__ import annotations

import re
import shutil
import sqlite3

import jupytext
import nbformat
import pandas as pd
import pytest

from kit import paths
from repo import ROOT

from kit.present import pages, report, show
from kit.present.report import notebooks

import report_builds

PY = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.py"))
NAMES = ["01-articles", "02-geocoding", "03-map", "04-casualty-claims", "05-attribution-matrix", "06-report"]


def test_six_numbered_notebooks_each_paired_with_its_text_form():
    assert [p.stem for p in notebooks()] == NAMES
    assert [p.stem for p in PY] == NAMES
    assert "ipynb,py:percent" in (ROOT / "jupytext.toml").read_text()


@pytest.mark.parametrize("py", PY, ids=lambda p: p.stem)
def test_pair_is_in_sync_and_committed_without_outputs(py):
    text = jupytext.read(py)
    nb = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
    assert [(c.cell_type, c.source) for c in text.cells] == [(c.cell_type, c.source) for c in nb.cells], \
        f"{py.name} and its .ipynb differ: run `jupytext --sync notebooks/*.ipynb`"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{py.name}: commit it without outputs"


@pytest.mark.parametrize("py", PY, ids=lambda p: p.stem)
def test_parameters_cell_first_then_no_path_hacks(py):
    nb = jupytext.read(py)
    first = nb.cells[0]
    assert first.cell_type == "code" and "parameters" in first.metadata.get("tags", [])
    names = re.findall(r"^(\w+)\s*=", first.source, re.M)
    assert names[:3] == ["articles_dirs", "out_dir", "offline"] and "offline = True" in first.source
    assert nb.cells[1].cell_type == "markdown" and nb.cells[1].source.startswith("# ")
    assert "**Reads**" in nb.cells[1].source or py.stem == "06-report"
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "sys.path" not in source and "../" not in source
    kinds = "".join("c" if c.cell_type == "code" else "m" for c in nb.cells)
    assert kinds.startswith("cmc") and "cc" not in kinds[3:], f"{py.name}: put a line of markdown before each step"


def test_tables_refresh_when_an_article_is_added(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(paths.SEEDS, folder)
    p = show.params([folder], tmp_path / "out", True, cache_dir=tmp_path / "cache")
    assert not show.is_fresh(p)
    first = show.load_tables(p)
    assert show.is_fresh(p) and len(first["articles"]) == 5
    (folder / "new.md").write_text("---\ntitle: New strike\noutlet: Reuters\npublished: 2024-05-01\n---\n"
                                   "A drone strike hit a base near Baghdad on Wednesday, killing two people.\n", encoding="utf-8")
    assert not show.is_fresh(p)
    second = show.load_tables(p)
    assert len(second["articles"]) == 6 and show.is_fresh(p)


def _errors(path):
    nb = nbformat.read(path, as_version=4)
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["seeds", "fixture", "empty"])
def test_every_notebook_runs(kind, tmp_path_factory):
    result, seconds = report_builds.build(kind, str(tmp_path_factory.getbasetemp()))
    assert [str(p) for p in result.problems if p.severity == "skipped"] == []
    assert sorted(result.executed) == NAMES
    for name, path in result.executed.items():
        assert _errors(path) == [], f"{name} failed"
    assert result.report_path.exists() and sorted(result.pages) == NAMES[:-1]
    print(f"{kind}: {seconds:.1f} s, report {result.report_path.stat().st_size / 1e6:.2f} MB")


@pytest.mark.slow
def test_empty_tables_say_nothing_found_yet(tmp_path_factory):
    result, _ = report_builds.build("empty", str(tmp_path_factory.getbasetemp()))
    page = result.report_path.read_text(encoding="utf-8")
    assert "No incidents found yet." in page and "No casualty claims about a reported incident yet." in page
    assert "kit-note-empty" in result.pages["04-casualty-claims"].read_text(encoding="utf-8")


@pytest.mark.slow
def test_seed_report_is_small_and_has_its_parts(tmp_path_factory):
    result, seconds = report_builds.build("seeds", str(tmp_path_factory.getbasetemp()))
    page = result.report_path.read_text(encoding="utf-8")
    assert result.report_path.stat().st_size < 5_000_000
    for heading in ("Incidents at a glance", "Map", "Casualties: every source side by side", "Who is blamed, by whom",
                    "The sentences behind the figures", "Sources", "Methodology", "Caveats"):
        assert f">{heading}<" in page, heading
    assert 'class="jp-CodeMirrorEditor' not in page and "show.table(" not in page  # code hidden
    assert (result.report_path.parent / "map.html").exists()
    assert pages.offline.remote_references(page) == []


@pytest.mark.slow
def test_a_failing_notebook_is_reported_and_the_others_still_run(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("out_dir = ''", metadata={"tags": ["parameters"]}),
                                             nbformat.v4.new_markdown_cell("# Broken"),
                                             nbformat.v4.new_code_cell("raise ValueError('boom')"),
                                             nbformat.v4.new_code_cell("print('after the failure')")])
    fine = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("out_dir = ''", metadata={"tags": ["parameters"]}),
                                           nbformat.v4.new_markdown_cell("# Fine"), nbformat.v4.new_code_cell("print('ok')")])
    nbformat.write(broken, folder / "01-broken.ipynb")
    nbformat.write(fine, folder / "02-fine.ipynb")
    from kit.pipeline.runner import TABLE_ORDER
    from kit.schema import empty_frame

    result = report.build_report([tmp_path], tmp_path / "out", progress=False, folder=folder,
                                 tables={n: empty_frame(n) for n in TABLE_ORDER})
    assert [(p.file, p.severity) for p in result.problems] == [("01-broken.ipynb", "skipped")]
    assert "\u201cBroken\u201d could not be shown" in result.problems[0].problem and result.skipped == 1
    assert "ValueError: boom" in result.problems[0].problem
    page = result.pages["01-broken"].read_text(encoding="utf-8")
    assert "This part could not be shown" in page and "after the failure" in page  # the steps after it still ran
    report_page = result.report_path.read_text(encoding="utf-8")
    assert "ok" in report_page and "Some parts of this report could not be made" in report_page
    for text in (page, report_page):
        assert "Traceback" not in text and "An Exception was encountered" not in text
    problems = pd.read_csv(tmp_path / "out" / "problems.csv")
    assert problems["file"].tolist() == ["01-broken.ipynb"]
    with sqlite3.connect(tmp_path / "out" / "kit.sqlite") as con:
        assert con.execute("SELECT file FROM problems").fetchall() == [("01-broken.ipynb",)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ukraine", "one"])
def test_undated_copied_and_single_articles_build_cleanly(kind, tmp_path_factory):
    result, _ = report_builds.build(kind, str(tmp_path_factory.getbasetemp()))
    assert result.failures == [] and result.skipped == 0, result.problems
    for path in [result.report_path, *result.pages.values()]:
        page = path.read_text(encoding="utf-8")
        assert "Traceback" not in page and "could not be shown" not in page, path.name
    page = result.report_path.read_text(encoding="utf-8")
    if kind == "ukraine":
        assert "<title>Strike report: Lviv, 11 Mar 2024; Kharkiv, 19 Mar 2024</title>" in page
        assert 'href="https://example.org/wire/lviv-power-station"' in page  # a quote links to its article
        assert 'href="events.csv"' in page and 'href="kit.sqlite"' in page  # the tables, beside the report
    else:
        assert "date unknown" in page and "Unknown outlet" not in page

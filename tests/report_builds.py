"""Reports built once per test session and shared by test_notebooks.py and test_report_browser.py.

- ``seeds``: the ``kit report`` command (a subprocess, as a journalist runs it) on the five seed
  articles, through the real pipeline;
- ``fixture``: the gold tables plus an article, incident and claims whose text is markup
  (gold_frames.hostile), so every chart, the map and the quotes have something to show whatever
  state the extraction is in, and escaping is checked everywhere;
- ``empty``: every table empty, as on a fresh folder or before the extraction finds anything;
- ``hostile``: the real pipeline on one article whose metadata and text carry markup, through
  notebooks 01 and 06 only;
- ``sudan``: the real pipeline on two of our own articles about Sudan (tests/fixtures/world), through
  notebooks 03 (the map) and 06 only.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kit.paths import NOTEBOOKS, SEEDS
from kit.pipeline.runner import TABLE_ORDER
from kit.present.report import ReportResult, build_report
from kit.schema import empty_frame

from gold_frames import SCRIPT, gold_tables, hostile

HOSTILE_ARTICLE = f"""---
title: "Strike {SCRIPT} near Qaim"
outlet: "Outlet {SCRIPT}"
published: 2024-02-02
---
A drone strike hit a depot near Al-Qaim on Friday, killing three people, officials said.
A spokesman said {SCRIPT} the attack was carried out by the United States.
"""


@functools.lru_cache(maxsize=None)
def build(kind: str, root: str):
    """Build the ``kind`` report under ``root``; returns (ReportResult, seconds)."""
    root = Path(root)
    out = root / f"report-{kind}"
    start = time.perf_counter()
    if kind == "seeds":
        done = subprocess.run([sys.executable, "-m", "kit.cli", "report", "--articles", str(SEEDS), "--out", str(out), "--quiet"],
                              capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, f"kit report failed ({done.returncode}): {done.stderr[-3000:]}"
        assert f"report: {out / 'report.html'}" in done.stdout
        result = ReportResult(report_path=out / "report.html",
                              pages={p.stem: p for p in sorted((out / "pages").glob("*.html"))},
                              executed={p.stem: p for p in sorted((out / "notebooks").glob("*.ipynb"))})
    elif kind == "fixture":
        result = build_report([SEEDS], out, progress=False, tables=hostile(gold_tables()))
    elif kind == "hostile":
        folder, books = root / "hostile-articles", root / "hostile-notebooks"
        for path in (folder, books):
            path.mkdir(parents=True, exist_ok=True)
        (folder / "hostile.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
        for name in ("01-articles.ipynb", "06-report.ipynb"):
            shutil.copy(NOTEBOOKS / name, books / name)
        result = build_report([folder], out, progress=False, cache_dir=root / "cache", folder=books)
    elif kind == "sudan":
        from repo import ROOT

        folder, books = root / "sudan-articles", root / "sudan-notebooks"
        for path in (folder, books):
            path.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "tests" / "fixtures" / "world" / "fasher_broadcaster.md", folder)
        for name in ("03-map.ipynb", "06-report.ipynb"):
            shutil.copy(NOTEBOOKS / name, books / name)
        result = build_report([folder], out, progress=False, cache_dir=root / "cache", folder=books)
    elif kind == "empty":
        folder = root / "no-articles"
        folder.mkdir(parents=True, exist_ok=True)
        result = build_report([folder], out, progress=False, tables={n: empty_frame(n) for n in TABLE_ORDER})
    else:  # pragma: no cover
        raise ValueError(kind)
    return result, time.perf_counter() - start

"""From links to the editor, through the real commands: ``kit fetch`` then ``kit report`` on pages of
the loopback site (`fetch_server`), and notebook 01 fetching its ``links_file`` when asked.

Slow: they execute the notebooks (papermill, a real kernel). The clock is the real one, so each
fetch spends a second or two waiting its turn at each host.
"""
from __future__ import annotations

import csv
import subprocess

import nbformat
import pytest

from fetch_server import serve
from kit.articles.fetchlog import LOG
from kit.paths import NOTEBOOKS
from kit.present.report import execute
from repo import ROOT

pytestmark = pytest.mark.slow
AGENT = "Test Desk (desk@example.org)"
KIT = ROOT / ".venv" / "bin" / "kit"


@pytest.fixture
def site():
    with serve() as (site, port):
        site.base = f"http://127.0.0.1:{port}"
        site.other = f"http://localhost:{port}"
        yield site


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_folder_of_links_becomes_a_report(site, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"# the Albu Kamal convoy\n{site.base}/news/levant-daily.html\n{site.other}/news/gulf-monitor.html\n"
                     f"{site.base}/news/app-shell.html\n", encoding="utf-8")
    folder, out = tmp_path / "articles", tmp_path / "out"
    kit = str(KIT) if KIT.exists() else "kit"
    fetched = subprocess.run([kit, "fetch", str(links), "--into", str(folder), "--user-agent", AGENT, "--quiet"],
                             capture_output=True, text=True, timeout=300)
    assert fetched.returncode == 1, fetched.stderr  # the script-only page is skipped, and said so
    assert "line 4" in fetched.stderr and "only when scripts run" in fetched.stderr
    assert "2 page(s) saved" in fetched.stdout
    made = subprocess.run([kit, "report", "--articles", str(folder), "--out", str(out), "--cache", str(tmp_path / "c"),
                           "--quiet"], capture_output=True, text=True, timeout=900)
    assert made.returncode == 0, made.stdout + made.stderr
    report = (out / "report.html").read_text(encoding="utf-8")
    for words in ("Levant Daily", "Gulf Monitor", "Drone strike on convoy near Albu Kamal kills five",
                  "Abu Kamal"):
        assert words in report, words
    articles = rows(out / "articles.csv")
    log = {r["file"]: r for r in rows(folder / LOG)}
    assert sorted(a["file"] for a in articles) == sorted(log)
    assert all(a["sha256"] == log[a["file"]]["sha256"] for a in articles)
    killed = {(c["file"].split("-news-")[1], c["count_min"]) for c in rows(out / "casualty_claims.csv")
              if c["outcome"] == "killed"}
    assert killed >= {("levant-daily.html", "5"), ("gulf-monitor.html", "7")}, killed  # the two figures, side by side


def test_notebook_01_fetches_its_links_only_when_asked(site, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"{site.base}/news/levant-daily.html\n{site.other}/news/gulf-monitor.html\n", encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    source = NOTEBOOKS / "01-articles.ipynb"
    base = {"articles_dirs": [str(folder)], "links_file": str(links), "user_agent": AGENT}

    nb, error = execute(source, tmp_path / "offline" / source.name, {**base, "out_dir": str(tmp_path / "o1"),
                                                                      "offline": True})
    assert error is None, error
    assert site.hits == [] and list(folder.iterdir()) == []
    assert "Nothing fetched: this run is offline" in str(nb.cells)

    nb, error = execute(source, tmp_path / "online" / source.name, {**base, "out_dir": str(tmp_path / "o2"),
                                                                     "offline": False})
    assert error is None, error
    shown = "\n".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "2 page(s) saved into" in shown and "2 article(s) read from 1 folder(s)." in shown
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "127-0-0-1-news-levant-daily.html", LOG, "localhost-news-gulf-monitor.html", "manifest.csv"]
    assert nbformat.validate(nb) is None

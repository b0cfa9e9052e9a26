"""The kit installs as an ordinary package: a wheel in a clean virtual environment, far from this repository,
makes a project with `kit init` and a report with `kit report`."""
from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from repo import ROOT

pytestmark = pytest.mark.slow


def _sh(*cmd, cwd, timeout=1200, env=None):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, ROOT, cwd=dist)
    (found,) = dist.glob("strike_notebook_kit-*.whl")
    return found


def test_the_wheel_carries_the_shipped_data_and_no_journalist_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kit/data/lexicons/actors.csv", "kit/data/gazetteer/curated.csv", "kit/data/basemap/countries.geojson",
                   "kit/notebooks/01-articles.ipynb", "kit/present/templates/kit_offline/index.html.j2",
                   "kit/seeds/manifest.csv"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("kit/data/cache", "kit/data/corrections"))]


def test_a_clean_environment_makes_a_project_and_a_report(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python, kit = env_dir / "bin" / "python", env_dir / "bin" / "kit"
    _sh(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KIT_PROJECT", "VIRTUAL_ENV")}
    work = tmp_path / "newsroom"
    work.mkdir()
    _sh(kit, "init", "kerman", "--example", cwd=work, env=clean)
    project = work / "kerman"
    assert (project / "kit.toml").is_file() and (project / "notebooks" / "06-report.ipynb").is_file()
    assert len(list((project / "articles").glob("*.txt"))) == 5
    where = _sh(python, "-c", "import kit; print(kit.__file__)", cwd=project, env=clean).stdout
    assert str(env_dir) in where and str(ROOT) not in where
    _sh(kit, "report", "--articles", "articles", "--out", "out", "--quiet", cwd=project, env=clean)
    report = (project / "out" / "report.html").read_text(encoding="utf-8")
    assert "Kalsu" in report or "Kalso" in report
    assert (project / "data" / "cache").is_dir(), "the project's cache is used"
    _sh(python, "-m", "kit", "--help", cwd=project, env=clean)

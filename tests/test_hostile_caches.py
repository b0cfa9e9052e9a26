"""A hostile pickle under every file name a kit has ever read back runs nothing (issue 13).

A project folder shared by someone else may carry a ``snapshot.pickle`` that runs code when it is
unpickled. The kit must never open such a file as pickle: the marker folder the payload would
create does not appear, every such file is set aside with one warning naming it, the tables are
those of a clean run, and ``kit run`` exits 0 (warnings do not change the status).
"""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from kit.present import show

from cache_helpers import CACHE_NAMES, OUTPUT_NAMES, Project, hostile_pickle, same_tables

KIT = Path(sys.executable).with_name("kit")
# kit.sqlite is an output table, not a cache: a file that is not a SQLite database is simply written anew
WARNED = sorted(set(CACHE_NAMES + OUTPUT_NAMES) - {"kit.sqlite"})


def _plant(project: Project, marker: Path) -> bytes:
    payload = hostile_pickle(marker)
    for name in CACHE_NAMES:
        (project.cache / name).write_bytes(payload)
    for name in OUTPUT_NAMES:
        (project.out / name).write_bytes(payload)
    return payload


def test_the_payload_does_run_code_when_unpickled(tmp_path):
    """The test below means something only if this payload is live."""
    pickle.loads(hostile_pickle(tmp_path / "ran"))
    assert (tmp_path / "ran").is_dir()


def test_a_run_writes_no_file_it_reads_back_under_another_name(tmp_path):
    project = Project(tmp_path)
    project.prepared()
    show.mark_fresh(show.params([project.articles], project.out, cache_dir=project.cache))
    assert {p.name for p in project.cache.iterdir()} <= set(CACHE_NAMES)
    written = {p.name for p in project.out.iterdir() if p.suffix != ".csv"} - {".kit-output", ".kit.lock"}
    assert written <= set(OUTPUT_NAMES)


def test_hostile_pickles_in_every_cache_name_run_nothing_and_the_tables_are_right(tmp_path):
    clean = Project(tmp_path / "clean").prepared()
    project = Project(tmp_path / "shared")
    project.prepared()
    marker = tmp_path / "code-ran"
    payload = _plant(project, marker)

    params = show.params([project.articles], project.out, cache_dir=project.cache)
    assert not show.is_fresh(params)
    result = project.run(notices=params.extra.pop("problems"))

    assert not marker.exists(), "a cache file ran code"
    assert same_tables(result, clean)
    assert sorted(Path(p.file).name for p in result.problems) == WARNED
    assert all(p.severity == "warning" for p in result.problems)
    for problem in result.problems:
        path = Path(problem.file)
        kept = [p for p in path.parent.iterdir() if p.name.startswith(path.stem + ".set-aside-") and p.suffix == path.suffix]
        assert len(kept) == 1 and kept[0].read_bytes() == payload, problem  # set aside, never deleted
        assert kept[0].name in problem.problem, problem
    assert {Path(p.file).name: p.problem for p in result.problems}["snapshot.pickle"].startswith(
        "this is a cache file of an older kit in Python's pickle format, which can run code when it is opened; "
        "the kit no longer reads that format and never opened this file; it was set aside as snapshot.set-aside-")

    again = project.run()
    assert again.problems == [] and again.cache_hits == len(again.tables["articles"])
    assert same_tables(again, clean) and not marker.exists()


def test_kit_run_reports_each_file_and_exits_0(tmp_path):
    project = Project(tmp_path / "shared")
    project.prepared()
    marker = tmp_path / "code-ran"
    _plant(project, marker)
    done = subprocess.run([str(KIT), "run", "--articles", str(project.articles), str(project.root / "syn"),
                           "--out", str(project.out), "--cache", str(project.cache), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    lines = [line for line in done.stderr.splitlines() if line.startswith("WARNING ")]
    named = sorted(line.split(": ", 1)[0].removeprefix("WARNING ").rsplit("/", 1)[-1] for line in lines)
    assert named == sorted(set(WARNED) - {".kit-stamp.json"})  # the stamp is the notebooks', not read by kit run
    assert all("What to do: " in line for line in lines)

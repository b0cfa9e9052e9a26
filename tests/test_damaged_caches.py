"""A damaged cache never breaks a run (issue 13).

Each cache file and the output folder's state, cut short, emptied, overwritten with random bytes
or stamped by another kit version: the run goes on with the right tables, one warning names the
file, the file is set aside with its bytes (never deleted) and rebuilt, and the next run is clean.

The world place index (``gazetteer.sqlite``) takes half a minute to build, so the test session
shares one (``KIT_WORLD_INDEX``, tests/conftest.py): here a project's own copy of it is damaged and
the shared one stands in; `test_a_damaged_place_index_is_rebuilt_by_the_run` (slow) rebuilds it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kit.places.index import NAME, SHARED_ENV
from kit.present import show

from cache_helpers import CACHE_NAMES, DAMAGE, Project, same_tables

FILES = ("cache/snapshot.npz", "cache/snapshot-delta.npz", "cache/extractions.sqlite", "cache/articles.sqlite",
         f"cache/{NAME}", "out/.kit-state.npz")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A project run twice, copied for each case (a run of the seeds takes seconds, a copy milliseconds)."""
    root = tmp_path_factory.mktemp("prepared")
    project = Project(root)
    return project, project.prepared()


def _copy(prepared, tmp_path) -> Project:
    project, _ = prepared
    shutil.copytree(project.root, tmp_path / "p")
    copy = Project.__new__(Project)
    copy.root, copy.articles = tmp_path / "p", tmp_path / "p" / "articles"
    copy.cache, copy.out = copy.root / "cache", copy.root / "out"
    return copy


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("name", FILES)
def test_a_damaged_cache_is_set_aside_and_rebuilt(prepared, tmp_path, name, damage):
    _, good = prepared
    project = _copy(prepared, tmp_path)
    path = project.root / name
    if name == f"cache/{NAME}":  # the project's own copy of the shared index (same sources, same tables)
        shutil.copyfile(os.environ[SHARED_ENV], path)
    DAMAGE[damage](path)
    damaged = path.read_bytes()

    result = project.run()

    assert same_tables(result, good)
    assert [(p.file, p.severity) for p in result.problems] == [(str(path), "warning")], result.problems
    problem = result.problems[0].problem
    kept = [p for p in path.parent.iterdir() if p.name.startswith(path.stem + ".set-aside-") and p.suffix == path.suffix]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert problem.startswith("this cache file could not be used (") and f"set aside as {kept[0].name}" in problem
    # rebuilt; the delta only when there is something new; the place index is the shared one now
    assert path.exists() or name in ("cache/snapshot-delta.npz", f"cache/{NAME}")
    if name == f"cache/{NAME}":
        assert f"the shared place index {os.environ[SHARED_ENV]} ({SHARED_ENV}) is used instead" in problem
    again = project.run()
    assert again.problems == [] and same_tables(again, good)


@pytest.mark.slow
def test_a_damaged_place_index_is_rebuilt_by_the_run(prepared, tmp_path, monkeypatch):
    """With no shared index, the run builds the world index into the project's cache (writing no file
    of a name outside `CACHE_NAMES`), and a damaged one is set aside and built again."""
    _, good = prepared
    monkeypatch.delenv(SHARED_ENV)
    project = _copy(prepared, tmp_path)
    path = project.cache / NAME
    first = project.run()
    assert path.exists() and first.problems == [] and same_tables(first, good)
    assert {p.name for p in project.cache.iterdir()} <= set(CACHE_NAMES)
    DAMAGE["truncated"](path)
    damaged = path.read_bytes()
    result = project.run()
    assert same_tables(result, good)
    kept = [p for p in project.cache.iterdir() if p.name.startswith("gazetteer.set-aside-") and p.suffix == ".sqlite"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert [(p.file, p.problem) for p in result.problems] == [
        (str(path), f"this cache file could not be used (it is cut short ({len(damaged):,} of {2 * len(damaged):,} "
                    f"bytes)); it was set aside as {kept[0].name} and the place index is built again (about half a minute)")]
    again = project.run()
    assert again.problems == [] and same_tables(again, good) and path.exists()
    assert {p.name for p in project.cache.iterdir()} - set(CACHE_NAMES) == {kept[0].name}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_notebook_stamp_is_set_aside_and_reported_by_the_run(prepared, tmp_path, damage):
    project = _copy(prepared, tmp_path)
    params = show.params([project.articles, project.root / "syn"], project.out, cache_dir=project.cache)
    show.mark_fresh(params)
    assert show.is_fresh(params)
    stamp = project.out / show.STAMP
    DAMAGE[damage](stamp) if damage != "wrong version" else stamp.write_text(
        stamp.read_text().replace('"format_version": 1', '"format_version": 99'))
    assert not show.is_fresh(params)
    result = show.run_pipeline(params, progress=False)
    assert [(Path(p.file).name, p.severity) for p in result.problems] == [(".kit-stamp.json", "warning")]
    assert show.is_fresh(params)  # a new stamp


@pytest.mark.parametrize("content", ["1", "[]", '"text"', "null", '{"fingerprint": 3}', '{"stamp": 1}'])
def test_a_stamp_that_is_json_but_not_a_stamp_never_stops_a_notebook(prepared, tmp_path, content):
    """The issue's traceback (`AttributeError: 'int' object has no attribute 'get'`) came from such files."""
    project = _copy(prepared, tmp_path)
    params = show.params([project.articles, project.root / "syn"], project.out, cache_dir=project.cache)
    (project.out / show.STAMP).write_text(content, encoding="utf-8")
    assert not show.is_fresh(params)
    assert [Path(p.file).name for p in params.extra["problems"]] == [".kit-stamp.json"]


def test_the_files_of_kits_before_issue_13_are_set_aside_as_older_and_never_read(prepared, tmp_path):
    import sqlite3
    from contextlib import closing

    import numpy as np

    from cache_helpers import hostile_pickle

    project = _copy(prepared, tmp_path)
    marker = tmp_path / "code-ran"
    for name in ("extractions.sqlite", "articles.sqlite"):  # as the older kits made them: pickled results
        (project.cache / name).unlink()
        with closing(sqlite3.connect(project.cache / name)) as con:
            con.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB)")
            con.execute("INSERT INTO results VALUES ('k', ?)", (hostile_pickle(marker),))
            con.commit()
    with open(project.out / ".kit-state.npz", "wb") as handle:  # its JSON as a numpy text array
        np.savez(handle, meta=np.array('{"version": "old"}'))
    result = project.run()
    assert not marker.exists()
    reasons = {Path(p.file).name: p.problem.split("; it was set aside")[0] for p in result.problems}
    assert reasons == {
        "extractions.sqlite": "this cache file could not be used (it holds the pickled results of an older kit, "
                              "a format that can run code; they were not read)",
        "articles.sqlite": "this cache file could not be used (it holds the pickled results of an older kit, "
                           "a format that can run code; they were not read)",
        ".kit-state.npz": "this cache file could not be used (it was written by an older version of the kit)"}

"""A kill during a cache write leaves a readable cache or none (issue 13).

A real process writes a cache over and over (tests/cache_writer.py) and is killed with SIGKILL
in the middle of a write (its temporary file or its SQLite journal exists at that moment). The
cache is then read as the next run would: either the last complete version or nothing, and never
a file the kit would call damaged (no warning, nothing set aside).
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from kit.pipeline.extract import ExtractionCache
from kit.places.index import NAME, check_index, open_index
from kit.tables.snapshot import SNAPSHOT_NAME, Snapshot

from cache_helpers import Project
from cache_writer import index_rows

WRITER = Path(__file__).with_name("cache_writer.py")


def _start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _kill_while(proc: subprocess.Popen, writing, after_writes: int, timeout: float = 120) -> None:
    """SIGKILL ``proc`` once it has completed ``after_writes`` writes and ``writing()`` holds."""
    deadline = time.monotonic() + timeout
    done = 0
    try:
        while done < after_writes:
            line = proc.stdout.readline()
            assert line, f"the writer stopped: {proc.stderr.read()[-2000:]}"
            done += line.startswith("written")
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"the writer stopped: {proc.stderr.read()[-2000:]}")
            if writing():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return
        raise AssertionError("never caught the writer in the middle of a write")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _temporary(folder: Path, name: str):
    return lambda: any(n.startswith(f".{name}.") and n.endswith(".tmp") for n in os.listdir(folder))


@pytest.fixture(scope="module")
def snapshot_cache(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("kill"))
    project.run()
    with np.load(project.cache / SNAPSHOT_NAME, allow_pickle=False) as saved:
        context = json.loads(saved["meta"].tobytes())["context"]
    return project.cache, context


@pytest.mark.parametrize("after_writes", [0, 1], ids=["first write", "a later write"])
def test_a_kill_while_writing_the_snapshot_leaves_the_old_one_or_none(snapshot_cache, tmp_path, after_writes):
    import shutil

    source, context = snapshot_cache
    cache = tmp_path / "cache"
    shutil.copytree(source, cache)
    small = len(Snapshot.load(cache, context).blocks)
    if not after_writes:
        (cache / SNAPSHOT_NAME).unlink()
    _kill_while(_start("snapshot", cache, context, source), _temporary(cache, SNAPSHOT_NAME), after_writes)
    left = Snapshot.load(cache, context)
    assert left.problems == []
    assert len(left.blocks) == (small * 400 if after_writes else 0)
    assert not [p for p in cache.iterdir() if "set-aside" in p.name]


def test_a_kill_inside_a_results_transaction_leaves_every_committed_batch(tmp_path):
    cache = tmp_path / "cache"
    journal = cache / "extractions.sqlite-journal"
    _kill_while(_start("results", cache), journal.exists, after_writes=1)
    with contextlib.closing(sqlite3.connect(cache / "extractions.sqlite")) as con:  # SQLite rolls the cut write back
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = ExtractionCache(cache, "fp")
    assert store.problems == []
    first = store.get_many([f"0-{i}" for i in range(20000)])
    assert len(first) == 20000 and first["0-7"] == {"text": "x" * 2000, "n": (0, 7)}


@pytest.mark.parametrize("after_writes", [0, 1], ids=["first build", "a later build"])
def test_a_kill_while_building_the_place_index_leaves_the_old_one_or_none(tmp_path, after_writes):
    cache = tmp_path / "cache"
    cache.mkdir()
    _kill_while(_start("index", cache), _temporary(cache, NAME), after_writes)
    rows = index_rows()
    wanted = open_index(tmp_path / "probe", entries=rows, progress=False).fingerprint
    if after_writes:
        check_index(cache / NAME, wanted)  # the last complete build, usable as it is
    else:
        assert not (cache / NAME).exists()
    index = open_index(cache, entries=rows, progress=False)
    assert index.problems == [] and index.candidates("village 7")[0].name == "Town 7"
    assert not [p for p in cache.iterdir() if "set-aside" in p.name]

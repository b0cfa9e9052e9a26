"""A run killed at any moment leaves every earlier table, the cache and the corrections whole and
readable (temporary file + rename, SQLite transactions); two runs on one output folder never
corrupt it (a lock, with a clear message, exit status 2).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kit.errors import OutputLockedError
from kit.tables.io import output_lock, read_table
from kit.pipeline.runner import TABLE_ORDER, run

from reliability_helpers import checksums, story, write_corpus

KIT = Path(sys.executable).with_name("kit")
CORRECTION = "claim_id,action,field,value,note\nc0ffee000000,drop,,,checked by hand\n"


def _command(root: Path) -> list[str]:
    return [str(KIT), "run", "--articles", str(root / "articles"), "--out", str(root / "out"),
            "--cache", str(root / "cache"), "--corrections", str(root / "corrections"), "--quiet"]


def _setup(root: Path, n: int) -> None:
    write_corpus(root / "articles", n)
    (root / "corrections").mkdir()
    (root / "corrections" / "claims.csv").write_text(CORRECTION, encoding="utf-8")


def _sqlite_ok(path: Path) -> list[str]:
    # opened as a notebook opens it: read-write, so SQLite rolls back a transaction the kill cut short
    with contextlib.closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",), path
        return [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def _assert_whole(root: Path, allowed_counts: set[int]) -> None:
    """Every table readable and complete (as of some full run), the caches sound."""
    out = root / "out"
    for name in TABLE_ORDER:
        path = out / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), f"{name}.csv is cut short"
        frame = read_table(path)
        if name == "articles":
            assert len(frame) in allowed_counts, (name, len(frame))
            assert frame["article_id"].notna().all()
    tables = _sqlite_ok(out / "kit.sqlite")
    assert set(TABLE_ORDER) - {"problems"} <= set(tables)
    with contextlib.closing(sqlite3.connect(out / "kit.sqlite")) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] in allowed_counts
    for cache in (root / "cache").glob("*.sqlite"):
        _sqlite_ok(cache)


def _start(root: Path) -> subprocess.Popen:
    # its own session, so the test can find (and finally clean up) every process the run started
    return subprocess.Popen(_command(root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _session(sid: int) -> list[int]:
    """Live processes of session ``sid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == sid and fields[0] != "Z":  # state ppid pgrp session
                    found.append(int(entry))
    return found


def _cleanup(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _kill_when(proc: subprocess.Popen, condition, timeout: float = 120) -> bool:
    """SIGKILL the run's main process (as an out-of-memory killer would) as soon as ``condition()``
    holds; False if it finished first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if condition():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
    proc.wait(timeout=timeout)
    return False


def _writing(out: Path):
    def check() -> bool:
        with contextlib.suppress(FileNotFoundError):
            return any(name.endswith(".tmp") for name in os.listdir(out))
        return False
    return check


@pytest.mark.slow
def test_kill_at_any_moment_leaves_earlier_tables_whole(tmp_path):
    _setup(tmp_path, 300)
    started = time.monotonic()
    first = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
    full = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    protected = checksums(tmp_path / "articles", tmp_path / "corrections")
    _assert_whole(tmp_path, {300})

    n = 300
    moments = [("after 0.3 s", 0.3), ("after 0.8 s", 0.8), ("at a quarter", full * 0.25), ("at half", full * 0.5),
               ("at three quarters", full * 0.75), ("while writing", None), ("while writing again", None),
               ("while updating kit.sqlite", "journal")]
    caught_writing = 0
    for label, delay in moments:
        # a new article each time, so the run has real work (extraction, cache, new tables)
        (tmp_path / "articles" / f"new{n}.txt").write_text(story(10_000 + n), encoding="utf-8")
        n += 1
        protected = checksums(tmp_path / "articles", tmp_path / "corrections")
        proc = _start(tmp_path)
        try:
            if delay == "journal":  # in the middle of kit.sqlite's transaction, if the test is quick enough
                _kill_when(proc, (tmp_path / "out" / "kit.sqlite-journal").exists)
            elif delay is None:
                caught_writing += _kill_when(proc, _writing(tmp_path / "out"))
            else:
                begin = time.monotonic()
                _kill_when(proc, lambda: time.monotonic() - begin >= delay)
        finally:
            _cleanup(proc)
        _assert_whole(tmp_path, set(range(300, n + 1)))
        assert checksums(tmp_path / "articles", tmp_path / "corrections") == protected, f"an input changed ({label})"
    assert caught_writing >= 1, "never managed to kill a run while it wrote its tables"

    last = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, last.stderr
    _assert_whole(tmp_path, {n})
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")], "temporary files left behind"


def test_second_run_is_refused_with_a_clear_message(tmp_path):
    _setup(tmp_path, 3)
    out = tmp_path / "out"
    run([tmp_path / "articles"], out, cache_dir=tmp_path / "cache", corrections_dir=tmp_path / "corrections",
        progress=False)
    before = checksums(out)
    with output_lock(out):
        done = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines()[-1] == (
            f"ERROR {out}: another kit run or kit report is writing to this folder right now. "
            "What to do: wait for it to finish, or choose another --out folder.")
        with pytest.raises(OutputLockedError):
            run([tmp_path / "articles"], out, cache_dir=tmp_path / "cache",
                corrections_dir=tmp_path / "corrections", progress=False)
        assert checksums(out) == before, "the refused run touched the folder"
    again = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    _assert_whole(tmp_path, {3})


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    _setup(tmp_path, 2)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom kit.tables.io import output_lock\n"
        f"with output_lock({str(out)!r}):\n    print('held', flush=True)\n    time.sleep(600)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
        assert refused.returncode == 2 and "another kit run or kit report is writing" in refused.stderr
    finally:
        holder.kill()
        holder.wait()
    done = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_two_runs_at_once_leave_a_valid_folder(tmp_path):
    _setup(tmp_path, 120)
    procs = [subprocess.Popen(_command(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            assert "another kit run or kit report is writing to this folder right now" in err
    assert any(code == 0 for code, _ in results)
    _assert_whole(tmp_path, {120})


@pytest.mark.slow
def test_killed_run_leaves_no_orphan_workers(tmp_path):
    _setup(tmp_path, 400)
    proc = _start(tmp_path)
    try:
        children = lambda: [pid for pid in _session(proc.pid) if pid != proc.pid]  # noqa: E731
        assert _kill_when(proc, lambda: len(children()) >= 1, timeout=120), "the run never started workers"
        deadline = time.monotonic() + 10
        while children() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert children() == [], "worker processes outlived the killed run"
    finally:
        _cleanup(proc)


def test_out_that_is_a_file_is_a_clear_error(tmp_path):
    _setup(tmp_path, 1)
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    done = subprocess.run(_command(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"ERROR {tmp_path / 'out'}: cannot be used as the output folder (File exists). What to do: give --out a "
        "folder you may write to (it is created if missing), not a file.")
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


def test_a_failed_write_keeps_the_previous_table(tmp_path, monkeypatch):
    """Disk full at the moment of the rename: the old table stays, no temporary file is left."""
    import errno

    import pandas as pd

    from kit.tables import io
    from kit.errors import OutputError

    target = io.write_csv(pd.DataFrame({"a": ["old"]}), tmp_path / "t.csv")
    before = target.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io.os, "replace", full)
    with pytest.raises(OutputError) as caught:
        io.write_csv(pd.DataFrame({"a": ["new"]}), target)
    assert str(caught.value) == (
        f"{target}: could not be written (No space left on device); the previous version, if any, is unchanged. "
        "What to do: check that the output folder is a folder you may write to and that the disk has space, "
        "or choose another --out folder.")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_tables_keep_a_readable_file_mode(tmp_path):
    """Temporary files are private (0600); the renamed table must not be."""
    import stat

    import pandas as pd

    from kit.tables.io import write_csv

    old = os.umask(0o022)
    try:
        path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644

"""Issue 18: one writer per output folder over a report's whole build. `kit report` holds the
folder's lock from its first table to its last page, the notebooks it runs included; a second
`kit report` or a `kit run` on the same --out stops at once (exit status 2) with a plain message;
a report killed with SIGKILL leaves no lock behind (only the empty `.kit.lock` file, which is fine).
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from kit.present.report import build_report
from kit.tables.io import LOCK_NAME, read_table

from reliability_helpers import write_corpus

KIT = Path(sys.executable).with_name("kit")

PROBE = """\
from kit.errors import OutputLockedError
from kit.present import show
from kit.tables.io import lock_held_by_parent, output_lock

p = show.params(articles_dirs, out_dir, offline)
assert lock_held_by_parent(p.out_dir), "the kernel was not told that the report holds the lock"
assert len(show.load_tables(p)["articles"]) == 2  # reads what the report wrote
assert len(show.run_pipeline(p, progress=False).tables["articles"]) == 2  # writes in the report's name, no deadlock
try:
    with output_lock(p.out_dir):
        raise AssertionError("the output folder was not locked while the notebook ran")
except OutputLockedError:
    pass
"""


def test_the_notebooks_of_a_report_run_under_its_lock_without_taking_it(tmp_path):
    write_corpus(tmp_path / "articles", 2)
    books = tmp_path / "notebooks"
    books.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Probe"),
        nbformat.v4.new_code_cell('articles_dirs = []\nout_dir = ""\noffline = True', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, books / "01-probe.ipynb")
    result = build_report([tmp_path / "articles"], tmp_path / "out", progress=False, cache_dir=tmp_path / "cache",
                          folder=books)
    assert result.failures == [], result.failures
    assert result.report_path.exists()
    assert "KIT_HELD_LOCK" not in os.environ, "the build left its note for the kernels behind"


# --------------------------------------------------------------------------- real processes


def _report(root: Path) -> list[str]:
    return [str(KIT), "report", "--articles", str(root / "articles"), "--out", str(root / "out"),
            "--cache", str(root / "cache")]


def _run(root: Path) -> list[str]:
    return [str(KIT), "run", "--articles", str(root / "articles"), "--out", str(root / "out"),
            "--cache", str(root / "cache"), "--quiet"]


class Build:
    """A `kit report` in its own session, its progress lines (stderr) collected as they come."""

    def __init__(self, root: Path):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(_report(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=root, start_new_session=True)
        self._reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True)
        self._reader.start()

    def wait_for(self, start: str, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not any(line.startswith(start) for line in self.lines):
            assert self.proc.poll() is None, f"the report ended before {start!r}: {''.join(self.lines)[-2000:]}"
            assert time.monotonic() < deadline, f"no {start!r} within {timeout} s"
            time.sleep(0.1)

    def finish(self, timeout: float = 900) -> tuple[int, str]:
        stdout = self.proc.stdout.read()
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code, stdout

    def cleanup(self) -> None:  # the kernels an interrupted build left
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def _assert_report_whole(root: Path) -> None:
    out = root / "out"
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>"), "report.html is cut short"
    assert len(list((out / "pages").glob("0*.html"))) == 5
    assert len(read_table(out / "articles.csv")) == 3


@pytest.mark.slow
def test_a_second_writer_is_refused_while_a_report_builds_and_a_killed_build_leaves_no_lock(tmp_path):
    write_corpus(tmp_path / "articles", 3)
    out = (tmp_path / "out").resolve()
    refusal = (f"ERROR {out}: another kit run or kit report is writing to this folder right now. "
               "What to do: wait for it to finish, or choose another --out folder.")
    first = Build(tmp_path)
    try:
        first.wait_for("running 02-")  # the notebooks: the tables are written, the pages not yet
        others = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
                  for cmd in (_report(tmp_path), _run(tmp_path))]
        for other, name in zip(others, ("kit report", "kit run")):
            _, err = other.communicate(timeout=300)
            assert other.returncode == 2, (name, err)
            assert err.strip().splitlines()[-1] == refusal, (name, err)
        assert first.proc.poll() is None, "the first report was over before the others were refused"
        code, stdout = first.finish()
        assert code == 0, "".join(first.lines)[-3000:]
        assert f"report: {out / 'report.html'}" in stdout
    finally:
        first.cleanup()
    _assert_report_whole(tmp_path)

    killed = Build(tmp_path)
    try:
        killed.wait_for("running 03-")
        killed.proc.send_signal(signal.SIGKILL)  # as an out-of-memory killer or a closed laptop would
        killed.proc.wait(timeout=60)
    finally:
        killed.cleanup()
    assert (out / LOCK_NAME).exists(), "the killed build's lock file is left (the lock itself died with it)"
    again = Build(tmp_path)
    try:
        code, _ = again.finish()
    finally:
        again.cleanup()
    assert code == 0, "".join(again.lines)[-3000:]
    _assert_report_whole(tmp_path)

"""``kit report``: run the pipeline, execute the numbered notebooks, export one offline HTML report.

Steps:

1. run the extraction (`kit.pipeline.runner.run`) and write the tables into ``out``;
2. execute notebooks/01-*.ipynb ... 06-*.ipynb in sorted order with papermill, each with the
   parameters ``articles_dirs``, ``out_dir`` and ``offline``, in a kernel that runs this very
   Python (so the kit is importable whatever kernels the machine has); the executed copies go to
   ``out/notebooks/``;
3. export them with nbconvert, code hidden (`kit.present.pages.export`): 06 becomes
   ``out/report.html``, the others ``out/pages/NN-name.html``. Every page is checked to load
   nothing from the network (`kit.present.offline.assert_offline`); the report carries plotly.js
   itself, the pages share one copy.

The whole build holds the output folder's lock (`kit.tables.io.output_lock`): a second ``kit report``
or ``kit run`` on the same folder stops at once (exit status 2). The notebooks' kernels, which the
build waits for, only read the tables (notebook 02's online step writes them in the build's name).

Every cell runs, even after one fails. A failed step reaches the editor as a plain note on its page
and at the top of the report, never a traceback; `problems.csv` gets a row for it (`StepFailure`),
so the notebooks after it list it too; and it counts as skipped, so `kit report` exits with 1.

Example:
    >>> import tempfile
    >>> result = build_report([paths.SEEDS], tempfile.mkdtemp(), progress=False)  # doctest: +SKIP
    >>> result.report_path.name  # doctest: +SKIP
    'report.html'
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import pages, show
from ..errors import KitError, Problem
from ..project import find_project
from ..tables.io import check_output_folder, lock_held_for_kernels, output_lock


class _ThisPythonSpecs(KernelSpecManager):
    """Every kernel name resolves to this interpreter, where the kit is installed."""

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name="Python (kit)", language="python", resource_dir="")


class ThisPythonKernel(AsyncKernelManager):
    """A kernel of this interpreter, talking over local sockets (IPC) where the system has them."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self):
        return _ThisPythonSpecs(parent=self)

    @default("transport")
    def _transport_default(self):
        return "tcp" if sys.platform == "win32" else "ipc"


@dataclass
class ReportResult:
    report_path: Path
    pages: dict[str, Path] = field(default_factory=dict)
    executed: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failures: list = field(default_factory=list)  # `StepFailure` of every notebook
    run: object = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(p.severity == "skipped" for p in self.problems)

    def summary(self) -> str:
        size = self.report_path.stat().st_size / 1e6 if self.report_path.exists() else 0
        failed = len({f.notebook for f in self.failures})
        steps = sum(not f.follows for f in self.failures)
        text = (f"{len(self.executed)} notebook(s) executed, {failed} with a step that failed ({steps} step(s)); report {size:.1f} MB, "
                f"{len(self.pages)} detail page(s); {sum(self.timings.values()):.1f} s")
        return (self.run.summary() + "\n" + text) if self.run is not None else text


def notebooks(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks, in the order they run (default: the project's, else the shipped ones)."""
    return sorted(Path(folder or find_project().notebooks).glob("[0-9][0-9]-*.ipynb"))


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return "Report"


@dataclass
class StepFailure:
    """A step of a notebook (a code cell, named by the heading above it) that stopped with an error."""

    notebook: str
    section: str
    error: str  # "TypeError: boolean value of NA is ambiguous"
    follows: bool = False  # a NameError after an earlier failure: it needs what that step made

    def problem(self, executed: Path) -> Problem:
        why = ("it needs what a step above it should have made" if self.follows else f"the kit stopped at an error: {self.error}")
        return Problem(self.notebook, "skipped", f"the step \u201c{self.section}\u201d could not be shown ({why})",
                       f"the rest of the report was made; {executed} shows the error: send that file to the kit's "
                       "maintainers if the error is in the kit, or fix the input it names and run kit report again")


def _heading(source: str) -> str:
    match = re.search(r"^#+\s+(.+)$", source, re.M)
    return match.group(1).strip() if match else ""


def step_failures(nb, name: str) -> list[StepFailure]:
    """Every code cell of an executed notebook that ended in an error, named by its section.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Map"), nbformat.v4.new_code_cell("1/0")])
    >>> nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    >>> [(f.section, f.error) for f in step_failures(nb, "03-map.ipynb")]
    [('Map', 'ZeroDivisionError: division by zero')]
    """
    section, failures = "the start", []
    for cell in nb.cells:
        if pages.ERROR_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            section = _heading(cell.source) or section
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                error = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"[:300]
                failures.append(StepFailure(name, section, error, follows=bool(failures) and out.get("ename") == "NameError"))
    return failures


def execute(src: Path, dst: Path, parameters: dict, timeout: int = 900):
    """Execute one notebook with papermill, every cell even after one fails; returns (notebook,
    error message or None). The failed steps are found with `step_failures`."""
    import nbformat
    import papermill as pm

    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = pm.execute_notebook(str(src), str(dst), parameters=parameters, kernel_name="python3", language="python",
                                 progress_bar=False, log_output=False, cwd=str(dst.parent), execution_timeout=timeout,
                                 kernel_manager_class=ThisPythonKernel, allow_errors=True)
        return nb, None
    except pm.PapermillExecutionError as exc:
        return nbformat.read(dst, as_version=4), f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # the kernel died or did not start, a cell timed out
        nb = nbformat.read(dst if dst.exists() else src, as_version=4)
        return nb, f"{type(exc).__name__}: {exc}"


def build_report(articles, out, offline: bool = True, user_agent=None, progress: bool = True, *,
                 tables: dict | None = None, cache_dir=None, folder: Path | None = None) -> ReportResult:
    """Run the pipeline on ``articles``, execute the notebooks and write ``out/report.html``.

    ``tables`` (a dict of DataFrames in the contract) skips the extraction and reports on those
    tables instead; the notebooks then never re-extract them (used by the tests). The notebooks
    run in ``out/notebooks`` and see the caller's project (`kit.project`) through ``KIT_PROJECT``.
    """
    project = find_project()
    with _project_env(project.root):
        return _build_report(articles, out, offline, user_agent, progress, tables=tables, cache_dir=cache_dir,
                             folder=Path(folder or project.notebooks))


@contextlib.contextmanager
def _project_env(root: Path):
    """``KIT_PROJECT`` set to ``root`` while the notebooks' kernels start (they inherit it)."""
    before = os.environ.get("KIT_PROJECT")
    os.environ["KIT_PROJECT"] = str(root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("KIT_PROJECT", None)
        else:
            os.environ["KIT_PROJECT"] = before


def _build_report(articles, out, offline, user_agent, progress, *, tables, cache_dir, folder: Path) -> ReportResult:
    if tables is None:  # before anything is written into ``out``
        check_output_folder(show.params(articles, Path(out), offline, user_agent, cache_dir).articles_dirs, out)
    out = Path(out).resolve()
    # one writer over the whole build: the tables, the notebooks (their kernels write, if at all, in
    # the report's name: kit.tables.io.lock_held_by_parent) and the pages
    with output_lock(out), lock_held_for_kernels(out):
        return _build_locked(articles, out, offline, user_agent, progress, tables=tables, cache_dir=cache_dir,
                             folder=folder)


def _build_locked(articles, out: Path, offline, user_agent, progress, *, tables, cache_dir, folder: Path) -> ReportResult:
    from ..pipeline.runner import write_tables
    from ..schema import validate

    p = show.params(articles, out, offline, user_agent, cache_dir)
    result = ReportResult(report_path=out / "report.html")
    clock = time.perf_counter()

    def say(text):
        if progress:
            print(text, file=sys.stderr, flush=True)

    if tables is None:
        say("extracting the tables ...")
        result.run = show.run_pipeline(p, progress=progress, lock=False)
        result.problems += list(result.run.problems)
    else:
        write_tables({name: validate(frame, name) for name, frame in tables.items()}, out, lock=False)
        show.mark_fresh(p, frozen=True)
    result.timings["pipeline"] = round(time.perf_counter() - clock, 2)
    books = notebooks(folder)
    if not books:
        raise KitError(folder, "there are no numbered notebooks (01-....ipynb) in this folder",
                       "reinstall the kit or restore the notebooks folder from git")
    executed = {}
    base_problems = _read_problems(out)
    notebook_problems: list[Problem] = []
    for src in books:
        clock = time.perf_counter()
        say(f"running {src.name} ...")
        parameters = {"articles_dirs": [str(d) for d in p.articles_dirs], "out_dir": str(out), "offline": offline}
        if "geocoding" in src.stem:
            parameters["user_agent"] = user_agent or ""
        nb, error = execute(src, out / "notebooks" / src.name, parameters)
        executed[src] = nb
        result.executed[src.stem] = out / "notebooks" / src.name
        failures = step_failures(nb, src.name)
        result.failures += failures
        found = [f.problem(out / "notebooks" / src.name) for f in failures if not f.follows]
        if error and not failures:  # the kernel died, or a cell ran out of time
            found.append(Problem(src.name, "skipped", f"the notebook stopped: {error}",
                                 f"open {out / 'notebooks' / src.name} to see where, fix the cause and run kit report "
                                 "again (send that file to the kit's maintainers if the error is in the kit)"))
        if found:
            result.problems += found
            notebook_problems += found
            record_problems(out, base_problems, notebook_problems)  # the next notebooks show them too
        result.timings[src.stem] = round(time.perf_counter() - clock, 2)
    clock = time.perf_counter()
    say("writing the report ...")
    _export_all(books, executed, out, p, result)
    result.timings["export"] = round(time.perf_counter() - clock, 2)
    return result


def _read_problems(out: Path):
    from ..tables.io import read_table

    path = out / "problems.csv"
    return read_table(path, "problems") if path.exists() else None


def record_problems(out: Path, base, extra: list[Problem]) -> None:
    """Rewrite ``problems.csv`` (and its table in ``kit.sqlite``) as the run's rows plus ``extra``."""
    import sqlite3

    import pandas as pd

    from ..schema import validate
    from ..tables.io import write_csv

    frame = pd.concat([base if base is not None else pd.DataFrame(), pd.DataFrame([p.as_row() for p in extra])],
                      ignore_index=True)
    frame = validate(frame.reindex(columns=["file", "severity", "problem", "fix"]), "problems")
    write_csv(frame, out / "problems.csv")
    database = out / "kit.sqlite"
    if database.exists():
        with contextlib.closing(sqlite3.connect(database)) as con:
            frame.astype(object).where(frame.notna(), None).to_sql("problems", con, index=False, if_exists="replace")
            con.commit()


def _export_all(books, executed, out: Path, p, result: "ReportResult") -> None:
    from .. import __version__
    from .views import report_title

    report = out / "report.html"
    targets = {src: (report if src == books[-1] else out / "pages" / f"{src.stem}.html") for src in books}
    entries = [("Report", report)] + [(_title(executed[s]), targets[s]) for s in books[:-1]]
    heading = report_title(out)
    note = (f"Made by the investigative notebook kit {__version__} from {len(p.articles_dirs)} article folder(s); "
            "this page works without a network connection.")
    if len(books) > 1:
        pages.write_probe(out / "pages")
    for src, nb in executed.items():
        here = targets[src]
        title = heading if here == report else f"{_title(nb)} \u2014 {heading}"
        top = pages.banner(result.failures, str(out / "notebooks")) if here == report else ""
        path = pages.export(nb, here, pages.nav(entries, here, report), note, executed=str(result.executed[src.stem]),
                            top=top, title=title, tables=out, shared_plotly=here != report)
        if src != books[-1]:
            result.pages[src.stem] = path

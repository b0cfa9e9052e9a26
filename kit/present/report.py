"""``kit report``: run the pipeline, execute the numbered notebooks, export one offline HTML report.

Steps:

1. run the extraction (`kit.pipeline.runner.run`) and write the tables into ``out``;
2. execute notebooks/01-*.ipynb ... 06-*.ipynb in sorted order with papermill, each with the
   parameters ``articles_dirs``, ``out_dir`` and ``offline``, in a kernel that runs this very
   Python (so the kit is importable whatever kernels the machine has); the executed copies go to
   ``out/notebooks/``;
3. export them with nbconvert, code hidden: 06 becomes ``out/report.html``, the others
   ``out/pages/NN-name.html``. Every page is self-contained and checked to load nothing from the
   network (`kit.present.offline.assert_offline`).

A notebook that fails does not stop the others: the failure is reported (which notebook, which
error, and where the executed copy with the error is) and its page still shows what ran.

Example:
    >>> import tempfile
    >>> result = build_report([paths.SEEDS], tempfile.mkdtemp(), progress=False)  # doctest: +SKIP
    >>> result.report_path.name  # doctest: +SKIP
    'report.html'
"""
from __future__ import annotations

import contextlib
import html
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from ..errors import KitError, Problem
from ..project import find_project
from ..tables.io import output_lock, write_text
from . import offline, show

PLOTLY_BOOT = "window.PlotlyConfig"
PAGE_CSS = """
body.jp-Notebook { background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px 24px; }
.jp-Cell { padding: 0 !important; }
.jp-RenderedMarkdown { font-size: 15px; line-height: 1.55; }
.jp-RenderedMarkdown h1 { font-size: 28px; margin-top: 18px; }
.jp-RenderedMarkdown h2 { font-size: 21px; margin-top: 28px; border-bottom: 1px solid #e4e4e4; padding-bottom: 4px; }
.jp-OutputArea-output { font-size: 14px; }
nav.kit-nav { position: sticky; top: 0; z-index: 1000; background: #222; padding: 8px 24px; margin: 0 -24px 8px -24px;
  font: 14px Helvetica, Arial, sans-serif; }
nav.kit-nav a { color: #ddd; margin-right: 18px; text-decoration: none; }
nav.kit-nav a.kit-here { color: #fff; font-weight: bold; border-bottom: 2px solid #fff; }
footer.kit-footer { max-width: 1120px; margin: 24px auto; padding: 12px 24px; color: #777; font: 12px Helvetica, Arial, sans-serif;
  border-top: 1px solid #ddd; }
"""


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
    run: object = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(p.severity == "skipped" for p in self.problems)

    def summary(self) -> str:
        size = self.report_path.stat().st_size / 1e6 if self.report_path.exists() else 0
        failed = sum("notebook" in p.problem for p in self.problems if p.severity == "skipped")
        text = (f"{len(self.executed)} notebook(s) executed, {failed} failed; report {size:.1f} MB, "
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


def execute(src: Path, dst: Path, parameters: dict, timeout: int = 900):
    """Execute one notebook with papermill; returns (notebook, error message or None)."""
    import nbformat
    import papermill as pm

    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = pm.execute_notebook(str(src), str(dst), parameters=parameters, kernel_name="python3", language="python",
                                 progress_bar=False, log_output=False, cwd=str(dst.parent), execution_timeout=timeout,
                                 kernel_manager_class=ThisPythonKernel)
        return nb, None
    except pm.PapermillExecutionError as exc:
        return nbformat.read(dst, as_version=4), f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # the kernel died or did not start, a cell timed out
        nb = nbformat.read(dst if dst.exists() else src, as_version=4)
        return nb, f"{type(exc).__name__}: {exc}"


def _clean(nb):
    """Drop what an editor should not see: plotly's own 4.8 MB bootstrap output, warnings on stderr."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                continue
            if offline.PLOTLY_MIMETYPE not in data and PLOTLY_BOOT in str(data.get("text/html", ""))[:2000]:
                continue
            kept.append(out)
        cell["outputs"] = kept
    return nb


def _has_plotly(nb) -> bool:
    return any(offline.PLOTLY_MIMETYPE in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


def _nav(entries: list[tuple[str, Path]], here: Path) -> str:
    links = []
    for label, target in entries:
        cls = ' class="kit-here"' if target == here else ""
        links.append(f'<a href="{html.escape(show.relative(target, here.parent))}"{cls}>{html.escape(label)}</a>')
    return '<nav class="kit-nav">' + "".join(links) + "</nav>"


def export(nb, target: Path, nav: str, footer_note: str) -> Path:
    """Write ``nb`` as one self-contained HTML page without code (checked offline)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = [offline.PLOTLY_MIMETYPE, "text/html", "text/markdown", "image/svg+xml",
                                                  "image/png", "image/jpeg", "text/plain"]
    config.TagRemovePreprocessor.remove_cell_tags = ("remove-cell",)
    config.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name=offline.TEMPLATE_NAME,
                            extra_template_basedirs=[str(offline.TEMPLATES)], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    nb = _clean(nb)
    footer = f'<footer class="kit-footer">{html.escape(footer_note)}</footer>'
    resources = {"kit_css": PAGE_CSS + show.CSS, "kit_nav": nav,
                 "kit_footer": footer + (offline.plotly_loader() if _has_plotly(nb) else "")}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    page = offline.strip_mathjax(page)
    offline.assert_offline(page, target)
    return write_text(page, target)


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
    from ..pipeline.runner import write_tables
    from ..schema import validate

    out = Path(out).resolve()
    p = show.params(articles, out, offline, user_agent, cache_dir)
    result = ReportResult(report_path=out / "report.html")
    clock = time.perf_counter()

    def say(text):
        if progress:
            print(text, file=sys.stderr, flush=True)

    if tables is None:
        say("extracting the tables ...")
        result.run = show.run_pipeline(p, progress=progress)
        result.problems += list(result.run.problems)
    else:
        write_tables({name: validate(frame, name) for name, frame in tables.items()}, out)
        show.mark_fresh(p, frozen=True)
    result.timings["pipeline"] = round(time.perf_counter() - clock, 2)
    books = notebooks(folder)
    if not books:
        raise KitError(folder, "there are no numbered notebooks (01-....ipynb) in this folder",
                       "reinstall the kit or restore the notebooks folder from git")
    executed = {}
    for src in books:
        clock = time.perf_counter()
        say(f"running {src.name} ...")
        parameters = {"articles_dirs": [str(d) for d in p.articles_dirs], "out_dir": str(out), "offline": offline}
        if "geocoding" in src.stem:
            parameters["user_agent"] = user_agent or ""
        nb, error = execute(src, out / "notebooks" / src.name, parameters)
        executed[src] = nb
        result.executed[src.stem] = out / "notebooks" / src.name
        if error:
            result.problems.append(Problem(src.name, "skipped", f"the notebook stopped with an error at {error}",
                                           f"open {out / 'notebooks' / src.name} to see it, fix the cause and run "
                                           "kit report again (report the error if it is in the kit)"))
        result.timings[src.stem] = round(time.perf_counter() - clock, 2)
    clock = time.perf_counter()
    say("writing the report ...")
    with output_lock(out):  # the tables were written under the same lock by kit.pipeline.runner.run
        _export_all(books, executed, out, p, result)
    result.timings["export"] = round(time.perf_counter() - clock, 2)
    return result


def _export_all(books, executed, out: Path, p, result: "ReportResult") -> None:
    from .. import __version__

    targets = {src: (out / "report.html" if src == books[-1] else out / "pages" / f"{src.stem}.html") for src in books}
    entries = [("Report", targets[books[-1]])] + [(_title(executed[s]), targets[s]) for s in books[:-1]]
    note = (f"Made by the investigative notebook kit {__version__} from {len(p.articles_dirs)} article folder(s); "
            "this page works without a network connection.")
    for src, nb in executed.items():
        nb.metadata["title"] = _title(nb)
        path = export(nb, targets[src], _nav(entries, targets[src]), note)
        if src != books[-1]:
            result.pages[src.stem] = path

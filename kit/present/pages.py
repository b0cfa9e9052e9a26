"""An executed notebook as a page an editor reads: no code, no traceback, fits any screen and paper.

`export` writes one notebook as HTML with the kit's template (`kit.present.offline`):

- a step that failed shows a plain note (what could not be shown, where the details are) instead
  of a traceback, and papermill's own error banners are dropped (`clean`);
- the report's own page carries plotly.js inside it, so it still works when mailed alone; the
  detail pages in ``pages/`` share one packed copy beside them (`offline.PLOTLY_FILE`);
- links to the tables (``data-kit-table`` anchors, `kit.present.show.table_link`) point at the
  CSV and SQLite files of the report's folder, wherever the page is;
- the report's links to the detail pages disappear, with a note, when the report travels without
  its ``pages/`` folder (a tiny image beside the pages is the probe, `PAGES_PROBE`);
- the style sheet keeps every table within the page at 1,280 px and on a phone (a table becomes one
  card per row under 700 px), and prints on A4 with every column.

Example:
    >>> "kit-failed" in failure_note({"ename": "TypeError", "evalue": "<b>NA</b>"}, "06.ipynb")["data"]["text/html"]
    True
    >>> "&lt;b&gt;" in failure_note({"ename": "TypeError", "evalue": "<b>NA</b>"}, "06.ipynb")["data"]["text/html"]
    True
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from . import offline, show
from ..tables.io import write_text

PLOTLY_BOOT = "window.PlotlyConfig"
ERROR_TAG = "papermill-error-cell-tag"  # papermill's banner cells above a failed notebook
PAGES_PROBE = "kit-pages.png"  # a 1x1 image in pages/: the report finds its detail pages by loading it
_PROBE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
_TABLE_LINK = re.compile(r'<a\b[^>]*\bdata-kit-table="([^"/\\<>]+)"[^>]*>')  # attributes in any order
_HREF = re.compile(r'\bhref="[^"]*"')

PAGE_CSS = """
body.jp-Notebook { background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px 24px; box-sizing: border-box; }
.jp-Cell { padding: 0 !important; }
.jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output { max-width: 100%; min-width: 0; }
.jp-RenderedHTMLCommon { padding-right: 0 !important; }
.jp-RenderedMarkdown { font-size: 15px; line-height: 1.55; overflow-wrap: break-word; }
.jp-RenderedMarkdown h1 { font-size: 28px; margin-top: 18px; }
.jp-RenderedMarkdown h2 { font-size: 21px; margin-top: 28px; border-bottom: 1px solid #e4e4e4; padding-bottom: 4px; }
.jp-OutputArea-output { font-size: 14px; }
nav.kit-nav { position: sticky; top: 0; z-index: 1000; background: #222; padding: 8px 24px; margin: 0 -24px 8px -24px;
  font: 14px Helvetica, Arial, sans-serif; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav.kit-nav a { color: #ddd; text-decoration: none; }
nav.kit-nav a.kit-here { color: #fff; font-weight: bold; border-bottom: 2px solid #fff; }
nav.kit-nav .kit-nav-alone { color: #bbb; font-style: italic; }
.kit-chart-title { font: bold 15px Helvetica, Arial, sans-serif; margin: 14px 0 0 0; overflow-wrap: break-word; }
.kit-plotly, .kit-plotly-target { max-width: 100%; }
footer.kit-footer { max-width: 1120px; margin: 24px auto; padding: 12px 24px; color: #777; font: 12px Helvetica, Arial, sans-serif;
  border-top: 1px solid #ddd; box-sizing: border-box; }
@media screen and (max-width: 700px) {
  main { padding: 0 10px 32px 10px; }
  nav.kit-nav { margin: 0 -10px 8px -10px; padding: 8px 10px; }
  .jp-RenderedMarkdown h1 { font-size: 23px; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  nav.kit-nav { display: none; }
  main { max-width: none; padding: 0; }
  body { font-size: 11px; }
  .jp-RenderedMarkdown { font-size: 12px; }
  .jp-RenderedMarkdown h2 { break-after: avoid; }
  .kit-plotly, tr, blockquote.kit-quote { break-inside: avoid; }
}
"""


def clean(nb, executed: str = ""):
    """Drop what an editor should not see: plotly's own 4.8 MB bootstrap output, warnings on stderr,
    papermill's error banners; an error becomes a plain note saying what could not be shown."""
    nb.cells = [cell for cell in nb.cells if ERROR_TAG not in cell.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                continue
            if out.get("output_type") == "error":
                kept.append(failure_note(out, executed))
                continue
            if offline.PLOTLY_MIMETYPE not in data and PLOTLY_BOOT in str(data.get("text/html", ""))[:2000]:
                continue
            kept.append(out)
        cell["outputs"] = kept
    return nb


def failure_note(error_output, executed: str):
    """The note that stands where a step failed: what is missing and where the details are."""
    import nbformat

    error = html.escape(f"{error_output.get('ename', 'Error')}: {error_output.get('evalue', '')}"[:300])
    text = (f'<div class="kit-note kit-note-warn kit-failed"><b>This part could not be shown.</b> The kit stopped at an '
            f"error here ({error}). The rest of the page is complete; the details are in {html.escape(executed)}.</div>")
    return nbformat.v4.new_output("display_data", data={"text/html": text})


def has_plotly(nb) -> bool:
    return any(offline.PLOTLY_MIMETYPE in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


def nav(entries: list[tuple[str, Path]], here: Path, report: Path) -> str:
    """The bar of links between the report and its pages. On the report, the links to the pages
    vanish (and a note says where they are) when ``pages/`` did not travel with it."""
    links = []
    for label, target in entries:
        classes = ["kit-here"] if target == here else []
        if here == report and target != report:
            classes.append("kit-page-link")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        links.append(f'<a href="{html.escape(show.relative(target, here.parent))}"{cls}>{html.escape(label)}</a>')
    probe = ""
    if here == report and len(entries) > 1:
        pages = entries[1][1].parent
        source = html.escape(show.relative(pages / PAGES_PROBE, here.parent))
        probe = ('<span class="kit-nav-alone" hidden>This file came without its detail pages: they and the tables are in '
                 'the folder it was made in.</span>'
                 f'<img src="{source}" alt="" hidden width="1" height="1" onerror="document.querySelectorAll('
                 "'.kit-page-link').forEach(function (a) { a.remove(); });"
                 "document.querySelector('.kit-nav-alone').hidden = false;\">")
    return '<nav class="kit-nav">' + "".join(links) + probe + "</nav>"


def write_probe(pages: Path) -> Path:
    """The image the report loads to know its detail pages are beside it."""
    pages.mkdir(parents=True, exist_ok=True)
    target = pages / PAGES_PROBE
    target.write_bytes(_PROBE_PNG)
    return target


def banner(failures, executed_folder: str) -> str:
    """A note at the top of the report listing, in plain words, the steps that could not be shown."""
    shown = [f for f in failures if not f.follows]
    if not shown:
        return ""
    items = "".join(f"<li>{html.escape(f.notebook)}: \u201c{html.escape(f.section)}\u201d ({html.escape(f.error)})</li>"
                    for f in shown)
    return (f'<div class="kit-note kit-note-warn kit-failed"><b>Some parts of this report could not be made.</b> '
            f"Everything else is complete. The steps that failed:<ul>{items}</ul>The executed notebooks in "
            f"{html.escape(executed_folder)} show each error; problems.csv lists them.</div>")


def link_tables(page: str, target: Path, tables: Path) -> str:
    """Point every table link of ``page`` (``data-kit-table`` anchors) at the tables folder.

    >>> link_tables('<a data-kit-table="events.csv" href="../x">e</a>', Path("/out/pages/p.html"), Path("/out"))
    '<a data-kit-table="events.csv" href="../events.csv">e</a>'
    """
    def point(match):
        href = f'href="{html.escape(show.relative(tables / html.unescape(match.group(1)), target.parent))}"'
        return _HREF.sub(lambda _: href, match.group(0), count=1)
    return _TABLE_LINK.sub(point, page)


def export(nb, target: Path, nav_html: str, footer_note: str, *, executed: str = "", top: str = "", title: str = "",
           tables: Path | None = None, shared_plotly: bool = False) -> Path:
    """Write ``nb`` as one HTML page without code (checked offline). ``shared_plotly``: load plotly.js
    from `offline.PLOTLY_FILE` beside the page instead of carrying it."""
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
    nb = clean(nb, executed)
    if title:
        nb.metadata["title"] = title
    footer = f'<footer class="kit-footer">{html.escape(footer_note)}</footer>'
    charts = ""
    if has_plotly(nb):
        charts = offline.plotly_loader(shared=shared_plotly)
        if shared_plotly:
            offline.write_plotly_file(target.parent)
    resources = {"kit_css": PAGE_CSS + show.CSS, "kit_nav": nav_html + top, "kit_footer": footer + charts}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    page = offline.strip_mathjax(page)
    if tables is not None:
        page = link_tables(page, target, tables)
    offline.assert_offline(page, target)
    return write_text(page, target)

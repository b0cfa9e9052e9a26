"""What the notebooks call to load the tables and show them: escaped tables, quotes and notes.

A notebook holds no logic of its own: it resolves its parameters with `params`, gets the tables
with `load_tables` (which reruns the extraction when an article, the manifest, a correction, a
lexicon or the kit itself changed since the tables were written: drop a new article into the
folder, rerun any notebook, and everything updates), and shows the result with `table`,
`quotes` and `note`. Every piece of text goes through ``html.escape`` on its way into HTML.

Example:
    >>> import pandas as pd
    >>> str(table(pd.DataFrame({"quote": ["<script>alert(1)</script>"]})).data).count("<script>")
    0
    >>> "Nothing found yet" in nothing_yet("Nothing found yet.").data
    True
"""
from __future__ import annotations

import hashlib
import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from .. import paths
from ..project import find_project

STAMP = ".kit-stamp.json"
NOWRAP = {"date", "published", "first", "last", "file", "event_id", "severity", "precision", "killed_range",
          "wounded_range", "killed (claimed)", "wounded (claimed)"}
FLAG_MEANINGS = {
    "live_story": "a live or breaking story, updated as it developed: early lines may be contradicted by later updates",
    "ai_generated": "the page says its text was written by AI: treat every claim in it as unverified",
    "date_conflict": "the page shows more than one date: check which one is the publication date",
    "outlet_unknown": "the outlet could not be found: add it to the manifest or the front matter",
    "outlet_inferred": "the outlet was guessed from the text: check it",
}


@dataclass
class Params:
    """A notebook's parameters, resolved: folders as paths, defaults filled in."""

    articles_dirs: list[Path]
    out_dir: Path
    offline: bool = True
    user_agent: str | None = None
    cache_dir: Path | None = None
    extra: dict = field(default_factory=dict)


def params(articles_dirs=(), out_dir="", offline: bool = True, user_agent=None, cache_dir=None) -> Params:
    """Resolve the papermill parameters: no folders means the project's article folders (see
    `kit.project`), no output folder means the project's ``out/notebooks``."""
    if isinstance(articles_dirs, (str, Path)):
        articles_dirs = [articles_dirs] if str(articles_dirs) else []
    project = find_project()
    dirs = [Path(d).expanduser().resolve() for d in articles_dirs] or project.articles
    out = Path(out_dir).expanduser().resolve() if str(out_dir or "") else project.out / "notebooks"
    return Params(dirs, out, bool(offline), user_agent or None, Path(cache_dir) if cache_dir else None)


CSS = """
.kit-note { padding: 10px 14px; margin: 8px 0; border-left: 4px solid #4a7ab5; background: #f1f5fa; overflow-wrap: break-word; }
.kit-note-warn { border-left-color: #c0392b; background: #fbeeec; }
.kit-note-empty { border-left-color: #999; background: #f4f4f4; color: #555; font-style: italic; }
.kit-table-wrap { margin: 6px 0; max-width: 100%; }
table.kit-table { border-collapse: collapse; font-size: 13px; width: 100%; table-layout: auto; }
table.kit-table th { text-align: left; background: #f3f3f3; }
table.kit-table th, table.kit-table td { border-bottom: 1px solid #e2e2e2; padding: 4px 8px; vertical-align: top;
  text-align: left !important; line-height: 1.4; overflow-wrap: break-word; }
table.kit-table td.kit-nowrap { white-space: nowrap; }
table.kit-table tbody tr:nth-child(odd) { background: #fafafa; }
table.kit-table th.kit-wide { min-width: 12em; }
table.kit-table td a { word-break: break-all; }  /* a long web address wraps anywhere */
table.kit-io th { width: 10em; background: none; }
blockquote.kit-quote { margin: 10px 0; padding: 6px 14px; border-left: 3px solid #bbb; font-style: italic; overflow-wrap: break-word; }
blockquote.kit-quote footer { font-style: normal; color: #555; font-size: 13px; margin-top: 2px; }
.kit-what { font-style: normal; font-weight: bold; }
.kit-more { color: #666; font-size: 13px; }
.kit-inferred { color: #8a5a00; font-size: 12px; font-style: italic; }
table.kit-table.kit-matrix { width: auto; min-width: 50%; }
table.kit-matrix td.kit-stance { color: #fff; font-weight: bold; white-space: nowrap; cursor: help; }
table.kit-matrix tbody th { background: none; font-weight: normal; }
.kit-stance-key { color: #fff; padding: 0 5px; border-radius: 2px; margin-right: 4px; font-style: normal; }
.kit-chart-title { font-weight: bold; font-size: 15px; margin: 14px 0 0 0; overflow-wrap: break-word; }
@media screen and (max-width: 700px) {  /* a phone: one card per row, each cell with its column's name */
  table.kit-table, table.kit-table tbody, table.kit-table tr, table.kit-table td,
  table.kit-table tbody th { display: block; width: auto; }
  table.kit-table thead { display: none; }
  table.kit-table tr { border-bottom: 2px solid #d6d6d6; padding: 4px 0; }
  table.kit-table td { border: none; padding: 1px 4px; white-space: normal !important; }
  table.kit-table td::before { content: attr(data-label) ": "; font-weight: bold; font-style: normal; color: #444; }
  table.kit-table td.kit-stance::before { color: inherit; }
  table.kit-table td.kit-stance { white-space: normal; }
  table.kit-table td:empty { display: none; }
}
@media print {  /* A4: every column on the page, text wrapped */
  table.kit-table { table-layout: fixed; font-size: 8.5px; }
  table.kit-table th, table.kit-table td { padding: 2px 3px; white-space: normal !important; word-break: break-word; }
  table.kit-table th.kit-wide { min-width: 0; }
}
"""


def setup() -> HTML:
    """Notebook display settings: plotly figures both as data (JupyterLab, report export) and as
    HTML; returns the style sheet for the kit's tables and notes (show it once per notebook)."""
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype+notebook"
    pd.set_option("display.max_colwidth", 200)
    return HTML(f"<style>{CSS}</style>")


def _fingerprint(p: Params) -> str:
    """Changes whenever an input of the extraction changes (file added, edited or removed)."""
    digest = hashlib.sha256(json.dumps([[str(d) for d in p.articles_dirs], p.offline]).encode())
    project = find_project()
    roots = list(p.articles_dirs) + [project.corrections, project.lexicons, paths.LEXICONS, paths.GAZETTEER, paths.PACKAGE]
    for root in roots:
        if not root.exists():
            digest.update(f"missing {root}".encode())
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(root).parts):
                stat = path.stat()
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


STAMP_FORMAT, STAMP_VERSION = "kit-notebook-stamp", 1


def is_fresh(p: Params) -> bool:
    """True when the tables in ``p.out_dir`` were written from the current inputs.

    A stamp file that is not one of this kit (damaged, another version) is set aside; the warning
    is kept in ``p.extra["problems"]`` for the run that follows (`run_pipeline`).
    """
    from ..caches import Unusable, check_stamp, set_aside

    stamp = p.out_dir / STAMP
    if not stamp.exists() or not (p.out_dir / "articles.csv").exists():
        return False
    try:
        recorded = json.loads(stamp.read_bytes())
        check_stamp(recorded.get("stamp") if isinstance(recorded, dict) else None, STAMP_FORMAT, STAMP_VERSION)
        if not isinstance(recorded.get("fingerprint"), str) or not isinstance(recorded.get("frozen", False), bool):
            raise Unusable("it is damaged")
    except OSError:
        return False
    except (ValueError, Unusable) as exc:
        reason = exc.reason if isinstance(exc, Unusable) else "it is not readable JSON"
        p.extra.setdefault("problems", []).append(set_aside(stamp, reason, "the tables are made again"))
        return False
    if recorded.get("frozen", False):
        return True
    return recorded["fingerprint"] == _fingerprint(p)


def mark_fresh(p: Params, frozen: bool = False) -> None:
    """Record that the tables in ``p.out_dir`` match the current inputs. ``frozen`` tables (handed
    to `kit.present.report.build_report` ready-made) are never re-extracted by the notebooks."""
    from ..caches import stamp
    from ..tables.io import write_text

    write_text(json.dumps({"stamp": stamp(STAMP_FORMAT, STAMP_VERSION), "fingerprint": _fingerprint(p),
                           "articles_dirs": [str(d) for d in p.articles_dirs], "offline": p.offline, "frozen": frozen},
                          indent=1), p.out_dir / STAMP)


def run_pipeline(p: Params, progress: bool = True, lock: bool | None = None):
    """Run the extraction on ``p`` (writing every table into ``p.out_dir``) and mark it fresh.

    ``lock``: take the output folder's lock (`kit.tables.io.output_lock`); by default yes, except in
    a notebook that `kit report` runs while it holds the lock (`kit.tables.io.lock_held_by_parent`)."""
    from ..pipeline.runner import run
    from ..tables.io import lock_held_by_parent

    if lock is None:
        lock = not lock_held_by_parent(p.out_dir)

    geocoder = None
    if not p.offline:
        from ..places.geocode import OnlineGeocoder

        geocoder = OnlineGeocoder(user_agent=p.user_agent)
    result = run(p.articles_dirs, p.out_dir, offline=p.offline, geocoder=geocoder, cache_dir=p.cache_dir, progress=progress,
                 lock=lock, notices=p.extra.pop("problems", []))
    mark_fresh(p)
    return result


def load_tables(p: Params, refresh: str = "auto") -> dict[str, pd.DataFrame]:
    """The tables for ``p``: rerun the extraction first when ``refresh`` is "always", or "auto" and
    an input changed since the tables were written; "never" only reads them. In a notebook that
    `kit report` runs, "auto" only reads: every page shows the tables that report wrote."""
    from .. import read_tables
    from ..tables.io import lock_held_by_parent

    if refresh == "auto" and lock_held_by_parent(p.out_dir):
        refresh = "never"
    if refresh == "always" or (refresh == "auto" and not is_fresh(p)):
        run_pipeline(p, progress=False)
    tables = read_tables(p.out_dir)
    from ..pipeline.runner import TABLE_ORDER
    from ..schema import empty_frame

    return {name: tables.get(name, empty_frame(name)) for name in TABLE_ORDER}


def fetch_links(p: Params, links_file="") -> HTML:
    """Notebook 01's optional step: save the pages of ``links_file`` into the first article folder
    (`kit.articles.fetch`), only when a list is given and the run may use the network.

    ``links_file`` is a text file of links, one a line; a relative path is taken from the project
    folder (where ``kit.toml`` is). Returns what happened to each link, as a table.

    >>> print(fetch_links(Params([Path("articles")], Path("out")), "").data)
    <div class="kit-note kit-note-empty">Nothing fetched: no list of links was given (links_file is empty).</div>
    """
    if not str(links_file or "").strip():
        return nothing_yet("Nothing fetched: no list of links was given (links_file is empty).")
    if p.offline:
        return note("Nothing fetched: this run is offline. Set offline = False (and your newsroom's user_agent) "
                    "at the top to fetch the links.", "warn")
    from ..articles.fetch import fetch_links as fetch

    path = Path(links_file).expanduser()
    path = path if path.is_absolute() else find_project().root / path
    report = fetch(path, p.articles_dirs[0], p.user_agent, progress=True)
    problems = "".join(f"<li>{html.escape(str(problem))}</li>" for problem in report.problems)
    listed = f'<ul class="kit-more">{problems}</ul>' if problems else ""
    return HTML(note(report.summary(), "warn" if report.skipped else "info").data + listed
                + table(report.frame(), ["line", "status", "file", "title", "url"]).data)


def _box(kind: str, text: str) -> HTML:
    return HTML(f'<div class="kit-note kit-note-{kind}">{text}</div>')


def note(text: str, kind: str = "info") -> HTML:
    """A short message box (``kind``: info, warn or empty); ``text`` is escaped."""
    return _box(kind, html.escape(str(text)))


def nothing_yet(text: str) -> HTML:
    """The message a notebook shows instead of a chart or table when there is nothing to show."""
    return _box("empty", html.escape(str(text)))


def _cell(value, column: str, links: tuple, html_columns: tuple = ()) -> str:
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return ""
    text = str(value)
    if column in html_columns:
        return text
    if column in links and text.startswith(("http://", "https://")):
        return f'<a href="{html.escape(text)}" rel="noopener noreferrer" target="_blank">{html.escape(text)}</a>'
    return html.escape(text).replace("\n", "<br>")


def table(frame: pd.DataFrame, columns=None, labels: dict | None = None, max_rows: int = 300,
          empty: str = "Nothing found yet.", links: tuple = ("url",),
          wide: tuple = ("sentence", "quote", "label", "incident", "title", "text", "example sentence", "who is blamed"), csv: str = "", p_out=None, html_columns: tuple = ()) -> HTML:
    """An HTML table of ``frame`` with every cell escaped (web addresses in ``links`` columns become
    links; ``html_columns`` hold HTML the kit made, from escaped parts). Shows ``max_rows`` rows and
    says how many more there are, linking to the ``csv`` table of the output folder ``p_out``."""
    if frame is None or not len(frame):
        return nothing_yet(empty)
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    labels = labels or {}
    names = [html.escape(str(labels.get(c, c))) for c in columns]
    head = "".join(f'<th class="{"kit-wide" if c in wide else ""}">{n}</th>' for c, n in zip(columns, names))
    classes = [(' class="kit-nowrap"' if c in NOWRAP else "") + f' data-label="{n}"' for c, n in zip(columns, names)]
    body = []
    for row in frame[columns].head(max_rows).itertuples(index=False):
        body.append("<tr>" + "".join(f"<td{k}>{_cell(v, c, links, html_columns)}</td>" for v, c, k in zip(row, columns, classes))
                    + "</tr>")
    more = ""
    if len(frame) > max_rows:
        where = f"; {table_link(csv, p_out)} has them all" if csv else "; the CSV file has them all"
        more = f'<p class="kit-more">Showing {max_rows} of {len(frame)} rows{where}.</p>'
    return HTML(f'<div class="kit-table-wrap"><table class="kit-table"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>{more}')


def _safe_url(url: str) -> str:
    """A web address fit for a link (http or https only), else ""."""
    return url if url.startswith(("http://", "https://")) else ""


def quotes(frame: pd.DataFrame, max_quotes: int = 50, empty: str = "No quotes yet.", csv=(), p_out=None) -> HTML:
    """Sentences as block quotes with their source: speaker, outlet (linked to the article when its
    address is known), date, and "via" when relayed; past ``max_quotes``, links to the ``csv`` table(s).

    ``frame`` needs ``sentence`` and ``outlet``; ``speaker``, ``via``, ``published``, ``url``, ``what`` are used if present.

    >>> frame = pd.DataFrame({"sentence": ["Two died."], "outlet": ["Rudaw"], "url": ["https://rudaw.net/a"]})
    >>> '<a href="https://rudaw.net/a"' in quotes(frame).data
    True
    """
    if frame is None or not len(frame):
        return nothing_yet(empty)
    parts = []
    for row in frame.head(max_quotes).to_dict("records"):
        def get(key):
            value = row.get(key)
            return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        who = get("speaker")
        outlet = html.escape(get("outlet") or "Unknown outlet")
        url = _safe_url(get("url"))
        if url:
            outlet = f'<a href="{html.escape(url)}" rel="noopener noreferrer" target="_blank">{outlet}</a>'
        source = (f"{html.escape(who)}, in " if who and who != "article" else "") + outlet
        source += f" ({html.escape(get('published'))})" if get("published") else " (date unknown)"
        source += f", via {html.escape(get('via'))}" if get("via") else ""
        what = f'<span class="kit-what">{html.escape(get("what"))}</span> ' if get("what") else ""
        parts.append(f'<blockquote class="kit-quote">{what}\u201c{html.escape(get("sentence"))}\u201d'
                     f'<footer>\u2014 {source}</footer></blockquote>')
    more = ""
    if len(frame) > max_quotes:
        names = [csv] if isinstance(csv, str) else list(csv)
        where = " and ".join(table_link(name, p_out) for name in names if name) or "the tables"
        more = f'<p class="kit-more">{len(frame) - max_quotes} more in {where}.</p>'
    return HTML("".join(parts) + more)


TABLE_FILES = ("articles", "places", "casualty_claims", "attribution_claims", "events", "problems")


def table_link(name: str, out_dir=None, label: str = "") -> str:
    """A link to a table of the output folder (``casualty_claims.csv``, ``kit.sqlite``): relative to
    the notebook's folder while it runs; the report's pages point it at their own folder's copy.

    >>> table_link("events.csv", None, "the incidents")
    '<a href="events.csv" data-kit-table="events.csv">the incidents</a>'
    """
    href = relative(Path(out_dir) / name, Path.cwd()) if out_dir is not None else name
    return f'<a href="{html.escape(href)}" data-kit-table="{html.escape(name)}">{html.escape(label or name)}</a>'


def table_links(p: Params) -> HTML:
    """One line of links to every table of the run (CSV) and to the SQLite file that holds them all."""
    links = ", ".join(table_link(f"{name}.csv", p.out_dir) for name in TABLE_FILES)
    return HTML(f'<p class="kit-more">The tables behind this page: {links}; all of them in one SQLite file: '
                f'{table_link("kit.sqlite", p.out_dir)} (open it with Datasette or any SQLite tool).</p>')


def inputs_outputs(p: Params, reads: list[str], writes: list[str]) -> HTML:
    """The Inputs / Outputs box at the top of a notebook, with the actual folders of this run."""
    folders = ", ".join(str(d) for d in p.articles_dirs)
    items = [("Articles", folders), ("Tables folder", str(p.out_dir)), ("Network", "off (offline)" if p.offline else "on")]
    items += [("Reads", ", ".join(reads)), ("Writes", ", ".join(writes) or "nothing (it only shows)")]
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in items)
    return HTML(f'<table class="kit-table kit-io">{rows}</table>')


def flag_notes(flags: str) -> str:
    """Plain-English meaning of an article's flags ("live_story; ai_generated")."""
    out = []
    text = flags if isinstance(flags, str) else ""
    for flag in [f.strip() for f in text.split(";") if f.strip()]:
        meaning = FLAG_MEANINGS.get(flag) or ("the file was not UTF-8 and was decoded from " + flag[len("decoded_from_"):]
                                              if flag.startswith("decoded_from_") else flag)
        out.append(f"{flag}: {meaning}")
    return "\n".join(out)


def relative(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` when possible (for links between report pages)."""
    try:
        return os.path.relpath(path, start)
    except ValueError:  # pragma: no cover - different drives on Windows
        return str(path)

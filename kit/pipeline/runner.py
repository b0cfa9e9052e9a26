"""The whole run: article folders in, checked tables out.

    articles -> per-article extraction (cached) -> geocoding chain -> incidents -> corrections -> tables

Every table is written by `write_tables`, after `kit.schema.validate`, atomically, under a
lock on the output folder. Input folders, the manifest and the corrections are only read.

Example:
    >>> import tempfile
    >>> from kit.paths import SEEDS
    >>> result = run([SEEDS], tempfile.mkdtemp(), cache_dir=tempfile.mkdtemp(), progress=False)
    >>> len(result.tables["articles"]), result.skipped
    (5, 0)
"""
from __future__ import annotations

import contextlib
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..articles.reading import Article, load_articles
from ..caches import LEGACY_OUTPUT_NAMES, set_aside_legacy
from ..claims.grammar import parser_id
from ..errors import Problem
from ..lexicons import load_lexicons
from ..places.geocache import check_geocode_cache
from ..places.geocode import _unused, read_place_corrections
from ..project import find_project
from ..schema import TABLES, columns, validate
from ..tables.corrections import apply_claim_corrections
from ..tables.incremental import load_state, row_hashes
from ..tables.io import check_output_folder, output_lock
from ..tables.snapshot import HASHED, hashes_key
from .extract import ExtractionCache, code_fingerprint

TABLE_ORDER = ("articles", "places", "casualty_claims", "attribution_claims", "events", "problems")


@dataclass
class RunResult:
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    out: Path | None
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0

    @property
    def skipped(self) -> int:
        return sum(p.severity == "skipped" for p in self.problems)

    def summary(self) -> str:
        counts = ", ".join(f"{len(self.tables[t])} {t.replace('_', ' ')}" for t in TABLE_ORDER if t != "problems")
        text = f"{counts}; {self.skipped} file(s) skipped, {len(self.problems) - self.skipped} warning(s)"
        return text + (f"; tables in {self.out}" if self.out else "")


def extract_all(articles, lex, gaz, cache_dir, scheduler=None, progress=False,
                problems: list | None = None) -> tuple[list[dict], int]:
    """Per-article results in article order, from the cache where possible; returns (results, cache hits).
    What went wrong with the cache file (set aside, entries unreadable) goes into ``problems``."""
    cache = ExtractionCache(cache_dir, "|".join((code_fingerprint(), lex.fingerprint, gaz.fingerprint, parser_id())))
    keys = [cache.key(a) for a in articles]
    cached = cache.get_many(keys)
    todo = [(k, a) for k, a in zip(keys, articles) if k not in cached]
    fresh: dict[str, dict] = {}
    if todo and scheduler is not None:
        from .distributed import extract_on_cluster
        fresh = dict(zip([k for k, _ in todo], extract_on_cluster([a for _, a in todo], lex, gaz, scheduler)))
    elif todo:  # on every core of this machine when there are many (kit.pipeline.parallel)
        from .parallel import extract_many
        fresh = dict(zip([k for k, _ in todo], extract_many([a for _, a in todo], lex, gaz, progress=progress)))
    cache.put_many({k: r for k, r in fresh.items() if "failed" not in r})  # a crash is tried again next run
    if problems is not None:
        problems += cache.problems
    return [cached.get(k) or fresh[k] for k in keys], len(cached)


def run(articles, out=None, *, offline: bool = True, geocoder=None, cache_dir=None, corrections_dir=None,
        lexicons_dir=None, scheduler=None, progress: bool | None = None, lock: bool = True,
        notices: list[Problem] = ()) -> RunResult:
    """Read the article folders, extract every table and (when ``out`` is given) write them.

    ``offline=False`` lets the geocoding chain ask the online geocoder (``geocoder``, a geopy
    geocoder or `kit.places.geocode.OnlineGeocoder`) for places the gazetteer does not know.
    With ``out``, the output folder is locked for the whole run, so a second run on the same
    folder stops at once with a clear message (``lock=False`` when the caller holds it already).
    Caches, corrections and extra lexicon rows default to those of the project folder
    (`kit.project.find_project`: the current folder or the nearest one above with a ``kit.toml``).
    A cache or state file that cannot be used is set aside or salvaged (`kit.caches`) and reported
    as a warning; ``notices``: warnings the caller found before the run (a notebook's stamp).
    """
    if out is not None and lock:
        check_output_folder(articles, out)  # before the lock, which creates the folder and its marker
        with output_lock(out):
            return run(articles, out, offline=offline, geocoder=geocoder, cache_dir=cache_dir,
                       corrections_dir=corrections_dir, lexicons_dir=lexicons_dir, scheduler=scheduler,
                       progress=progress, lock=False, notices=notices)
    from ..places.gazetteer import load_gazetteer
    from ..tables.snapshot import Snapshot, assemble

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    progress = True if progress is None else progress
    project = find_project()
    cache_dir = Path(cache_dir or project.cache)
    corrections_dir = Path(corrections_dir or project.corrections)

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    lex = load_lexicons(lexicons_dir, extra=project.lexicons)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache_problems = [*notices, *set_aside_legacy(cache_dir), *check_geocode_cache(cache_dir)]
    gaz = load_gazetteer(cache=cache_dir, progress=progress)  # `--quiet`: not even the one-time index build
    cache_problems += gaz.problems
    # online answers may change from run to run: an online run neither uses nor keeps a snapshot
    snapshot = Snapshot.load(cache_dir, _context(lex, gaz, corrections_dir, cache_dir)) if offline else None
    cache_problems += snapshot.problems if snapshot is not None else []
    old_state = None
    if out is not None:  # the output folder's state, read now so that its problems go into problems.csv
        cache_problems += set_aside_legacy(out, LEGACY_OUTPUT_NAMES)
        old_state = load_state(out, _writer_version(), cache_problems)
    lap("resources")
    read_cache = ExtractionCache(cache_dir, "|".join(("read", code_fingerprint(), lex.fingerprint)), "articles.sqlite")
    loaded = load_articles(articles, lex, progress=progress, cache=read_cache,
                           known=snapshot.lookup if snapshot is not None else None)
    problems = cache_problems + read_cache.problems + list(loaded.problems)
    lap("read_articles")
    fresh = [a for a in loaded.articles if isinstance(a, Article)]
    results, hits = extract_all(fresh, lex, gaz, cache_dir, scheduler, progress, problems)
    lap("extract")
    fixes, fix_problems = read_place_corrections(corrections_dir)
    if fresh or not (snapshot and snapshot.parts):
        new_blocks, new_rows, lookup_problems = article_blocks(fresh, results, fixes, cache_dir, offline, geocoder, progress)
    else:  # nothing new: no rows, with the column types of the snapshot's
        new_blocks, new_rows, lookup_problems = [], {n: f.iloc[:0] for n, f in snapshot.parts[0][1].items()}, []
    used = set().union(*(b.fixes_used for b in _in_order(loaded.articles, new_blocks)))
    problems += fix_problems + [_unused(f) for f in fixes if f.where not in used] + lookup_problems
    lap("geocode")
    blocks = _in_order(loaded.articles, new_blocks)
    parts = [(new_blocks, new_rows)] + (snapshot.parts if snapshot else [])
    where = {id(b): (0, i) for i, b in enumerate(new_blocks)}
    where.update({block_id: (p + 1, i) for block_id, (p, i) in (snapshot.where.items() if snapshot else ())})
    rows = assemble([where[id(b)] for b in blocks], parts)
    tables = link_blocks(blocks, rows)
    lap("events")
    tables["casualty_claims"], tables["attribution_claims"], correction_problems = apply_claim_corrections(
        *(_plain_flags(tables[n]) for n in ("casualty_claims", "attribution_claims")), corrections_dir)
    problems += correction_problems
    lap("corrections")
    from ..sources.grades import add_sources
    tables = add_sources(tables, [b.text for b in blocks], tables.pop("article_events"), lex)
    lap("sources")
    tables["problems"] = pd.DataFrame([p.as_row() for p in problems])
    tables = {name: tables[name] if name == "places" else validate(tables[name], name)
              for name in TABLE_ORDER}
    lap("validate")
    if snapshot is not None and (new_blocks or [id(b) for b in blocks] != [id(b) for b in snapshot.blocks]):
        snapshot.save(blocks, parts, where)
    hits += len(blocks) - len(new_blocks)
    if out is not None:
        out = Path(out)
        hashes = {name: h for name, h in _assembled_hashes(tables, rows, parts).items() if name != "articles"}  # copy columns added since
        write_tables(tables, out, texts={b.article_id: b.text for b in blocks}, lock=False,
                     hashes=hashes, old_state=old_state)
        lap("write")
    return RunResult(tables, problems, out, timings, hits)


def _assembled_hashes(tables: dict, rows: dict, parts: list) -> dict:
    """Row hashes of the `kit.tables.snapshot.HASHED` tables, assembled with their rows (not computed
    again), where every part had the final table's column types (else they would differ)."""
    found = {}
    for name in HASHED:
        dtypes = tables[name].dtypes
        if all(frames[name].dtypes.equals(dtypes) for _, frames in parts if len(frames[name])):
            found[name] = rows[hashes_key(name)]["hash"].to_numpy()
    return found


def _context(lex, gaz, corrections_dir: Path, cache_dir: Path) -> str:
    """Everything an article's own rows depend on besides the article (`kit.tables.snapshot`)."""
    from ..tables.snapshot import file_digest, geocache_digest

    return "|".join((code_fingerprint(), lex.fingerprint, gaz.fingerprint, parser_id(), file_digest(corrections_dir / "places.csv"),
                     geocache_digest(cache_dir), "offline"))


def _in_order(records, new_blocks) -> list:
    """The run's blocks in article order: the snapshot's where reused, the new ones elsewhere."""
    fresh = iter(new_blocks)
    return [next(fresh) if isinstance(r, Article) else r for r in records]


def article_blocks(articles, results, fixes, cache_dir, offline, geocoder, progress):
    """Geocode, locate the incident of and check the rows of ``articles`` (extracted as ``results``).

    Returns one `kit.tables.snapshot.Block` per article, its rows in the four per-article tables
    (claims without event ids or corrections) and the geocoder's problems.
    """
    from ..incidents.linking import incident_items, link_data
    from ..places.geocode import apply_chain
    from ..tables.snapshot import Block

    if not articles:  # nothing new: no frames to build and check
        return [], {name: frame.copy() for name, frame in _empty_rows().items()}, []
    places = pd.DataFrame([dict(row, file=a.file) for a, r in zip(articles, results) for row in r["places"]])
    problems, used_by = [], {}
    if len(places):
        places, problems, used_by = apply_chain(places, fixes, cache_dir, offline, geocoder, progress)
    items = incident_items(articles, results, places)
    rows = {"articles": pd.DataFrame([a.as_row() for a in articles]), "places": places}
    for name in ("casualty_claims", "attribution_claims"):
        rows[name] = pd.DataFrame([dict(c, event_id=None) for r in results for c in r[name]]).reindex(columns=columns(name))
    rows = {name: validate(frame, name) for name, frame in rows.items()}
    rows.update({hashes_key(name): pd.DataFrame({"hash": row_hashes(rows[name])}) for name in HASHED})
    per_place = rows["places"]["article_id"].value_counts().to_dict() if len(places) else {}
    blocks, noted = [], []
    for article, result in zip(articles, results):
        # kept with the article's read warnings (below), so a rerun from the snapshot reports them again
        noted.append([_note(article.file, note) for note in result.get("warnings", ())])
        problems += noted[-1]
        if "failed" in result:
            problems.append(Problem(article.file, "skipped",
                                    f"the kit failed on this article ({result['failed']}); its places and claims are missing",
                                    "this is a bug in the kit: send the file to its maintainers; the other articles were "
                                    "processed"))
    for article, result, item, notes in zip(articles, results, items, noted):
        own = [c for c in result["casualty_claims"] if not c["background"]]
        blocks.append(Block(
            key=article.__dict__.get("_read_key"), article_id=article.article_id, file=article.file, published=article.published,
            label=item["incident"]["label"], date=item["date"], place=item["place"],
            casualties=[{k: c[k] for k in ("outcome", "count_min", "count_max", "speaker", "sentence")} for c in own],
            n_attributions=sum(not c["background"] for c in result["attribution_claims"]),
            warnings=[*article.__dict__.get("_warnings", []), *notes], fixes_used=used_by.get(article.article_id, set()),
            text=article.text,
            failed=result.get("failed", ""), link=link_data(item),
            rows={"articles": 1, "places": per_place.get(article.article_id, 0),
                  "casualty_claims": len(result["casualty_claims"]),
                  "attribution_claims": len(result["attribution_claims"])}))
    return blocks, rows, problems


def _note(file: str, note) -> Problem:
    """A warning of the extraction: its text, or (text, what to do)."""
    text, fix = (note, "split the file into articles, one story each") if isinstance(note, str) else note
    return Problem(file, "warning", text, fix)


@functools.lru_cache(maxsize=1)
def _empty_rows() -> dict[str, pd.DataFrame]:
    """The four per-article tables with no rows, checked (so with their checked column types)."""
    empty = {name: validate(pd.DataFrame(columns=columns(name)), name)
             for name in ("articles", "places", "casualty_claims", "attribution_claims")}
    return dict(empty, **{hashes_key(name): pd.DataFrame({"hash": row_hashes(empty[name])}) for name in HASHED})


def link_blocks(blocks, rows: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Link the incidents of all articles: event ids on the claims, and the events table."""
    from collections import Counter
    from types import SimpleNamespace

    from ..incidents.linking import _event_rows, assign_events, other_incident_claims

    items = [dict(b.link, article=SimpleNamespace(published=b.published, file=b.file), incident={"label": b.label},
                  place=b.place, date=b.date) for b in blocks]
    clusters = assign_events(items)
    tables = dict(rows, article_events=[item["event_id"] for item in items])  # for kit.sources (popped by `run`)
    event_ids = np.array([item["event_id"] for item in items], dtype=object)
    for name in ("casualty_claims", "attribution_claims"):
        frame = rows[name].copy()
        ids = np.repeat(event_ids, [b.rows[name] for b in blocks])
        ids[frame["background"].to_numpy(dtype=bool)] = ""
        frame["event_id"] = ids
        tables[name] = frame
    # claims about another incident of the folder ("a day after Iran's strikes on Pakistan") join it
    moved = other_incident_claims(items, blocks, tables)
    for name, to in moved.items():
        if to:
            frame, positions = tables[name], list(to)
            frame.iloc[positions, frame.columns.get_loc("event_id")] = [to[p] for p in positions]
            frame.iloc[positions, frame.columns.get_loc("background")] = False
    # the incidents' figures from their own claims, those moved from other articles included
    casualties = _incident_casualties(tables["casualty_claims"]) if moved["casualty_claims"] else \
        [dict(c, event_id=item["event_id"]) for item, b in zip(items, blocks) for c in b.casualties]
    att_count = Counter(e for e in tables["attribution_claims"]["event_id"] if e)
    tables["events"] = _event_rows(clusters, casualties, att_count)
    return tables


def _incident_casualties(frame: pd.DataFrame) -> list[dict]:
    """The casualty claims with an event id as `kit.incidents.linking` reads them (plain values)."""
    keys = ("outcome", "count_min", "count_max", "speaker", "sentence", "event_id")
    linked = frame[frame["event_id"].astype(bool)]
    values = [[None if pd.isna(v) else v for v in linked[key].astype(object)] for key in keys]
    return [dict(zip(keys, row)) for row in zip(*values)]


def _plain_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``corrected`` column as plain objects (None when empty), as the extractors hand it over."""
    frame = frame.copy()
    frame["corrected"] = frame["corrected"].astype(object).where(frame["corrected"].notna(), None)
    return frame


def write_tables(tables: dict[str, pd.DataFrame], out: Path, texts: dict[str, str] | None = None,
                 lock: bool = True, hashes: dict | None = None, old_state: dict | None = None) -> None:
    """Write every table as CSV plus one SQLite file (``kit.sqlite``), under a lock on ``out``
    unless the caller already holds it (``lock=False``).

    Only rows that changed since the last write are written (`kit.tables.incremental`); the files are
    the same bytes (CSV) and rows (SQLite) a full rewrite gives, and each is replaced atomically.
    ``old_state``: the folder's state as `kit.tables.incremental.load_state` read it (else read here).
    """
    from ..tables.incremental import (
        load_state,
        save_state,
        write_csv_incremental,
        write_sqlite_incremental,
    )

    out = Path(out)
    with output_lock(out) if lock else contextlib.nullcontext():
        version = _writer_version()
        old = load_state(out, version) if old_state is None else old_state
        state = {"version": version, "csv": {}, "sqlite": None}
        for name in TABLE_ORDER:
            state["csv"][name] = write_csv_incremental(tables[name], out / f"{name}.csv", old.get("csv", {}).get(name),
                                                       (hashes or {}).get(name))
        sql_tables = {n: tables[n] for n in TABLE_ORDER if n in TABLES}
        if texts is not None:
            sql_tables["article_texts"] = pd.DataFrame({"article_id": list(texts), "text": list(texts.values())})
        indexed = {n for n in TABLES if n != "articles" and "article_id" in tables.get(n, pd.DataFrame()).columns}
        state["sqlite"] = write_sqlite_incremental(sql_tables, out / "kit.sqlite", old.get("sqlite"), indexed,
                                                    known=state["csv"])
        save_state(out, state)


def _writer_version() -> str:
    """What the bytes of a written table depend on besides its rows: the kit's code, pandas, SQLite."""
    import sqlite3

    return "|".join((code_fingerprint(), pd.__version__, sqlite3.sqlite_version))

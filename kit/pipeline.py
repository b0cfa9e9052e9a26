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
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .articles import load_articles
from .errors import Problem
from .extract import ExtractionCache, code_fingerprint
from .io import output_lock
from .lexicons import load_lexicons
from .paths import CACHE, CORRECTIONS
from .schema import TABLES, validate

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


def extract_all(articles, lex, gaz, cache_dir, scheduler=None, progress=False) -> tuple[list[dict], int]:
    """Per-article results in article order, from the cache where possible; returns (results, cache hits)."""
    cache = ExtractionCache(cache_dir, "|".join((code_fingerprint(), lex.fingerprint, gaz.fingerprint)))
    keys = [cache.key(a) for a in articles]
    cached = cache.get_many(keys)
    todo = [(k, a) for k, a in zip(keys, articles) if k not in cached]
    fresh: dict[str, dict] = {}
    if todo and scheduler is not None:
        from .distributed import extract_on_cluster
        fresh = dict(zip([k for k, _ in todo], extract_on_cluster([a for _, a in todo], lex, gaz, scheduler)))
    elif todo:  # on every core of this machine when there are many (kit.parallel)
        from .parallel import extract_many
        fresh = dict(zip([k for k, _ in todo], extract_many([a for _, a in todo], lex, gaz, progress=progress)))
    cache.put_many(fresh)
    return [cached.get(k) or fresh[k] for k in keys], len(cached)


def run(articles, out=None, *, offline: bool = True, geocoder=None, cache_dir=None, corrections_dir=None,
        lexicons_dir=None, scheduler=None, progress: bool | None = None, lock: bool = True) -> RunResult:
    """Read the article folders, extract every table and (when ``out`` is given) write them.

    ``offline=False`` lets the geocoding chain ask the online geocoder (``geocoder``, a geopy
    geocoder or `kit.geocode.OnlineGeocoder`) for places the gazetteer does not know.
    With ``out``, the output folder is locked for the whole run, so a second run on the same
    folder stops at once with a clear message (``lock=False`` when the caller holds it already).
    """
    if out is not None and lock:
        with output_lock(out):
            return run(articles, out, offline=offline, geocoder=geocoder, cache_dir=cache_dir,
                       corrections_dir=corrections_dir, lexicons_dir=lexicons_dir, scheduler=scheduler,
                       progress=progress, lock=False)
    from .corrections import apply_claim_corrections
    from .events import link_events
    from .gazetteer import load_gazetteer
    from .geocode import resolve_places

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    progress = True if progress is None else progress
    cache_dir = Path(cache_dir or CACHE)
    corrections_dir = Path(corrections_dir or CORRECTIONS)

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    lex = load_lexicons(lexicons_dir)
    gaz = load_gazetteer()
    lap("resources")
    read_cache = ExtractionCache(cache_dir, "|".join(("read", code_fingerprint(), lex.fingerprint)), "articles.sqlite")
    loaded = load_articles(articles, lex, progress=progress, cache=read_cache)
    problems = list(loaded.problems)
    lap("read_articles")
    results, hits = extract_all(loaded.articles, lex, gaz, cache_dir, scheduler, progress)
    lap("extract")
    places = pd.DataFrame([dict(row, file=a.file) for a, r in zip(loaded.articles, results) for row in r["places"]])
    places, geo_problems = resolve_places(places, corrections_dir=corrections_dir, cache_dir=cache_dir,
                                          offline=offline, geocoder=geocoder, progress=progress)
    problems += geo_problems
    lap("geocode")
    casualties, attributions, events = link_events(loaded.articles, results, places)
    lap("events")
    casualties, attributions, correction_problems = apply_claim_corrections(casualties, attributions, corrections_dir)
    problems += correction_problems
    tables = {
        "articles": pd.DataFrame([a.as_row() for a in loaded.articles]),
        "places": places,
        "casualty_claims": casualties,
        "attribution_claims": attributions,
        "events": events,
        "problems": pd.DataFrame([p.as_row() for p in problems]),
    }
    tables = {name: validate(frame, name) for name, frame in tables.items()}
    lap("validate")
    if out is not None:
        out = Path(out)
        write_tables(tables, out, texts={a.article_id: a.text for a in loaded.articles}, lock=False)
        lap("write")
    return RunResult(tables, problems, out, timings, hits)


def write_tables(tables: dict[str, pd.DataFrame], out: Path, texts: dict[str, str] | None = None,
                 lock: bool = True) -> None:
    """Write every table as CSV plus one SQLite file (``kit.sqlite``), under a lock on ``out``
    unless the caller already holds it (``lock=False``).

    Only rows that changed since the last write are written (`kit.incremental`); the files are
    the same bytes (CSV) and rows (SQLite) a full rewrite gives, and each is replaced atomically.
    """
    from .incremental import load_state, save_state, write_csv_incremental, write_sqlite_incremental

    out = Path(out)
    with output_lock(out) if lock else contextlib.nullcontext():
        version = _writer_version()
        old = load_state(out, version)
        state = {"version": version, "csv": {}, "sqlite": None}
        for name in TABLE_ORDER:
            state["csv"][name] = write_csv_incremental(tables[name], out / f"{name}.csv", old.get("csv", {}).get(name))
        sql_tables = {n: tables[n] for n in TABLE_ORDER if n in TABLES}
        if texts is not None:
            sql_tables["article_texts"] = pd.DataFrame({"article_id": list(texts), "text": list(texts.values())})
        indexed = {n for n in TABLES if n != "articles" and "article_id" in tables.get(n, pd.DataFrame()).columns}
        state["sqlite"] = write_sqlite_incremental(sql_tables, out / "kit.sqlite", old.get("sqlite"), indexed)
        save_state(out, state)


def _writer_version() -> str:
    """What the bytes of a written table depend on besides its rows: the kit's code, pandas, SQLite."""
    import sqlite3

    return "|".join((code_fingerprint(), pd.__version__, sqlite3.sqlite_version))

"""Benchmark steps of the world gazetteer (`kit.places.index`), each run in a fresh process by `kit.bench.runner`.

- ``gazetteer_build``: build the world index from the installed packages into an empty cache folder
  (what a journalist's first run does), timed, with the peak memory of that process;
- ``gazetteer_use``: open that index (the time every later run pays) and find the places of a sample
  of articles, with the peak memory of the process (gazetteer plus lookups, the lexicons aside).

Example (the numbers vary; the keys do not):
    >>> sorted(phase_gazetteer_use.__code__.co_varnames[:3])
    ['cache', 'corpus', 'sample']
"""
from __future__ import annotations

import os
import time

from .phases import _peak_mb


def phase_gazetteer_build(cache: str) -> dict:
    """Build the world index into ``cache`` (never the shared one: ``KIT_WORLD_INDEX`` is ignored here)."""
    from ..places.index import NAME, SHARED_ENV, open_index

    os.environ.pop(SHARED_ENV, None)
    clock = time.perf_counter()
    index = open_index(cache, progress=False)
    seconds = time.perf_counter() - clock
    meta = index.meta()
    return {"seconds": round(seconds, 2), "entries": int(meta["entries"]),
            "file_mb": round(os.path.getsize(os.path.join(cache, NAME)) / 1e6, 1), "memory": _peak_mb()}


def phase_gazetteer_use(cache: str, corpus: str, sample: int) -> dict:
    """Open the index built in ``cache`` and find the places of ``sample`` articles of ``corpus``."""
    from ..articles.reading import load_articles
    from ..lexicons import load_lexicons
    from ..places.gazetteer import load_gazetteer
    from ..places.index import SHARED_ENV
    from ..places.mentions import find_places

    os.environ.pop(SHARED_ENV, None)
    lex = load_lexicons()
    articles = load_articles([corpus], lex).articles[:sample]
    before = _rss_mb()
    clock = time.perf_counter()
    gaz = load_gazetteer(cache=cache, progress=False)
    gaz.candidates("kyiv")  # the first lookup opens the file
    load_s = time.perf_counter() - clock
    clock = time.perf_counter()
    mentions = sum(len(find_places(article, gaz, lex)) for article in articles)
    places_s = time.perf_counter() - clock
    after = _rss_mb()
    memory = _peak_mb()
    return {"load_s": round(load_s, 3), "articles": len(articles), "mentions": mentions,
            "places_articles_per_s": round(len(articles) / places_s, 1), "memory": memory,
            "before_gazetteer_mb": before, "gazetteer_and_lookups_mb": round(after - before, 1)}


def _rss_mb() -> float:
    """The memory this process holds now (resident set, MB); its peak where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return _peak_mb()["self_mb"]

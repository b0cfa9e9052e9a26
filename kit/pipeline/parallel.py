"""Run the per-article extraction on every core of this machine.

`extract_many` maps `kit.pipeline.extract.extract_article` over a list of articles, in order. Small jobs
(fewer than ``MIN_PARALLEL`` articles, e.g. a rerun after adding one article) run in this
process; larger ones in a `concurrent.futures.ProcessPoolExecutor` with one worker per usable
core, in chunks, with the lexicons and gazetteer sent to each worker once. The results are the
same either way (tests/test_parallel.py); only the wall time differs.

``KIT_WORKERS=1`` in the environment turns the pool off; ``KIT_WORKERS=N`` sets its size.
For more than one machine, see `kit.pipeline.distributed` (Dask).

Example:
    >>> from kit.pipeline.extract import default_resources
    >>> from kit.articles.reading import load_articles
    >>> from kit.paths import SEEDS
    >>> lex, gaz = default_resources()
    >>> arts = load_articles([SEEDS], lex).articles
    >>> [r["article_id"] for r in extract_many(arts, lex, gaz)] == [a.article_id for a in arts]
    True
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

MIN_PARALLEL = 200  # below this, starting worker processes costs more than it saves


def usable_cores() -> int:
    """Cores this process may run on (respects CPU affinity and ``KIT_WORKERS``)."""
    wanted = os.environ.get("KIT_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# The worker processes' copy of the shared resources, set once by `_init_worker`.
_WORKER: dict = {}


def _init_worker(lex, gaz, parent: int | None = None) -> None:
    _WORKER["resources"] = (lex, gaz)
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """A worker whose `kit run` was killed exits instead of waiting on the task pipe forever."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _extract_chunk(articles) -> list[dict]:
    from .extract import extract_or_report

    lex, gaz = _WORKER["resources"]
    return [extract_or_report(article, lex, gaz) for article in articles]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def extract_many(articles: list, lex, gaz, *, workers: int | None = None, progress: bool = False) -> list[dict]:
    """`extract_article` for every article, in order, on ``workers`` processes (default: every core)."""
    from .extract import extract_or_report

    workers = usable_cores() if workers is None else workers
    bar = None
    if progress and len(articles) > 20:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(articles), desc="extracting claims", unit="article")
    try:
        if workers < 2 or len(articles) < MIN_PARALLEL:
            results = []
            for article in articles:
                results.append(extract_or_report(article, lex, gaz))
                if bar is not None:
                    bar.update()
            return results
        # ~8 chunks per worker: few enough that pickling overhead stays small, enough to balance the load.
        size = max(1, min(250, len(articles) // (workers * 8)))
        # fork on Linux: workers start at once with the resources in memory, and the caller's script or
        # notebook is not imported again. Elsewhere spawn (fork is unsafe on macOS, absent on Windows).
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":  # the language model once, in memory the workers share
            from ..claims.grammar import load_parser

            load_parser()
        results = []
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                     initializer=_init_worker, initargs=(lex, gaz, os.getpid())) as pool:
                for chunk_results in pool.map(_extract_chunk, _chunks(list(articles), size)):
                    results.extend(chunk_results)
                    if bar is not None:
                        bar.update(len(chunk_results))
        except BrokenProcessPool:  # a worker died (out of memory, killed): finish here, slower but complete
            results = results + [extract_or_report(article, lex, gaz) for article in articles[len(results):]]
        return results
    finally:
        if bar is not None:
            bar.close()

"""Run the per-article extraction on a Dask cluster (`dask.distributed`), for corpora larger than one machine.

``kit run --scheduler tcp://HOST:8786`` (or ``kit.run(..., scheduler=...)``) sends the articles
the cache does not already hold to the cluster's workers, in batches, and gets back exactly what
the local run computes: `kit.pipeline.extract.extract_article` is a pure function of the article, the
lexicons and the gazetteer. Everything else (reading, geocoding, linking incidents, writing the
tables) stays on this machine, so the tables are the same as a local run's
(tests/test_distributed.py checks that on a `LocalCluster`).

The workers must run the same kit: install it on every worker (``pip install`` this folder) and
the lexicons travel with the job. Before any work is sent, each worker's code fingerprint is
compared with this machine's, so a worker with other code can never put its results in the cache
under this code's key.

Example (a cluster on this machine, as the test does):
    >>> from dask.distributed import LocalCluster                     # doctest: +SKIP
    >>> with LocalCluster(n_workers=2, processes=True) as cluster:     # doctest: +SKIP
    ...     kit.run(["seeds"], "out/seeds", scheduler=cluster.scheduler_address)
"""
from __future__ import annotations

from ..errors import KitError

BATCH = 50  # articles per task: large enough that scheduling overhead (~1 ms a task) stays small
CONNECT_TIMEOUT = "20s"


def _extract_batch(articles, lex, gaz) -> list[dict]:
    from .extract import extract_or_report

    return [extract_or_report(article, lex, gaz) for article in articles]


def _fingerprint() -> str:
    from .extract import code_fingerprint

    return code_fingerprint()


def _client(scheduler):
    """(client, whether we opened it) for an address, a cluster object or an existing Client."""
    from dask.distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise KitError(f"Dask scheduler {scheduler}", f"the cluster could not be reached ({exc})",
                       "check the address (tcp://HOST:8786) and that the scheduler is running, "
                       "or run without --scheduler to use this machine only") from None


def check_workers(client, expected: str | None = None) -> None:
    """Raise `KitError` when a worker runs other kit code than ``expected`` (default: this machine's)."""
    mine = expected or _fingerprint()
    theirs = client.run(_fingerprint)
    if not theirs:
        raise KitError("Dask cluster", "the cluster has no workers", "start at least one dask worker and try again")
    differ = sorted(addr for addr, value in theirs.items() if value != mine)
    if differ:
        raise KitError("Dask cluster", f"{len(differ)} worker(s) run a different version of the kit ({', '.join(differ[:3])})",
                       "install this same kit folder on every worker (pip install), restart them and run again")


def extract_on_cluster(articles, lex, gaz, scheduler, batch: int = BATCH) -> list[dict]:
    """`extract_article` for every article on the Dask cluster at ``scheduler``, in article order.

    ``scheduler`` is an address (``tcp://host:8786``), a cluster object or a `dask.distributed.Client`.
    The lexicons and gazetteer are sent to the workers once (``scatter``), not with every task.
    """
    articles = list(articles)
    if not articles:
        return []
    client, opened = _client(scheduler)
    try:
        check_workers(client)
        lex_f, gaz_f = client.scatter([lex, gaz], broadcast=True, hash=False)
        batches = [articles[i:i + batch] for i in range(0, len(articles), batch)]
        futures = client.map(_extract_batch, batches, lex=lex_f, gaz=gaz_f, pure=False)
        results: list[dict] = []
        for part in client.gather(futures):
            results.extend(part)
        return results
    finally:
        if opened:
            client.close()

"""Extraction on several processes gives exactly the sequential results, in article order."""
import pickle

import kit.pipeline.parallel
from kit.articles.reading import load_articles
from kit.pipeline.extract import default_resources, extract_article
from kit.paths import SEEDS
from kit.bench.synthetic import make_corpus


def test_process_pool_gives_the_sequential_results_in_order(tmp_path, monkeypatch):
    make_corpus(24, tmp_path / "corpus")
    lex, gaz = default_resources()
    articles = load_articles([tmp_path / "corpus", SEEDS], lex).articles
    sequential = [extract_article(a, lex, gaz) for a in articles]
    monkeypatch.setattr(kit.pipeline.parallel, "MIN_PARALLEL", 2)
    assert kit.pipeline.parallel.extract_many(articles, lex, gaz, workers=2) == sequential


def test_small_jobs_stay_in_this_process(monkeypatch):
    lex, gaz = default_resources()
    articles = load_articles([SEEDS], lex).articles

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for 5 articles")

    monkeypatch.setattr(kit.pipeline.parallel, "ProcessPoolExecutor", no_pool)
    assert len(kit.pipeline.parallel.extract_many(articles, lex, gaz, workers=2)) == 5


def test_kit_workers_sets_the_pool_size(monkeypatch):
    monkeypatch.setenv("KIT_WORKERS", "1")
    assert kit.pipeline.parallel.usable_cores() == 1


def test_resources_and_articles_pickle_to_equal_results():
    """What the pool and a Dask cluster ship: an unpickled copy extracts the same."""
    lex, gaz = default_resources()
    article = load_articles([SEEDS], lex).articles[3]
    extract_article(article, lex, gaz)  # fill the memos: they must not travel, nor break the copy
    copies = pickle.loads(pickle.dumps((article, lex, gaz)))
    assert extract_article(*copies) == extract_article(article, lex, gaz)
    assert len(pickle.dumps(lex)) < 1_000_000


def test_a_worker_that_dies_does_not_lose_the_run(tmp_path, monkeypatch):
    """A worker killed mid-run (out of memory, say): the rest is extracted here, same results."""
    import sys

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("the dying worker is planted through fork, which only Linux uses here")
    lex, gaz = default_resources()
    articles = load_articles([SEEDS], lex).articles
    monkeypatch.setattr(kit.pipeline.parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(kit.pipeline.parallel, "_extract_chunk", _die)
    assert kit.pipeline.parallel.extract_many(articles, lex, gaz, workers=2) == [extract_article(a, lex, gaz) for a in articles]


def _die(chunk):
    import os

    os._exit(1)

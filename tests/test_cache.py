"""The per-article cache: a rerun is served from it, and it never serves a stale result.

A result is stale when the article, its metadata, a lexicon or the kit's code changed since it
was computed; each of these must recompute exactly the articles it affects.
"""
import shutil
import sqlite3

import pytest

import kit.pipeline.extract
import kit.pipeline.runner
from kit.paths import LEXICONS, SEEDS
from kit.bench.synthetic import article_text, load_resources


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def calls(monkeypatch):
    """Files of the articles `extract_article` really computed (not served from the cache)."""
    seen = []
    real = kit.pipeline.extract.extract_article

    def counting(article, lex, gaz):
        seen.append(article.file)
        return real(article, lex, gaz)

    monkeypatch.setattr(kit.pipeline.extract, "extract_article", counting)
    return seen


def run(articles, tmp_path, **kwargs):
    return kit.pipeline.runner.run([articles], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False, **kwargs)


def test_rerun_is_served_from_the_cache_with_the_same_tables(articles, tmp_path, calls):
    first = run(articles, tmp_path)
    assert first.cache_hits == 0 and len(calls) == 5
    second = run(articles, tmp_path)
    assert second.cache_hits == 5 and len(calls) == 5  # nothing recomputed
    for name, frame in first.tables.items():
        assert second.tables[name].equals(frame), name


def test_adding_one_article_recomputes_only_that_one(articles, tmp_path, calls):
    run(articles, tmp_path)
    text, _ = article_text(load_resources(), seed=0, number=0)
    (articles / "new_article.txt").write_text(text, encoding="utf-8")
    calls.clear()
    result = run(articles, tmp_path)
    assert calls == ["new_article.txt"]
    assert result.cache_hits == 5 and len(result.tables["articles"]) == 6


def test_a_lexicon_change_recomputes_every_article(articles, tmp_path, calls):
    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, lexicons)
    run(articles, tmp_path, lexicons_dir=lexicons)
    assert run(articles, tmp_path, lexicons_dir=lexicons).cache_hits == 5
    with open(lexicons / "actors.csv", "a", encoding="utf-8") as handle:
        handle.write("Test Brigade,Test Brigade|TB,,armed_group,test\n")
    calls.clear()
    result = run(articles, tmp_path, lexicons_dir=lexicons)
    assert result.cache_hits == 0 and len(calls) == 5


def test_a_code_change_recomputes_every_article(articles, tmp_path, calls, monkeypatch):
    run(articles, tmp_path)
    monkeypatch.setattr(kit.pipeline.runner, "code_fingerprint", lambda: "other-code")
    calls.clear()
    result = run(articles, tmp_path)
    assert result.cache_hits == 0 and len(calls) == 5


def test_the_code_fingerprint_follows_every_kit_source_file(tmp_path):
    shutil.copytree(kit.paths.PACKAGE, tmp_path / "kit", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    before = kit.pipeline.extract.source_fingerprint(tmp_path / "kit")
    assert kit.pipeline.extract.source_fingerprint(tmp_path / "kit") == before  # stable
    with open(tmp_path / "kit" / "articles" / "sentences.py", "a", encoding="utf-8") as handle:
        handle.write("\n# a changed rule\n")
    assert kit.pipeline.extract.source_fingerprint(tmp_path / "kit") != before


def test_the_code_fingerprint_describes_the_code_this_process_imported():
    """Computed once: an edit on disk after the first run does not relabel results of the old code."""
    assert kit.pipeline.extract.code_fingerprint() is kit.pipeline.extract.code_fingerprint()


def test_a_metadata_correction_recomputes_that_article(articles, tmp_path, calls):
    run(articles, tmp_path)
    manifest = (articles / "manifest.csv").read_text(encoding="utf-8")
    (articles / "manifest.csv").write_text(manifest.replace(",Rudaw,", ",Rudaw English,"), encoding="utf-8")
    calls.clear()
    result = run(articles, tmp_path)
    assert calls == ["004_21fc8a9bafda1c19.txt"] and result.cache_hits == 4


def test_a_damaged_cache_entry_is_recomputed_not_trusted(articles, tmp_path, calls):
    first = run(articles, tmp_path)
    with sqlite3.connect(tmp_path / "cache" / "extractions.sqlite") as con:
        con.execute("UPDATE results SET value = ? WHERE rowid = (SELECT MIN(rowid) FROM results)", (b"not JSON",))
    (tmp_path / "cache" / "snapshot.npz").unlink()  # else the last run's rows serve every article
    calls.clear()
    second = run(articles, tmp_path)
    assert second.cache_hits == 4 and len(calls) == 1
    assert [(p.file, p.severity, p.problem) for p in second.problems] == [
        (str(tmp_path / "cache" / "extractions.sqlite"), "warning",
         "1 entry of this cache could not be read and was computed again")]
    for name, frame in first.tables.items():
        if name != "problems":
            assert second.tables[name].equals(frame), name
    assert not run(articles, tmp_path).problems, "the entry was replaced"


def test_results_of_other_kit_code_are_dropped_when_this_code_opens_the_store(tmp_path, monkeypatch):
    """They can never be served (their keys hold the other code's fingerprint): the store stays small."""
    store = kit.pipeline.extract.ExtractionCache(tmp_path, "fp")
    store.put_many({"old": {"n": 1}})
    assert kit.pipeline.extract.ExtractionCache(tmp_path, "fp").get_many(["old"]) == {"old": {"n": 1}}
    monkeypatch.setattr(kit.pipeline.extract, "code_fingerprint", lambda: "other code")
    reopened = kit.pipeline.extract.ExtractionCache(tmp_path, "fp")
    assert reopened.get_many(["old"]) == {} and reopened.problems == []
    with sqlite3.connect(tmp_path / "extractions.sqlite") as con:
        assert dict(con.execute("SELECT key, value FROM kit_cache"))["kit_fingerprint"] == "other code"

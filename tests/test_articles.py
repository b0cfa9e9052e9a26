"""Reading articles: metadata order, HTML, normalization with exact offsets, furniture, flags, duplicates."""
import sqlite3
import textwrap

import pandas as pd

from kit.articles.reading import load_articles
from kit.paths import SEEDS
from kit.pipeline.runner import run


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_seeds_get_manifest_metadata_and_flags():
    loaded = load_articles([SEEDS])
    by_file = {a.file: a for a in loaded.articles}
    assert not loaded.problems
    assert by_file["000_41a66bb167d0eec9.txt"].outlet == "RedState"
    assert by_file["000_41a66bb167d0eec9.txt"].published == "2024-04-19"
    assert "live_story" in by_file["000_41a66bb167d0eec9.txt"].flags
    assert {"ai_generated", "date_conflict"} <= set(by_file["002_47990866df937d46.txt"].flags)
    assert "outlet_unknown" in by_file["001_28f24e7b6c72786c.txt"].flags
    assert all(a.published_inferred is False for a in loaded.articles)


def test_front_matter_beats_manifest_and_inference_is_flagged(tmp_path):
    write(tmp_path, "manifest.csv", """
        file,outlet,published,url,title,notes
        a.md,Manifest Outlet,2024-01-01,,,
        b.txt,Manifest Outlet,2024-01-02,,,
    """)
    write(tmp_path, "a.md", """
        ---
        outlet: Front Matter Outlet
        published: April 19, 2024
        ---
        A drone hit a base near Erbil on Friday.
    """)
    write(tmp_path, "b.txt", "Rockets fell on the airport.\n")
    write(tmp_path, "c.txt", """
        BAGHDAD, Jan 4, 2024 (Reuters) - A strike hit a building in Baghdad.
        Install the Sky News app for free
    """)
    by_file = {a.file: a for a in load_articles([tmp_path]).articles}
    assert (by_file["a.md"].outlet, by_file["a.md"].published) == ("Front Matter Outlet", "2024-04-19")
    assert by_file["a.md"].metadata_source["outlet"] == "front_matter"
    assert (by_file["b.txt"].outlet, by_file["b.txt"].published) == ("Manifest Outlet", "2024-01-02")
    c = by_file["c.txt"]
    assert c.published == "2024-01-04" and c.published_inferred
    assert c.outlet in ("Sky News", "Reuters") and "outlet_inferred" in c.flags


def test_html_article_is_extracted_and_page_furniture_kept_on_record(tmp_path):
    body = " ".join(["Officials said a drone struck a militia base near Baghdad on Tuesday, killing two fighters."] * 3)
    write(tmp_path, "page.html", f"""
        <html><head><title>Drone strike near Baghdad</title><meta property="og:site_name" content="Example News"></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>Drone strike near Baghdad</h1><p>{body}</p><p>A second paragraph with more reporting on the strike.</p></article>
        <footer>Sign up for our newsletter</footer></body></html>
    """)
    (article,) = load_articles([tmp_path]).articles
    assert "drone struck a militia base" in article.text
    assert "Sign up for our newsletter" not in article.text
    assert article.title == "Drone strike near Baghdad"


def test_normalization_keeps_offsets_exact(tmp_path):
    write(tmp_path, "a.txt", "He said\u00a0\u201cwe will make them regret\ncarrying out this aggression.\u201d Then he left.\n")
    (article,) = load_articles([tmp_path]).articles
    assert "\u00a0" not in article.text and "\u201c" not in article.text
    assert "regret carrying out" in article.text
    for sentence in article.sentences:
        assert article.text[sentence.start:sentence.end] == sentence.text


def test_same_text_from_two_outlets_keeps_both_with_their_own_metadata(tmp_path):
    """Issue 18: the same wire text from two outlets kept one and dropped the other's outlet, date and URL."""
    write(tmp_path, "a.md", "---\noutlet: One\npublished: 2024-02-03\nurl: https://one.example/a\n---\nA strike hit a base near Baghdad.\n")
    write(tmp_path, "b.md", "---\noutlet: Two\npublished: 2024-02-04\nurl: https://two.example/b\n---\nA strike hit a base near Baghdad.\n")
    first = load_articles([tmp_path])
    a, b = first.articles
    assert (a.outlet, a.published, a.url) == ("One", "2024-02-03", "https://one.example/a")
    assert (b.outlet, b.published, b.url) == ("Two", "2024-02-04", "https://two.example/b")
    assert a.article_id != b.article_id and "same_text" in b.flags and "same_text" not in a.flags
    assert not first.skipped
    assert [x.article_id for x in load_articles([tmp_path]).articles] == [a.article_id, b.article_id]  # stable


def test_article_id_survives_metadata_edits(tmp_path):
    path = write(tmp_path, "a.md", "---\noutlet: One\n---\nA strike hit a base near Baghdad.\n")
    first = load_articles([tmp_path]).articles[0].article_id
    path.write_text("---\noutlet: Two\ntitle: Changed\n---\nA strike hit a base near Baghdad.\n", encoding="utf-8")
    assert load_articles([tmp_path]).articles[0].article_id == first


def test_run_writes_articles_table_and_sqlite(tmp_path):
    result = run([SEEDS], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    frame = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert len(frame) == 5 and set(frame["outlet"].dropna()) == {"RedState", "AiBot", "Sky News", "Rudaw"}
    with sqlite3.connect(tmp_path / "out" / "kit.sqlite") as con:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        assert {"articles", "places", "casualty_claims", "attribution_claims", "events", "article_texts"} <= tables
        (text,) = con.execute("select text from article_texts limit 1").fetchone()
    assert text and result.skipped == 0


def test_a_broken_furniture_pattern_names_the_file_and_row(tmp_path):
    import shutil

    import pytest

    from kit.errors import LexiconError
    from kit.lexicons import load_lexicons
    from kit.paths import LEXICONS
    shutil.copytree(LEXICONS, tmp_path / "lex")
    with open(tmp_path / "lex" / "furniture.csv", "a", encoding="utf-8") as handle:
        handle.write('"^(unclosed",advert,,"broken"\n')
    write(tmp_path, "a.txt", "A strike hit a base.\n")
    with pytest.raises(LexiconError, match="furniture.csv, pattern .*not a valid regular expression"):
        load_articles([tmp_path], load_lexicons(tmp_path / "lex"))


def test_read_cache_serves_unchanged_files_and_rereads_changed_ones(tmp_path, monkeypatch):
    import kit.articles.reading as articles_module
    from kit.pipeline.extract import ExtractionCache
    from kit.lexicons import load_lexicons

    folder = tmp_path / "a"
    folder.mkdir()
    write(folder, "one.txt", "A strike hit a base near Baghdad.\n")
    write(folder, "two.txt", "Rockets fell near Erbil airport.\n")
    lex = load_lexicons()
    cache = ExtractionCache(tmp_path / "cache", "fp", "articles.sqlite")
    first = load_articles([folder], lex, cache=cache)
    parsed = []
    real = articles_module.read_article
    monkeypatch.setattr(articles_module, "read_article", lambda *a, **k: parsed.append(a[1]) or real(*a, **k))
    write(folder, "two.txt", "Rockets fell near Erbil airport on Monday.\n")
    second = load_articles([folder], lex, cache=cache)
    assert parsed == ["two.txt"]  # one.txt came from the cache
    assert [a.article_id for a in second.articles][0] == first.articles[0].article_id
    assert "Monday" in second.articles[1].text

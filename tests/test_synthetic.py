"""The benchmark's synthetic corpus: deterministic, seed-like, readable by the kit."""
import csv

from kit.articles.reading import load_articles
from kit.bench.synthetic import load_resources, make_corpus


def test_same_seed_same_bytes_and_one_more_article_adds_one_file(tmp_path):
    a = make_corpus(20, tmp_path / "a", seed=3)
    b = make_corpus(21, tmp_path / "b", seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b[:20]]
    other = make_corpus(20, tmp_path / "c", seed=4)
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in other]


def test_shrinking_removes_the_extra_articles(tmp_path):
    make_corpus(6, tmp_path / "a")
    make_corpus(5, tmp_path / "a")
    assert len(list((tmp_path / "a").glob("*.txt"))) == 5
    with open(tmp_path / "a" / "manifest.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 5


def test_every_article_reads_cleanly_with_furniture_removed_and_seed_sized(tmp_path):
    make_corpus(60, tmp_path / "c")
    loaded = load_articles([tmp_path / "c"])
    assert len(loaded.articles) == 60 and loaded.skipped == 0
    assert sum(bool(a.furniture) for a in loaded.articles) > 20
    sizes = [len(a.text) for a in loaded.articles]
    assert 1500 < sum(sizes) / len(sizes) < 4500  # the seeds' analysed texts are 2.3-5 KB


def test_names_come_from_the_gazetteer_and_the_actor_lexicon():
    res = load_resources()
    assert ("Baghdad", "IQ") in res.places
    assert any(name == "United States" for name, _ in res.attackers)
    assert any(name == "Kataib Hezbollah" for name, _ in res.targets)

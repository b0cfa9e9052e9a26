"""An incremental rerun writes exactly the tables a fresh run writes (kit.tables.snapshot, kit.tables.incremental).

One output folder and one cache live through a sequence of edits (articles added, edited,
removed and renamed, the manifest, a lexicon, both corrections files, the geocode cache, and
output files the journalist edited or deleted). After each edit the rerun's CSV files must be
byte-identical, and its ``kit.sqlite`` row-identical (in rowid order), to those of a fresh run
with an empty cache into another folder.
"""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from kit.places.geocache import GeocodeCache
from kit.tables.io import read_table
from kit.paths import LEXICONS, SEEDS
from repo import ROOT
from kit.pipeline.runner import TABLE_ORDER, run
from kit.bench.synthetic import make_corpus

STYLES = ROOT / "tests" / "fixtures" / "styles"


def _sqlite_rows(path: Path) -> dict:
    with contextlib.closing(sqlite3.connect(path)) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: [tuple((type(v).__name__, v) for v in row)  # INTEGER 1 and REAL 1.0 differ
                    for row in con.execute(f'SELECT * FROM "{n}" ORDER BY rowid')] for n in names}


class Setup:
    def __init__(self, root: Path):
        self.root = root
        self.folders = [root / "seeds", root / "styles", root / "syn"]
        shutil.copytree(SEEDS, self.folders[0])
        shutil.copytree(STYLES, self.folders[1])
        make_corpus(6, self.folders[2], seed=3)
        self.lexicons = root / "lexicons"
        shutil.copytree(LEXICONS, self.lexicons)
        self.corrections = root / "corrections"
        self.corrections.mkdir()
        self.fresh_runs = 0

    def run(self, out: Path, cache: Path):
        return run(self.folders, out, cache_dir=cache, corrections_dir=self.corrections,
                   lexicons_dir=self.lexicons, progress=False)

    def rerun_matches_fresh(self, step: str):
        """Rerun incrementally, run afresh elsewhere (same geocode cache content), compare."""
        result = self.run(self.root / "out", self.root / "cache")
        self.fresh_runs += 1
        fresh_out, fresh_cache = self.root / f"fresh{self.fresh_runs}", self.root / f"fresh-cache{self.fresh_runs}"
        fresh_cache.mkdir()
        if (self.root / "cache" / "geocode.sqlite").exists():
            shutil.copy(self.root / "cache" / "geocode.sqlite", fresh_cache / "geocode.sqlite")
        fresh = self.run(fresh_out, fresh_cache)
        for name in TABLE_ORDER:
            assert (self.root / "out" / f"{name}.csv").read_bytes() == (fresh_out / f"{name}.csv").read_bytes(), (step, name)
            assert result.tables[name].equals(fresh.tables[name]), (step, name)
        assert _sqlite_rows(self.root / "out" / "kit.sqlite") == _sqlite_rows(fresh_out / "kit.sqlite"), step
        return result


@pytest.fixture
def setup(tmp_path, monkeypatch):
    import kit.tables.incremental

    write = kit.tables.incremental.write_csv_incremental

    def checked(frame, target, old, hashes=None):  # row hashes handed over must be the frame's
        assert hashes is None or np.array_equal(hashes, kit.tables.incremental.row_hashes(frame)), target
        return write(frame, target, old, hashes)

    monkeypatch.setattr(kit.tables.incremental, "write_csv_incremental", checked)
    return Setup(tmp_path)


@pytest.mark.parametrize("rebuild_share", [0.3, 1.0], ids=["rebuild when much moves", "always update in place"])
def test_incremental_reruns_write_what_a_fresh_run_writes(setup, rebuild_share, monkeypatch):
    monkeypatch.setattr("kit.tables.incremental.REBUILD_SHARE", rebuild_share)
    syn = setup.folders[2]
    first = setup.rerun_matches_fresh("first run")
    assert first.cache_hits == 0
    written = {name: (setup.root / "out" / f"{name}.csv").stat() for name in TABLE_ORDER}
    again = setup.rerun_matches_fresh("nothing changed")
    assert again.cache_hits == len(again.tables["articles"])
    for name, before in written.items():  # the state file was read back: no table was rewritten
        after = (setup.root / "out" / f"{name}.csv").stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), name

    text = (syn / "syn_000002.txt").read_text(encoding="utf-8")
    (syn / "syn_000002b.txt").write_text(text.replace(" the ", " a ", 2), encoding="utf-8")
    added = setup.rerun_matches_fresh("one article added")
    assert added.cache_hits == len(added.tables["articles"]) - 1

    (syn / "syn_000001.txt").write_text(text.replace("killed", "wounded"), encoding="utf-8")
    setup.rerun_matches_fresh("one article edited (same text as another apart from one word)")
    (syn / "syn_000003.txt").unlink()
    setup.rerun_matches_fresh("one article removed")
    (syn / "syn_000004.txt").rename(syn / "renamed.txt")
    setup.rerun_matches_fresh("one article renamed")

    manifest = setup.folders[0] / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",Rudaw,", ",Rudaw English,"), encoding="utf-8")
    setup.rerun_matches_fresh("manifest edited")

    with open(setup.lexicons / "outlets.csv", "a", encoding="utf-8") as handle:
        handle.write("Kalsu Times,Kalsu Times|Baghdad,newspaper,\n")
    setup.rerun_matches_fresh("lexicon edited")

    claims = read_table(setup.root / "out" / "casualty_claims.csv")
    attribution = read_table(setup.root / "out" / "attribution_claims.csv")
    (setup.corrections / "claims.csv").write_text(
        "claim_id,action,field,value,note\n"
        f"{claims['claim_id'][0]},set,count_min,7,checked\n"
        f"{claims['claim_id'][1]},drop,,,not a claim\n"
        f"{attribution['claim_id'][0]},set,stance,denies,checked\n"
        "nonexistent000,drop,,,stale\n", encoding="utf-8")
    setup.rerun_matches_fresh("claim corrections added")

    places = read_table(setup.root / "out" / "places.csv")
    (setup.corrections / "places.csv").write_text(
        "mention,article_id,canonical,kind,lat,lon,precision_km,note\n"
        f"{places['mention'][0]},{places['article_id'][0]},Somewhere,city,33.1,44.2,5,checked\n"
        f"{places['mention'][1]},,,not_a_place,,,,not a place\n"
        "Nowhere at all,,Nowhere,city,1,1,1,unused\n", encoding="utf-8")
    corrected = setup.rerun_matches_fresh("place corrections added")
    assert "correction" in set(corrected.tables["places"]["geocoder"])

    unresolved = corrected.tables["places"].query("geocoder == 'unresolved'")
    if len(unresolved):
        GeocodeCache(setup.root / "cache").put(unresolved["mention"].iloc[0], "found", lat=30.0, lon=40.0,
                                               kind="city", precision_km=5.0, canonical="Cached Town")
        setup.rerun_matches_fresh("geocode cache filled")

    out = setup.root / "out"
    (out / "places.csv").write_text("hand edited\n", encoding="utf-8")
    (out / "casualty_claims.csv").unlink()
    with contextlib.closing(sqlite3.connect(out / "kit.sqlite")) as con:
        con.execute("DELETE FROM places WHERE rowid = 1")
        con.commit()
    setup.rerun_matches_fresh("output tables edited or deleted by hand")


def test_a_damaged_snapshot_or_state_is_set_aside_and_rebuilt(setup):
    setup.rerun_matches_fresh("first run")
    (setup.root / "cache" / "snapshot.npz").write_bytes(b"not a state file")
    (setup.root / "out" / ".kit-state.npz").write_bytes(b"not a state file")
    result = setup.run(setup.root / "out", setup.root / "cache")
    assert sorted(Path(p.file).name for p in result.problems) == [".kit-state.npz", "snapshot.npz"]
    assert all("could not be used (it is not a" in p.problem for p in result.problems)
    assert result.cache_hits == len(result.tables["articles"])  # from the per-article caches
    assert len(list((setup.root / "cache").glob("snapshot.set-aside-*.npz"))) == 1
    assert len(list((setup.root / "out").glob(".kit-state.set-aside-*.npz"))) == 1
    setup.rerun_matches_fresh("snapshot and state rebuilt")


def test_a_code_change_ignores_the_snapshot_and_the_written_rows(setup, monkeypatch):
    import kit.pipeline.extract

    setup.rerun_matches_fresh("first run")
    monkeypatch.setattr(kit.pipeline.extract, "code_fingerprint", lambda: "other code")
    monkeypatch.setattr("kit.pipeline.runner.code_fingerprint", lambda: "other code")
    result = setup.run(setup.root / "out", setup.root / "cache")
    assert result.cache_hits == 0


def test_a_few_new_articles_are_saved_as_a_delta(setup):
    setup.rerun_matches_fresh("first run")
    cache = setup.root / "cache"
    base = (cache / "snapshot.npz").stat()
    syn = setup.folders[2]
    text = (syn / "syn_000002.txt").read_text(encoding="utf-8")
    (syn / "extra.txt").write_text(text.replace(" the ", " a ", 1), encoding="utf-8")
    added = setup.rerun_matches_fresh("one article added: a delta")
    assert added.cache_hits == len(added.tables["articles"]) - 1
    assert (cache / "snapshot-delta.npz").exists()
    assert (cache / "snapshot.npz").stat().st_mtime_ns == base.st_mtime_ns, "the base was rewritten"
    again = setup.rerun_matches_fresh("nothing changed: base and delta together")
    assert again.cache_hits == len(again.tables["articles"])
    make_corpus(12, setup.root / "syn2", seed=9)
    setup.folders.append(setup.root / "syn2")
    setup.rerun_matches_fresh("many articles added: a new base")
    assert not (cache / "snapshot-delta.npz").exists()


def test_an_article_the_rules_crash_on_is_reported_and_the_rest_goes_on(setup, monkeypatch):
    import kit.places.mentions

    find_places = kit.places.mentions.find_places

    def crashes_on_one(article, gaz, lex, notes=None):
        if article.file.endswith("syn_000001.txt"):
            raise AttributeError("'NoneType' object has no attribute 'group'")
        return find_places(article, gaz, lex, notes)

    monkeypatch.setattr(kit.places.mentions, "find_places", crashes_on_one)
    for step in ("first run", "rerun: the crash is not served from a cache, it is tried and reported again"):
        result = setup.rerun_matches_fresh(step)
        failed = [p for p in result.problems if "the kit failed on this article" in p.problem]
        assert [p.file for p in failed] == ["syn/syn_000001.txt"], step
        assert "AttributeError" in failed[0].problem and failed[0].severity == "skipped"
        articles = result.tables["articles"]
        crashed = articles.loc[articles["file"] == "syn/syn_000001.txt", "article_id"].item()
        assert crashed not in set(result.tables["places"]["article_id"])
        assert len(result.tables["places"]) > 50, "the other articles lost their places"

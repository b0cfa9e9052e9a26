"""The geocoding cache is the journalist's data: a damaged one is never set aside silently (issue 13).

Its online answers cannot be rebuilt offline, so `check_geocode_cache` keeps the damaged file
(byte for byte, under another name), copies every row that can still be read into a new cache,
and says how many and what to do. A cache of a newer kit is neither used nor changed; one of
older kits is adopted as it is; views and triggers planted in one never run.
"""
from __future__ import annotations

import contextlib
import json
import random
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from kit.paths import SEEDS
from kit.pipeline.runner import run
from kit.places.geocache import COLUMNS, NAME, SCHEMA, GeocodeCache, check_geocode_cache
from kit.places.geocode import resolve_places

NOW = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)
KEPT = "geocode.set-aside-20261122-101500.sqlite"
N = 3000


def _rows(n: int) -> list[tuple]:
    return [(f"town {i:05d}", "found", 30 + i / 1e4, 40 + i / 1e4, "city", 5.0, f"Town {i}", "IQ", "nominatim",
             json.dumps({"place_id": i, "display_name": f"Town {i}, Somewhere, Iraq " + "x" * 150}), "", 1,
             "2026-11-01T00:00:00+00:00", f"Town {i}") for i in range(n)]


@pytest.fixture
def cache(tmp_path) -> Path:
    """A geocoding cache: one answer the test looks up (first row), then ``N`` others."""
    folder = tmp_path / "cache"
    GeocodeCache(folder).put("Camp Zulfiqar", "found", lat=33.1, lon=44.1, kind="base", precision_km=1.5,
                             canonical="Zulfiqar, Iraq", country="IQ", provider="nominatim", raw={"place_id": 7})
    with contextlib.closing(sqlite3.connect(folder / NAME)) as con:
        con.executemany(f"INSERT INTO geocode ({', '.join(COLUMNS)}, text) VALUES ({', '.join('?' * 14)})", _rows(N))
        con.commit()
    return folder


def _count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT count(*) FROM geocode").fetchone()[0]


def _lookup_zulfiqar(folder: Path) -> str:
    row = {"article_id": "a1", "file": "a1.txt", "mention": "Camp Zulfiqar", "canonical": "", "kind": "base",
           "country": "", "lat": None, "lon": None, "precision_km": None, "geocoder": "unresolved", "status": "no_match",
           "source": "", "start": 0, "end": 13, "in_scope": False}
    frame, _ = resolve_places(pd.DataFrame([row]), folder.parent / "no-corrections", folder, offline=True)
    return frame.loc[0, "geocoder"]


def test_a_sound_cache_gives_no_warning(cache):
    assert check_geocode_cache(cache) == []
    assert _lookup_zulfiqar(cache) == "cache"


def test_a_cache_of_older_kits_is_adopted_as_it_is(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    with contextlib.closing(sqlite3.connect(folder / NAME)) as con:  # as the kit before issue 13 made it
        con.execute(SCHEMA)
        con.executemany(f"INSERT INTO geocode ({', '.join(COLUMNS)}, text) VALUES ({', '.join('?' * 14)})", _rows(5))
        con.commit()
    assert check_geocode_cache(folder) == []
    assert GeocodeCache(folder).get("Town 00003")["canonical"] == "Town 3"
    with contextlib.closing(sqlite3.connect(folder / NAME)) as con:
        assert dict(con.execute("SELECT key, value FROM kit_cache"))["format"] == "kit-geocode"
    assert not [p for p in folder.iterdir() if "set-aside" in p.name]


def _leaf_pages(path: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = 'geocode' AND pagetype = 'leaf' "
                                            "ORDER BY pageno")]
    return size, pages


def test_a_damaged_page_keeps_every_readable_row_and_the_damaged_file(cache):
    path = cache / NAME
    size, pages = _leaf_pages(path)
    data = bytearray(path.read_bytes())
    damaged = pages[len(pages) // 2]
    data[(damaged - 1) * size:damaged * size] = random.Random(3).randbytes(size)
    path.write_bytes(bytes(data))

    problems = check_geocode_cache(cache, now=NOW)

    assert (cache / KEPT).read_bytes() == bytes(data), "the damaged file is kept as it was"
    kept_rows = _count(path)
    assert N + 1 - 3 * (N // len(pages) + 1) <= kept_rows < N + 1  # all but the rows of the damaged page
    assert [(p.file, p.severity) for p in problems] == [(str(path), "warning")]
    assert problems[0].problem.startswith("the geocoding cache could not be used as it was (it is damaged (")
    assert f"{kept_rows} row(s) could be read ({kept_rows} answer(s)) and were kept in a new geocode.sqlite" in problems[0].problem
    assert f"the file itself was kept as {KEPT}" in problems[0].problem
    assert "backup" in problems[0].fix and "--online" in problems[0].fix
    assert _lookup_zulfiqar(cache) == "cache"  # a salvaged answer is used
    assert check_geocode_cache(cache) == []


def test_a_cut_short_cache_keeps_the_rows_before_the_cut(cache):
    path = cache / NAME
    data = path.read_bytes()
    path.write_bytes(data[:len(data) * 2 // 3])
    problems = check_geocode_cache(cache, now=NOW)
    assert "it is cut short" in problems[0].problem
    assert (cache / KEPT).read_bytes() == data[:len(data) * 2 // 3]
    assert 0 < _count(path) < N + 1
    assert _lookup_zulfiqar(cache) == "cache"


@pytest.mark.parametrize("content", [b"not a database at all", random.Random(5).randbytes(8192)])
def test_a_file_that_is_not_a_database_is_kept_and_reported(tmp_path, content):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / NAME).write_bytes(content)
    problems = check_geocode_cache(folder, now=NOW)
    assert (folder / KEPT).read_bytes() == content
    assert "(it is not a SQLite database); 0 row(s) could be read (0 answer(s))" in problems[0].problem
    assert _count(folder / NAME) == 0


def test_an_empty_file_is_reported_and_left_in_place(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / NAME).write_bytes(b"")
    problems = check_geocode_cache(folder, now=NOW)
    assert problems[0].problem == "the geocoding cache is an empty file, so it holds no answers"
    assert sorted(p.name for p in folder.iterdir()) == [NAME]


def test_a_cache_of_a_newer_kit_is_neither_used_nor_changed(cache):
    path = cache / NAME
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE kit_cache SET value = '2' WHERE key = 'format_version'")
        con.commit()
    before = path.read_bytes()
    problems = check_geocode_cache(cache)
    assert "written by a newer version of the kit; this run neither used nor changed it" in problems[0].problem
    newer = GeocodeCache(cache)
    newer.put("Another Town", "found", lat=1.0, lon=2.0)
    assert not newer.usable and newer.get("Camp Zulfiqar") is None
    assert _lookup_zulfiqar(cache) == "unresolved"
    assert path.read_bytes() == before


def test_planted_views_and_triggers_never_run(cache):
    path = cache / NAME
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE fired (what TEXT)")
        for event in ("INSERT", "UPDATE", "DELETE"):
            con.execute(f"CREATE TRIGGER on_{event.lower()} AFTER {event} ON geocode BEGIN "
                        f"INSERT INTO fired VALUES ('{event}'); END")
        con.execute("CREATE VIEW sneaky AS SELECT * FROM geocode")
        con.commit()
    problems = check_geocode_cache(cache, now=NOW)
    assert "views or triggers the kit never makes (on_delete, on_insert, on_update, sneaky)" in problems[0].problem
    assert _count(path) == N + 1
    GeocodeCache(cache).put("New Town", "found", lat=1.0, lon=2.0)
    with contextlib.closing(sqlite3.connect(cache / KEPT)) as con:
        assert con.execute("SELECT count(*) FROM fired").fetchone()[0] == 0
    with contextlib.closing(sqlite3.connect(path)) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')").fetchone()[0] == 0


def test_a_run_with_a_broken_geocoding_cache_goes_on_and_says_so(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / NAME).write_bytes(b"\x00garbage" * 100)
    result = run([articles], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    assert [Path(p.file).name for p in result.problems] == [NAME]
    assert len(result.tables["articles"]) == 5
    assert run([articles], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False).problems == []

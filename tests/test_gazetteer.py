"""The offline gazetteer: loads fast, covers the world, says where every coordinate comes from."""
import os
import pickle
import sqlite3
import shutil
import time
from contextlib import closing
from pathlib import Path

import pytest

from kit.caches import stamp
from kit.errors import KitError, LexiconError
from kit.places.gazetteer import PLACE_KINDS, fold, load_gazetteer
from kit.places.index import FORMAT, NAME, SHARED_ENV, VERSION, open_index
from kit.places.names import name_key
from kit.paths import GAZETTEER

from cache_helpers import DAMAGE, hostile_pickle

CURATED_HEADER = "name,aliases,kind,country,admin1,lat,lon,precision_km,source,note\n"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _folder(tmp_path, body: str):
    folder = tmp_path / "gaz"
    folder.mkdir()
    (folder / "curated.csv").write_text(CURATED_HEADER + body, encoding="utf-8")
    return folder


def test_every_entry_has_a_kind_a_source_and_a_precision(gaz):
    assert len(gaz.entries) > 180_000
    assert all(e.kind in PLACE_KINDS and e.source and e.precision_km > 0 for e in gaz.entries)
    assert all(-90 <= e.lat <= 90 and -180 <= e.lon <= 180 for e in gaz.entries)


def test_the_region_is_covered_not_only_the_seed_places(gaz):
    def count(kind, country):
        return sum(e.kind == kind and e.country == country for e in gaz.entries)

    assert count("city", "IQ") >= 150 and count("city", "SY") >= 250 and count("city", "JO") >= 100
    assert count("governorate", "IQ") >= 18 and count("governorate", "SY") >= 14 and count("governorate", "JO") >= 12
    for name, country in [("Mosul", "IQ"), ("Deir ez-Zor", "SY"), ("Irbid", "JO"), ("Ramadi", "IQ"), ("Aleppo", "SY"),
                          ("Ain al-Asad Air Base", "IQ"), ("Tower 22", "JO"), ("Al-Tanf garrison", "SY")]:
        assert (gaz.get(name) or gaz.candidates(fold(name))[0]).country == country, name


def test_a_country_is_its_centroid_and_says_so(gaz):
    iraq = gaz.get("Iraq")
    assert iraq.kind == "country" and iraq.precision_km >= 200


def test_names_fold_and_articles_may_be_dropped(gaz):
    assert fold("Al-Qā'im") == fold("al Qaim") == "al qaim"
    assert {e.name for e in gaz.candidates("qaim")} >= {"Al-Qaim"}
    assert gaz.get("baghdad").name == "Baghdad"


def test_short_aliases_never_become_keys(gaz):
    assert not gaz.has_key("of") and not gaz.has_key("ur")  # "Of" in Turkey, "Ur" in Iraq
    assert gaz.written_upper("us") == (True, True)  # "US" matches only in capitals
    assert not gaz.has_key("kbp") and gaz.has_key("kherson")  # airport codes among GeoNames names are dropped


def test_the_world_is_covered(gaz):
    def count(kind):
        return sum(e.kind == kind for e in gaz.entries)

    assert count("country") >= 230 and count("governorate") >= 4000 and count("city") >= 150_000
    assert count("airport") >= 7000
    for name, kind, country in [("Kyiv", "city", "UA"), ("Kherson", "city", "UA"), ("Kharkiv", "city", "UA"),
                                ("Khartoum", "city", "SD"), ("El Fasher", "city", "SD"), ("Omdurman", "city", "SD"),
                                ("Gezira", "governorate", "SD"), ("North Darfur", "governorate", "SD"),
                                ("Mogadishu", "city", "SO"), ("Goma", "city", "CD"), ("Bamako", "city", "ML"),
                                ("Peshawar", "city", "PK"), ("Quetta", "city", "PK"), ("Sukhumi", "city", "GE")]:
        entry = gaz.get(name)
        assert (entry.kind, entry.country) == (kind, country), (name, entry)
    kinds = {e.kind for e in gaz.candidates(name_key("Kherson"))}
    assert kinds >= {"city", "governorate"}  # the city and the oblast share the name
    assert {"LY", "LB"} <= {e.country for e in gaz.candidates("tripoli")}


def test_every_world_coordinate_says_where_it_comes_from(gaz):
    sources = {e.kind: e.source for e in gaz.entries if not e.curated}
    assert "GeoNames" in sources["city"] and "Natural Earth" in sources["governorate"]
    assert "Natural Earth" in sources["country"] and "airportsdata" in sources["airport"]


def test_malformed_row_names_file_and_line(tmp_path):
    folder = _folder(tmp_path, "Kalsu,,base,IQ,,32.87,44.36,2,analyst,\nBad,,base,IQ,,north,44.3,2,analyst,\n")
    with pytest.raises(LexiconError) as err:
        load_gazetteer(folder, cache=tmp_path / "cache")
    assert "curated.csv, line 3" in err.value.where and "lat 'north'" in err.value.problem


@pytest.mark.parametrize("row, words", [
    ("X,,castle,IQ,,1,2,3,src,\n", "kind 'castle'"),
    ("X,,city,Iraq,,1,2,3,src,\n", "country 'Iraq'"),
    ("X,,city,IQ,,1,200,3,src,\n", "lon '200'"),
    ("X,,city,IQ,,1,2,3,,\n", "source is empty"),
])
def test_each_kind_of_bad_row_is_explained(tmp_path, row, words):
    with pytest.raises(LexiconError) as err:
        load_gazetteer(_folder(tmp_path, row), cache=tmp_path / "cache")
    assert words in err.value.problem and "line 2" in err.value.where


def test_missing_column_is_explained(tmp_path):
    folder = tmp_path / "gaz"
    folder.mkdir()
    (folder / "curated.csv").write_text("name,kind,lat,lon\nX,city,1,2\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="lacks the column"):
        load_gazetteer(folder, cache=tmp_path / "cache")


def test_fingerprint_follows_the_bytes_and_never_serves_stale_places(tmp_path):
    folder = _folder(tmp_path, "Kalsu,Kalso,base,IQ,,32.87,44.36,2,analyst,\n")
    first = load_gazetteer(folder, cache=tmp_path / "cache", world=False)
    again = load_gazetteer(folder, cache=tmp_path / "cache", world=False)
    assert again.fingerprint == first.fingerprint and again.candidates("kalso")[0].lat == 32.87
    (folder / "curated.csv").write_text(CURATED_HEADER + "Kalsu,Kalso,base,IQ,,32.5,44.36,2,analyst,\n")
    changed = load_gazetteer(folder, cache=tmp_path / "cache", world=False)
    assert changed.fingerprint != first.fingerprint and changed.candidates("kalso")[0].lat == 32.5


def _rows(lat=46.6):
    return [("test", {"name": "Kherson", "aliases": ["Cherson"], "kind": "city", "country": "UA", "admin1": "",
                      "lat": lat, "lon": 32.6, "precision_km": 5.0, "population": 66000, "uid": "g:1", "source": "test"})]


def _set_aside(folder):
    return sorted(folder.glob("gazetteer.set-aside-*.sqlite"))


def test_the_world_index_is_sqlite_with_the_caches_stamp_and_a_fingerprint(tmp_path):
    index = open_index(tmp_path, entries=_rows(), progress=False)
    with sqlite3.connect(tmp_path / NAME) as con:
        found = dict(con.execute("SELECT key, value FROM kit_cache"))
        meta = dict(con.execute("SELECT key, value FROM meta"))
    assert found == {k: str(v) for k, v in stamp(FORMAT, VERSION).items()}
    assert meta["fingerprint"] == index.fingerprint and meta["entries"] == "1"
    assert index.candidates("cherson")[0].lat == 46.6 and index.problems == []
    again = open_index(tmp_path, entries=_rows(), progress=False)
    assert not _set_aside(tmp_path) and again.problems == []  # opened again: nothing is set aside
    assert again.candidates("kherson")[0].lat == 46.6
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]  # no temporary file is left


def test_a_stale_index_is_set_aside_and_built_again(tmp_path):
    open_index(tmp_path, entries=_rows(), progress=False)
    rebuilt = open_index(tmp_path, entries=_rows(lat=46.7), progress=False)  # other sources
    assert rebuilt.candidates("kherson")[0].lat == 46.7
    assert len(_set_aside(tmp_path)) == 1
    assert [p.problem for p in rebuilt.problems] == [
        "this cache file could not be used (it was built from other sources (other versions of the place data "
        "packages or of the basemap, or other kit code)); it was set aside as "
        f"{_set_aside(tmp_path)[0].name} and the place index is built again (about half a minute)"]


def test_a_damaged_index_is_set_aside_and_built_again(tmp_path):
    (tmp_path / NAME).write_bytes(b"not a database at all")
    index = open_index(tmp_path, entries=_rows(), progress=False)
    assert index.candidates("kherson")[0].name == "Kherson"
    assert len(_set_aside(tmp_path)) == 1 and "it is not a SQLite database" in index.problems[0].problem


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_each_kind_of_damage_is_set_aside_with_one_warning_and_rebuilt(tmp_path, damage):
    open_index(tmp_path, entries=_rows(), progress=False)
    DAMAGE[damage](tmp_path / NAME)
    damaged = (tmp_path / NAME).read_bytes()
    index = open_index(tmp_path, entries=_rows(), progress=False)
    kept = _set_aside(tmp_path)
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # set aside byte for byte, never deleted
    assert [(p.file, p.severity) for p in index.problems] == [(str(tmp_path / NAME), "warning")]
    assert index.problems[0].problem.startswith("this cache file could not be used (")
    assert f"set aside as {kept[0].name} and the place index is built again" in index.problems[0].problem
    assert index.candidates("kherson")[0].lat == 46.6
    again = open_index(tmp_path, entries=_rows(), progress=False)
    assert again.problems == [] and len(_set_aside(tmp_path)) == 1


def test_an_index_of_the_kits_before_the_stamp_is_set_aside(tmp_path):
    open_index(tmp_path, entries=_rows(), progress=False)
    with closing(sqlite3.connect(tmp_path / NAME)) as con:
        con.execute("DROP TABLE kit_cache")
        con.commit()
    index = open_index(tmp_path, entries=_rows(), progress=False)
    assert [p.problem.split(";")[0] for p in index.problems] == [
        "this cache file could not be used (it carries no stamp: an older version of the kit wrote it, or it is "
        "not a kit file)"]


def test_the_run_reports_a_set_aside_index(tmp_path, monkeypatch):
    """The warning reaches the gazetteer (`Gazetteer.problems`, which the run reports): the shared index stands in."""
    shared = os.environ[SHARED_ENV]
    (tmp_path / NAME).write_bytes(b"")
    gaz = load_gazetteer(cache=tmp_path)
    assert [p.problem for p in gaz.problems] == [
        f"this cache file could not be used (it is empty); it was set aside as {_set_aside(tmp_path)[0].name} and "
        f"the shared place index {shared} ({SHARED_ENV}) is used instead"]
    assert gaz.world.path == Path(shared) and gaz.get("Kyiv").country == "UA"
    assert load_gazetteer(cache=tmp_path).problems == []


def test_an_index_that_cannot_be_set_aside_stops_with_a_clear_error(tmp_path, monkeypatch):
    def read_only_folder(source, target):
        raise PermissionError(13, "Permission denied")

    (tmp_path / NAME).write_bytes(b"")
    monkeypatch.setattr(os, "replace", read_only_folder)  # as in a folder the user may not write
    with pytest.raises(KitError, match=r"\(it is empty\) nor renamed \(Permission denied\)") as err:
        open_index(tmp_path, entries=_rows(), progress=False)
    assert err.value.where == str(tmp_path / NAME) and "delete it or move it out of the folder" in err.value.fix
    assert (tmp_path / NAME).read_bytes() == b""


def test_nothing_in_the_index_can_run_code(tmp_path):
    open_index(tmp_path, entries=_rows(), progress=False)
    assert (tmp_path / NAME).read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(tmp_path.glob("*.pickle"))


def test_a_hostile_pickle_named_like_the_index_runs_nothing(tmp_path):
    (tmp_path / NAME).write_bytes(hostile_pickle(tmp_path / "code-ran"))
    index = open_index(tmp_path, entries=_rows(), progress=False)
    assert not (tmp_path / "code-ran").exists() and len(index.problems) == 1
    assert _set_aside(tmp_path)[0].read_bytes() == hostile_pickle(tmp_path / "code-ran")


def test_a_newsroom_file_beside_curated_is_read(tmp_path):
    folder = tmp_path / "gaz"
    shutil.copytree(GAZETTEER, folder)
    (folder / "my_places.csv").write_text(CURATED_HEADER + "Camp Zulfiqar,Zulfiqar,base,IQ,,33.1,44.1,1,our map,\n")
    gaz = load_gazetteer(folder, cache=tmp_path / "cache")
    assert gaz.get("Camp Zulfiqar").source == "our map" and "my_places.csv" in gaz.files


def test_pickles_for_workers_without_the_lookup(gaz):
    copy = pickle.loads(pickle.dumps(gaz))
    assert copy.fingerprint == gaz.fingerprint and copy.candidates("baghdad") == gaz.candidates("baghdad")


def test_loading_is_fast_enough_for_every_run(gaz):
    load_gazetteer()  # the world index is built (once) already
    began = time.perf_counter()
    load_gazetteer().candidates("kyiv")
    assert time.perf_counter() - began < 1.0

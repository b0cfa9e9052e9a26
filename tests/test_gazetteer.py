"""The offline gazetteer: loads fast, covers the world, says where every coordinate comes from."""
import pickle
import sqlite3
import shutil
import time

import pytest

from kit.errors import LexiconError
from kit.places.gazetteer import PLACE_KINDS, fold, load_gazetteer
from kit.places.index import FORMAT, NAME, open_index
from kit.places.names import name_key
from kit.paths import GAZETTEER

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


def test_the_world_index_is_sqlite_with_a_format_and_a_fingerprint(tmp_path):
    index = open_index(tmp_path, entries=_rows(), progress=False)
    with sqlite3.connect(tmp_path / NAME) as con:
        meta = dict(con.execute("SELECT key, value FROM meta"))
    assert meta["format"] == FORMAT and meta["fingerprint"] == index.fingerprint and meta["entries"] == "1"
    assert index.candidates("cherson")[0].lat == 46.6
    assert not list(tmp_path.glob("*.stale-*"))  # opened again: nothing is set aside
    assert open_index(tmp_path, entries=_rows(), progress=False).candidates("kherson")[0].lat == 46.6


def test_a_stale_index_is_set_aside_and_built_again(tmp_path, capsys):
    open_index(tmp_path, entries=_rows(), progress=False)
    rebuilt = open_index(tmp_path, entries=_rows(lat=46.7), progress=False)  # other sources
    assert rebuilt.candidates("kherson")[0].lat == 46.7
    assert len(list(tmp_path.glob(f"{NAME}.stale-*"))) == 1
    assert "set aside" in capsys.readouterr().err


def test_a_damaged_index_is_set_aside_and_built_again(tmp_path, capsys):
    (tmp_path / NAME).write_bytes(b"not a database at all")
    assert open_index(tmp_path, entries=_rows(), progress=False).candidates("kherson")[0].name == "Kherson"
    assert len(list(tmp_path.glob(f"{NAME}.stale-*"))) == 1 and "damaged" in capsys.readouterr().err


def test_nothing_in_the_index_can_run_code(tmp_path):
    open_index(tmp_path, entries=_rows(), progress=False)
    assert (tmp_path / NAME).read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(tmp_path.glob("*.pickle"))


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

"""The offline gazetteer: loads fast, covers the region, says where every coordinate comes from."""
import pickle
import shutil
import time

import pytest

from kit.errors import LexiconError
from kit.places.gazetteer import PLACE_KINDS, fold, load_gazetteer
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
    assert len(gaz.entries) > 3000
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
    assert "of" not in gaz.index and "ur" not in gaz.index  # "Of" in Turkey, "Ur" in Iraq
    assert "us" in gaz.acronyms_only  # "US" matches only in capitals


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


def test_fingerprint_follows_the_bytes_and_the_cache_never_serves_stale_places(tmp_path):
    folder = _folder(tmp_path, "Kalsu,Kalso,base,IQ,,32.87,44.36,2,analyst,\n")
    first = load_gazetteer(folder, cache=tmp_path / "cache")
    assert first.candidates("kalso")[0].lat == 32.87 and (tmp_path / "cache" / "gazetteer.json").exists()
    again = load_gazetteer(folder, cache=tmp_path / "cache")
    assert again.fingerprint == first.fingerprint and again.candidates("kalso")[0].lat == 32.87
    (folder / "curated.csv").write_text(CURATED_HEADER + "Kalsu,Kalso,base,IQ,,32.5,44.36,2,analyst,\n")
    changed = load_gazetteer(folder, cache=tmp_path / "cache")
    assert changed.fingerprint != first.fingerprint and changed.candidates("kalso")[0].lat == 32.5


def test_a_damaged_cache_is_set_aside(tmp_path):
    folder = _folder(tmp_path, "Kalsu,Kalso,base,IQ,,32.87,44.36,2,analyst,\n")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "gazetteer.json").write_bytes(b"not JSON")
    gaz = load_gazetteer(folder, cache=tmp_path / "cache")
    assert gaz.candidates("kalso")[0].name == "Kalsu"
    assert [p.problem.split(";")[0] for p in gaz.problems] == [
        "this cache file could not be used (it is damaged or cut short (JSONDecodeError))"]
    assert load_gazetteer(folder, cache=tmp_path / "cache").problems == []  # rebuilt


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
    load_gazetteer()  # warm: the parsed gazetteer is cached under its fingerprint
    began = time.perf_counter()
    load_gazetteer().index
    assert time.perf_counter() - began < 0.5

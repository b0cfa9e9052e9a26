"""The geocoding chain offline: corrections first, then gazetteer, then the cache; files only read."""
import hashlib
import shutil

import pandas as pd
import pytest

from kit.errors import GeocoderError
from kit.places.geocache import GeocodeCache
from kit.places.geocode import resolve_places
from kit.paths import SEEDS
from kit.pipeline.runner import run

HEADER = "mention,article_id,canonical,kind,lat,lon,precision_km,note\n"


def row(mention, article_id="a1", **values):
    base = {"article_id": article_id, "file": f"{article_id}.txt", "mention": mention, "canonical": "", "kind": "other",
            "country": "", "lat": None, "lon": None, "precision_km": None, "geocoder": "unresolved",
            "status": "no_match", "source": "", "start": 0, "end": len(mention), "in_scope": False}
    base.update(values)
    return base


BAGHDAD = dict(canonical="Baghdad", kind="city", country="IQ", lat=33.34, lon=44.40, precision_km=20.0,
               geocoder="gazetteer", status="found", source="GeoNames")


class NoNetwork:
    """A geocoder that fails the test if the chain ever calls it."""

    def check(self):
        raise AssertionError("the online geocoder was consulted")

    def lookup(self, query):
        raise AssertionError(f"the online geocoder was asked for {query!r}")


@pytest.fixture
def folders(tmp_path):
    fixes = tmp_path / "corrections"
    fixes.mkdir()
    return fixes, tmp_path / "cache"


def resolve(frame_rows, folders, corrections="", **kwargs):
    fixes, cache = folders
    if corrections:
        (fixes / "places.csv").write_text(HEADER + corrections, encoding="utf-8")
    kwargs.setdefault("geocoder", NoNetwork())
    return resolve_places(pd.DataFrame(frame_rows), fixes, cache, **kwargs)


def test_a_correction_wins_over_the_gazetteer_and_an_article_specific_one_over_a_general_one(folders):
    frame, problems = resolve([row("Baghdad", **BAGHDAD), row("Baghdad", "a2", **BAGHDAD)], folders,
                              "Baghdad,,Baghdad,city,33.3,44.4,5,map check\nBaghdad,a2,Green Zone,neighbourhood,33.30,44.39,1,\n")
    assert problems == []
    assert frame["geocoder"].tolist() == ["correction", "correction"]
    assert frame["canonical"].tolist() == ["Baghdad", "Green Zone"]
    assert frame.loc[0, "precision_km"] == 5 and frame.loc[0, "country"] == "IQ"
    assert "map check" in frame.loc[0, "source"] and "line 2" in frame.loc[0, "source"]


def test_a_correction_may_name_a_gazetteer_place_or_remove_a_false_mention(folders):
    frame, problems = resolve([row("Kalso camp"), row("Chrome", kind="city", **{"geocoder": "gazetteer"})], folders,
                              "kalso CAMP,,Kalsu military base,,,,,\nChrome,,,not_a_place,,,,browser not a town\n")
    assert problems == [] and len(frame) == 1
    got = frame.iloc[0]
    assert (got["canonical"], got["kind"], got["geocoder"], got["status"]) == ("Kalsu military base", "base", "correction", "found")
    assert abs(got["lat"] - 32.87) < 0.01 and got["country"] == "IQ"


def test_bad_and_unused_corrections_are_warnings_naming_file_and_line(folders):
    frame, problems = resolve([row("Baghdad", **BAGHDAD)], folders,
                              "Baghdad,,Baghdad,city,north,44.4,,\nBaghdad,,Baghdad,castle,33,44,,\n"
                              "Nowhere,,X,city,1,2,3,\nAkashat,,Nowhere Land,,,,,\n")
    assert frame.loc[0, "geocoder"] == "gazetteer"  # nothing bad was applied
    where = [(p.file.rsplit(", ", 1)[1], p.severity) for p in problems]
    assert where == [("line 2", "warning"), ("line 3", "warning"), ("line 5", "warning"), ("line 4", "warning")]
    assert "not valid coordinates" in problems[0].problem and "castle" in problems[1].problem
    assert "not a gazetteer name" in problems[2].problem and "matches no place mention" in problems[3].problem


def test_cache_hits_are_used_offline_and_failures_are_not(folders):
    cache = GeocodeCache(folders[1])
    cache.put("Camp Zulfiqar", "found", lat=33.1, lon=44.1, kind="base", precision_km=1.5, canonical="Zulfiqar, Iraq",
              country="IQ", provider="nominatim", raw={"place_id": 7})
    cache.put("Nowhere Town", "no_match", raw=[])
    cache.put("Flaky Town", "service_failed", error="timeout")
    frame, problems = resolve([row("Camp Zulfiqar", kind="base"), row("Nowhere Town"), row("Flaky Town"),
                               row("Unasked Town")], folders, offline=True)
    assert problems == []
    assert frame["geocoder"].tolist() == ["cache", "unresolved", "unresolved", "unresolved"]
    assert frame["status"].tolist() == ["found", "no_match", "skipped_offline", "skipped_offline"]
    assert frame.loc[0, "canonical"] == "Zulfiqar" and frame.loc[0, "precision_km"] == 1.5
    assert frame.loc[0, "kind"] == "base" and frame.loc[0, "country"] == "IQ"


def test_the_public_nominatim_needs_a_user_agent(folders):
    with pytest.raises(GeocoderError, match="user agent"):
        resolve([row("Unknown Town")], folders, offline=False, geocoder=None)


def test_empty_input_passes_through(folders):
    frame, problems = resolve([], folders)
    assert frame.empty and problems == []


def test_a_full_run_never_writes_the_corrections_file(tmp_path):
    fixes = tmp_path / "corrections"
    fixes.mkdir()
    text = HEADER + "# checked on the map\nKalso military base,,Kalsu military base,base,32.87,44.36,1,our desk\n"
    (fixes / "places.csv").write_bytes(text.encode("utf-8"))
    before = hashlib.sha256((fixes / "places.csv").read_bytes()).hexdigest()
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    for _ in range(2):
        result = run([articles], tmp_path / "out", cache_dir=tmp_path / "cache", corrections_dir=fixes, progress=False)
    assert hashlib.sha256((fixes / "places.csv").read_bytes()).hexdigest() == before
    places = result.tables["places"]
    kalso = places[places["mention"] == "Kalso military base"]
    assert len(kalso) == 1 and kalso["geocoder"].iloc[0] == "correction" and kalso["precision_km"].iloc[0] == 1
    assert set(places["geocoder"]) <= {"gazetteer", "correction"}

"""Places on the seeds against the analyst's gold, measured with the shared scorer (tests/gold/score.py).

Bars from issue 4: places F1 >= 0.90 (mentions keyed by file and lower-cased text) and geocode
accuracy >= 0.95 (found mentions within the kind's tolerance: country 700 km, sea 1500, region 400,
governorate 150, anything else 30).
"""
import pytest

from seed_run import GOLD, scorer, seed_run

PLACES_F1 = 0.90
GEOCODE_ACCURACY = 0.95


@pytest.fixture(scope="module")
def measured():
    score = scorer()
    result, out = seed_run()
    found = {}
    missed, extra = score.places_report(score.read(GOLD / "places.csv"), score.read(out / "places.csv"), found)
    return found["places"], missed, extra, result


def test_places_f1(measured):
    places, missed, extra, _ = measured
    assert places["f1"] >= PLACES_F1, (places, [m["mention"] for m in missed], [e["mention"] for e in extra])


def test_geocode_accuracy(measured):
    places, *_ = measured
    assert places["geocode_acc"] >= GEOCODE_ACCURACY, places


def test_every_seed_place_is_resolved_offline_with_a_source(measured):
    *_, result = measured
    places = result.tables["places"]
    assert (places["geocoder"] == "gazetteer").all() and (places["status"] == "found").all()
    assert places["source"].notna().all() and (places["precision_km"] > 0).all()

"""Places against an analyst's gold, measured with the shared scorer (tests/gold/score.py): the seeds, and
the development corpus of six incidents outside Iraq (../shared/dev-corpus, when it is there).

Bars (issue 15): on the seeds places F1 >= 0.98 and geocode accuracy >= 0.98; on the development corpus
places F1 >= 0.92 and geocode accuracy >= 0.95 (mentions keyed by file and lower-cased text; geocoded
within the kind's tolerance: country 700 km, sea 1500, region 400, governorate 150, anything else 30).
"""
import tempfile
from pathlib import Path

import pytest

from kit.pipeline.runner import run
from repo import ROOT
from seed_run import GOLD, scorer, seed_run

PLACES_F1 = 0.98
GEOCODE_ACCURACY = 0.98
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"
DEV_PLACES_F1 = 0.92
DEV_GEOCODE_ACCURACY = 0.95


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


@pytest.fixture(scope="module")
def dev_measured():
    if not (DEV_CORPUS / "articles").is_dir():
        pytest.skip(f"the development corpus is not at {DEV_CORPUS} (it lives beside the repository, in shared/)")
    score = scorer()
    out = Path(tempfile.mkdtemp(prefix="kit-dev-"))
    run([DEV_CORPUS / "articles"], out / "tables", cache_dir=out / "cache", progress=False)
    found = {}
    missed, extra = score.places_report(score.read(DEV_CORPUS / "gold" / "places.csv"),
                                        score.read(out / "tables" / "places.csv"), found)
    return found["places"], missed, extra


def test_dev_corpus_places_f1(dev_measured):
    places, missed, extra = dev_measured
    assert places["f1"] >= DEV_PLACES_F1, (places, [m["mention"] for m in missed], [e["mention"] for e in extra])


def test_dev_corpus_geocode_accuracy(dev_measured):
    places, *_ = dev_measured
    assert places["geocode_acc"] >= DEV_GEOCODE_ACCURACY, places

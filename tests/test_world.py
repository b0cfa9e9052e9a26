"""Articles of our own (tests/fixtures/world, written for this test in four styles: a wire story with a
dateline, a broadcaster's piece, a paper's report, a web page) about incidents on four continents: the kit
finds and places their cities and provinces, and knows their actors, with no list of these places in the code.
"""
from __future__ import annotations

import pytest

from kit.articles.reading import load_articles
from kit.claims.actors import find_actors
from kit.pipeline.extract import default_resources
from kit.places.choose import distance_km
from kit.places.mentions import find_places
from repo import ROOT

WORLD = ROOT / "tests" / "fixtures" / "world"

# file -> (place as written, kind, country, lat, lon): within 30 km (150 km for a province)
EXPECTED_PLACES = {
    "kharkiv_wire.txt": [("KHARKIV", "city", "UA", 49.99, 36.23), ("Ukraine", "country", "UA", 49.0, 31.4),
                         ("Kharkiv", "city", "UA", 49.99, 36.23), ("Belgorod", "city", "RU", 50.60, 36.58),
                         ("Sumy", "city", "UA", 50.91, 34.80), ("Sumy oblast", "governorate", "UA", 50.8, 34.3)],
    "fasher_broadcaster.md": [("El Fasher", "city", "SD", 13.63, 25.35), ("North Darfur state", "governorate", "SD", 16.0, 25.5),
                              ("Omdurman", "city", "SD", 15.64, 32.48), ("Gezira state", "governorate", "SD", 14.5, 33.2),
                              ("Nyala", "city", "SD", 12.05, 24.88), ("South Darfur", "governorate", "SD", 11.5, 24.7)],
    "quetta_paper.txt": [("Quetta", "city", "PK", 30.18, 67.00), ("Rawalpindi", "city", "PK", 33.60, 73.05),
                         ("Balochistan", "governorate", "PK", 28.0, 65.5), ("Afghanistan", "country", "AF", 33.9, 66.0),
                         ("Duki district", "district", "PK", 30.15, 68.57)],
    "cauca_page.html": [("POPAYÁN", "city", "CO", 2.44, -76.61), ("Colombia", "country", "CO", 4.0, -73.0),
                        ("Jamundí", "city", "CO", 3.26, -76.54), ("Valle del Cauca", "governorate", "CO", 3.8, -76.5),
                        ("Suárez", "city", "CO", 2.95, -76.70), ("Cali", "city", "CO", 3.44, -76.52)],
}
EXPECTED_ACTORS = {
    "kharkiv_wire.txt": {"Russia", "Ukraine"},
    "fasher_broadcaster.md": {"Rapid Support Forces", "Sudanese Armed Forces"},
    "quetta_paper.txt": {"Baloch Liberation Army", "Pakistan", "Taliban"},
    "cauca_page.html": {"Colombia", "FARC dissidents", "National Liberation Army"},
}
TOLERANCE_KM = {"country": 700, "governorate": 150}


@pytest.fixture(scope="module")
def found():
    lex, gaz = default_resources()
    articles = load_articles([WORLD], lex).articles
    assert sorted(a.file for a in articles) == sorted(EXPECTED_PLACES)
    return {a.file: (find_places(a, gaz, lex), find_actors(a.text, lex)) for a in articles}


@pytest.mark.parametrize("file", sorted(EXPECTED_PLACES))
def test_cities_and_provinces_are_found_and_placed(found, file):
    places, _ = found[file]
    by_mention = {}
    for place in places:
        by_mention.setdefault(place.mention, place)
    for mention, kind, country, lat, lon in EXPECTED_PLACES[file]:
        place = by_mention.get(mention)
        assert place is not None, (file, mention, sorted(by_mention))
        assert (place.kind, place.country) == (kind, country), (file, mention, place)
        assert distance_km(place.lat, place.lon, lat, lon) <= TOLERANCE_KM.get(kind, 30), (file, mention, place)
        assert place.source and place.precision_km > 0


@pytest.mark.parametrize("file", sorted(EXPECTED_PLACES))
def test_nothing_else_is_taken_for_a_place(found, file):
    places, _ = found[file]
    assert {p.mention for p in places} <= {m for m, *_ in EXPECTED_PLACES[file]} | {"Popayán", "Cauca"}


@pytest.mark.parametrize("file", sorted(EXPECTED_ACTORS))
def test_their_actors_are_known(found, file):
    _, actors = found[file]
    assert EXPECTED_ACTORS[file] <= {a.canonical for a in actors}, (file, sorted({a.canonical for a in actors}))


def test_metonyms_are_actors_and_not_places(found):
    places, actors = found["kharkiv_wire.txt"]
    assert "Moscow" not in {p.mention for p in places} and "Kyiv" not in {p.mention for p in places}
    assert {(a.text, a.canonical, a.form) for a in actors} >= {("Moscow", "Russia", "metonym"), ("Kyiv", "Ukraine", "metonym")}

"""The incident map: markers, precision, layers, popups, offline assets, escaping, scale."""
from __future__ import annotations

import base64
import gzip
import json
import re
import time

import pandas as pd
import pytest

from kit.present import maps, offline
from kit.schema import empty_frame

from gold_frames import SCRIPT, gold_tables, hostile, synthetic_tables


def payload(html_page: str) -> dict:
    """The incidents, outlines and layer names the page hands to the browser (unpacked)."""
    packed = re.search(r'kitInflate\("([A-Za-z0-9+/=]+)"\)', html_page).group(1)
    return json.loads(gzip.decompress(base64.b64decode(packed)))


@pytest.fixture(scope="module")
def evil_page():
    return maps.incident_map(hostile(gold_tables())).get_root().render()


def test_one_marker_per_located_incident_with_precision_and_sources(evil_page):
    data = payload(evil_page)
    assert len(data["incidents"]) == 4
    kalsu = next(r for r in data["incidents"] if "Kalsu" in r[4])
    lat, lon, radius_m, color, label, popup, sources, group = kalsu
    assert (lat, lon, radius_m) == (32.87, 44.36, 2000)
    assert sorted(data["sources"][i] for i in sources) == ["001_28f24e7b6c72786c.txt", "RedState"]
    assert group >= 0 and "Blast / unclaimed airstrike" in data["groups"][group]
    assert "Claimed killed: 0\u20138" in popup and "Contradiction" in popup and "\u2014 RedState, 2024-04-19" in popup
    assert data["showCircles"] is True and data["bounds"] and not data.get("message")
    colors = {r[3] for r in data["incidents"]}
    assert len(colors) == 4  # one colour per incident


def test_article_text_is_escaped_in_popups_tooltips_and_layer_names(evil_page):
    data = payload(evil_page)
    everything = json.dumps(data, ensure_ascii=False)
    assert SCRIPT not in everything and SCRIPT not in evil_page
    hostile_row = next(r for r in data["incidents"] if "Qaim" in r[4])
    assert "Strike &lt;script&gt;alert(1)&lt;/script&gt; near Qaim" in hostile_row[4]
    assert "&lt;b&gt;five&lt;/b&gt;" in hostile_row[5]
    assert any("Outlet &lt;script&gt;" in s for s in data["sources"])


def test_map_page_loads_nothing_from_the_network(evil_page):
    assert offline.remote_references(evil_page) == []
    assert "tile.openstreetmap.org" not in evil_page and "cdn." not in evil_page
    assert "L.MarkerClusterGroup" in evil_page and "data:image/png;base64," in evil_page
    assert "sourceMappingURL" not in evil_page


def test_offline_basemap_is_under_the_markers(evil_page):
    data = payload(evil_page)
    assert data["countries"]["features"] and data["admin1"]["features"]
    names = {label[2] for label in data["labels"]}
    assert {"Iraq", "Syria", "Baghdad"} <= names
    assert "Natural Earth" in data["attribution"]


def test_without_basemap_files_the_map_still_works(tmp_path):
    page = maps.incident_map(gold_tables(), basemap=tmp_path).get_root().render()
    data = payload(page)
    assert data["countries"] is None and data["labels"] == [] and len(data["incidents"]) == 3


def test_online_adds_tiles_as_an_optional_layer():
    data = payload(maps.incident_map(gold_tables(), online=True).get_root().render())
    assert data["tiles"][0] == maps.OSM_TILES


@pytest.mark.parametrize("tables", [{}, {name: empty_frame(name) for name in
                                         ("articles", "places", "casualty_claims", "attribution_claims", "events")}])
def test_empty_tables_give_a_map_that_says_so(tables):
    data = payload(maps.incident_map(tables).get_root().render())
    assert data["incidents"] == [] and data["message"] == "No incidents with coordinates yet."


def test_incident_without_coordinates_is_left_off_and_precision_comes_from_places():
    tables = gold_tables()
    events = tables["events"].copy()
    events.loc[0, ["lat", "lon"]] = pd.NA
    events["precision_km"] = pd.NA
    points = maps.incident_points(dict(tables, events=events))
    assert len(points) == 2 and points["precision_km"].notna().all()


def test_ten_thousand_incidents_stay_small_and_fast(tmp_path):
    tables = synthetic_tables(10_000)
    start = time.perf_counter()
    m = maps.incident_map(tables)
    path = maps.save_map(m, tmp_path / "map.html")
    elapsed = time.perf_counter() - start
    size = path.stat().st_size
    data = payload(path.read_text(encoding="utf-8"))
    assert len(data["incidents"]) == 10_000
    assert data["groups"] == [] and all(r[7] == -1 for r in data["incidents"][:50])  # too many to list
    assert len(data["sources"]) == maps.MAX_LISTED and data["sources"][-1] == "other outlets"
    assert data["showCircles"] is False and data["collapsed"] is True
    assert size < 3_000_000, f"map is {size / 1e6:.1f} MB"
    assert elapsed < 30, f"took {elapsed:.1f} s"


def test_save_map_refuses_a_page_that_would_use_the_network(tmp_path):
    m = maps.incident_map(gold_tables())
    m.get_root().header.add_child(maps.Element('<script src="https://cdn.example.org/x.js"></script>'))
    with pytest.raises(Exception, match="network"):
        maps.save_map(m, tmp_path / "map.html")

"""The online step against a real HTTP server on loopback that answers like Nominatim, and misbehaves.

The server (``http.server.ThreadingHTTPServer`` on 127.0.0.1, port 0) answers ``/search`` by the
query: found, nothing, a slow answer (beyond the client's timeout), 429 with Retry-After, 500,
malformed JSON, a dropped connection, 403. The geocoder's clock and sleep are injected, so the
1-request-per-second limit and the backoff are checked on a fake clock and the test takes seconds.
"""
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from kit.errors import GeocoderError
from kit.places.geocache import GeocodeCache
from kit.places.geocode import resolve_places
from kit.places.online import DEFAULT_USER_AGENT, OnlineGeocoder
from kit.pipeline.runner import run


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def place(name, lat, lon, kind="town"):
    return {"place_id": 4242, "licence": "Data (c) OpenStreetMap contributors, ODbL 1.0", "osm_type": "node",
            "osm_id": 1, "lat": str(lat), "lon": str(lon), "display_name": f"{name}, Babil, Iraq", "class": "place",
            "type": kind, "importance": 0.4, "boundingbox": [str(lat - 0.02), str(lat + 0.02), str(lon - 0.02),
                                                             str(lon + 0.02)], "address": {"country_code": "iq"}}


class Nominatim:
    """What the fake server does for each query; ``healthy`` turns every failure into an answer."""

    def __init__(self, clock):
        self.clock = clock
        self.hits = Counter()
        self.times = []
        self.agents = set()
        self.params = []
        self.healthy = False
        self.lock = threading.Lock()

    def respond(self, handler):
        query = parse_qs(urlparse(handler.path).query)
        q = query.get("q", [""])[0]
        with self.lock:
            self.hits[q] += 1
            self.times.append(self.clock.now)
            self.agents.add(handler.headers.get("User-Agent"))
            self.params.append(query)
            first_busy = q == "Busy Town" and self.hits[q] == 1
        if q in ("Found Town", "Zulfiqar military base") or (self.healthy and q != "Nowhere Town"):
            return handler.answer(200, json.dumps([place(q, 32.5, 44.2)]))
        if q == "Nowhere Town":
            return handler.answer(200, "[]")
        if q == "Slow Town":
            time.sleep(0.6)
            return handler.answer(200, json.dumps([place(q, 1, 1)]))
        if q == "Busy Town":
            if first_busy:
                return handler.answer(429, "slow down", {"Retry-After": "7"})
            return handler.answer(200, json.dumps([place(q, 33.0, 44.0)]))
        if q == "Broken Town":
            return handler.answer(500, "internal error")
        if q == "Garbled Town":
            return handler.answer(200, '[{"lat": "32.1", "lon": ')
        if q == "Dropped Town":
            handler.close_connection = True
            return None  # closes the socket without a status line
        if q == "Forbidden Town":
            return handler.answer(403, "blocked")
        return handler.answer(200, "[]")


@pytest.fixture
def server():
    clock = FakeClock()
    behaviour = Nominatim(clock)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            behaviour.respond(self)

        def answer(self, status, body, headers=None):
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body.encode())
            except OSError:  # the client gave up waiting (the slow answer)
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.server_address[1], behaviour, clock
    httpd.shutdown()
    httpd.server_close()


def geocoder(port, clock, **kwargs):
    options = dict(domain=f"127.0.0.1:{port}", scheme="http", timeout=0.3, max_retries=1, clock=clock.clock,
                   sleep=clock.sleep, give_up_after=99)
    options.update(kwargs)
    return OnlineGeocoder(**options)


def frame(*mentions):
    return pd.DataFrame([{"article_id": "a1", "file": "a.txt", "mention": m, "canonical": "", "kind": "other",
                          "geocoder": "unresolved", "status": "no_match", "lat": None, "lon": None} for m in mentions])


QUERIES = ("Found Town", "Nowhere Town", "Slow Town", "Busy Town", "Broken Town", "Garbled Town", "Dropped Town")


def test_every_kind_of_answer_gets_its_status_and_only_good_ones_are_final(server, tmp_path):
    port, behaviour, clock = server
    places, problems = resolve_places(frame(*QUERIES, "Found Town"), tmp_path, tmp_path / "cache", offline=False,
                                      geocoder=geocoder(port, clock))
    got = dict(zip(places["mention"], zip(places["status"], places["geocoder"])))
    assert got == {"Found Town": ("found", "online"), "Nowhere Town": ("no_match", "unresolved"),
                   "Slow Town": ("service_failed", "unresolved"), "Busy Town": ("found", "online"),
                   "Broken Town": ("service_failed", "unresolved"), "Garbled Town": ("service_failed", "unresolved"),
                   "Dropped Town": ("service_failed", "unresolved")}
    found = places[places["mention"] == "Found Town"].iloc[0]
    assert (found["lat"], found["lon"], found["kind"], found["country"]) == (32.5, 44.2, "city", "IQ")
    assert 1 < found["precision_km"] < 5 and "OpenStreetMap" in found["source"]
    assert behaviour.hits["Found Town"] == 1  # the duplicate mention was asked once
    assert 7 in clock.slept  # Retry-After was honoured
    assert len(problems) == 1 and "4 place(s) could not be looked up" in problems[0].problem
    assert places.loc[places["status"] == "service_failed", "lat"].isna().all()
    assert behaviour.agents == {DEFAULT_USER_AGENT}
    assert "countrycodes" not in behaviour.params[0] and "viewbox" not in behaviour.params[0]  # the whole world

    cache = GeocodeCache(tmp_path / "cache")
    stored = {q: cache.get(q) for q in QUERIES}
    assert stored["Found Town"]["status"] == "found" and stored["Found Town"]["raw"]["place_id"] == 4242
    assert stored["Nowhere Town"]["status"] == "no_match" and stored["Nowhere Town"]["lat"] is None
    for q in ("Slow Town", "Broken Town", "Garbled Town", "Dropped Town"):
        assert stored[q]["status"] == "service_failed" and stored[q]["lat"] is None and stored[q]["error"]


def test_the_next_run_retries_failures_and_never_repeats_good_lookups(server, tmp_path):
    port, behaviour, clock = server
    resolve_places(frame(*QUERIES), tmp_path, tmp_path / "cache", offline=False, geocoder=geocoder(port, clock))
    first = Counter(behaviour.hits)
    behaviour.healthy = True
    places, problems = resolve_places(frame(*QUERIES), tmp_path, tmp_path / "cache", offline=False,
                                      geocoder=geocoder(port, clock))
    asked_again = {q for q in QUERIES if behaviour.hits[q] > first[q]}
    assert asked_again == {"Slow Town", "Broken Town", "Garbled Town", "Dropped Town"}
    assert problems == [] and (places["status"] != "service_failed").all()
    by = dict(zip(places["mention"], places["geocoder"]))
    assert by["Found Town"] == by["Busy Town"] == "cache" and by["Broken Town"] == "online"
    offline, _ = resolve_places(frame(*QUERIES), tmp_path, tmp_path / "cache", offline=True, geocoder=None)
    assert set(offline["geocoder"]) == {"cache", "unresolved"} and set(offline["status"]) == {"found", "no_match"}


def test_at_most_one_request_a_second_on_the_injected_clock(server, tmp_path):
    port, behaviour, clock = server
    names = [f"Town {i}" for i in range(6)]
    resolve_places(frame(*names), tmp_path, tmp_path / "cache", offline=False, geocoder=geocoder(port, clock))
    gaps = [b - a for a, b in zip(behaviour.times, behaviour.times[1:])]
    assert len(behaviour.times) == 6 and all(gap >= 1.0 - 1e-9 for gap in gaps), gaps


def test_a_refusal_or_repeated_failures_stop_the_run_asking(server, tmp_path):
    port, behaviour, clock = server
    places, problems = resolve_places(frame("Forbidden Town", "Found Town"), tmp_path, tmp_path / "cache",
                                      offline=False, geocoder=geocoder(port, clock))
    assert places["status"].tolist() == ["service_failed", "service_failed"]
    assert behaviour.hits["Found Town"] == 0 and "refused" in problems[0].problem
    behaviour.hits.clear()
    g = geocoder(port, clock, give_up_after=2)
    places, _ = resolve_places(frame("Broken Town", "Garbled Town", "Found Town"), tmp_path, tmp_path / "c2",
                               offline=False, geocoder=g)
    assert places["status"].tolist() == ["service_failed"] * 3 and behaviour.hits["Found Town"] == 0


def test_user_agent_rules():
    with pytest.raises(GeocoderError, match="user agent"):
        OnlineGeocoder().check()
    OnlineGeocoder(user_agent="desk-kit (desk@example.org)").check()
    OnlineGeocoder(domain="127.0.0.1:1").check()  # a private server may use the kit's own agent
    assert "strike-notebook-kit" in DEFAULT_USER_AGENT


def test_a_full_run_online_then_offline_uses_the_cache(server, tmp_path):
    port, behaviour, clock = server
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Rockets hit the Zulfiqar military base in Iraq on Friday, police said.\n",
                                    encoding="utf-8")
    online = run([articles], tmp_path / "out", offline=False, geocoder=geocoder(port, clock),
                 cache_dir=tmp_path / "cache", corrections_dir=tmp_path, progress=False)
    places = online.tables["places"].set_index("mention")
    assert places.loc["Zulfiqar military base", "geocoder"] == "online"
    assert places.loc["Zulfiqar military base", "kind"] == "base" and places.loc["Iraq", "geocoder"] == "gazetteer"
    again = run([articles], tmp_path / "out", offline=True, cache_dir=tmp_path / "cache", corrections_dir=tmp_path,
                progress=False)
    assert again.tables["places"].set_index("mention").loc["Zulfiqar military base", "geocoder"] == "cache"
    assert behaviour.hits["Zulfiqar military base"] == 1

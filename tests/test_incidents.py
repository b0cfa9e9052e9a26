"""Incident dates, background claims and linking the same incident across articles."""
from pathlib import Path

import pandas as pd
import pytest

from kit.incidents.article import resolve_day
from kit.paths import SEEDS
from kit.pipeline.runner import run


@pytest.mark.parametrize("cue, published, expected", [
    ("early Saturday", "2024-04-19", "2024-04-20"),  # a US evening is already Saturday in Iraq
    ("early Thursday morning", "2024-01-05", "2024-01-04"),
    ("on Thursday", "2024-01-04", "2024-01-04"),
    ("late on Tuesday", "2024-10-01", "2024-10-01"),
    ("yesterday", "2024-10-01", "2024-09-30"),
])
def test_day_words_resolve_against_publication(cue, published, expected):
    assert resolve_day(cue, published) == expected


def write(folder, name, published, text):
    (folder / name).write_text(f"---\npublished: {published}\noutlet: {name}\n---\n{text}\n", encoding="utf-8")


def test_same_incident_across_outlets_gets_one_event_and_background_is_kept_apart(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    write(arts, "a.txt", "2024-03-02",
          "A drone strike hit a militia headquarters in Baghdad early Friday, killing three fighters, police said.\n"
          "It comes a day after 20 people were killed in a bombing in Damascus.\n"
          "No one has claimed responsibility for that attack.")
    write(arts, "b.txt", "2024-03-01",
          "BAGHDAD - An explosion at a militia headquarters in Baghdad killed four people on Friday, "
          "a security source told AFP.\nThe US denied carrying out the strike.")
    write(arts, "c.txt", "2024-06-10",
          "Rockets fell near Erbil airport on Monday, wounding two guards, the Kurdistan counter-terrorism service said.")
    result = run([arts], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    cas = result.tables["casualty_claims"]
    main = cas[~cas["background"]]
    assert main.groupby("file")["event_id"].first().to_dict()["a.txt"] == main.groupby("file")["event_id"].first().to_dict()["b.txt"]
    assert main[main["file"] == "c.txt"]["event_id"].iloc[0] != main[main["file"] == "a.txt"]["event_id"].iloc[0]
    damascus = cas[cas["count_min"] == 20].iloc[0]
    assert bool(damascus["background"]) and (damascus["event_id"] is None or damascus["event_id"] != damascus["event_id"] or not damascus["event_id"])
    att = result.tables["attribution_claims"]
    unclaimed = att[att["stance"] == "unattributed"].iloc[0]
    assert bool(unclaimed["background"])
    events = result.tables["events"].set_index("event_id")
    baghdad = events.loc[main[main["file"] == "a.txt"]["event_id"].iloc[0]]
    assert (baghdad["n_articles"], baghdad["killed_min"], baghdad["killed_max"]) == (2, 3, 4)
    assert str(baghdad["date"]) == "2024-03-01"


def test_seed_events_and_contradictions():
    import tempfile
    out = tempfile.mkdtemp()
    result = run([SEEDS], out, cache_dir=tempfile.mkdtemp(), progress=False)
    events = result.tables["events"]
    assert len(events) == 3
    kalsu = events[events["place"] == "Kalsu military base"].iloc[0]
    assert kalsu["n_articles"] == 2 and kalsu["killed_min"] == 0 and kalsu["killed_max"] == 8
    assert "no casualties" in kalsu["contradictions"]
    places = result.tables["places"]
    in_scope = set(places[places["in_scope"].fillna(False)]["canonical"])
    assert {"Kalsu military base", "Iskandariya", "Baghdad", "Iraq"} <= in_scope
    assert not {"Iran", "Israel", "Erbil", "Beirut"} & in_scope


INCIDENTS = Path(__file__).resolve().parent / "fixtures" / "incidents"


@pytest.fixture(scope="module")
def ukraine(tmp_path_factory):
    """Our own articles about two invented incidents in Ukraine (tests/fixtures/incidents): a wire story
    filed in Moscow, its reprint with a line added, a local story with no date, and two stories about a
    second city, one of them undated and naming no day."""
    tmp = tmp_path_factory.mktemp("ukraine")
    return run([INCIDENTS], tmp / "out", cache_dir=tmp / "cache", progress=False).tables


def test_one_event_per_incident_placed_where_it_happened_not_where_it_was_filed(ukraine):
    events = ukraine["events"].set_index("place")
    assert sorted(events.index) == ["Kharkiv", "Lviv"]  # never "Moscow", the dateline
    lviv, kharkiv = events.loc["Lviv"], events.loc["Kharkiv"]
    assert (lviv["date"], lviv["n_articles"]) == ("2024-03-11", 3)  # "Monday's strike", not the day Russia spoke
    assert set(lviv["articles"].split("; ")) == {"lviv_wire.txt", "lviv_copy.txt", "lviv_local.md"}
    assert (kharkiv["date"], kharkiv["n_articles"]) == ("2024-03-19", 2)  # "on Tuesday" in a story of Wednesday
    places = ukraine["places"]
    assert not places.loc[places["mention"] == "MOSCOW", "in_scope"].any()


def test_an_undated_article_joins_the_incident_of_its_place_and_weekday(ukraine):
    cas = ukraine["casualty_claims"]
    local = cas[cas["file"] == "lviv_local.md"].iloc[0]
    wire = cas[(cas["file"] == "lviv_wire.txt") & ~cas["background"]].iloc[0]
    assert local["event_id"] == wire["event_id"] == "2024-03-11-lviv"
    undated = cas[cas["file"] == "kharkiv_undated.txt"].iloc[0]  # no date, no day word: joined by its place
    assert undated["event_id"] == "2024-03-19-kharkiv"


def test_a_war_wide_toll_is_background_and_stays_out_of_the_incident(ukraine):
    cas = ukraine["casualty_claims"]
    war = cas[cas["count_min"] == 10001].iloc[0]  # "More than 10,000 civilians have been killed ... since February 2022"
    assert bool(war["background"]) and not war["event_id"]
    lviv = ukraine["events"].set_index("place").loc["Lviv"]
    assert (lviv["killed_min"], lviv["killed_max"], lviv["wounded_min"], lviv["wounded_max"]) == (5, 6, 12, 12)


def test_nobody_hurt_elsewhere_is_no_contradiction_and_no_zero(ukraine):
    kharkiv = ukraine["events"].set_index("place").loc["Kharkiv"]
    assert (kharkiv["wounded_min"], kharkiv["wounded_max"]) == (3, 3)
    assert pd.isna(kharkiv["killed_min"]) and not (isinstance(kharkiv["contradictions"], str) and kharkiv["contradictions"])


@pytest.mark.parametrize("text, published, expected", [
    ("Officials said on Thursday that twin blasts had killed 84 people the previous day.", "2024-01-05", ("2024-01-03", "text")),
    ("Wednesday's explosions struck a crowd, officials said on Thursday.", "2024-01-05", ("2024-01-03", "text")),
    ("Mourners gathered for the victims of the January 3 attack.", "2024-01-11", ("2024-01-03", "text")),
    ("Russia on Tuesday rejected accusations that it had attacked the hospital.", "2024-07-09", ("2024-07-09", "statement")),
    ("The talks went on.", "2024-07-09", ("2024-07-09", "published")),
    ("Monday's strike killed five.", "", ("", "text")),
    # the lede's scene sets the day ("From the Newspaper" is no lede: too short)
    ("From the Newspaper\nFriday's dawn in the hill village of Darband began like any other before the shelling started. "
     "Officials said on Sunday that three villagers had died.", "2024-05-12", ("2024-05-10", "text")),
    ("Officials said on Sunday that three villagers had died. Friday's dawn in the village began quietly, residents recalled.",
     "2024-05-12", ("2024-05-12", "statement")),
])
def test_the_incident_day_is_the_attack_s_not_the_statement_s(text, published, expected):
    from kit.articles.sentences import split_sentences
    from kit.incidents.when import event_day

    day = event_day(split_sentences(text), published)
    assert (day.date, day.kind) == expected


def test_every_place_within_60_km_is_in_a_cell_around_it():
    """The grid that keeps linking linear never hides a close place: random pairs worldwide,
    by the poles and across the antimeridian."""
    import math
    import random

    from kit.incidents.linking import _cell, _cells_around, haversine_km
    rng = random.Random(3)
    checked = 0
    for _ in range(20000):
        lat, lon = rng.uniform(-89.9, 89.9), rng.choice([rng.uniform(-180, 180), rng.uniform(179, 180)])
        distance, bearing = rng.uniform(0, 60) / 6371, rng.uniform(0, 2 * math.pi)
        la1, lo1 = math.radians(lat), math.radians(lon)
        la2 = math.asin(math.sin(la1) * math.cos(distance) + math.cos(la1) * math.sin(distance) * math.cos(bearing))
        lo2 = lo1 + math.atan2(math.sin(bearing) * math.sin(distance) * math.cos(la1),
                               math.cos(distance) - math.sin(la1) * math.sin(la2))
        other = (math.degrees(la2), (math.degrees(lo2) + 540) % 360 - 180)
        if haversine_km((lat, lon), other) <= 60:
            checked += 1
            assert _cell(*other) in _cells_around(lat, lon), (lat, lon, other)
    assert checked > 19000


def test_linking_asks_the_distance_of_a_few_incidents_not_of_all(monkeypatch):
    """A year of strikes in the same towns: each article is compared with the incidents of its
    own days nearby, so the work grows with the articles, not with articles times incidents
    (the rerun of 10,000 articles spent 19 s here before; BENCHMARKS.md)."""
    import random
    from datetime import date, timedelta

    from kit.incidents import linking
    rng = random.Random(1)
    towns = [(f"Town {i}", 33 + rng.random() * 3, 43 + rng.random() * 3) for i in range(20)]
    items = []
    for i in range(3000):
        name, lat, lon = rng.choice(towns)
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(365))
        kind = rng.choice(["text", "text", "published", None])
        items.append({"place": {"canonical": name, "lat": lat, "lon": lon, "precision_km": 5.0, "kind": "city"},
                      "date": day.isoformat() if kind else "", "date_kind": kind or "text",
                      "weekday": day.weekday(), "month_day": "", "actors": []})
    asked = []
    real = linking._close_to_cluster
    monkeypatch.setattr(linking, "_close_to_cluster", lambda *a: asked.append(1) or real(*a))
    clusters = linking._cluster(items)
    assert len(set(clusters)) > 1000
    assert len(asked) < 40 * len(items), len(asked)  # every incident at the place, any day: about 520 per article


@pytest.fixture(scope="module")
def cross_border(tmp_path_factory):
    """Our own articles about an invented exchange of fire across the Kyrgyz-Tajik border
    (tests/fixtures/cross_border): a wire story placing the shelling only "in Kyrgyzstan", one filed
    in the attacker's capital whose background names a region of the attacker's country, an undated
    story that names the capitals only as governments ("summoned Dushanbe's envoy", "Bishkek said")
    and the town hit only as "the town of Batken" on Thursday, an undated story of another day at the
    same town, and a strike on a Tajik town the same day."""
    tmp = tmp_path_factory.mktemp("cross_border")
    return run([INCIDENTS.parent / "cross_border"], tmp / "out", cache_dir=tmp / "cache", progress=False).tables


def test_a_cross_border_strike_is_one_incident_where_it_landed_not_at_the_capitals(cross_border):
    events = cross_border["events"]
    by_files = {frozenset(e.articles.split("; ")): e for e in events.itertuples()}
    shelling = by_files[frozenset({"kg_wire.txt", "kg_from_dushanbe.txt", "kg_undated.txt"})]
    assert (shelling.place, shelling.date) == ("Batken", "2024-05-09")
    assert frozenset({"kg_other_day.txt"}) in by_files  # "on Monday": not the Thursday shelling
    assert frozenset({"tj_market.txt"}) in by_files
    assert len(events) == 3
    assert not {"Bishkek", "Dushanbe", "Tajikistan"} & set(events["place"])


def test_an_undated_town_joins_a_country_wide_incident_only_on_the_day_it_names():
    from kit.incidents.linking import _cluster

    def item(kind, canonical, country, lat, lon, date="", **link):
        place = {"canonical": canonical, "lat": lat, "lon": lon, "precision_km": 300.0 if kind == "country" else 5.0,
                 "kind": kind, "country": country}
        return {"place": place, "date": date, "date_kind": "text", "weekday": -1, "month_day": "", "actors": [], **link}

    country = item("country", "Kyrgyzstan", "KG", 41.5, 75.0, "2024-05-09")  # a Thursday
    thursday = item("city", "Batken", "KG", 40.06, 70.82, weekday=3)
    monday = item("city", "Batken", "KG", 40.06, 70.82, weekday=0)
    no_day = item("city", "Osh", "KG", 40.53, 72.8)
    elsewhere = item("city", "Kulob", "TJ", 37.91, 69.78, weekday=3)
    clusters = _cluster([country, thursday, monday, no_day, elsewhere])
    assert clusters[1] == clusters[0]
    assert len({clusters[0], clusters[2], clusters[3], clusters[4]}) == 4


def casualties_of_one_article(tmp_path, published: str, text: str) -> pd.DataFrame:
    """The casualty claims of one article of our own, run through the whole pipeline."""
    arts = tmp_path / "articles"
    arts.mkdir()
    write(arts, "a.txt", published, text)
    return run([arts], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False).tables["casualty_claims"]


def test_a_country_that_owns_something_is_no_other_incident(tmp_path):
    """"a commander in Iran's Revolutionary Guards" names an organisation, not a place of another
    country: the claims after it stay with the incident (unlike "in Pakistan's south")."""
    cas = casualties_of_one_article(tmp_path, "2024-05-02",
                                    "An air strike destroyed a villa in Homs on Thursday, a war monitor said.\n"
                                    "A security source said the dead included a senior commander in Iran's Revolutionary Guards.\n"
                                    "Six guards were killed in the strike, state television reported.")
    six = cas[cas["count_min"] == 6].iloc[0]
    assert not six["background"] and six["event_id"] == "2024-05-02-homs"


def test_a_claim_about_the_strike_before_joins_that_incident(tmp_path):
    """Our own two articles (tests/fixtures/exchange): Hezbollah rockets on Kiryat Shmona, then an
    Israeli strike on Tyre two days later whose story recalls the rockets. The recalled claims go to
    the rockets' incident and count in its figures; a war-wide line by the strike's own attacker stays
    background."""
    tables = run([INCIDENTS.parent / "exchange"], tmp_path / "out", cache_dir=tmp_path / "cache", progress=False).tables
    cas, att = tables["casualty_claims"], tables["attribution_claims"]
    recalled = cas[(cas["file"] == "lb_strike.txt") & (cas["outcome"] == "wounded")].iloc[0]
    assert (recalled["event_id"], bool(recalled["background"])) == ("2024-07-10-kiryat-shmona", False)
    blamed = att[(att["file"] == "lb_strike.txt") & (att["actor"] == "Hezbollah")].iloc[0]
    assert blamed["event_id"] == "2024-07-10-kiryat-shmona"
    war = cas[cas["sentence"].str.startswith("Israel has struck southern Lebanon")].iloc[0]
    assert bool(war["background"]) and not war["event_id"]
    rockets = tables["events"].set_index("event_id").loc["2024-07-10-kiryat-shmona"]
    assert rockets["n_casualty_claims"] == 2 and rockets["n_articles"] == 1


def test_the_scene_named_again_ends_a_background_passage(tmp_path):
    cas = casualties_of_one_article(tmp_path, "2024-05-06",
                                    "A drone strike hit a clinic in Homs on Monday, killing four people, a war monitor said.\n"
                                    "It comes a day after a bombing in Beirut killed nine.\n"
                                    "Three paramedics were wounded at the scene, the civil defence said.\n"
                                    "The army would not comment on the incident.")
    by_count = cas.set_index("count_min")
    assert bool(by_count.loc[9, "background"]) and not bool(by_count.loc[3, "background"])
    assert by_count.loc[3, "event_id"] == by_count.loc[4, "event_id"] == "2024-05-06-homs"

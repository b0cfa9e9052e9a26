"""Incident dates, background claims and linking the same incident across articles."""
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

"""Place mentions on small texts written for these tests (other outlets' styles, not the seeds)."""
import time

import pytest

from kit.articles.reading import Article
from kit.pipeline.extract import default_resources
from kit.places.mentions import find_places

ROW_KEYS = {"article_id", "mention", "start", "end", "canonical", "kind", "country", "lat", "lon", "precision_km",
            "geocoder", "status", "source", "sentence", "sentence_index", "locative", "in_scope"}


@pytest.fixture(scope="module")
def resources():
    lex, gaz = default_resources()
    return gaz, lex


def rows(text, resources):
    article = Article("t1", "t.txt", None, text, "")
    found = [p.as_row() for p in find_places(article, *resources)]
    for row in found:
        assert set(row) == ROW_KEYS
        assert text[row["start"]:row["end"]] == row["mention"]
        sentence = article.sentences[row["sentence_index"]]
        assert row["sentence"] == sentence.text and sentence.start <= row["start"] < sentence.end
    return found


def short(text, resources):
    return [(r["mention"], r["canonical"], r["kind"], r["country"]) for r in rows(text, resources)]


def test_multi_word_names_and_a_dateline(resources):
    text = ("ERBIL, Kurdistan Region - Rockets hit Baghdad International Airport and the Green Zone, "
            "police in Babylon Governorate said.")
    assert short(text, resources) == [
        ("ERBIL", "Erbil", "city", "IQ"), ("Kurdistan Region", "Kurdistan Region", "region", "IQ"),
        ("Baghdad International Airport", "Baghdad International Airport", "airport", "IQ"),
        ("Green Zone", "Green Zone", "neighbourhood", "IQ"),
        ("Babylon Governorate", "Babil Governorate", "governorate", "IQ")]
    assert [r["locative"] for r in rows(text, resources)] == [True, True, True, True, True]


def test_spelling_variants_and_arabic_articles(resources):
    text = "Blasts shook the Kalso military base in Babil, then al-Qaim and Al Qa'im and Qaim on the border."
    found = short(text, resources)
    assert found[0] == ("Kalso military base", "Kalsu military base", "base", "IQ")
    assert found[1] == ("Babil", "Babil Governorate", "governorate", "IQ")
    assert [f[0] for f in found[2:]] == ["al-Qaim", "Al Qa'im", "Qaim"]
    assert {f[1] for f in found[2:]} == {"Al-Qaim"}


def test_a_new_misspelling_of_a_base_is_matched_only_among_bases(resources):
    assert short("A drone hit the Kalsou military base.", resources) == [
        ("Kalsou military base", "Kalsu military base", "base", "IQ")]
    # one letter from the town of Khalis is not enough: a misspelt base never becomes a town
    found = rows("A drone hit the Kalis military base overnight.", resources)
    assert [(r["mention"], r["canonical"], r["kind"], r["status"], r["geocoder"]) for r in found] == [
        ("Kalis military base", "", "base", "no_match", "unresolved")]
    assert found[0]["lat"] is None


def test_demonyms_and_actors_are_not_places(resources):
    text = ("The Iraqi military said U.S. forces and Iranian-backed militias clashed. US officials in "
            "Washington declined to comment, and a U.S. airstrike was reported.")
    assert short(text, resources) == []


def test_places_inside_organisation_names_are_not_mentions(resources):
    text = ("The Times of Israel reported that the Islamic Resistance in Iraq claimed the attack; officials of "
            "the Islamic Republic of Iran and the Baghdad Post denied it, as did University of Mosul staff.")
    assert short(text, resources) == []


def test_a_state_that_only_acts_is_not_put_on_the_map(resources):
    assert short("Hamas blamed Israel for the attack. Israel did not comment.", resources) == []
    found = rows("Iran fired missiles at Israel. Israel said it would respond.", resources)
    assert [(r["mention"], r["locative"]) for r in found] == [("Israel", True), ("Israel", False)]


def test_a_capital_used_for_its_government_is_not_a_place(resources):
    assert short("Jordanian officials raised the issue with Damascus.", resources) == []
    found = rows("Talks were held in Damascus. Damascus denied it.", resources)
    assert [(r["mention"], r["locative"]) for r in found] == [("Damascus", True), ("Damascus", False)]


@pytest.mark.parametrize("capital", ["Islamabad", "Moscow", "Nairobi", "Caracas"])
def test_every_country_capital_is_also_its_government(resources, capital):
    """The capitals come from GeoNames, not from a list of one region's: "talks with Nairobi"."""
    assert short(f"Officials raised the issue with {capital}.", resources) == []
    assert short(f"{capital} denied any role and summoned the envoy.", resources) == []
    assert [f[0] for f in short(f"A drone hit a depot in {capital} on Monday.", resources)] == [capital]


def test_a_seat_of_government_that_is_not_the_capital_is_read_like_one(resources):
    assert short("Tel Aviv denied any role in the attack.", resources) == []


def test_article_spellings_are_one_name_and_a_camp_is_located_by_its_town(resources):
    found = short("Blasts hit Ar-Ramadi and al-Ramadi; the al-Hol camp in Hasakah was calm.", resources)
    assert found[:2] == [("Ar-Ramadi", "Ramadi", "city", "IQ"), ("al-Ramadi", "Ramadi", "city", "IQ")]
    assert found[2][0] == "al-Hol camp" and found[2][2:] == ("other", "SY")
    assert short("The Islamic State of Iraq and the Levant claimed it.", resources) == []


def test_hyphenated_modifiers_are_not_places_but_two_places_are(resources):
    assert short("Iran-backed and pro-Tehran groups joined the Israel-Hamas war.", resources) == []
    assert [f[0] for f in short("Trucks crossed the Iraq-Syria border.", resources)] == ["Iraq", "Syria"]


def test_common_words_are_never_places(resources):
    text = "The blast hit a base near the town. Hit by drones, the base burned. Said one guard: no."
    assert short(text, resources) == []
    assert short("Clashes were reported in Hit, a town in Anbar province.", resources) == [
        ("Hit", "Hit", "city", "IQ"), ("Anbar province", "Anbar Governorate", "governorate", "IQ")]


def test_iskandariya_is_the_iraqi_town_not_alexandria(resources):
    found = rows("A blast near Iskandariya wounded eight.", resources)
    assert (found[0]["canonical"], found[0]["country"]) == ("Iskandariya", "IQ")
    assert abs(found[0]["lat"] - 32.89) < 0.05 and abs(found[0]["lon"] - 44.35) < 0.05
    egypt = rows("Police in Alexandria arrested two men.", resources)
    assert egypt[0]["country"] == "EG"


def test_possessive_is_not_part_of_the_name_and_direction_words_locate_better(resources):
    # a direction word that makes a region the gazetteer knows is part of the mention (the gold's "southern Lebanon")
    found = rows("Iraq’s prime minister condemned strikes in northern Iraq.", resources)
    assert [(r["mention"], r["canonical"], r["locative"]) for r in found] == [
        ("Iraq", "Iraq", False), ("northern Iraq", "northern Iraq", True)]
    assert found[1]["precision_km"] < found[0]["precision_km"]


def test_personal_names_are_not_places(resources):
    assert short("Muqtada al-Sadr urged calm as King Salman arrived in Amman.", resources) == [
        ("Amman", "Amman", "city", "JO")]


def test_headline_style_text(resources):
    assert short("Drone Strike Hits Base Near Erbil", resources) == [("Erbil", "Erbil", "city", "IQ")]


def test_a_kind_word_picks_the_entry_of_that_kind(resources):
    found = short("Smoke rose over Erbil airport and Baghdad province.", resources)
    assert found == [("Erbil airport", "Erbil International Airport", "airport", "IQ"),
                     ("Baghdad province", "Baghdad Governorate", "governorate", "IQ")]


def test_country_mention_is_a_centroid_with_its_precision(resources):
    found = rows("Attacks continued in Syria and Jordan.", resources)
    assert [r["mention"] for r in found] == ["Syria", "Jordan"]
    assert all(r["kind"] == "country" and r["precision_km"] >= 100 for r in found)
    assert all(r["geocoder"] == "gazetteer" and r["status"] == "found" and r["source"] for r in found)


def test_every_occurrence_is_a_row_with_exact_offsets(resources):
    text = "Baghdad.\nIn Baghdad, a blast. BAGHDAD - more."
    found = rows(text, resources)
    assert [(r["start"], r["end"]) for r in found] == [(0, 7), (12, 19), (30, 37)]
    assert [r["sentence_index"] for r in found] == [0, 1, 2]
    assert all(r["in_scope"] is False for r in found)


def test_fast_enough_for_the_benchmark(resources):
    text = open(__file__.replace("test_places.py", "../seeds/001_28f24e7b6c72786c.txt"), encoding="utf-8").read()
    articles = [Article(f"a{i}", "a.txt", None, text + f"\nNote {i}.", "") for i in range(30)]
    for article in articles:
        article.sentences  # sentence splitting is not place finding
    find_places(articles[0], *resources)
    began = time.process_time()
    for article in articles:
        find_places(article, *resources)
    per_article = (time.process_time() - began) / len(articles)
    assert per_article < 0.003, f"{per_article * 1000:.2f} ms per article"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_names_with_an_apostrophe_are_found_with_either_apostrophe(resources, apostrophe):
    text = f"A drone struck near Al-Qa{apostrophe}im, and strikes hit Ma{apostrophe}rib on Sunday."
    assert [(m, c) for m, c, _, _ in short(text, resources)] == [
        (f"Al-Qa{apostrophe}im", "Al-Qaim"), (f"Ma{apostrophe}rib", "Marib")]


def test_a_multiplication_sign_before_an_apostrophe_does_not_crash(resources):
    assert [m for m, *_ in short("Rockets hit the \u00d7's Kalso military base.", resources)] == ["Kalso military base"]

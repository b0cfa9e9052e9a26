"""Counts of independent sources (issue 16): the spread, the matrix, the blame summary and the
hypotheses count a wire story and its reprints once, and the sources lists show reprints under
their original.

tests/fixtures/copies: one AP text about a strike in Baghdad (ap.md) in two other outlets' dress
(daily.md: headline, intro and credit changed, a paragraph cut, one added; gazette.md: lightly
edited, "with inputs from AP") and one independent report of the same strike (rudaw.md).
"""
import shutil

import pandas as pd
import pytest

import kit
from kit.paths import NOTEBOOKS
from kit.present import compare, matrix, show, views
from repo import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "copies"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("copies")
    return kit.run([FIXTURES], root / "out", cache_dir=root / "cache", progress=False).tables


@pytest.fixture(scope="module")
def event(tables):
    [event_id] = tables["events"]["event_id"].tolist()
    return event_id


def _ids(tables):
    return tables["articles"].set_index("file")["article_id"]


def test_the_fixture_is_one_agency_report_in_three_dresses_and_one_independent_report(tables, event):
    articles, ids = tables["articles"].set_index("file"), _ids(tables)
    assert articles.loc[["daily.md", "gazette.md"], "copy_of"].tolist() == [ids["ap.md"]] * 2
    assert articles.loc[["ap.md", "rudaw.md"], "copy_of"].isna().all()
    assert "baghdad" in event and tables["events"].loc[0, "n_sources"] == 2
    for name in ("casualty_claims", "attribution_claims"):
        assert set(tables[name]["event_id"]) == {event}, name


def test_the_spread_counts_the_copy_group_once_and_the_independent_report_apart(tables, event):
    spread = compare.casualty_spread(tables["casualty_claims"], tables["articles"], tables["events"]).set_index("event_id")
    row = spread.loc[event]
    # AP 4 killed, 6 wounded; Gazette the same two sentences; Rudaw 7 killed, 2 of them guards
    assert (row["n_claims"], row["n_articles"], row["n_sources"]) == (6, 3, 2)
    assert row["killed_range"] == "2\u20137" and row["wounded_range"] == "6"
    assert row["wounded_lowest_by"] == row["wounded_highest_by"] == "AP: Staff at a nearby hospital (+1 copy: Gazette Example)"
    assert row["killed_highest_by"] == "Rudaw: A doctor at the district clinic"


def test_old_tables_without_source_groups_count_articles():
    claims = pd.DataFrame({"claim_id": ["a", "b"], "article_id": ["x", "y"], "event_id": ["e", "e"], "background": [False] * 2,
                           "outcome": ["killed", "killed"], "count_min": [2, 2], "count_max": [2, 2],
                           "speaker": ["police"] * 2, "sentence": ["s", "s"]})
    assert compare.casualty_spread(claims, None, None).loc[0, "n_sources"] == 2


def test_a_contradiction_names_a_reprinted_claim_once():
    articles = pd.DataFrame({"article_id": ["ap", "daily", "rudaw"], "file": ["ap.md", "daily.md", "rudaw.md"],
                             "outlet": ["AP", "Daily", "Rudaw"], "published": ["2024-03-10", "2024-03-11", "2024-03-10"]})
    claims = pd.DataFrame({"claim_id": ["1", "2", "3"], "article_id": ["ap", "daily", "rudaw"], "event_id": ["e"] * 3,
                           "background": [False] * 3, "outcome": ["no_casualties", "no_casualties", "killed"],
                           "count_min": [None, None, 3], "count_max": [None, None, 3], "speaker": ["the army", "the army", "a doctor"],
                           "sentence": ["Nobody was hurt, the army said."] * 2 + ["Three died, a doctor said."],
                           "source_group": ["ap", "ap", "rudaw"]})
    [text] = compare.find_contradictions(claims, articles)["text"].tolist()
    assert text == "'no casualties' (AP: the army (+1 copy: Daily)) against 3 killed (Rudaw: a doctor)"
    assert compare.casualty_spread(claims, articles, None).loc[0, "n_sources"] == 2


def test_the_matrix_counts_independent_sources_and_names_reprints_under_the_original(tables, event):
    cells = compare.attribution_cells(tables["attribution_claims"], tables["articles"], event).set_index("speaker")
    blamed = cells.loc["Kataib Hezbollah"]  # AP's sentence in AP, Daily and Gazette; Rudaw's own
    assert (blamed["stance"], blamed["n"], blamed["n_sources"]) == ("accuses", 4, 2)
    assert [(q[1], q[5]) for q in blamed["quotes"]] == [
        ("AP", (("Daily Example", "2024-03-10"), ("Gazette Example", "2024-03-11"))), ("Rudaw", ())]
    denial = cells.loc["A Pentagon spokesman"]  # cut from gazette.md
    assert (denial["stance"], denial["n"], denial["n_sources"]) == ("denies", 2, 1)
    page = matrix.attribution_table(cells.reset_index(), "Baghdad").data
    assert ">accuses \u00d72 sources</td>" in page and ">denies</td>" in page
    assert "4 sentences from 2 independent sources" in page
    assert "reprinted by Daily Example, 2024-03-10; Gazette Example, 2024-03-11" in page
    assert page.count("Kataib Hezbollah blamed the United States") == 1  # the reprints are named, not repeated


def test_blame_counts_independent_sources_per_stance(tables, event):
    blame = compare.blame_summary(tables["attribution_claims"], tables["articles"]).set_index("actor")
    us = blame.loc["United States"]
    assert (us["claims_total"], us["sources_total"]) == (6, 2)
    assert (us["accuses"], us["accuses_sources"], us["denies"], us["denies_sources"]) == (4, 2, 2, 1)
    assert us["accuses_by"] == "Kataib Hezbollah (AP +2 copies, Rudaw)"
    assert us["denies_by"] == "A Pentagon spokesman (AP +1 copy)"
    cells = compare.attribution_cells(tables["attribution_claims"], tables["articles"])
    assert views.blame_lines(cells) == {event: "United States: accused by 2, denied by 1"}


def test_a_reprinted_claim_is_one_piece_of_evidence(tables, event):
    ratings, evidence = compare.ach_matrix(tables["attribution_claims"], tables["articles"], event)
    assert len(evidence) == len(ratings) - 1 == 3  # six sentences: AP's accusation and denial, Rudaw's accusation
    assert evidence["outlet"].tolist() == ["AP", "AP", "Rudaw"]
    assert evidence["copies"].tolist() == ["Daily Example; Gazette Example", "Daily Example", ""]
    assert evidence["sentences"].tolist() == [3, 2, 1]
    assert ratings.loc["inconsistency"].tolist() == [1, 0]  # one denial against the United States, not two


def test_the_sources_list_shows_reprints_under_their_original(tables):
    listed = views.sources(tables["articles"])
    assert listed["outlet"].tolist() == ["AP", "\u21b3 Daily Example", "\u21b3 Gazette Example", "Rudaw"]
    shares = tables["articles"].set_index("file")["copy_share"]
    assert listed["source"].tolist() == [
        "original report; reprinted by Daily Example, Gazette Example",
        f"reprints AP's report, {round(100 * shares['daily.md'])}% of its sentences shared",
        f"reprints AP's report, {round(100 * shares['gazette.md'])}% of its sentences shared", ""]
    page = show.table(listed, ["date", "outlet", "source", "title"]).data
    assert page.index(">AP<") < page.index("\u21b3 Daily Example") < page.index("\u21b3 Gazette Example") < page.index(">Rudaw<")


def test_the_sources_phase_times_the_grouping(tmp_path):
    from kit.bench.phases import phase_sources
    from kit.bench.runner import TARGETS, sources_share
    from kit.bench.synthetic import make_corpus

    make_corpus(30, tmp_path / "corpus")
    answer = phase_sources(str(tmp_path / "corpus"), rounds=1)
    assert answer["articles"] == 30 and answer["find_copies_s"] > 0 and len(answer["rounds_s"]) == 1
    assert answer["events_from"] == "the synthetic manifest's incident numbers"
    assert sources_share({"cold": {"seconds": 479.0}, "sources": {"add_sources_s": 4.79}}) == 1.0
    assert TARGETS["sources_share"][3](9.9) and not TARGETS["sources_share"][3](10)


@pytest.mark.slow
def test_the_report_lists_the_reprints_under_the_original(tmp_path):
    from kit.present.report import build_report

    books = tmp_path / "notebooks"
    books.mkdir()
    for name in ("01-articles.ipynb", "06-report.ipynb"):
        shutil.copy(NOTEBOOKS / name, books / name)
    result = build_report([FIXTURES], tmp_path / "out", progress=False, cache_dir=tmp_path / "cache", folder=books)
    assert not result.failures, result.failures
    for page in (result.report_path, result.pages["01-articles"]):
        text = page.read_text(encoding="utf-8")
        text = text[text.index(">Sources<") if page == result.report_path else 0:]
        ap, daily, gazette, rudaw = (text.index(s) for s in (">AP<", "\u21b3 Daily Example", "\u21b3 Gazette Example", ">Rudaw<"))
        assert ap < daily < gazette < rudaw, page.name
        assert "reprints AP&#x27;s report" in text or "reprints AP's report" in text, page.name


def test_the_casualty_chart_draws_a_reprinted_claim_on_its_original_row(tables, event):
    from kit.present import charts

    claims = views.casualty_claims(tables["casualty_claims"], tables["articles"])
    fig = charts.casualty_ranges(claims[claims["event_id"] == event], "Baghdad")
    rows = set(fig.layout.yaxis.categoryarray)  # three rows, not five
    assert rows == {"Rudaw: A doctor at the district clinic", "AP: Staff at a nearby hospital (+1 copy: Gazette Example)",
                    "AP: two police officials (+1 copy: Gazette Example)"}

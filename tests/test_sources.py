"""Independent sources (issue 16): copies of one agency text grouped, independent reports kept apart, grades."""
import pandas as pd
import pytest

import kit
from kit.lexicons import load_lexicons
from kit.sources.copies import Source, credited, find_copies
from kit.sources.grades import grade_of
from repo import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "sources"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    result = kit.run([FIXTURES], root / "out", cache_dir=root / "cache", progress=False)
    return result.tables


def test_copies_in_other_outlets_dress_are_grouped_under_the_agency_text(tables):
    articles = tables["articles"].set_index("file")
    ap = articles.loc["ap.md", "article_id"]
    # daily.md: headline, intro and credit changed, a paragraph cut, one added; gazette.md: lightly edited
    assert articles.loc["daily.md", "copy_of"] == ap and articles.loc["gazette.md", "copy_of"] == ap
    assert pd.isna(articles.loc["ap.md", "copy_of"])
    assert set(articles.loc[["ap.md", "daily.md", "gazette.md"], "source_group"]) == {ap}
    assert articles.loc["daily.md", "copy_share"] == pytest.approx(0.6)


def test_an_independent_report_is_never_in_a_copy_group(tables):
    articles = tables["articles"].set_index("file")
    independent = articles.loc["independent.md"]
    assert pd.isna(independent["copy_of"]) and pd.isna(independent["copy_share"])
    assert independent["source_group"] == independent["article_id"]
    claims = tables["casualty_claims"]
    own = claims[claims["file"] == "independent.md"]
    assert len(own) and set(own["source_group"]) == {independent["article_id"]}
    # the copied sentence in gazette.md stems from the agency's report
    copied = claims[(claims["file"] == "gazette.md") & (claims["count_min"] == 3)]
    assert set(copied["source_group"]) == {articles.loc["ap.md", "article_id"]}


def test_the_incident_counts_independent_sources_not_outlets(tables):
    events = tables["events"].set_index("event_id")
    baghdad = events.loc[[e for e in events.index if "baghdad" in e][0]]
    assert baghdad["n_articles"] == 3 and baghdad["n_sources"] == 2
    assert baghdad["sources"] == "AP; Rudaw"
    assert baghdad["grade"] == "contested" and "3 against 5" in baghdad["grade_reason"]


def test_a_new_agency_credit_row_takes_effect(tmp_path):
    text = "A strike hit the base. Courtesy of Reuters"
    assert credited(text, load_lexicons()) == []
    (tmp_path / "agency_credits.csv").write_text("pattern,note\ncourtesy of AGENCY,test row\n", encoding="utf-8")
    assert credited(text, load_lexicons(extra=tmp_path)) == ["Reuters"]


def test_the_same_agency_credit_on_one_incident_is_one_source():
    a = Source("a", "One", "2024-02-04", "BAGHDAD (AP) - Officials said the strike destroyed a depot near the river.", event_id="e1")
    b = Source("b", "Two", "2024-02-05", "Witnesses said smoke rose for hours over the southern districts of town. - AP", event_id="e1")
    c = Source("c", "Three", "2024-02-05", "Witnesses said smoke rose for hours. - AP", event_id="e2")
    found = find_copies([a, b, c])
    assert found.group == ["a", "a", "c"] and found.names["a"] == "AP"


def _claim(group, outcome="killed", low=3, high=3):
    return {"group": group, "outcome": outcome, "count_min": low, "count_max": high}


def _stance(group, actor, stance):
    return {"group": group, "actor": actor, "stance": stance}


def test_grades_for_each_situation():
    one = {"AP": None}
    two = {"AP": None, "Rudaw": None}
    assert grade_of(one, [_claim("AP")], [])[0] == "single_source"
    assert grade_of(two, [_claim("AP"), _claim("Rudaw", low=3, high=None)], [])[0] == "corroborated"
    grade, reason = grade_of(two, [_claim("AP"), _claim("Rudaw", low=5, high=5)], [])
    assert grade == "contested" and "killed figures disagree: 3 against 5" in reason
    grade, reason = grade_of(two, [], [_stance("AP", "Hezbollah", "accuses"), _stance("Rudaw", "Hezbollah", "denies")])
    assert grade == "contested" and "Hezbollah is blamed by one source and denied by another" in reason
    grade, reason = grade_of(one, [_claim("AP")], [_stance("AP", "United States", "claims")])
    assert grade == "claimed" and "United States says it did it" in reason
    # copies agreeing with their original are one source: figures of one group never contest
    assert grade_of(one, [_claim("AP"), _claim("AP", low=5, high=5)], [])[0] == "single_source"


def test_the_report_overview_shows_independent_sources_and_the_grade(tables):
    from kit.present import views

    overview = views.incidents(tables).set_index("event_id")
    baghdad = overview.loc[[e for e in overview.index if "baghdad" in e][0]]
    assert baghdad["independent sources"] == "3 articles, 2 independent sources: AP; Rudaw"
    assert baghdad["grade"].startswith("contested: 2 independent sources (AP; Rudaw)")


def test_a_force_and_its_state_blamed_are_one_side_and_a_denied_claim_is_contested():
    from kit.claims.actors import same_side
    from kit.lexicons import load_lexicons
    lex = load_lexicons()
    side = lambda actor, others: same_side(actor, others, lex)  # noqa: E731
    two = {"AP": None, "Rudaw": None}
    grade, reason = grade_of(two, [], [_stance("AP", "Islamic Revolutionary Guard Corps", "accuses"),
                                       _stance("Rudaw", "Iran", "accuses")], side)
    assert grade == "corroborated", reason
    grade, reason = grade_of(two, [], [_stance("AP", "Israel", "accuses"), _stance("Rudaw", "Hezbollah", "accuses")], side)
    assert grade == "contested" and "different actors blamed" in reason
    grade, reason = grade_of(two, [], [_stance("AP", "Hezbollah", "claims"), _stance("Rudaw", "Hezbollah", "denies")])
    assert grade == "contested" and "Hezbollah is said to claim it and to deny it" in reason

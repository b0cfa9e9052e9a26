"""Casualty comparison, attribution matrix and ACH: numbers against the gold, escaping, empty tables."""
from __future__ import annotations

import json

import nbformat
import pandas as pd
import plotly.io as pio
import pytest

from kit.present import charts, compare, matrix, offline, pages, views
from kit.schema import empty_frame

from gold_frames import SCRIPT, gold_tables, hostile

KALSU, BAGHDAD = "kalsu-2024-04-20", "baghdad-2024-01-04"


@pytest.fixture(scope="module")
def gold():
    return gold_tables()


@pytest.fixture(scope="module")
def evil():
    return hostile(gold_tables())


def test_spread_matches_the_gold(gold):
    spread = compare.casualty_spread(gold["casualty_claims"], gold["articles"], gold["events"]).set_index("event_id")
    assert spread.loc[KALSU, ["killed_range", "wounded_range"]].tolist() == ["0\u20138", "0\u20138"]
    assert spread.loc[BAGHDAD, ["killed_range", "wounded_range"]].tolist() == ["1\u20134", "6"]
    assert spread.loc[KALSU, "killed_highest_by"] == "RedState: one video (via social media)"
    assert spread.loc[KALSU, "wounded_no_number"] == 2  # "injuries", "countless"
    assert spread["contradiction"].tolist() == [False, True]  # date order: Baghdad, then Kalsu


def test_contradiction_is_no_casualties_against_a_death(gold):
    found = compare.find_contradictions(gold["casualty_claims"], gold["articles"])
    assert found["event_id"].tolist() == [KALSU]
    assert found.loc[0, "text"].startswith("'no casualties' (RedState: two PMF sources (via Reuters)) against 1 killed")


@pytest.mark.parametrize("low,high,open_top,text", [(1, 8, False, "1\u20138"), (3, 3, False, "3"), (3, 3, True, "3+"),
                                                     (pd.NA, pd.NA, False, ""), (0, 4, True, "0\u20134+")])
def test_fmt_range(low, high, open_top, text):
    assert compare.fmt_range(low, high, open_top) == text


def test_open_ended_claim_sets_an_open_top():
    claims = pd.DataFrame({"claim_id": ["a", "b"], "article_id": ["x", "x"], "event_id": ["e", "e"], "background": [False] * 2,
                           "outcome": ["killed", "killed"], "count_min": [2, 5], "count_max": [2, None],
                           "speaker": ["A", "B"], "sentence": ["s", "t"]})
    spread = compare.casualty_spread(claims, None, None)
    assert spread.loc[0, "killed_range"] == "2\u20135+"


def test_attribution_cells_and_mixed_stance(gold):
    cells = compare.attribution_cells(gold["attribution_claims"], gold["articles"], KALSU)
    centcom = cells[cells["speaker"] == "CENTCOM"].iloc[0]
    assert (centcom["actor"], centcom["stance"], centcom["n"]) == ("United States", "denies", 2)
    att = pd.DataFrame({"claim_id": ["1", "2"], "article_id": ["x", "x"], "event_id": ["e", "e"], "background": [False] * 2,
                        "actor": ["Israel"] * 2, "stance": ["accuses", "denies"], "speaker": ["Hamas"] * 2, "sentence": ["s", "t"]})
    assert compare.attribution_cells(att, None).loc[0, "stance"] == "mixed"


def test_blame_summary_counts_stances_across_incidents(gold):
    blame = compare.blame_summary(gold["attribution_claims"], gold["articles"]).set_index("actor")
    us = blame.loc["United States"]
    assert (us["incidents"], us["claims"], us["accuses"], us["suspects"], us["denies"]) == (2, 3, 4, 1, 5)
    assert "CENTCOM" in us["denies_by"]


def test_ach_rates_each_claim_against_each_candidate(gold):
    ratings, evidence = compare.ach_matrix(gold["attribution_claims"], gold["articles"], KALSU)
    assert list(ratings.columns) == ["United States", "Israel", compare.SOMEONE_ELSE]
    assert ratings.loc["inconsistency"].tolist() == [5, 2, 0]
    assert len(evidence) == len(ratings) - 1 == 12
    denial = evidence.index[evidence["stance"] == "denies"][0]
    assert ratings.iloc[denial].tolist()[:2] in (["I", "N"], ["N", "I"])
    assert not evidence.loc[evidence["stance"] == "unattributed", "diagnostic"].any()
    ratings, _ = compare.ach_matrix(gold["attribution_claims"], gold["articles"], BAGHDAD)
    assert ratings.loc["E1", "US-led coalition"] == "I"  # a claim by the US is inconsistent with anyone else


def test_every_chart_draws_something_from_empty_tables():
    cas = compare.incident_claims(empty_frame("casualty_claims"), empty_frame("articles"))
    figures = [charts.casualty_ranges(cas, "x"), charts.toll_over_time(cas, empty_frame("events")),
               charts.blame_chart(compare.blame_summary(None, None)),
               charts.ach_chart(*compare.ach_matrix(None, None, "x"), "x")]
    for fig in figures:
        assert fig.layout.annotations and "yet" in fig.layout.annotations[0].text
    assert "yet" in matrix.attribution_table(compare.attribution_cells(None, None), "x").data
    assert compare.casualty_spread(None, None, None).empty
    assert views.incidents({}).empty and views.top_incidents({}, 5).empty


def _all_figures(tables):
    claims = compare.incident_claims(tables["casualty_claims"], tables["articles"])
    figs = [charts.toll_over_time(claims, tables["events"]),
            charts.blame_chart(compare.blame_summary(tables["attribution_claims"], tables["articles"]))]
    for event in compare.event_order(tables["events"]).itertuples():
        figs.append(charts.casualty_ranges(claims[claims["event_id"] == event.event_id], event.label))
        figs.append(charts.ach_chart(*compare.ach_matrix(tables["attribution_claims"], tables["articles"], event.event_id),
                                     event.label))
    return figs


def test_text_from_articles_is_escaped_in_every_chart(evil):
    figs = _all_figures(evil)
    assert len(figs) == 2 + 2 * 4
    for fig in figs:
        text = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
        assert "<script" not in text
    hostile_event = "hostile-2024-02-02"
    cells = compare.attribution_cells(evil["attribution_claims"], evil["articles"], hostile_event)
    table = matrix.attribution_table(cells, "t").data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table and "<script" not in table  # shown as text, not dropped


def test_charts_in_a_report_page_load_nothing_from_the_network(evil, tmp_path):
    pio.renderers.default = "plotly_mimetype+notebook"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Charts"), nbformat.v4.new_code_cell("")]
    figs = _all_figures(evil)[:3]
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={offline.PLOTLY_MIMETYPE: json.loads(f.to_json()),
                                                                        "text/html": "<div>fallback</div>"}) for f in figs]
    page = pages.export(nb, tmp_path / "charts.html", "", "footer").read_text(encoding="utf-8")
    assert offline.remote_references(page) == []
    assert page.count('class="kit-plotly-target"') == 3
    assert "cdn.plot.ly" not in page and "mathjax/" not in page.lower()
    assert SCRIPT not in page
    assert page.count('<script type="application/vnd.plotly.v1+json">') == 3


def test_remote_references_finds_cdn_tags_also_inside_srcdoc():
    page = ('<iframe srcdoc="&lt;script src=&quot;https://cdn.jsdelivr.net/npm/leaflet.js&quot;&gt;&lt;/script&gt;"></iframe>'
            '<link rel="stylesheet" href="//cdn.example.org/x.css"><style>@import "https://fonts.example.org/f.css";</style>'
            '<a href="https://example.org/story">story</a><img src="data:image/png;base64,AAAA">')
    found = offline.remote_references(page)
    assert found == ["//cdn.example.org/x.css", "https://fonts.example.org/f.css", "https://cdn.jsdelivr.net/npm/leaflet.js"]
    with pytest.raises(Exception, match="network"):
        offline.assert_offline(page, "x.html")


def _claims(rows):
    """Casualty claims of one incident "e" (outcome, low, high, speaker, sentence) as the view the charts draw."""
    frame = pd.DataFrame([{"claim_id": str(i), "article_id": "x", "event_id": "e", "background": False, "outcome": o,
                           "count_min": lo, "count_max": hi, "speaker": who, "sentence": s}
                          for i, (o, lo, hi, who, s) in enumerate(rows)])
    return compare.incident_claims(frame, None)


def test_killed_and_wounded_panels_have_their_own_axes():
    view = _claims([("killed", 104, None, "ministry", "At least 104 were killed."),
                    ("wounded", 88000, 88000, "ministry", "88,000 were wounded.")])
    fig = charts.casualty_ranges(view, "t")
    killed_top, wounded_top = fig.layout.xaxis.range[1], fig.layout.xaxis2.range[1]
    assert killed_top < 200 < 88000 < wounded_top  # the "at least 104" arrow stops near 104


def test_a_no_casualties_claim_about_elsewhere_sets_no_figure_and_no_contradiction():
    view = _claims([("killed", 2, 2, "police", "Two people were killed at the market."),
                    ("no_casualties", None, None, "army", "No casualties were reported elsewhere in the town.")])
    frame = view.drop(columns=["low", "high", "open_ended", "no_number", "here"])
    assert compare.find_contradictions(frame, None).empty
    spread = compare.casualty_spread(frame, None, None)
    assert spread.loc[0, "killed_range"] == "2" and not spread.loc[0, "contradiction"]
    nobody = _claims([("killed", 2, 2, "police", "Two people were killed."), ("no_casualties", None, None, "army", "No one was hurt.")])
    assert len(compare.find_contradictions(nobody.drop(columns=["low", "high", "open_ended", "no_number", "here"]), None)) == 1


def test_the_toll_timeline_can_run_on_calendar_dates():
    frame = pd.DataFrame({"claim_id": ["a", "b"], "article_id": ["x", "y"], "event_id": ["e", "e"], "background": [False] * 2,
                          "outcome": ["killed", "killed"], "count_min": [84, 94], "count_max": [84, 94],
                          "speaker": ["A", "B"], "sentence": ["s", "t"]})
    articles = pd.DataFrame({"article_id": ["x", "y"], "file": ["x.txt", "y.txt"], "outlet": ["A", "B"],
                             "published": ["2024-01-04", "2024-01-11"], "published_inferred": [False, False]})
    view = compare.incident_claims(frame, articles)
    fig = charts.toll_over_time(view, empty_frame("events"), calendar=True)
    assert fig.layout.xaxis.type == "date" and list(fig.data[0].x) == ["2024-01-04", "2024-01-11"]
    assert "kit_narrow" in fig.layout.meta  # two panels one above the other on a phone

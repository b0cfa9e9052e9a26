"""Articles written for the kit in other styles (wire copy, live blog, official statement):
the exact claims a careful reader takes from them. None of these texts is a seed."""
from pathlib import Path

import pytest

from kit.articles.reading import load_articles
from kit.pipeline.extract import default_resources, extract_article

STYLES = Path(__file__).resolve().parent / "fixtures" / "styles"


@pytest.fixture(scope="module")
def extracted():
    lex, gaz = default_resources()
    return {a.file: (a, extract_article(a, lex, gaz)) for a in load_articles([STYLES], lex).articles}


def casualty_rows(result):
    return [(c["outcome"], c["count_min"], c["count_max"], c["speaker"], c["via"], c["background"])
            for c in result["casualty_claims"]]


def attribution_rows(result):
    return [(c["actor"], c["stance"], c["speaker"], c["background"]) for c in result["attribution_claims"]]


def test_wire_copy(extracted):
    article, result = extracted["wire_syria.txt"]
    assert casualty_rows(result) == [
        ("killed", 3, 3, "the U.S. military", "", True),   # the Jordan attack of last week
        ("killed", 16, 16, "Iraq's government", "", False),
        ("wounded", 25, 25, "Iraq's government", "", False),
        ("killed", 18, None, "the Syrian Observatory for Human Rights", "", False),
    ]
    assert attribution_rows(result) == [
        ("United States", "claims", "the U.S. military", False),
        ("Kataib Hezbollah", "denies", "Kataib Hezbollah", True),
    ]
    assert result["incident"]["date"] == "2024-02-02"  # "on Friday" before a Saturday dateline
    assert article.furniture[0].reason == "byline"


def test_live_blog(extracted):
    article, result = extracted["liveblog_tanf.md"]
    assert casualty_rows(result) == [
        ("wounded", 2, 2, "a US defence official", "Al Jazeera", False),
        ("no_casualties", None, None, "Syria's defence ministry", "", False),
    ]
    assert [(a, s) for a, s, _, _ in attribution_rows(result)] == [
        ("Islamic Resistance in Iraq", "claims"), ("Islamic Resistance in Iraq", "claims")]
    assert {f.reason for f in article.furniture} == {"share_prompt"}
    assert result["incident"]["focus_country"] == "SY"


def test_official_statement(extracted):
    _, result = extracted["statement_centcom.txt"]
    assert casualty_rows(result) == [("killed", 1, 1, "article", "", False),  # "killing a leader of ...": one person
                                     ("no_civilian_casualties", None, None, "article", "", False)]
    assert attribution_rows(result) == [("United States", "claims", "article", False)]  # the outlet is CENTCOM

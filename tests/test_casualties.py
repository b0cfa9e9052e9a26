"""Casualty counts: number words, sums, ranges, vague counts, tolls, and numbers that are not casualties."""
import pytest

from claims_helpers import LEX, article, casualties
from kit.claims.casualties import find_casualty_claims
from kit.claims.counts import parse_count


@pytest.mark.parametrize("phrase, expected", [
    ("eight", (8, 8)), ("95", (95, 95)), ("a total of four", (4, 4)), ("2,500", (2500, 2500)),
    ("twenty-five", (25, 25)), ("three hundred", (300, 300)), ("at least three", (3, None)),
    ("more than 30", (31, None)), ("up to 10", (1, 10)), ("between 5 and 10", (5, 10)),
    ("five to seven", (5, 7)), ("nearly 30", (30, 30)), ("dozens of", (None, None)), ("countless", (None, None)),
])
def test_parse_count(phrase, expected):
    assert parse_count(phrase, LEX) == expected


@pytest.mark.parametrize("text, expected", [
    ("One video claims that eight were killed in the airstrikes.", [("killed", 8, 8)]),
    ("The strike killed one person and wounded eight others.", [("killed", 1, 1), ("wounded", 8, 8)]),
    ("The drone fired two rockets at a building, killing a total of four and wounding six others.",
     [("killed", 4, 4), ("wounded", 6, 6)]),
    ("The airstrike killed one of its leaders and one of his aides, a US official said.", [("killed", 2, 2)]),
    ("At least three militants were killed and more than 30 wounded in the raid.", [("killed", 3, None), ("wounded", 31, None)]),
    ("Iraq's government said 16 people, including civilians, were killed and 25 wounded.", [("killed", 16, 16), ("wounded", 25, 25)]),
    ("The death toll rose to 12 on Sunday, officials said.", [("killed", 12, 12)]),
    ("Hospital sources said dozens of injuries were reported.", [("wounded", None, None)]),
    ("The attack led to the death of one individual and countless injuries.", [("killed", 1, 1), ("wounded", None, None)]),
    ("Such attacks ended following the deaths of three U.S. soldiers in Jordan.", [("killed", 3, 3)]),
    ("The two PMF sources say the strikes did not lead to casualties.", [("no_casualties", None, None)]),
    ("He said he was not aware of any casualties from the attacks.", [("no_casualties", None, None)]),
    ("No one was hurt in the blast, police said.", [("no_casualties", None, None)]),
    ("The army said there were no civilian casualties.", [("no_civilian_casualties", None, None)]),
])
def test_casualty_claims(text, expected):
    assert casualties(text) == expected


@pytest.mark.parametrize("text", [
    "Around 12:20 am two Katyusha rockets fell in Baghdad.",
    "The United States has 900 troops deployed in Syria and 2,500 in Iraq.",
    "U.S. forces struck more than 85 targets in Iraq and Syria.",
    "Iran fired dozens of missiles at Israel.",
    "The militias vowed to kill 20 soldiers.",
    "The group threatened that it will kill three hostages.",
])
def test_numbers_that_are_not_casualty_claims(text):
    assert casualties(text) == []


def test_claim_carries_speaker_via_and_exact_offsets():
    text = "Intro line.\nHowever, an Iraqi interior ministry source quoted by AFP says the bombing killed one person."
    art = article(text)
    (claim,) = find_casualty_claims(art, LEX)
    assert (claim["speaker"], claim["via"]) == ("an Iraqi interior ministry source", "AFP")
    assert art.text[claim["start"]:claim["end"]] == claim["sentence"]
    assert claim["claim_id"].startswith("c-")


def test_victims_are_kept_when_the_text_says_who():
    (claim,) = find_casualty_claims(article("Three Iranian-backed Iraqi militia fighters were killed, Reuters said."), LEX)
    assert claim["victims"] == "Iranian-backed Iraqi militia fighters"


@pytest.mark.parametrize("text, expected", [
    ("Three US service members were killed and dozens wounded in a drone attack on Tower 22.",
     [("killed", 3, 3), ("wounded", None, None)]),
    ("The strikes killed 14 pro-Iranian fighters, the Syrian Observatory said.", [("killed", 14, 14)]),
    ("Two people were killed and five others wounded, the ministry said.", [("killed", 2, 2), ("wounded", 5, 5)]),
    ("The strike left 12 dead and 30 injured.", [("killed", 12, 12), ("wounded", 30, 30)]),
    ("The toll climbed to 22 after rescuers pulled bodies from the rubble.", [("killed", 22, 22)]),
    ("At least 34 US service members were treated for traumatic brain injuries.", [("wounded", 34, None)]),
    ("Four soldiers sustained minor injuries in the attack.", [("wounded", 4, 4)]),
    ("The bombing claimed the lives of five civilians.", [("killed", 5, 5)]),
])
def test_more_wire_phrasings(text, expected):
    assert casualties(text) == expected

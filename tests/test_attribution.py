"""Attribution stances on sentences in many styles (none taken from the seed articles)."""
import pytest

from claims_helpers import LEX, article, attributions
from kit.claims.attribution import find_attribution_claims


@pytest.mark.parametrize("text, expected", [
    # unattributed
    ("It is not yet clear who carried out the strike on the convoy.", [("unknown", "unattributed")]),
    ("No group has claimed responsibility for the rocket attack.", [("unknown", "unattributed")]),
    ("Witnesses said an unidentified drone hit the warehouse.", [("unknown", "unattributed")]),
    ("There was no immediate claim of responsibility for the blast.", [("unknown", "unattributed")]),
    ("Responsibility was not immediately claimed.", [("unknown", "unattributed")]),
    # claims: own side, or the outlet is the actor's own press office
    ("The Islamic Resistance in Iraq claimed responsibility for the attack on Tuesday.", [("Islamic Resistance in Iraq", "claims")]),
    ("Pentagon officials confirmed that U.S. forces carried out the strike.", [("United States", "claims")]),
    ("Kataib Hezbollah said it launched a drone attack on the base.", [("Kataib Hezbollah", "claims")]),
    ("The Islamic Resistance in Iraq, an umbrella group of Iran-backed militias, claimed the drone attack.", [("Islamic Resistance in Iraq", "claims")]),
    ("The Pentagon said the strike was carried out in self-defense.", [("United States", "claims")]),
    ("Israel's military said it struck Hezbollah targets overnight.", [("Israel", "claims")]),
    ("The Israeli military said in a statement that its jets struck a weapons depot.", [("Israel", "claims")]),
    # accuses
    ("At least 40 people were killed in Israeli strikes on Aleppo province, a war monitor said.", [("Israel", "accuses")]),
    ("Syrian state media blamed Israel for the attack.", [("Israel", "accuses")]),
    ("The ministry said an Israeli aggression targeted sites near Damascus.", [("Israel", "accuses")]),
    ("Hezbollah blamed Israel for the drone strike in Beirut.", [("Israel", "accuses")]),
    ("Syria's foreign ministry accused Israel of the air raid on Damascus.", [("Israel", "accuses")]),
    ("The IDF struck a weapons depot near Damascus, the monitor said.", [("Israel", "accuses")]),
    ("An Israeli strike on a car in southern Lebanon killed two Hezbollah members.", [("Israel", "accuses")]),
    ("The government held the Houthis responsible for the missile attack.", [("Houthis", "accuses")]),
    # suspects
    ("A suspected Israeli airstrike hit a building in Damascus.", [("Israel", "suspects")]),
    ("The blast was reportedly carried out by Islamic State militants.", [("Islamic State", "suspects")]),
    ("Turkey has allegedly launched drone strikes on the camp.", [("Turkey", "suspects")]),
    # denies
    ("Israel denied any involvement in the explosion.", [("Israel", "denies")]),
    ("A Pentagon spokesman said U.S. forces were not involved.", [("United States", "denies")]),
    ("Iranian officials said they did not launch the drones.", [("Iran", "denies")]),
    ("The coalition said it had no role in the raid.", [("US-led coalition", "denies")]),
    ("A US official says there were no American strikes in the area on Friday.", [("United States", "denies")]),
    # attacks mentioned in passing are attributions too (dev-corpus rules), a campaign among them
    ("The militias have carried out more than 100 attacks on US troops since October.", [("Iran-backed militias", "accuses")]),
])
def test_stances(text, expected):
    assert attributions(text) == expected


@pytest.mark.parametrize("text", [
    "If the US uses Iraqi airspace to carry out hostile action against Iran, the militias will target American bases.",
    "Officials with the US military did not immediately respond to a request for comment.",
    "Israel has not confirmed if it was involved.",
    "The US staged joint naval drills with regional partners.",
])
def test_not_attributions(text):
    assert attributions(text) == []


def test_press_release_is_a_claim_when_the_outlet_is_the_actor():
    text = "U.S. Central Command forces conducted a self-defense strike in Baghdad."
    assert attributions(text, outlet="CENTCOM") == [("United States", "claims")]
    assert attributions(text, outlet="Al Jazeera") == [("United States", "accuses")]


def test_a_report_the_speaker_calls_untrue_is_only_a_denial():
    text = ('"We are aware of reports claiming that the United States conducted airstrikes in Iraq today. '
            'Those reports are not true," CENTCOM wrote on X.')
    rows = find_attribution_claims(article(text), LEX)
    assert [(r["actor"], r["stance"], r["speaker"]) for r in rows] == [("United States", "denies", "CENTCOM")] or \
        all(r["stance"] == "denies" for r in rows)


def test_speaker_is_the_clause_subject_and_block_speaker_applies():
    text = ("The Times of Israel is reporting that:\n"
            "It is not clear who was responsible, but militia officials blame US forces.")
    rows = find_attribution_claims(article(text), LEX)
    assert [(r["actor"], r["stance"], r["speaker"]) for r in rows] == [
        ("unknown", "unattributed", "The Times of Israel"), ("United States", "accuses", "militia officials")]


def test_actor_parents_roll_up():
    (row,) = find_attribution_claims(article("Kataib Hezbollah claimed responsibility for the attack."), LEX)
    assert row["actor_parent"].split("|")[0] == "Popular Mobilization Forces"

"""The forms of issue 14, each in sentences of our own in two or three styles (wire copy, a ministry
statement, a live blog). None is taken from the seeds or the development corpus."""
import pytest

from claims_helpers import LEX, article
from kit.claims.attribution import find_attribution_claims
from kit.claims.casualties import find_casualty_claims


def counts(text: str) -> list[tuple]:
    return [(c["outcome"], c["count_min"], c["count_max"]) for c in find_casualty_claims(article(text), LEX)]


def stances(text: str) -> set[tuple]:
    return {(r["actor"], r["stance"]) for r in find_attribution_claims(article(text), LEX)}


# ----------------------------------------------------------------------------- casualties

@pytest.mark.parametrize("text, expected", [
    # a count far from its verb
    ("Five members of the brigade, including its deputy commander, were killed, a security source told AFP.", ("killed", 5, 5)),
    ("The ministry said eleven workers of the power plant, among them two engineers, had been killed.", ("killed", 11, 11)),
    ("14:05 Seven volunteers, most of them students, were wounded near the depot.", ("wounded", 7, 7)),
    ("At least 20 people, children among them, were killed and 31 wounded in the shelling.", ("wounded", 31, 31)),
    ("A hospital official put the death toll at seven.", ("killed", 7, 7)),
    ("The health ministry put the number of people injured at 62 on Sunday.", ("wounded", 62, 62)),
    ("Rescuers found two more bodies on Monday, bringing the toll to 23.", ("killed", 23, 23)),
    ("UPDATE 18:40 - The death toll has risen to 15, the governor said.", ("killed", 15, 15)),
    # a person is one; names and dozens
    ("The raid killed a senior commander of the group.", ("killed", 1, 1)),
    ("In a statement, the army said its strike killed a local commander.", ("killed", 1, 1)),
    ("A colonel and three of his bodyguards were killed when the convoy was hit.", ("killed", 4, 4)),
    ("The governor, his driver and two guards were killed in the ambush, police said.", ("killed", 4, 4)),
    ("The dead were named as Omar Haddad and Samir Nasser.", ("killed", 2, 2)),
    ("Officials said two dozen were injured in the blast.", ("wounded", 24, 24)),
    ("Two dozen injured were taken to the city hospital.", ("wounded", 24, 24)),
    # other casualty words
    ("An air strike eliminated five fighters near the border, the ministry said.", ("killed", 5, 5)),
    ("The ministry confirmed the assassination of a senior intelligence officer.", ("killed", 1, 1)),
    ("Protesters condemned the killing of three journalists.", ("killed", 3, 3)),
    ("A soldier wounded in the attack later died of his wounds, the army said.", ("killed", 1, 1)),
    ("There was no sign of civilian casualties, a spokesman said.", ("no_civilian_casualties", None, None)),
    ("The statement said there were no civilian casualties in the operation.", ("no_civilian_casualties", None, None)),
    ("No one was hurt in the second blast, witnesses told Reuters.", ("no_casualties", None, None)),
    ("Dozens of people were wounded, medics said.", ("wounded", None, None)),
    # a side that lost a number of people
    ("The brigade lost four fighters in the ambush, a commander told Reuters.", ("killed", 4, 4)),
    ("The ministry said the unit had lost 12 soldiers and two tanks near the bridge.", ("killed", 12, 12)),
    ("21:40 The group says it has lost one of its field commanders in the raid.", ("killed", 1, 1)),
    ("Nine people lost their lives in the blast, the governor said.", ("killed", 9, 9)),
])
def test_casualty_forms(text, expected):
    assert expected in counts(text), counts(text)


@pytest.mark.parametrize("text", [
    "The militia vowed to kill twenty soldiers in revenge.",
    "Such a strike could kill hundreds of people, experts warned.",
    "The drones carried two missiles and 12 rockets.",
    "The ceasefire was signed in 2024 after talks in Doha.",
    "The ruling party lost its majority after the strike on the capital.",
    "Kyiv has lost two tanks and three helicopters in the offensive, the ministry said.",
])
def test_not_casualty_claims(text):
    assert counts(text) == []


def test_speaker_several_words_away_and_in_the_sentence_before():
    text = ("Dr Amal Hassan, director of the district hospital, spoke to reporters on Tuesday.\n"
            '"Nine of the wounded are in critical condition," she said.')
    rows = find_casualty_claims(article(text), LEX)
    assert [(r["count_min"], r["speaker"]) for r in rows] == [(9, "Dr Amal Hassan")]
    text = "According to a spokesman for the regional civil defence, who asked not to be named, 12 people were killed."
    (row,) = find_casualty_claims(article(text), LEX)
    assert "spokesman" in row["speaker"] and row["count_min"] == 12


# ----------------------------------------------------------------------------- attribution

@pytest.mark.parametrize("text, expected", [
    # stance verbs with an actor subject
    ("The Israeli army confirmed the strike on the compound.", ("Israel", "claims")),
    ("Moscow denied any link to the blast.", ("Russia", "denies")),
    ("Russia's foreign ministry denied any involvement in the explosion on Friday.", ("Russia", "denies")),
    ("Tehran distanced itself from the attack.", ("Iran", "denies")),
    ("The Houthis rejected accusations that they had fired the missile.", ("Houthis", "denies")),
    ("Washington blamed the attack on Iran-backed militias.", ("Iran-backed militias", "accuses")),
    ("The minister pointed to Hezbollah, saying the group had the means.", ("Hezbollah", "accuses")),
    ("Pakistani officials suspect the TTP.", ("Tehrik-i-Taliban Pakistan", "suspects")),
    ("The bombing was carried out allegedly by the Islamic State.", ("Islamic State", "suspects")),
    ("The blast was reportedly carried out by Islamic State militants, local media said.", ("Islamic State", "suspects")),
    # the actor inside a noun phrase
    ("Israeli airstrikes on Tuesday killed at least nine people.", ("Israel", "accuses")),
    ("Ukrainian officials said Russian aggression had destroyed the dam.", ("Russia", "accuses")),
    ("Three villages were hit by strikes by Turkish jets, the monitor said.", ("Turkey", "accuses")),
    ("A Ukrainian drone hit an oil depot overnight, the governor said.", ("Ukraine", "accuses")),
    ("LIVE 09:12 - A Russian missile strike hit a school in the city.", ("Russia", "accuses")),
    ("The breach of the border by Armenian troops left two soldiers dead, the ministry said.", ("Armenia", "accuses")),
    ("Baku said the breach by Armenian forces had killed two soldiers.", ("Armenia", "accuses")),
    # a hedge on the verb that reports it, a perfect infinitive that is no passive
    ("Israel, which is believed to have carried out the strike, declined to comment.", ("Israel", "suspects")),
    ("Russia is believed to have struck the dam.", ("Russia", "suspects")),
    # a claim on the attack noun, an act of attacking, an unnamed group by its patron
    ("The bombing, claimed by Islamic State, killed 40 people at the market.", ("Islamic State", "claims")),
    ("Russia undertook a series of strikes on the power plants, Ukraine said.", ("Russia", "accuses")),
    ("Pro-Iranian groups have carried out attacks across the region.", ("Iran-backed militias", "accuses")),
    # a reprisal blames its target for the attack it answers
    ("The president pledged to take revenge on Israel for the killing of the general.", ("Israel", "accuses")),
    ("The militia vowed to retaliate against the United States for the drone strike.", ("United States", "accuses")),
    # unattributed
    ("No group has claimed responsibility for the bombing.", ("unknown", "unattributed")),
    ("It was not immediately clear who fired the rockets.", ("unknown", "unattributed")),
])
def test_attribution_forms(text, expected):
    assert expected in stances(text), stances(text)


def test_own_side_and_a_pronoun_in_the_reported_clause():
    assert ("Hezbollah", "claims") in stances("Hezbollah said in a statement that it had targeted the base with drones.")
    assert ("Israel", "claims") in stances("The IDF said its jets had struck a weapons depot overnight.")
    assert ("Russia", "denies") in stances('"We do not strike civilian targets," Kremlin spokesman Dmitry Peskov said.')


@pytest.mark.parametrize("text, expected", [
    ("The Houthis rejected US allegations that they had launched the missile.", ("Houthis", "accuses", "United States")),
    ("Hezbollah rejected allegations by the Israeli army that it had carried out the rocket attack.",
     ("Hezbollah", "accuses", "the Israeli army")),
])
def test_an_allegation_rejected_is_its_owner_s_accusation(text, expected):
    """"X rejected Y's allegations that it did it": X denies, and Y (not X) accuses X."""
    rows = {(r["actor"], r["stance"], r["speaker"]) for r in find_attribution_claims(article(text), LEX)}
    assert expected in rows and (expected[0], "denies") in {(a, s) for a, s, _ in rows}, rows


def test_a_reprisal_with_no_attack_to_answer_blames_nobody():
    assert stances("Israel vowed to retaliate against Hezbollah if attacked again.") == set()


@pytest.mark.parametrize("text", [
    "Iran did not deny involvement in the raid.",
    "Russia did not confirm or deny responsibility for the blast.",
    "Israel has neither confirmed nor denied responsibility for the strike.",
])
def test_a_denial_not_made_is_no_denial(text):
    assert not {s for _, s in stances(text)} & {"denies"}, stances(text)


@pytest.mark.parametrize("text", [
    "Tehran routinely accuses Israel, its arch-foe, and the United States of stirring up unrest inside the country.",
    "Moscow accused Kyiv and its Western backers of prolonging the war.",
    "The minister accused Hamas, the group that runs Gaza, of diverting aid.",
])
def test_a_blame_for_something_else_than_an_attack_is_none(text):
    """The "of ..." of a blame may hang on an apposition or a conjunct of its object: still no attack."""
    assert stances(text) == set()


@pytest.mark.parametrize("text, expected", [
    ("Kyiv accused Russia, its neighbour, of shelling the town.", ("Russia", "accuses")),
    ("Officials accused Moscow and its allies of carrying out the strike.", ("Russia", "accuses")),
])
def test_a_blame_for_an_attack_on_an_apposition(text, expected):
    assert expected in stances(text), stances(text)


@pytest.mark.parametrize("text, expected", [
    # wire copy: the ministry unnamed first, named with its state further down
    ("Earlier, the Defense Ministry reported that Russian forces had struck military airfields overnight.\n"
     "Journalists were told to rely on statements of the Russian Defense Ministry about the strikes.", ("Russia", "claims")),
    # a ministry statement
    ("The Defence Ministry said its air force had carried out strikes on militant hideouts in the province. "
     "A spokesman for Pakistan's Defence Ministry later said the strikes were precise.", ("Pakistan", "claims")),
    # a live blog
    ("10:15 The General Staff says Ukrainian forces hit a Russian command post near the river.\n"
     "11:02 More detail from Ukraine's General Staff on the strikes.", ("Ukraine", "claims")),
])
def test_a_body_named_without_its_state_takes_the_state_it_is_named_with_later(text, expected):
    assert expected in stances(text), stances(text)


def test_a_generic_speaker_does_not_take_a_side_named_later():
    text = ("Hospital officials described an Israeli strike on the crowd.\n"
            "Israeli officials said troops fired warning shots.")
    rows = {(r["actor"], r["stance"], r["speaker"]) for r in find_attribution_claims(article(text), LEX)}
    assert ("Israel", "accuses", "Hospital officials") in rows, rows


@pytest.mark.parametrize("text", [
    'He told reporters to rely on the statements of the Russian Defense Ministry, "which has ruled out the '
    'possibility that strikes were carried out on civilian targets."',
    '14:30 Reporters were directed to the Iranian Foreign Ministry, "which has rejected any role in the bombing."',
])
def test_which_cut_off_by_a_quote_mark_is_the_noun_before_it(text):
    assert {s for a, s in stances(text) if a in ("Russia", "Iran")} == {"denies"}, stances(text)



def said(text: str) -> set[tuple]:
    return {(r["actor"], r["stance"], r["speaker"]) for r in find_attribution_claims(article(text), LEX)}


@pytest.mark.parametrize("text, expected", [
    # wire copy: the participle hangs on the main verb in the parse, with a time phrase in between
    ("Pakistan struck militant hideouts on Sunday in response to a bombing last week, claimed by the Pakistani "
     "Taliban, that killed 12 soldiers.", {("Pakistan", "accuses"), ("Tehrik-i-Taliban Pakistan", "claims")}),
    # a ministry statement
    ("The ministry said Israel had hit the depot after a rocket attack on Friday, claimed by Hezbollah.",
     {("Israel", "accuses"), ("Hezbollah", "claims")}),
])
def test_a_claim_set_off_after_the_attack_it_claims(text, expected):
    """"..., claimed by X" after an attack noun: X claims that attack, and the main clause's actor
    did the other one (it claims nothing, and X is no speaker of it)."""
    assert stances(text) == expected, stances(text)


@pytest.mark.parametrize("text, expected", [
    # wire copy: a relative clause whose blame verb has the attack as its object
    ("The talks collapsed days after drone strikes by Russia that Kyiv branded a war crime.",
     {("Russia", "accuses", "article"), ("Russia", "accuses", "Kyiv")}),
    # a ministry statement
    ("The ministry recalled the Iranian missile strikes, which Islamabad condemned as a violation of its airspace.",
     {("Iran", "accuses", "article"), ("Iran", "accuses", "Islamabad")}),
])
def test_a_blame_in_a_relative_clause_on_the_attack(text, expected):
    """The outlet names the attack and its owner; the clause says who blames it: two speakers."""
    assert said(text) == expected, said(text)


@pytest.mark.parametrize("text, expected", [
    ("The UN condemned the Russian strike on the hospital.", {("Russia", "accuses", "The UN")}),
    ("14:20 Egypt's foreign ministry denounced the Israeli raid on the camp.", {("Israel", "accuses", "Egypt's foreign ministry")}),
    ("Pakistan branded the Iranian strike a violation of its sovereignty.", {("Iran", "accuses", "Pakistan")}),
])
def test_the_attack_a_speaker_condemns_is_the_speaker_s_claim(text, expected):
    """The attack named as the object of "condemned" is the condemner's statement, not also the outlet's."""
    assert said(text) == expected, said(text)


@pytest.mark.parametrize("text", [
    "Officials in Islamabad denounced the Iranian missile attack and the breach of Pakistan's airspace.",
    "The council condemned the shelling of Ukraine's border villages by Russian forces.",
])
def test_of_after_an_attack_names_its_target_not_its_author(text):
    """"the breach of Pakistan's airspace", "the shelling of Ukraine's villages": the "of" is the target."""
    actors = {a for a, _ in stances(text)}
    assert not actors & {"Pakistan", "Ukraine"} and actors, stances(text)


@pytest.mark.parametrize("text, speaker", [
    ('Speaking to Reuters, the Houthis\' spokesman, Ali Hamdan, said the group "denies carrying out the attack on the ship."',
     "Ali Hamdan"),
    ("Speaking on state TV, the army's spokesman, Colonel Ivan Petrenko, said Russia did not strike the market.",
     "Colonel Ivan Petrenko"),
])
def test_a_speaker_the_parse_hung_on_the_phrase_before(text, speaker):
    """"Speaking to X, Y's spokesman, Name, said ...": the parse makes Name an apposition of X."""
    assert {s for _, st, s in said(text) if st == "denies"} == {speaker}, said(text)


@pytest.mark.parametrize("text, expected", [
    ('"We have seen reports that Israel struck the site. Those reports are false. Israel did not strike the site," '
     "the military wrote on X.", {("Israel", "denies", "the military")}),
    ('"There are claims that Ukraine shelled the plant. These claims are baseless," the ministry said in a statement.',
     {("Ukraine", "denies", "the ministry")}),
])
def test_a_quote_of_several_sentences_is_its_speaker_s_throughout(text, expected):
    assert said(text) == expected, said(text)


@pytest.mark.parametrize("text, expected", [
    # numbers in words joined by "and" are a range or two numbers, not one sum ("one hundred and five" is one)
    ("Between five and seven people were killed in the raid, residents said.", ("killed", 5, 7)),
    ("The ministry put the number of martyrs of the aggression at between five and seven.", ("killed", 5, 7)),
    ("09:40 Medics say between two and four people were wounded at the checkpoint.", ("wounded", 2, 4)),
    ("Officials said one hundred and five people had been killed.", ("killed", 105, 105)),
])
def test_number_words_in_a_range(text, expected):
    assert expected in counts(text), counts(text)


@pytest.mark.parametrize("text, expected", [
    ("At least 10 people were killed and several others, children among them, were wounded on Saturday.",
     ("wounded", None, None)),
    ("Two soldiers were killed and several others, most of them conscripts, were hurt, the army said.",
     ("wounded", None, None)),
])
def test_a_subject_before_an_aside_the_parse_lost(text, expected):
    assert expected in counts(text), counts(text)


@pytest.mark.parametrize("text, expected", [
    ('The governor put the number of victims of the "terrorist" attack at 14.', ("killed", 14, 14)),
    ("The agency put the number of people wounded in the strikes on the port at 31.", ("wounded", 31, 31)),
])
def test_a_toll_put_at_a_number_the_parse_hung_on_the_last_noun(text, expected):
    assert expected in counts(text), counts(text)


@pytest.mark.parametrize("text, speaker", [
    ("09:40 Medics say three people were wounded at the checkpoint.", "Medics"),
    ("14.05 GMT: Police said two people were killed near the market.", "Police"),
])
def test_a_live_blog_time_is_not_part_of_the_speaker(text, speaker):
    assert {c["speaker"] for c in find_casualty_claims(article(text), LEX)} == {speaker}


@pytest.mark.parametrize("text, expected", [
    ("The strike was in retaliation for Ukraine's attempts to attack energy facilities inside Russia.", {("Ukraine", "accuses")}),
    ("16:10 The ministry said it had thwarted Hezbollah's attempt to strike the base overnight.", {("Hezbollah", "accuses")}),
])
def test_an_actor_s_attempt_to_attack(text, expected):
    assert stances(text) == expected, stances(text)


@pytest.mark.parametrize("text", [
    "Hamas's plan to attack the base was foiled.",
    "Iran's threat to strike Israel worried officials in the region.",
    "Police said they had foiled an Islamic State plot to bomb the embassy.",
    "Officials dismissed Kyiv's allegations that Russia had hit the hospital as a provocation.",
])
def test_a_plan_a_threat_or_an_allegation_is_no_attempt(text):
    found = stances(text)
    assert not any(s in ("accuses", "claims") and a in ("Hamas", "Iran", "Islamic State", "Ukraine") for a, s in found), found


@pytest.mark.parametrize("text, expected", [
    ("Hamas dismissed Israel's threat to strike Rafah.", set()),
    ("Moscow rejected the peace proposal on Tuesday, the Kremlin said.", set()),
    ("The US denied the charges.", {("United States", "denies")}),
    ("The Pentagon denied it, a spokesman told Reuters.", {("United States", "denies")}),
    ("The Russian Defence Ministry ruled out the possibility that strikes were carried out on civilian targets.",
     {("Russia", "denies")}),
])
def test_a_denial_verb_denies_only_something_about_an_attack(text, expected):
    assert stances(text) == expected, stances(text)

"""Claims against the analyst's gold of the development corpus (../shared/dev-corpus: 24 rewritten real
articles about six 2024 strikes outside Iraq), measured with the shared scorer.

Issue 14's targets are casualty F1 >= 0.90, attribution F1 >= 0.85, casualty speaker >= 0.85,
background >= 0.90 and event linking >= 0.90. The bars below are what the kit reaches today, kept so
that no change loses it; where a bar is under its target, the README's caveats say so.
"""
from collections import Counter

import pytest

from seed_run import DEV_CORPUS, dev_run, scorer

BARS = {  # table: (F1, speaker accuracy, background accuracy, event linking)
    "casualty_claims": (0.93, 0.86, 0.92, 0.97),
    "attribution_claims": (0.88, 0.91, 0.91, 0.97),
}


@pytest.fixture(scope="module")
def measures():
    if not (DEV_CORPUS / "articles").is_dir():
        pytest.skip(f"the development corpus is not at {DEV_CORPUS} (it lives beside the repository, in shared/)")
    score, out = scorer(), dev_run()
    found = {}
    for name, ok in (("casualty_claims", score.casualty_ok), ("attribution_claims", score.attribution_ok)):
        score.claims_report(name, score.read(DEV_CORPUS / "gold" / f"{name}.csv"), score.read(out / f"{name}.csv"), ok, found)
    return found


@pytest.mark.parametrize("table", sorted(BARS))
def test_claim_f1(measures, table):
    assert measures[table]["f1"] >= BARS[table][0], measures[table]


@pytest.mark.parametrize("table", sorted(BARS))
def test_speaker_background_and_linking(measures, table):
    _, speaker, background, linking = BARS[table]
    assert measures[table]["speaker_acc"] >= speaker, measures[table]
    assert measures[table]["background_acc"] >= background, measures[table]
    assert measures[table]["event_link_acc"] >= linking, measures[table]


def test_precision_stays_high(measures):
    """What the kit says must be right: a journalist reads every row as a claim someone made."""
    for table in BARS:
        assert measures[table]["precision"] >= 0.88, measures[table]


def test_one_event_per_incident_on_the_incident_s_day():
    """Issue 19: the six strikes of the corpus are seven incidents (Iran's strike on Panjgur and
    Pakistan's on Saravan two days later); each gets one event of its own, dated as the gold dates it,
    that holds at least 90% of the incident's claims."""
    if not (DEV_CORPUS / "articles").is_dir():
        pytest.skip(f"the development corpus is not at {DEV_CORPUS}")
    score, out = scorer(), dev_run()
    gold_events = {row["event"]: row["date"] for row in score.read(DEV_CORPUS / "gold" / "events.csv")}
    kit_dates = {row["event_id"]: row["date"] for row in score.read(out / "events.csv")}
    where: dict[str, Counter] = {event: Counter() for event in gold_events}
    for name, ok in (("casualty_claims", score.casualty_ok), ("attribution_claims", score.attribution_ok)):
        gold, kit = score.read(DEV_CORPUS / "gold" / f"{name}.csv"), score.read(out / f"{name}.csv")
        for gi, ki in score.match(gold, kit, ok):
            if gold[gi]["event"] in where:
                where[gold[gi]["event"]][kit[ki].get("event_id") or "none"] += 1
    chosen = {event: found.most_common(1)[0][0] for event, found in where.items() if found}
    assert len(kit_dates) == len(gold_events) == len(chosen) == len(set(chosen.values())), chosen
    assert {event: kit_dates.get(chosen[event]) for event in chosen} == gold_events
    # at least 90% of each incident's claims (those the kit found) are in its event, not background or another's
    shares = {event: found[chosen[event]] / sum(found.values()) for event, found in where.items()}
    assert min(shares.values()) >= 0.9, shares

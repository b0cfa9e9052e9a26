"""The source columns of the tables, and a grade per incident after Airwars.

`add_sources` puts `kit.sources.copies` into the tables: ``copy_of``, ``copy_share`` and
``source_group`` on ``articles.csv``, ``source_group`` on both claim tables, and on ``events.csv``
the independent sources (``n_sources``, ``sources``) and the ``grade`` with its ``grade_reason``.

Grades (after Airwars' civilian-harm grading: "Confirmed" when a belligerent accepted
responsibility, "Fair" with two or more credible sources, "Weak" for a single-source claim; and its
strike status ``contested-strike``), first that applies:

- ``claimed``: a party says it did it (an attribution claim with stance ``claims``) and no source
  has it deny it;
- ``contested``: independent sources disagree on the toll (killed or wounded figures that cannot
  both be true) or on who did it (actors of different sides blamed: a force and its state, such
  as the IRGC and Iran, are one side; or one source blames an actor that another says did not do
  it; or a party is said both to claim and to deny it);
- ``corroborated``: two or more independent sources report the incident and do not disagree;
- ``single_source``: one independent source, however many outlets printed it.

Example:
    >>> grade_of({"A": None, "B": None}, [], [])
    ('corroborated', '2 independent sources (A; B)')
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..claims.actors import same_side
from .copies import Source, claim_groups, find_copies, wire_agencies


def _intervals_disagree(values: list[tuple[str, int, int | None]]) -> tuple[str, str] | None:
    """Two (group, min, max) figures from different groups that cannot both be true."""
    values = list(dict.fromkeys(values))  # the same figure repeated (a list in one line) is compared once
    for g1, lo1, hi1 in values:
        for g2, lo2, hi2 in values:
            if g1 != g2 and hi1 is not None and hi1 < lo2:
                return (f"{lo1}" if lo1 == hi1 else f"{lo1}-{hi1}", f"{lo2}" if lo2 == hi2 else f"at least {lo2}" if hi2 is None else f"{lo2}-{hi2}")
    return None


def grade_of(sources: dict[str, None], casualties: list[dict], attributions: list[dict],
             same_side=lambda actor, others: actor in others) -> tuple[str, str]:
    """(grade, reason) of one incident: ``sources`` its independent source names (in order),
    ``casualties``/``attributions`` its claims as dicts with ``group`` (named) and the table's columns;
    ``same_side(actor, others)``: whether an actor is one of others or a parent or child of one
    (`kit.claims.actors.same_side`).

    >>> blame = lambda group, actor, stance: {"group": group, "actor": actor, "stance": stance}
    >>> grade_of({"A": None, "B": None}, [], [blame("A", "Hezbollah", "claims"), blame("B", "Hezbollah", "denies")])[0]
    'contested'
    """
    n = len(sources)
    reason = [f"{n} independent source{'s' if n != 1 else ''} ({'; '.join(sources)})"]
    claims = sorted({a["actor"] for a in attributions if a["stance"] == "claims" and a["actor"] != "unknown"})
    contest = []
    for outcome in ("killed", "wounded"):
        values = [(c["group"], int(c["count_min"]), None if pd.isna(c["count_max"]) else int(c["count_max"]))
                  for c in casualties if c["outcome"] == outcome and not pd.isna(c["count_min"])]
        values += [(c["group"], 0, 0) for c in casualties if outcome == "killed" and c["outcome"] == "no_casualties"]
        found = _intervals_disagree(values)
        if found:
            contest.append(f"{outcome} figures disagree: {found[0]} against {found[1]}")
    blamed = defaultdict(set)
    denied = defaultdict(set)
    for a in attributions:
        if a["actor"] == "unknown":
            continue
        if a["stance"] in ("claims", "accuses"):
            blamed[a["actor"]].add(a["group"])
        elif a["stance"] == "denies":
            denied[a["actor"]].add(a["group"])
    sides: list[list[str]] = []  # actors blamed, grouped by side
    for actor in sorted(blamed):
        side = next((side for side in sides if same_side(actor, side)), None)
        side.append(actor) if side is not None else sides.append([actor])
    if len(sides) > 1 and len(set().union(*blamed.values())) > 1:
        contest.append(f"different actors blamed: {', '.join(sorted(blamed))}")
    for actor, groups in denied.items():
        if actor in claims:
            contest.append(f"{actor} is said to claim it and to deny it")
        elif blamed.get(actor) and (blamed[actor] - groups or groups - blamed[actor]):
            contest.append(f"{actor} is blamed by one source and denied by another")
    claimed = [actor for actor in claims if actor not in denied]
    if claimed:
        reason.append(f"{', '.join(claimed)} say{'s' if len(claimed) == 1 else ''} it did it")
    reason += contest
    grade = "claimed" if claimed else "contested" if contest else "corroborated" if n > 1 else "single_source"
    return grade, "; ".join(reason)


def add_sources(tables: dict[str, pd.DataFrame], texts: list[str], article_events: list[str], lex) -> dict:
    """The tables with their source columns (``texts`` and ``article_events``: per row of articles)."""
    articles = tables["articles"]
    sources = [Source(str(r.article_id), "" if pd.isna(r.outlet) else str(r.outlet), "" if pd.isna(r.published) else str(r.published),
                      text, "" if pd.isna(r.furniture) else str(r.furniture), event or "")
               for r, text, event in zip(articles.itertuples(index=False), texts, article_events)]
    copies = find_copies(sources, lex)
    articles = articles.copy()
    articles["copy_of"] = [c or None for c in copies.copy_of]
    articles["copy_share"] = pd.array(copies.copy_share, dtype="Float64")
    articles["source_group"] = copies.group
    tables = dict(tables, articles=articles)
    index = {s.article_id: i for i, s in enumerate(sources)}
    wires = wire_agencies(lex)
    claims = {}
    for name in ("casualty_claims", "attribution_claims"):
        frame = tables[name].copy()
        frame["source_group"] = claim_groups(frame, index, copies, wires) if len(frame) else pd.Series([], dtype="string")
        tables[name] = claims[name] = frame
    by_event = defaultdict(dict)
    for event, group in zip(article_events, copies.group):
        if event:
            by_event[event].setdefault(copies.names[group], None)
    rows = {name: defaultdict(list) for name in claims}
    for name, frame in claims.items():
        own = frame[~frame["background"].fillna(False).astype(bool)]
        for record in own.to_dict("records"):
            if isinstance(record["event_id"], str) and record["event_id"]:
                rows[name][record["event_id"]].append(dict(record, group=copies.names.get(record["source_group"], record["source_group"])))
    events = tables["events"].copy()
    grades = [grade_of(by_event.get(e, {}), rows["casualty_claims"].get(e, []), rows["attribution_claims"].get(e, []),
                       lambda actor, others: same_side(actor, others, lex))
              for e in events["event_id"]]
    events["n_sources"] = [len(by_event.get(e, {})) for e in events["event_id"]]
    events["sources"] = ["; ".join(by_event.get(e, {})) for e in events["event_id"]]
    events["grade"] = [g for g, _ in grades]
    events["grade_reason"] = [r for _, r in grades]
    tables["events"] = events
    return tables

"""Compare what the sources claim: casualty spreads, contradictions, blame, competing hypotheses.

Plain pandas over the kit's tables (kit/schema.py); `kit.present.charts` draws these frames and the
notebooks show them. Nothing here reads files. Every function accepts empty tables and returns an
empty frame with the same columns, so a notebook can say "nothing found yet" instead of crashing.

Rules and where they come from:

- Spread: for each incident the lowest and highest figure any source claims, as Iraq Body Count
  keeps ``min``-``max`` per incident (iraqbodycount.org/about/methods/3), from its own claims only
  (background and war-wide totals carry no event id). A "no casualties" claim counts as 0 unless it
  is about another spot ("elsewhere in the town", `kit.incidents.tolls`); a claim with no number ("dozens", "countless") is counted but sets no bound; "at
  least 3" sets a lowest value of 3 and an open top ("3+").
- Contradiction: one source says nobody was hurt while another reports dead or wounded (a "no
  civilian casualties" claim only contradicts claims about civilians).
- Independent sources: claims of one ``source_group`` (`kit.sources.copies`: a wire story and its
  reprints) are one source. Counts of sources count groups, and a copy's claim is listed under its
  original's ("AP: two officials (+2 copies: Daily, Gazette)"), never as a source of its own
  (`kit.present.reprints`). A table without ``source_group`` counts each article as its own group.
- Competing hypotheses: Heuer, *Psychology of Intelligence Analysis*, ch. 8, with the rating scale
  of Open Source ACH (CC, C, N, I, II; the inconsistency score counts I as 1 and II as 2). The
  ratings here are mechanical defaults read off each stance (`ACH_RULES`); an analyst reviews them.

Example:
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"claim_id": ["a", "b"], "article_id": ["x", "x"], "event_id": ["e1", "e1"],
    ...     "background": [False, False], "outcome": ["killed", "no_casualties"], "count_min": [1, None],
    ...     "count_max": [1, None], "speaker": ["AFP", "PMF"], "sentence": ["s1", "s2"]})
    >>> spread = casualty_spread(claims, pd.DataFrame(), pd.DataFrame())
    >>> spread.loc[0, ["killed_low", "killed_high"]].tolist(), bool(spread.loc[0, "contradiction"])
    ([0, 1], True)
"""
from __future__ import annotations

import pandas as pd

from ..incidents.tolls import nobody_hurt_here
from ..schema import conform, empty_frame
from .reprints import collapsed, copies_note, copy_leads, folded, reprints_of, source_groups, speakers_by_source

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d")
STANCE_ORDER = ("claims", "accuses", "suspects", "denies", "unattributed", "mixed")
STANCE_COLORS = {"claims": "#7b3294", "accuses": "#d7191c", "suspects": "#fdae61", "denies": "#2c7bb6",
                 "unattributed": "#bababa", "mixed": "#4d4d4d"}
# Open Source ACH ratings: (rating for the actor the claim is about, rating for every other actor).
# "someone else" is always a hypothesis: an actor nobody named (Heuer: consider all reasonable hypotheses).
ACH_RULES = {"claims": ("CC", "I"), "accuses": ("C", "N"), "suspects": ("C", "N"), "denies": ("I", "N"),
             "unattributed": ("N", "N")}
SOMEONE_ELSE = "someone else"
ACH_SCORE = {"CC": 0, "C": 0, "N": 0, "I": 1, "II": 2}


def table(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """The frame conformed to the contract (missing optional columns added); an empty table for None."""
    if frame is None or (len(frame) == 0 and len(frame.columns) == 0):
        return empty_frame(name)
    return conform(frame, name)


def incident_colors(event_ids) -> dict[str, str]:
    """A colour per incident, in the order given (the same on the map and in every chart)."""
    ids = list(dict.fromkeys(str(e) for e in event_ids if pd.notna(e)))
    return {e: PALETTE[i % len(PALETTE)] for i, e in enumerate(ids)}


def event_order(events: pd.DataFrame, *claim_tables: pd.DataFrame) -> pd.DataFrame:
    """One row per incident (event_id, label, date, place) sorted by date: the events table plus any
    event_id that only the claims mention (labelled with its id)."""
    events = table(events, "events")
    rows = events[["event_id", "label", "date", "place"]].copy()
    known = set(rows["event_id"].dropna())
    extra = []
    for frame in claim_tables:
        if frame is not None and "event_id" in frame.columns and len(frame):
            extra += [e for e in frame["event_id"].dropna().unique() if e not in known]
            known |= set(extra)
    if extra:
        rows = pd.concat([rows, pd.DataFrame({"event_id": extra, "label": extra})], ignore_index=True)
    rows["label"] = rows["label"].fillna(rows["event_id"]).astype("string")
    return rows.sort_values(["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)


def _articles(articles: pd.DataFrame) -> pd.DataFrame:
    arts = table(articles, "articles")[["article_id", "file", "outlet", "published", "published_inferred", "title", "flags", "url"]]
    arts = arts.assign(outlet=[outlet_label(o, f) for o, f in zip(arts["outlet"], arts["file"])])
    return arts.rename(columns={"file": "article_file"})


def outlet_label(outlet, file) -> str:
    """The outlet's name, or for an article whose outlet is unknown, that and which file it is.

    >>> outlet_label("Rudaw", "a.txt"), outlet_label(None, "001_28f24e7b6c72786c.txt")
    ('Rudaw', 'Unknown outlet (file 001_28f24e7b…)')
    """
    if isinstance(outlet, str) and outlet.strip():
        return outlet
    name = str(file) if isinstance(file, str) and file else "?"
    return f"Unknown outlet (file {name if len(name) <= 14 else name[:12] + chr(0x2026)})"


def source_label(outlet, speaker, via=None) -> str:
    """How a claim's source reads in a chart: "Sky News: a US official (via Reuters)"."""
    outlet = outlet if isinstance(outlet, str) and outlet else "outlet unknown"
    speaker = speaker if isinstance(speaker, str) and speaker else "article"
    text = f"{outlet} (itself)" if speaker == "article" else f"{outlet}: {speaker}"
    if isinstance(via, str) and via and via != outlet:
        text += f" (via {via})"
    return text


def group_names(articles: pd.DataFrame) -> dict[str, str]:
    """Source group -> what to call it: the outlet of the article it is named by, else (AGENCY@event)
    the agency, else the group's id.

    >>> group_names(pd.DataFrame({"article_id": ["a1"], "file": ["a.md"], "outlet": ["AP"]}))["a1"]
    'AP'
    """
    arts = table(articles, "articles")
    return dict(zip(arts["article_id"], (outlet_label(o, f) for o, f in zip(arts["outlet"], arts["file"]))))


def _group_name(group, names: dict[str, str]) -> str:
    group = str(group)
    return names.get(group) or (group.split("@", 1)[0] if "@" in group else group)


def _with_sources(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    merged = frame.merge(_articles(articles), on="article_id", how="left")
    merged["outlet"] = pd.Series([outlet_label(o, f) for o, f in zip(merged["outlet"], merged["file"])],
                                 index=merged.index, dtype="string")
    merged["group"] = source_groups(merged)
    names = group_names(articles)
    merged["group_name"] = pd.Series([_group_name(g, names) for g in merged["group"]], index=merged.index, dtype="string")
    # a row of its group's own article (not a copy's row of another's reporting)
    merged["original"] = (merged["group"] == merged["article_id"].astype("string")).fillna(False).astype(bool)
    merged["source"] = pd.Series([source_label(o, s, v) for o, s, v in zip(merged["outlet"], merged["speaker"], merged["via"])],
                                 index=merged.index, dtype="string")
    return merged


def incident_claims(claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Casualty claims about reported incidents (not background), with outlet, date and source label."""
    claims = table(claims, "casualty_claims")
    claims = claims[claims["event_id"].notna() & ~claims["background"].fillna(False).astype(bool)]
    view = _with_sources(claims.reset_index(drop=True), articles)
    zero = view["outcome"].isin(["no_casualties", "no_civilian_casualties"])
    view["low"] = view["count_min"].astype("Float64").mask(zero, 0)
    view["high"] = view["count_max"].astype("Float64").mask(zero, 0)
    view["open_ended"] = view["count_min"].notna() & view["count_max"].isna() & ~zero
    view["no_number"] = view["count_min"].isna() & view["count_max"].isna() & ~zero
    # a "no casualties" about another spot ("elsewhere in the town") sets no figure of the incident
    view["here"] = pd.Series([outcome != "no_casualties" or nobody_hurt_here({"outcome": outcome, "sentence": sentence})
                              for outcome, sentence in zip(view["outcome"], view["sentence"])], index=view.index, dtype=bool)
    return view.sort_values(["event_id", "published", "source"], na_position="last", kind="stable").reset_index(drop=True)


def _positive(view: pd.DataFrame) -> pd.Series:
    hurt = view["outcome"].isin(["killed", "wounded"])
    return hurt & ((view["high"].fillna(1) > 0) | view["no_number"])


def find_contradictions(claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per incident with opposing claims: "no casualties" against dead or wounded."""
    view = incident_claims(claims, articles)
    view = view[view["here"]]
    zero_events = set(view.loc[view["outcome"].isin(["no_casualties", "no_civilian_casualties"]), "event_id"])
    view = view[view["event_id"].isin(zero_events)]
    rows = []
    for event_id, group in view.groupby("event_id", sort=False):
        positive = group[_positive(group)]
        civilian = positive[positive["victims"].fillna("").str.contains("civilian", case=False)]
        for outcome, against in (("no_casualties", positive), ("no_civilian_casualties", civilian)):
            none = group[group["outcome"] == outcome]
            if len(none) and len(against):
                said = "; ".join(collapsed(none))
                against = against.assign(words=[_claim_words(r) for r in against.itertuples()])
                other = collapsed(against.assign(said=[f"{w} ({s})" for w, s in zip(against["words"], against["source"])]),
                                  "said", ("words",))
                listed = "; ".join(other[:3]) + (f"; and {len(other) - 3} more" if len(other) > 3 else "")
                rows.append({"event_id": event_id, "kind": outcome.replace("_", " "),
                             "text": f"'{outcome.replace('_', ' ')}' ({said}) against {listed}"})
    return pd.DataFrame(rows, columns=["event_id", "kind", "text"])


def _claim_words(row) -> str:
    if row.outcome in ("no_casualties", "no_civilian_casualties"):
        return row.outcome.replace("_", " ")
    if pd.isna(row.low):
        return f"{row.outcome} ({row.count_text or 'no number'})" if isinstance(row.count_text, str) else row.outcome
    number = f"{int(row.low)}+" if row.open_ended else (f"{int(row.low)}" if row.low == row.high else f"{int(row.low)}-{int(row.high)}")
    return f"{number} {row.outcome}"


def fmt_range(low, high, open_top=False) -> str:
    """'1-8', '3', '3+' or '' (nothing claimed). Uses an en dash between the bounds."""
    if pd.isna(low) and pd.isna(high):
        return ""
    low = int(low) if pd.notna(low) else None
    high = int(high) if pd.notna(high) else None
    top = f"{high}+" if open_top and high is not None else (str(high) if high is not None else f"{low}+")
    return top if low is None or low == high else f"{low}\u2013{top}"


def _joined(frame: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Per event_id, the sources of the rows where ``mask`` holds, '; '-joined, copies under their original."""
    picked = frame[mask].reset_index(drop=True)
    picked = picked.assign(said=folded(picked, "source", ("event_id",))).dropna(subset=["said"])
    return picked.drop_duplicates(["event_id", "said"]).groupby("event_id", sort=False)["said"].agg("; ".join).astype(object)


def casualty_spread(claims: pd.DataFrame, articles: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per incident: lowest and highest killed and wounded figure claimed, by whom, and contradictions.

    ``n_sources`` counts independent sources (source groups), ``n_articles`` the articles, ``n_claims``
    the sentences; ``*_lowest_by``/``*_highest_by`` name each source once, its copies in brackets."""
    view = incident_claims(claims, articles)
    order = event_order(events, view)
    view = view[view["here"]]
    groups = view.groupby("event_id")
    frame = order[order["event_id"].isin(groups.groups)].set_index("event_id")[["label", "date"]]
    frame["n_claims"] = groups.size()
    frame["n_sources"] = groups["group"].nunique()
    frame["n_articles"] = groups["article_id"].nunique()
    for outcome in ("killed", "wounded"):
        numbered = view[view["outcome"].isin([outcome, "no_casualties"]) & view["low"].notna()].copy()
        numbered["top"] = numbered["high"].fillna(numbered["low"])
        by_event = numbered.groupby("event_id")
        low, high = by_event["low"].min(), by_event["top"].max()
        open_low = numbered[numbered["open_ended"]].groupby("event_id")["low"].max()
        open_top = (open_low.reindex(frame.index) >= high.reindex(frame.index)).fillna(False).astype(bool)
        frame[f"{outcome}_low"] = low.reindex(frame.index).round().astype("Int64")
        frame[f"{outcome}_high"] = high.reindex(frame.index).round().astype("Int64")
        frame[f"{outcome}_open"] = open_top
        frame[f"{outcome}_range"] = [fmt_range(lo, hi, op) for lo, hi, op in
                                     zip(frame[f"{outcome}_low"], frame[f"{outcome}_high"], frame[f"{outcome}_open"])]
        is_low = numbered["low"] == numbered["event_id"].map(low)
        is_high = numbered["top"] == numbered["event_id"].map(high)
        frame[f"{outcome}_lowest_by"] = _joined(numbered, is_low).reindex(frame.index).fillna("")
        frame[f"{outcome}_highest_by"] = _joined(numbered, is_high).reindex(frame.index).fillna("")
        vague = view[(view["outcome"] == outcome) & view["no_number"]].groupby("event_id").size()
        frame[f"{outcome}_no_number"] = vague.reindex(frame.index).fillna(0).astype(int)
    contradictions = find_contradictions(claims, articles).groupby("event_id")["text"].agg(" | ".join)
    frame["contradiction"] = frame.index.isin(contradictions.index)
    frame["contradictions"] = contradictions.reindex(frame.index).fillna("")
    return frame.reset_index()[SPREAD_COLUMNS]


SPREAD_COLUMNS = ["event_id", "label", "date", "n_claims", "n_sources", "n_articles"] + [
    f"{o}_{k}" for o in ("killed", "wounded") for k in ("low", "high", "open", "range", "lowest_by", "highest_by", "no_number")
] + ["contradiction", "contradictions"]


def incident_attributions(attributions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Attribution claims about reported incidents, with outlet, date and a speaker label."""
    att = table(attributions, "attribution_claims")
    att = att[att["event_id"].notna() & ~att["background"].fillna(False).astype(bool)].reset_index(drop=True)
    view = _with_sources(att, articles)
    # an outlet's own words reprinted by another outlet are the first outlet's ("AP (itself)")
    view["speaker_label"] = pd.Series([f"{o if own else g} (itself)" if s == "article" else str(s)
                                       for o, g, own, s in zip(view["outlet"], view["group_name"], view["original"], view["speaker"])],
                                      index=view.index, dtype="string")
    view["speaker_key"] = view["speaker_label"].str.lower().str.strip()
    return view


def attribution_cells(attributions: pd.DataFrame, articles: pd.DataFrame, event_id=None) -> pd.DataFrame:
    """One row per (incident, actor, speaker): the stance (``mixed`` when the claims disagree), how
    many sentences say it (``n``) and how many independent sources (``n_sources``; ``groups``: their
    source groups), and the quotes: one per sentence of an original, ``(stance, outlet, date, via,
    sentence, copies)``, ``copies`` the (outlet, date) of each reprint of it."""
    view = incident_attributions(attributions, articles)
    if event_id is not None:
        view = view[view["event_id"] == event_id].reset_index(drop=True)
    columns = ["event_id", "actor", "speaker", "stance", "stances", "n", "n_sources", "groups", "quotes"]
    if not len(view):
        return pd.DataFrame(columns=columns)
    leads = copy_leads(view, ["event_id", "actor", "speaker_key", "stance"])
    reprints = reprints_of(view, leads, lambda i: (view.at[i, "outlet"], view.at[i, "published"]))
    view = view.assign(quote=[(stance, outlet, published, via, sentence, tuple(reprints.get(i, ()))) if leads[i] == i else None
                              for i, (stance, outlet, published, via, sentence) in
                              enumerate(zip(view["stance"], view["outlet"], view["published"], view["via"], view["sentence"]))])
    cells = view.groupby(["event_id", "actor", "speaker_key"], sort=False).agg(
        speaker=("speaker_label", "first"), stances=("stance", lambda s: ", ".join(dict.fromkeys(s))),
        n=("stance", "size"), n_sources=("group", "nunique"), groups=("group", lambda g: tuple(dict.fromkeys(g))),
        quotes=("quote", lambda q: [x for x in q if x is not None])).reset_index()
    cells["stance"] = cells["stances"].where(~cells["stances"].str.contains(","), "mixed")
    return cells[columns]


def blame_summary(attributions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Across incidents, per actor: how many incidents, claims (sentences) and independent sources of
    each stance (``{stance}``, ``{stance}_sources``; a source counts once per incident however many
    outlets reprinted it), and who said so (``{stance}_by``: each speaker with its sources, `speakers_by_source`)."""
    view = incident_attributions(attributions, articles)
    rows = []
    for actor, group in view.groupby("actor", sort=False):
        row = {"actor": actor, "incidents": group["event_id"].nunique(), "claims_total": len(group),
               "sources_total": len(group[["event_id", "group"]].drop_duplicates())}
        for stance in STANCE_ORDER[:-1]:
            mine = group[group["stance"] == stance]
            row[stance] = len(mine)
            row[f"{stance}_sources"] = len(mine[["event_id", "group"]].drop_duplicates())
            row[f"{stance}_by"] = speakers_by_source(mine)
        rows.append(row)
    columns = ["actor", "incidents", "claims_total", "sources_total"] + [
        c for s in STANCE_ORDER[:-1] for c in (s, f"{s}_sources", f"{s}_by")]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["sources_total", "claims_total", "actor"], ascending=[False, False, True]).reset_index(drop=True)


def ach_matrix(attributions: pd.DataFrame, articles: pd.DataFrame, event_id) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Analysis of competing hypotheses for one incident.

    Returns ``(ratings, evidence)``: ``ratings`` has one row per piece of evidence (an attribution
    claim; its reprints in other outlets are the same evidence, not more: `kit.present.reprints.copy_leads`) and one column
    per candidate perpetrator (every actor named, plus "someone else"), holding CC/C/N/I/II; its last
    row, ``inconsistency``, is Open Source ACH's score (lower = fewer claims against). ``evidence``
    describes each row (source, stance, sentence, ``copies``: the outlets that reprinted it,
    ``sentences``: how many sentences it stands for, whether it tells the hypotheses apart: ``diagnostic``).
    """
    view = incident_attributions(attributions, articles)
    view = view[view["event_id"] == event_id].reset_index(drop=True)
    leads = copy_leads(view, ["actor", "stance"])
    reprints = reprints_of(view, leads)
    keep = [i for i in range(len(view)) if leads[i] == i]
    copies = [list(dict.fromkeys(reprints.get(i, []))) for i in keep]
    view = view.iloc[keep].reset_index(drop=True)
    named = [a for a in dict.fromkeys(view["actor"]) if a != "unknown"]
    hypotheses = named + [SOMEONE_ELSE] if len(view) else []
    evidence = pd.DataFrame({"evidence": [f"E{i + 1}" for i in range(len(view))],
                             "source": [f"{s}{copies_note(c)}" for s, c in zip(view["source"], copies)],
                             "actor": view["actor"], "stance": view["stance"], "sentence": view["sentence"],
                             "outlet": view["outlet"], "published": view["published"],
                             "copies": ["; ".join(c) for c in copies],
                             "sentences": [1 + len(reprints.get(i, [])) for i in keep]})
    ratings = pd.DataFrame(index=evidence["evidence"], columns=hypotheses, dtype="object")
    for i, row in view.iterrows():
        own, other = ACH_RULES[row["stance"]]
        for h in hypotheses:
            ratings.iloc[i, hypotheses.index(h)] = own if h == row["actor"] else other
    evidence["diagnostic"] = [len(set(r)) > 1 for r in ratings.itertuples(index=False)] if hypotheses else False
    score = ratings.apply(lambda col: sum(ACH_SCORE[v] for v in col)) if len(ratings) else pd.Series(dtype=int)
    ratings.loc["inconsistency"] = score
    return ratings, evidence

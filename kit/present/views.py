"""The tables as the notebooks present them: one small pandas function per view, tested like the rest.

Nothing here changes a table; each function picks, joins and orders columns for a person to read
(outlet and date beside every quote, plain words beside every code).

Example:
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a"], "file": ["a.txt"], "outlet": ["Rudaw"], "published": ["2024-10-01"],
    ...                      "furniture": ["Read more\\nShare this"]})
    >>> furniture(arts)["line"].tolist()
    ['Read more', 'Share this']
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from . import compare
from .show import flag_notes

CORRECTIONS_HEADER = ("mention", "article_id", "canonical", "kind", "lat", "lon", "precision_km", "note")


def title_inferred(metadata_source) -> bool:
    """True when the headline was taken from the text (no front matter, manifest or page gave one).

    >>> title_inferred("outlet:manifest; published:manifest"), title_inferred("title:html; url:html")
    (True, False)
    """
    return "title:" not in (metadata_source if isinstance(metadata_source, str) else "")


def articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The corpus, oldest first, with the meaning of each flag spelled out, the outlet named (or the
    file, when unknown) and a headline taken from the text marked as such."""
    arts = compare.table(articles, "articles").sort_values(["published", "file"], na_position="last", kind="stable")
    arts["date"] = arts["published"].fillna("date unknown") + \
        arts["published_inferred"].fillna(False).astype(bool).map({True: " (inferred)", False: ""})
    arts["outlet"] = [compare.outlet_label(o, f) for o, f in zip(arts["outlet"], arts["file"])]
    arts["title"] = [(t if isinstance(t, str) and t else "(no headline)") +
                     (" (inferred from the text)" if title_inferred(m) and isinstance(t, str) and t else "")
                     for t, m in zip(arts["title"], arts["metadata_source"])]
    arts["what the flags mean"] = arts["flags"].map(flag_notes)
    return arts.reset_index(drop=True)


COPY_MARK = "\u21b3 "  # before the outlet of an article listed under the original it reprints


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def sources(frame: pd.DataFrame) -> pd.DataFrame:
    """The corpus by independent source: each original or lone article, oldest first, and under it
    the articles that reprint it (`kit.sources.copies`), their outlet marked "\u21b3" and ``source``
    saying what they share; ``copy_level`` is 1 for a reprint, 0 otherwise. Without ``copy_of``
    (old tables) it is `articles`.

    >>> arts = pd.DataFrame({"article_id": ["c", "a", "b"], "file": ["c.md", "a.md", "b.md"], "outlet": ["Gazette", "AP", "Rudaw"],
    ...                      "published": ["2024-03-11", "2024-03-10", "2024-03-10"], "copy_of": ["a", None, None],
    ...                      "copy_share": [0.92, 1.0, None]})
    >>> sources(arts)[["outlet", "source"]].values.tolist()
    [['AP', 'original report; reprinted by Gazette'], ['\u21b3 Gazette', "reprints AP's report, 92% of its sentences shared"], ['Rudaw', '']]
    """
    arts = articles(frame)
    copy_of = arts["copy_of"].astype("string").fillna("").str.strip()
    ids = arts["article_id"].astype(str).tolist()
    position = {a: i for i, a in enumerate(ids)}
    names = dict(zip(ids, arts["outlet"]))
    heads = [c if c in position else a for a, c in zip(ids, copy_of)]  # an original not in the table: the copy leads
    reprinted: dict[str, list[str]] = {}
    for a, head in zip(ids, heads):
        if head != a:
            reprinted.setdefault(head, []).append(names[a])
    notes = []
    for a, head, share in zip(ids, heads, arts["copy_share"]):
        if head != a:
            shared = f", {round(100 * float(share))}% of its sentences shared" if pd.notna(share) and float(share) > 0 else \
                " (it credits the same agency)"
            notes.append(f"reprints {_possessive(names[head])} report{shared}")
        elif a in reprinted:
            notes.append(f"original report; reprinted by {', '.join(dict.fromkeys(reprinted[a]))}")
        else:
            notes.append("")
    arts["source"] = notes
    arts["copy_level"] = [int(h != a) for a, h in zip(ids, heads)]
    arts["outlet"] = [COPY_MARK + o if level else o for o, level in zip(arts["outlet"], arts["copy_level"])]
    arts["_order"] = [(position[h], level, position[a]) for a, h, level in zip(ids, heads, arts["copy_level"])]
    return arts.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def outlets(articles: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: how many articles, first and last publication date."""
    arts = compare.table(articles, "articles")
    arts["outlet"] = arts["outlet"].fillna("(outlet unknown)")
    out = arts.groupby("outlet").agg(articles=("article_id", "size"), first=("published", "min"), last=("published", "max"))
    return out.reset_index().sort_values(["articles", "outlet"], ascending=[False, True]).reset_index(drop=True)


def furniture(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per line of page furniture removed from an article's analysed text."""
    arts = compare.table(articles, "articles")[["file", "outlet", "furniture"]].dropna(subset=["furniture"])
    rows = [{"file": r.file, "outlet": r.outlet, "line": line.strip()} for r in arts.itertuples()
            for line in str(r.furniture).splitlines() if line.strip()]
    return pd.DataFrame(rows, columns=["file", "outlet", "line"])


def place_mentions(places: pd.DataFrame) -> pd.DataFrame:
    """Every place mention with how it was resolved, most precise first within each article."""
    pl = compare.table(places, "places")
    pl["in scope"] = pl["in_scope"].map({True: "yes", False: ""}).fillna("")
    return pl.sort_values(["file", "start"], kind="stable").reset_index(drop=True)


def geocoding_summary(places: pd.DataFrame) -> pd.DataFrame:
    """How many mentions each geocoding step resolved, and how precise they are (median km)."""
    pl = compare.table(places, "places")
    if not len(pl):
        return pd.DataFrame(columns=["geocoder", "mentions", "distinct places", "median precision km", "in scope"])
    pl["geocoder"] = pl["geocoder"].fillna("unresolved")
    out = pl.groupby("geocoder").agg(**{"mentions": ("mention", "size"), "distinct places": ("canonical", "nunique"),
                                        "median precision km": ("precision_km", "median"),
                                        "in scope": ("in_scope", "sum")})
    return out.reset_index()


def precision_by_kind(places: pd.DataFrame) -> pd.DataFrame:
    """How precise the coordinates are for each kind of place (a country centroid is not a street)."""
    pl = compare.table(places, "places").dropna(subset=["lat"])
    if not len(pl):
        return pd.DataFrame(columns=["kind", "mentions", "min km", "median km", "max km"])
    out = pl.groupby(pl["kind"].fillna("other")).agg(**{"mentions": ("mention", "size"), "min km": ("precision_km", "min"),
                                                        "median km": ("precision_km", "median"), "max km": ("precision_km", "max")})
    return out.reset_index().sort_values("median km").reset_index(drop=True)


def unresolved(places: pd.DataFrame) -> pd.DataFrame:
    """Place names nobody could locate, with how often and where, and why (status)."""
    pl = compare.table(places, "places")
    pl = pl[pl["geocoder"].fillna("unresolved") == "unresolved"]
    if not len(pl):
        return pd.DataFrame(columns=["mention", "status", "mentions", "files", "example sentence"])
    out = pl.groupby("mention").agg(status=("status", lambda s: ", ".join(sorted(set(s.dropna())))),
                                    mentions=("mention", "size"), files=("file", lambda s: "; ".join(dict.fromkeys(s))),
                                    **{"example sentence": ("sentence", "first")})
    return out.reset_index().sort_values(["mentions", "mention"], ascending=[False, True]).reset_index(drop=True)


def correction_rows(unresolved_frame: pd.DataFrame) -> str:
    """Lines to paste into data/corrections/places.csv, one per unresolved name, to fill in."""
    lines = [",".join(CORRECTIONS_HEADER)]
    for mention in unresolved_frame.get("mention", []):
        safe = str(mention).replace('"', '""')
        lines.append(f'"{safe}",,,,,,,')
    return "\n".join(lines)


def casualty_claims(claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Every casualty claim about a reported incident, in words ("8 killed"), with its source."""
    view = compare.incident_claims(claims, articles)
    view["what"] = [compare._claim_words(r) for r in view.itertuples()]
    return view


def background_claims(claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Casualty claims about other incidents mentioned in passing (kept apart from the tolls)."""
    claims = compare.table(claims, "casualty_claims")
    claims = claims[claims["background"].fillna(False).astype(bool)]
    return claims.merge(compare.table(articles, "articles")[["article_id", "outlet", "published"]], on="article_id", how="left")


def attribution_claims(attributions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Every attribution claim about a reported incident with its source, in words ("accuses Israel")."""
    view = compare.incident_attributions(attributions, articles)
    view["what"] = [("nobody named" if a == "unknown" else f"{s} {a}") if s != "unattributed" else "unattributed"
                    for a, s in zip(view["actor"], view["stance"])]
    return view


BLAME_WORDS = {"claims": "claimed by", "accuses": "accused by", "suspects": "suspected by", "denies": "denied by",
               "unattributed": "unattributed", "mixed": "mixed views from"}


def blame_lines(cells: pd.DataFrame) -> dict[str, str]:
    """Per incident, one line: "United States: accused by 3, denied by 2; nobody named: unattributed 2"
    (numbers count independent sources: a wire story and its reprints are one; sentences for cells
    without ``groups``). ``cells`` is `kit.present.compare.attribution_cells`.

    >>> cells = pd.DataFrame({"event_id": ["e", "e"], "actor": ["Israel", "Israel"], "stance": ["accuses", "accuses"],
    ...                       "n": [2, 1], "groups": [("ap",), ("ap", "rudaw")]})
    >>> blame_lines(cells)
    {'e': 'Israel: accused by 2'}
    """
    if not len(cells):
        return {}
    nested: dict[str, dict[str, dict[str, set | int]]] = {}
    grouped = "groups" in cells.columns
    for event_id, actor, stance, n, groups in zip(cells["event_id"], cells["actor"], cells["stance"], cells["n"],
                                                  cells["groups"] if grouped else [()] * len(cells)):
        said = nested.setdefault(event_id, {}).setdefault(actor, {})
        if grouped:
            said.setdefault(stance, set()).update(groups)
        else:
            said[stance] = said.get(stance, 0) + int(n)
    lines = {}
    for event_id, actors in nested.items():
        parts = []
        for actor, stances in actors.items():
            said = ", ".join(f"{BLAME_WORDS[s]} {len(stances[s]) if grouped else stances[s]}"
                             for s in compare.STANCE_ORDER if s in stances)
            parts.append(f"{'nobody named' if actor == 'unknown' else actor}: {said}")
        lines[event_id] = "; ".join(parts)
    return lines


def incidents(tables: dict) -> pd.DataFrame:
    """The editor's overview: one row per incident with place, precision, sources, tolls, blame."""
    events = compare.table(tables.get("events"), "events")
    order = compare.event_order(events, tables.get("casualty_claims"), tables.get("attribution_claims"))
    spread = compare.casualty_spread(tables.get("casualty_claims"), tables.get("articles"), events).set_index("event_id")
    cells = compare.attribution_cells(tables.get("attribution_claims"), tables.get("articles"))
    blame = blame_lines(cells)
    spread = spread.astype(object).to_dict("index")
    ev = events.drop_duplicates("event_id").set_index("event_id").astype(object).to_dict("index")
    rows = []
    for r in order.itertuples():
        s, e = spread.get(r.event_id), ev.get(r.event_id)
        precision = e["precision_km"] if e is not None else pd.NA
        rows.append({"event_id": r.event_id, "date": _text(r.date) or "date unknown", "incident": r.label, "place": _text(r.place),
                     "precision": f"\u00b1{float(precision):g} km" if pd.notna(precision) else "",
                     "articles": int(e["n_articles"]) if e is not None and pd.notna(e["n_articles"]) else (int(s["n_articles"]) if s is not None else 0),
                     "killed (claimed)": s["killed_range"] if s is not None else "",
                     "wounded (claimed)": s["wounded_range"] if s is not None else "",
                     "contradictions": s["contradictions"] if s is not None else "",
                     "who is blamed": blame.get(r.event_id, ""),
                     "independent sources": independent_sources(e),
                     "grade": grade_line(e)})
    return pd.DataFrame(rows, columns=["event_id", "date", "incident", "place", "precision", "articles", "killed (claimed)",
                                       "wounded (claimed)", "contradictions", "who is blamed", "independent sources", "grade"])


def independent_sources(event) -> str:
    """How many articles and how many independent sources report an incident (`kit.sources`).

    >>> independent_sources({"n_articles": 3, "n_sources": 1, "sources": "AP"})
    '3 articles, 1 independent source: AP'
    """
    if event is None or pd.isna(event.get("n_sources", pd.NA)):
        return ""
    n, k = int(event["n_articles"]), int(event["n_sources"])
    return f"{n} article{'s' if n != 1 else ''}, {k} independent source{'s' if k != 1 else ''}: {_text(event.get('sources'))}"


def grade_line(event) -> str:
    """The incident's grade and why ("contested: 2 independent sources (AP; Rudaw); killed figures disagree: 3 against 5")."""
    if event is None or not _text(event.get("grade")):
        return ""
    return f"{event['grade']}: {_text(event.get('grade_reason'))}"


def _text(value) -> str:
    return value if isinstance(value, str) else ("" if value is None or pd.isna(value) else str(value))


def grade_words(overview: pd.DataFrame) -> pd.DataFrame:
    """The overview with only the grade's word in its ``grade`` column ("contested"), so the table
    fits the page; `grade_reasons` lists the reasons under it.

    >>> grade_words(pd.DataFrame({"grade": ["contested: 2 sources disagree", ""]}))["grade"].tolist()
    ['contested', '']
    """
    if "grade" not in overview.columns:
        return overview
    return overview.assign(grade=[_text(g).split(":", 1)[0] for g in overview["grade"]])


def grade_reasons(overview: pd.DataFrame) -> HTML:
    """One line per graded incident: "2024-01-03: Attack at Kerman, claimed: 4 independent sources ..."."""
    lines = [f"<li>{html.escape(_text(r.date) or 'date unknown')}: {html.escape(_text(r.incident))}, "
             f"{html.escape(_text(r.grade))}</li>" for r in overview.itertuples() if _text(getattr(r, "grade", ""))]
    if not lines:
        return HTML("")
    return HTML('<p class="kit-more">How well each incident is sourced (the grade, and why):</p><ul class="kit-grades">'
                + "".join(lines) + "</ul>")


def heading(incident) -> str:
    """How an incident is named above its quotes: "2024-01-03: Bombing at Kerman" ("date unknown" when undated).

    >>> heading(pd.Series({"date": pd.NA, "label": "Strike at Kyiv"}))
    'date unknown: Strike at Kyiv'
    """
    get = incident.get if hasattr(incident, "get") else lambda k, d=None: getattr(incident, k, d)
    return f"{_text(get('date', '')) or 'date unknown'}: {_text(get('label', '')) or _text(get('event_id', ''))}"


def report_title(out_dir) -> str:
    """The report's title for a browser tab: the incidents it covers, by place and date.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "events.csv").write_text("event_id,label,date,place,n_articles\\na,x,2024-01-03,Kerman,4\\n", encoding="utf-8")
    >>> report_title(folder)
    'Strike report: Kerman, 3 Jan 2024'
    """
    from ..tables.io import read_table

    path = Path(out_dir) / "events.csv"
    events = read_table(path, "events") if path.exists() else compare.table(None, "events")
    if not len(events):
        return "Strike report: no incidents yet"
    events = events.sort_values(["n_articles", "date"], ascending=[False, True], na_position="last", kind="stable")
    names = []
    for row in events.head(3).itertuples():
        when = _text(row.date)
        when = pd.Timestamp(when).strftime("%-d %b %Y") if when else "date unknown"
        names.append(f"{_text(row.place) or _text(row.label)}, {when}")
    more = f" and {len(events) - 3} more" if len(events) > 3 else ""
    return "Strike report: " + "; ".join(names) + more


def top_incidents(tables: dict, limit: int) -> pd.DataFrame:
    """The incidents with the most claims (the ones worth a chart each), in date order."""
    order = compare.event_order(tables.get("events"), tables.get("casualty_claims"), tables.get("attribution_claims"))
    order["date"] = order["date"].astype(object).where(order["date"].notna(), "")
    counts = pd.concat([compare.table(tables.get(n), n)["event_id"] for n in ("casualty_claims", "attribution_claims")]).value_counts()
    order["claims"] = order["event_id"].map(counts).fillna(0).astype(int)
    keep = order.sort_values("claims", ascending=False, kind="stable").head(limit)["event_id"]
    return order[order["event_id"].isin(keep)].reset_index(drop=True)


def headline(tables: dict) -> str:
    """One sentence on what the report covers: articles, outlets, dates, incidents, claims."""
    arts = compare.table(tables.get("articles"), "articles")
    events = compare.table(tables.get("events"), "events")
    dates = arts["published"].dropna()
    span = f", published {dates.min()} to {dates.max()}" if len(dates) else ""
    n_cas = len(compare.incident_claims(tables.get("casualty_claims"), arts))
    n_att = len(compare.incident_attributions(tables.get("attribution_claims"), arts))
    named = arts["outlet"].dropna()
    return (f"{len(arts)} article(s) from {named[named.astype(str).str.strip() != ''].nunique()} named outlet(s){span}; {len(events)} incident(s); "
            f"{n_cas} casualty claim(s) and {n_att} attribution claim(s) about them.")


def incident_quotes(tables: dict, event_id: str) -> pd.DataFrame:
    """The sentences behind one incident: casualty claims first, then attribution claims."""
    arts = tables.get("articles")
    cas = casualty_claims(tables.get("casualty_claims"), arts)
    att = attribution_claims(tables.get("attribution_claims"), arts)
    cols = ["what", "sentence", "speaker", "outlet", "published", "via", "url"]
    return pd.concat([cas.loc[cas["event_id"] == event_id, cols], att.loc[att["event_id"] == event_id, cols]],
                     ignore_index=True)

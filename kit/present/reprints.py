"""Reprints folded into their original: which claim rows are copies of which, and how to name them.

A wire story printed by several outlets gives one claim row per printing, all of one
``source_group`` (`kit.sources.copies`). `kit.present.compare` counts source groups, and lists a
copy's row under its original's: `copy_leads` says, for each row, the row it is a copy of (the
row of the group's original article, else of its earliest printing); the other functions name
the reprints on that row ("AP: two police officials (+2 copies: Daily, Gazette)").

Example:
    >>> view = pd.DataFrame({"article_id": ["ap", "daily"], "group": ["ap", "ap"], "published": ["2024-03-10", "2024-03-11"],
    ...                      "original": [True, False], "outlet": ["AP", "Daily"], "source": ["AP: police", "Daily: police"]})
    >>> collapsed(view)
    ['AP: police (+1 copy: Daily)']
"""
from __future__ import annotations

import pandas as pd


def source_groups(frame: pd.DataFrame) -> pd.Series:
    """Each row's source group: its ``source_group``, or its article where that is missing (old tables).

    >>> source_groups(pd.DataFrame({"article_id": ["a", "b"], "source_group": ["a", None]})).tolist()
    ['a', 'b']
    """
    ids = frame["article_id"].astype("string")
    if "source_group" not in frame.columns:
        return ids
    group = frame["source_group"].astype("string")
    return group.mask(group.isna() | (group.str.strip() == ""), ids)


def copy_leads(view: pd.DataFrame, keys: list[str]) -> list[int]:
    """For each row of ``view`` (a frame of `_with_sources`, positions 0..n-1), the position of the
    row it is a copy of: within rows alike in ``keys`` and of one source group, the rows of the
    group's original article (else of its earliest article) lead; a row of another article goes
    under the lead of the same speaker, else under the first lead.

    >>> view = pd.DataFrame({"article_id": ["b", "a", "c"], "group": ["a", "a", "c"], "published": ["2", "1", "1"],
    ...                      "speaker_key": ["x", "x", "x"], "original": [False, True, True]})
    >>> copy_leads(view, [])
    [1, 1, 2]
    """
    view = view.reset_index(drop=True)
    leads = list(range(len(view)))
    if not len(view):
        return leads
    articles, published = view["article_id"].tolist(), view["published"].astype(object).tolist()
    speakers = view["speaker_key"].tolist() if "speaker_key" in view.columns else [None] * len(view)
    originals = view["original"].fillna(False).astype(bool).tolist()
    for rows in view.groupby([*keys, "group"], sort=False, dropna=False).indices.values():
        rows = rows.tolist()
        if len(rows) < 2:
            continue
        first = min(rows, key=lambda i: (not originals[i], str(published[i]) if isinstance(published[i], str) else "9999", i))
        own = [i for i in rows if articles[i] == articles[first]]
        by_speaker = {}
        for i in own:
            by_speaker.setdefault(speakers[i], i)
        for i in rows:
            if articles[i] != articles[first]:
                leads[i] = by_speaker.get(speakers[i], own[0])
    return leads


def reprints_of(view: pd.DataFrame, leads: list[int], what=None) -> dict[int, list]:
    """Lead position -> ``what(i)`` (default: the outlet) of each row ``i`` that is a copy of it."""
    found: dict[int, list] = {}
    for i, lead in enumerate(leads):
        if lead != i:
            found.setdefault(lead, []).append(what(i) if what else view.at[i, "outlet"])
    return found


def copies_note(outlets: list) -> str:
    """" (+2 copies: Daily, Gazette)" for the outlets that reprinted a claim; "" for none.

    >>> copies_note(["Daily", "Gazette", "Daily"]), copies_note([])
    (' (+2 copies: Daily, Gazette)', '')
    """
    names = list(dict.fromkeys(str(o) for o in outlets))
    if not names:
        return ""
    return f" (+{len(names)} cop{'y' if len(names) == 1 else 'ies'}: {', '.join(names)})"


def folded(view: pd.DataFrame, label: str = "source", keys: tuple = ()) -> list:
    """Per row of ``view``: its ``label`` with the outlets that reprinted it (" (+1 copy: Daily)"),
    or None for a row that is itself a copy (`copy_leads`)."""
    view = view.reset_index(drop=True)
    leads = copy_leads(view, list(keys))
    under = reprints_of(view, leads)
    labels = view[label].tolist()
    return [f"{labels[i]}{copies_note(under.get(i, []))}" if lead == i else None for i, lead in enumerate(leads)]


def collapsed(view: pd.DataFrame, label: str = "source", keys: tuple = ()) -> list[str]:
    """The distinct ``label`` of the rows, a copy's row folded into its original's label.

    >>> view = pd.DataFrame({"article_id": ["a", "b"], "group": ["a", "a"], "published": ["1", "2"], "original": [True, False],
    ...                      "outlet": ["AP", "Daily"], "source": ["AP: officials", "Daily: officials"]})
    >>> collapsed(view)
    ['AP: officials (+1 copy: Daily)']
    """
    return list(dict.fromkeys(text for text in folded(view, label, keys) if text is not None))


def without_copies(view: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows of ``view`` that are not a copy of another alike in ``keys`` (`copy_leads`), each
    ``source`` naming the outlets that reprinted it ("AP: police (+1 copy: Daily)")."""
    if "group" not in view.columns or not len(view):
        return view
    view = view.reset_index(drop=True)
    leads = copy_leads(view, keys)
    under = reprints_of(view, leads)
    keep = [i for i in range(len(view)) if leads[i] == i]
    out = view.iloc[keep].copy()
    out["source"] = pd.Series([f"{view.at[i, 'source']}{copies_note(under.get(i, []))}" for i in keep], index=out.index, dtype="string")
    return out.reset_index(drop=True)


def speakers_by_source(view: pd.DataFrame) -> str:
    """Who says it, each speaker once with the independent sources that quote it and how many
    reprinted each (``view``: rows of `incident_attributions`).

    >>> view = pd.DataFrame({"event_id": ["e"] * 3, "article_id": ["a", "b", "c"], "group": ["a", "a", "c"],
    ...     "published": ["1", "2", "1"], "original": [True, False, True], "outlet": ["AP", "Daily", "Rudaw"],
    ...     "speaker_label": ["the militia"] * 3, "speaker_key": ["the militia"] * 3})
    >>> speakers_by_source(view)
    'the militia (AP +1 copy, Rudaw)'
    """
    view = view.reset_index(drop=True)
    leads = copy_leads(view, ["event_id"])
    reprints = [0] * len(view)
    for i, lead in enumerate(leads):
        if lead != i:
            reprints[lead] += 1
    said: dict[str, dict[str, int]] = {}
    for i in (i for i in range(len(view)) if leads[i] == i):
        sources = said.setdefault(view.at[i, "speaker_label"], {})
        sources[view.at[i, "outlet"]] = sources.get(view.at[i, "outlet"], 0) + reprints[i]
    parts = []
    for speaker, sources in said.items():
        named = ", ".join(f"{outlet} +{k} cop{'y' if k == 1 else 'ies'}" if k else str(outlet) for outlet, k in sources.items())
        parts.append(speaker if named == str(speaker).removesuffix(" (itself)") else f"{speaker} ({named})")
    return "; ".join(parts)

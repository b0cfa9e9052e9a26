"""Incidents across articles: one `event_id` per incident, `in_scope` places, and `events.csv`.

Two articles report the same incident when their incidents are at most `DAYS_APART` days apart and
their places are the same or close (`close_places`: within the places' precision plus
`NEAR_KM`, so "Baghdad's Green Zone" and "central Baghdad" match, and "Kalso base" and
"Kalsu base" resolve to one place anyway). The event id is ``DATE-place-name``.

Casualty ranges follow Iraq Body Count: the lowest and the highest figure any source claims;
a "no casualties" claim counts as 0. Contradictions (nobody hurt against N killed) are listed.

Example:
    >>> slug("Kalsu military base")
    'kalsu-military-base'
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from datetime import date

import pandas as pd

from ..schema import columns

DAYS_APART = 2
NEAR_KM = 25.0
KM_PER_DEGREE_AT_MOST = 111.0  # a degree of latitude is 111.2 km: two places are at least this far apart per degree
IN_SCOPE_KM = {"country": math.inf, "governorate": 120.0, "region": 150.0, "city": 100.0, "district": 60.0,
               "neighbourhood": 60.0, "base": 60.0, "airport": 60.0, "facility": 60.0, "sea": 0.0, "other": 60.0}


_LABEL_WORDS = (("drone strike", "Drone strike"), ("drone attack", "Drone attack"), ("air strike", "Airstrike"),
                ("airstrike", "Airstrike"), ("rocket", "Rocket attack"), ("missile", "Missile attack"),
                ("explosion", "Explosion"), ("blast", "Explosion"), ("bomb", "Bombing"), ("shell", "Shelling"),
                ("raid", "Raid"), ("drone", "Drone strike"), ("strike", "Strike"), ("struck", "Strike"), ("attack", "Attack"))


def short_label(sentence: str, place: str) -> str:
    """'Airstrike at Kalsu military base' from the incident sentence and place (the date has its own column).

    >>> short_label("BAGHDAD - Two Katyusha rockets fell near the airport.", "Baghdad International Airport")
    'Rocket attack at Baghdad International Airport'
    """
    lower = sentence.lower()
    found = [(lower.find(word), name) for word, name in _LABEL_WORDS if word in lower]
    what = min(found)[1] if found else "Incident"
    where = f" at {place}" if place else ""
    return f"{what}{where}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:40] or "unplaced"


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = a, b
    p1, p2 = math.radians(la1), math.radians(la2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


def _num(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def close_places(a: dict, b: dict) -> bool:
    if a["canonical"] and a["canonical"] == b["canonical"]:
        return True
    if None in (a["lat"], b["lat"]):
        return False
    limit = min(max(a["precision_km"] or 0, b["precision_km"] or 0, 0) + NEAR_KM, 60.0)
    if abs(a["lat"] - b["lat"]) * KM_PER_DEGREE_AT_MOST > limit:  # farther apart than their latitudes alone allow
        return False
    return haversine_km((a["lat"], a["lon"]), (b["lat"], b["lon"])) <= limit


def _incident_places(articles, results, places: pd.DataFrame) -> list[dict]:
    """For each article: its incident's place (resolved coordinates) and date."""
    lookup = {}
    if len(places):
        for row in places.itertuples(index=False):
            lookup[(row.article_id, int(row.start))] = row
    found = []
    for article, result in zip(articles, results):
        inc = result["incident"]
        place = {"canonical": "", "lat": None, "lon": None, "precision_km": None, "kind": ""}
        for index in inc["place_rows"]:
            raw = result["places"][index]
            row = lookup.get((article.article_id, int(raw["start"])))
            lat = _num(getattr(row, "lat", None)) if row is not None else None
            if lat is not None:
                place = {"canonical": row.canonical, "lat": lat, "lon": _num(row.lon), "kind": row.kind,
                         "precision_km": _num(row.precision_km)}
                break
        found.append({"article": article, "incident": inc, "place": place,
                      "date": inc["date"] or article.published or ""})
    return found


def _cluster(items: list[dict]) -> list[int]:
    """Cluster number for each item: same place (or close) and dates within DAYS_APART.

    Each item joins the first (oldest) cluster it is close to among those started within
    DAYS_APART days. Clusters are indexed by their first member's day and by their place names
    and latitude bands, so only the few that could be close are compared: the work grows with
    the number of articles, not with its square.
    """
    order = sorted(range(len(items)), key=lambda i: (items[i]["date"] or "9999", i))
    cluster_of = [-1] * len(items)
    clusters: list[tuple[set, dict]] = []  # per cluster: its places' names, its distinct located places
    index: dict[tuple, set[int]] = {}  # (day number, name) and (day number, latitude band) -> clusters
    first_day: list[int | None] = []
    day_number = functools.lru_cache(maxsize=None)(lambda iso: date.fromisoformat(iso).toordinal())
    no_clusters: set[int] = set()
    for i in order:
        di, place = items[i]["date"], items[i]["place"]
        if di and place["canonical"]:
            day = day_number(di)
            keys = [place["canonical"]]
            if place["lat"] is not None:
                band = _band(place["lat"])
                keys += [band - 1, band, band + 1]
            candidates = set()
            for near in range(day - DAYS_APART, day + DAYS_APART + 1):
                for key in keys:
                    candidates |= index.get((near, key), no_clusters)
            for c in sorted(candidates):
                if _close_to_cluster(place, *clusters[c]):
                    cluster_of[i] = c
                    _join(clusters[c], place, index, first_day[c], c)
                    break
        if cluster_of[i] < 0:
            cluster_of[i] = len(clusters)
            clusters.append((set(), {}))
            first_day.append(day_number(di) if di else None)
            _join(clusters[-1], place, index, first_day[-1], cluster_of[i])
    return cluster_of


def _band(lat: float) -> int:
    """Latitude band of 0.6 degrees (67 km): places within 60 km are in the same or a next band."""
    return math.floor(lat / 0.6)


def _join(cluster: tuple[set, dict], place: dict, index: dict, day, number: int) -> None:
    names, located = cluster
    names.add(place["canonical"])
    if place["lat"] is not None:
        located.setdefault((place["lat"], place["lon"], place["precision_km"]), place)
    if day is not None:  # an undated cluster is never a candidate
        index.setdefault((day, place["canonical"]), set()).add(number)
        if place["lat"] is not None:
            index.setdefault((day, _band(place["lat"])), set()).add(number)


def _close_to_cluster(place: dict, names: set, located: dict) -> bool:
    """`close_places` with any member of a cluster, asked once per distinct member place.

    >>> a = {"canonical": "Baghdad", "lat": 33.3, "lon": 44.4, "precision_km": 10.0}
    >>> _close_to_cluster(dict(a, canonical="central Baghdad"), {"Baghdad"}, {(33.3, 44.4, 10.0): a})
    True
    """
    if place["canonical"] and place["canonical"] in names:
        return True
    return place["lat"] is not None and any(close_places(place, other) for other in located.values())


def _in_scope(places: pd.DataFrame, items: list[dict]) -> pd.Series:
    if not len(places):
        return pd.Series([], dtype="boolean")
    focus = {it["article"].article_id: (it["incident"]["focus_country"], it["place"]) for it in items}
    flags = []
    for row in places.itertuples(index=False):
        country, place = focus.get(row.article_id, ("", {}))
        ok = bool(country) and getattr(row, "country", "") == country
        lat, lon = _num(row.lat), _num(row.lon)
        if ok and place.get("lat") is not None and lat is not None and row.kind != "country":
            ok = haversine_km((lat, lon), (place["lat"], place["lon"])) <= IN_SCOPE_KM.get(row.kind, 60.0)
        flags.append(ok)
    return pd.Series(flags, index=places.index, dtype="boolean")


def _spread(claims: list[dict], outcome: str) -> tuple:
    """(lowest, highest) figure of ``outcome`` over the claims; "no casualties" counts as 0."""
    lows = [c["count_min"] for c in claims if c["outcome"] == outcome and c["count_min"] is not None]
    highs = [c["count_max"] for c in claims if c["outcome"] == outcome and c["count_max"] is not None]
    if any(c["outcome"] == "no_casualties" for c in claims):
        lows.append(0)
        highs.append(0)
    return (min(lows) if lows else None), (max(highs + lows) if (highs or lows) else None)


def _event_rows(clusters: dict[int, list[dict]], casualties: list[dict], att_count: Counter) -> pd.DataFrame:
    """One row per incident, from the claim rows (plain dicts: one pass, no per-incident table filters)
    and the number of attribution claims per event id."""
    cas_by_event: dict[str, list[dict]] = {}
    for claim in casualties:
        cas_by_event.setdefault(claim["event_id"], []).append(claim)
    rows = []
    for c in sorted(clusters):
        members = clusters[c]
        event_id = members[0]["event_id"]
        first = min(members, key=lambda m: (m["article"].published or "9999", m["article"].file))
        place = next((m["place"] for m in members if m["place"]["canonical"]), members[0]["place"])
        cas = cas_by_event.get(event_id, [])
        (killed_min, killed_max), (wounded_min, wounded_max) = _spread(cas, "killed"), _spread(cas, "wounded")
        rows.append({
            "event_id": event_id, "label": short_label(first["incident"]["label"], place["canonical"]),
            "date": members[0]["event_date"],
            "place": place["canonical"], "lat": place["lat"], "lon": place["lon"], "precision_km": place["precision_km"],
            "n_articles": len(members), "articles": "; ".join(m["article"].file for m in members),
            "killed_min": killed_min, "killed_max": killed_max, "wounded_min": wounded_min, "wounded_max": wounded_max,
            "n_casualty_claims": len(cas), "n_attribution_claims": att_count.get(event_id, 0),
            "contradictions": contradictions(cas),
        })
    return pd.DataFrame(rows, columns=columns("events"))


def contradictions(claims) -> str:
    """'no casualties' claims against claims of people killed or wounded, as one readable line.

    ``claims``: casualty claim rows (dicts or a DataFrame).

    >>> contradictions([{"outcome": "no_casualties", "speaker": "PMF", "count_min": None},
    ...                 {"outcome": "killed", "speaker": "AFP source", "count_min": 1}])
    'no casualties (PMF) vs 1 killed (AFP source)'
    """
    if isinstance(claims, pd.DataFrame):
        claims = claims.to_dict("records")
    nobody = [c for c in claims if c["outcome"] == "no_casualties"]
    hurt = [c for c in claims if c["outcome"] in ("killed", "wounded")]
    if not nobody or not hurt:
        return ""
    left = "; ".join(f"no casualties ({s})" for s in dict.fromkeys(c["speaker"] for c in nobody))
    right = "; ".join(dict.fromkeys(
        f"{'' if c['count_min'] is None or c['count_min'] != c['count_min'] else int(c['count_min'])} "
        f"{c['outcome']} ({c['speaker']})".strip() for c in hurt))
    return f"{left} vs {right}"


def assign_events(items: list[dict]) -> dict[int, list[dict]]:
    """Cluster the articles' incidents and set ``event_id`` and ``event_date`` on every item.

    ``items``: one dict per article with ``article`` (file, published), ``incident`` (label),
    ``place`` and ``date`` (`incident_items`). Returns the clusters, numbered in date order.
    """
    cluster_of = _cluster(items)
    clusters: dict[int, list[dict]] = {}
    for item, c in zip(items, cluster_of):
        clusters.setdefault(c, []).append(item)
    for members in clusters.values():
        dates = Counter(m["date"] for m in members if m["date"])
        event_date = sorted(dates.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if dates else ""
        place = next((m["place"]["canonical"] for m in members if m["place"]["canonical"]), "unplaced")
        event_id = f"{event_date or 'undated'}-{slug(place)}"
        for m in members:
            m["event_id"], m["event_date"] = event_id, event_date
    used: Counter = Counter()
    for c in sorted(clusters):  # two different incidents on the same day at the same place name
        members = clusters[c]
        used[members[0]["event_id"]] += 1
        if used[members[0]["event_id"]] > 1:
            for m in members:
                m["event_id"] += f"-{used[m['event_id']]}"
    return clusters


def incident_items(articles, results, places: pd.DataFrame) -> list[dict]:
    """Each article's incident (place, date) for `assign_events`; sets ``places['in_scope']``.

    Both depend on one article only (its own resolved places), so a rerun can keep them.
    """
    items = _incident_places(articles, results, places)
    if len(places):
        places["in_scope"] = _in_scope(places, items)
    return items


def link_events(articles, results, places: pd.DataFrame):
    """(casualty_claims, attribution_claims, events) with event ids; sets places['in_scope']."""
    items = incident_items(articles, results, places)
    clusters = assign_events(items)
    rows = {}
    for name in ("casualty_claims", "attribution_claims"):
        rows[name] = [dict(claim, event_id="" if claim["background"] else item["event_id"])
                      for item, result in zip(items, results) for claim in result[name]]
    att_count = Counter(claim["event_id"] for claim in rows["attribution_claims"])
    events = _event_rows(clusters, rows["casualty_claims"], att_count)
    casualties, attributions = (pd.DataFrame(rows[n]).reindex(columns=columns(n)) for n in rows)
    return casualties, attributions, events

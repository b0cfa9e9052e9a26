"""Incidents across articles: one `event_id` per incident, `in_scope` places, and `events.csv`.

Two articles report the same incident when their places are the same or close (`close_places`:
within the places' precision plus `NEAR_KM`, so "Baghdad's Green Zone" and "central Baghdad"
match, and "Kalso base" and "Kalsu base" resolve to one place anyway) and their days agree. How
they must agree depends on what each article says of the day (`kit.incidents.when`):

1. days read from the text ("Wednesday's blasts", "the January 3 attack") are at most
   `DAYS_APART` apart; these articles are linked first;
2. a day that only bounds the incident (a statement's, the publication's: it happened by then)
   joins the nearest incident of the `BOUND_DAYS_BEFORE` days before it (or the day after);
3. an article with no date at all joins an incident at its place whose day is the weekday, or
   the calendar day, it names ("Wednesday's explosions"), the one that shares most of the actors it
   blames when there are several; failing that, an article placed at a town that names the day
   joins an incident of that day placed only at the town's country ("strikes on Iran on
   Thursday"); else it starts an undated incident of its own.

Clusters are looked up by place name and by grid cell (`_cells_around`: the cells any place within
60 km can lie in) and by day, so an article is compared with the few incidents of its days nearby,
never with every incident seen at that place: linking stays linear in the number of articles.

A claim of one article can report another incident of the folder (`other_incident_claims`: an
article about Pakistan's strike on Iran recalling Iran's strike on Pakistan two days before).

An incident's place is the most specific its articles give (`event_place`), its day the one
most of them read from the text (`event_date`). The event id is ``DATE-place-name``. Ranges and
contradictions come from the incident's own claims (`kit.incidents.tolls`).

Example:
    >>> slug("Kalsu military base")
    'kalsu-military-base'
"""
from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date

import pandas as pd

from ..schema import columns
from .tolls import contradictions, spread
from .when import days_named
from .where import SPECIFICITY

DAYS_APART = 2
BOUND_DAYS_BEFORE = 7
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


def _text(value) -> str:
    return value if isinstance(value, str) else ""


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
    """For each article: its incident's place (resolved coordinates), date and what else links it
    (`LINK_FIELDS`: how the date was read, the weekday or calendar day named, the actors blamed)."""
    lookup = {}
    if len(places):
        for row in places.itertuples(index=False):
            lookup[(row.article_id, int(row.start))] = row
    found = []
    for article, result in zip(articles, results):
        inc = result["incident"]
        place = {"canonical": "", "lat": None, "lon": None, "precision_km": None, "kind": "", "country": ""}
        for index in inc["place_rows"]:
            raw = result["places"][index]
            row = lookup.get((article.article_id, int(raw["start"])))
            lat = _num(getattr(row, "lat", None)) if row is not None else None
            if lat is not None:
                place = {"canonical": row.canonical, "lat": lat, "lon": _num(row.lon), "kind": row.kind,
                         "precision_km": _num(row.precision_km), "country": _text(getattr(row, "country", ""))}
                break
        actors = sorted({c["actor"] for c in result.get("attribution_claims", ())
                         if not c["background"] and c["actor"] and c["actor"] != "unknown"})
        has_text_date = "date_kind" in inc
        datelines = sorted(int(result["places"][i]["start"]) for i in inc.get("datelines", ()))
        found.append({"article": article, "incident": inc, "place": place, "datelines": datelines,
                      "date": inc["date"] if has_text_date else (inc["date"] or article.published or ""),
                      "date_kind": inc.get("date_kind", "text"), "weekday": inc.get("weekday", -1),
                      "month_day": inc.get("month_day", ""), "actors": actors})
    return found


LINK_FIELDS = ("date_kind", "weekday", "month_day", "actors")  # what an item carries besides place and date


def link_data(item: dict) -> dict:
    """What `assign_events` needs of an item besides its place and date (kept with each article)."""
    return {name: item[name] for name in LINK_FIELDS if name in item}


class _Clusters:
    """Clusters under construction, indexed by place name and latitude band, and by day."""

    def __init__(self):
        self.members: list[list[int]] = []
        self.names: list[set] = []
        self.located: list[dict] = []
        self.day: list[int | None] = []  # the cluster's day (firm dates first)
        self.actors: list[set] = []
        self.by_key: dict = {}  # name or band -> the cluster's day -> clusters

    def new(self, i: int, item: dict, day) -> int:
        number = len(self.members)
        self.members.append([])
        self.names.append(set())
        self.located.append({})
        self.day.append(day)
        self.actors.append(set())
        self.add(number, i, item)
        return number

    def add(self, number: int, i: int, item: dict) -> None:
        place = item["place"]
        self.members[number].append(i)
        self.names[number].add(place["canonical"])
        self.actors[number].update(item.get("actors", ()))
        if place["lat"] is not None:
            self.located[number].setdefault((place["lat"], place["lon"], place["precision_km"]), place)
        for key in _keys(place, own=True):
            self.by_key.setdefault(key, {}).setdefault(self.day[number], set()).add(number)
        if place.get("kind") == "country" and place.get("country") and self.day[number] is not None:
            self.by_key.setdefault(("country", place["country"]), {}).setdefault(self.day[number], set()).add(number)

    def in_country(self, place: dict, day_agrees) -> list[int]:
        """Dated clusters with a member placed only at ``place``'s country whose day passes ``day_agrees``."""
        by_day = self.by_key.get(("country", place.get("country") or ""), {})
        return sorted(c for day, found in by_day.items() if day_agrees(day) for c in found)

    def near(self, place: dict, days=None, day_agrees=None) -> list[int]:
        """Clusters whose place is the same as or close to ``place``, oldest first: only those
        whose day is one of ``days`` (any day when None) and passes ``day_agrees``, so the
        distance is asked of a few clusters, not of every incident ever seen at that place.

        >>> clusters = _Clusters()
        >>> here = {"canonical": "Baghdad", "lat": 33.3, "lon": 44.4, "precision_km": 10.0}
        >>> first, later = clusters.new(0, {"place": here}, 100), clusters.new(1, {"place": here}, 200)
        >>> clusters.near(here), clusters.near(here, days=range(98, 103))
        ([0, 1], [0])
        """
        found = set()
        for key in _keys(place):
            by_day = self.by_key.get(key, {})
            for day in (by_day if days is None else days):
                found |= by_day.get(day, set())
        if day_agrees is not None:
            found = {c for c in found if day_agrees(self.day[c])}
        return [c for c in sorted(found) if _close_to_cluster(place, self.names[c], self.located[c])]


def _keys(place: dict, own: bool = False) -> list:
    """Index keys of a place: its name, and its grid cell (``own``) or the cells around it (a query).

    >>> _keys({"canonical": "Kyiv", "lat": 50.45, "lon": 30.52}, own=True)
    [('name', 'Kyiv'), ('cell', 84, 217)]
    >>> len(_keys({"canonical": "", "lat": 50.45, "lon": 30.52}))
    9
    """
    keys = [("name", place["canonical"])] if place["canonical"] else []
    if place["lat"] is not None:
        keys += [_cell(place["lat"], place["lon"])] if own else _cells_around(place["lat"], place["lon"])
    return keys


CELL_DEGREES = 0.6  # a cell's height: 67 km, more than the 60 km two close places can be apart


def _cells_across(band: int) -> int:
    """How many cells a latitude band is cut into: each at least 67 km wide on the band's
    poleward side and on the next band's (a neighbour's point may lie there), whole round the
    globe so the cells wrap at the antimeridian; one cell near the poles."""
    poleward = max(abs(band), abs(band + 1)) * CELL_DEGREES + CELL_DEGREES
    if poleward >= 80.0:
        return 1
    return max(1, int(360.0 * math.cos(math.radians(poleward)) / CELL_DEGREES))


def _lon_cell(band: int, lon: float) -> int:
    across = _cells_across(band)
    return int((float(lon) + 180.0) % 360.0 / 360.0 * across) % across


def _cell(lat: float, lon: float) -> tuple:
    band = math.floor(float(lat) / CELL_DEGREES)
    return ("cell", band, _lon_cell(band, lon))


def _cells_around(lat: float, lon: float) -> list[tuple]:
    """The cells any place within 60 km of (lat, lon) can lie in: the three bands around it and,
    in each, the cell of that longitude and its two neighbours (cells wrap at the antimeridian).

    >>> sorted({c[2] for c in _cells_around(0.1, 179.9)} & {0})  # the cell across the antimeridian
    [0]
    """
    band = math.floor(float(lat) / CELL_DEGREES)
    cells = []
    for near_band in (band - 1, band, band + 1):
        across, middle = _cells_across(near_band), _lon_cell(near_band, lon)
        cells += [("cell", near_band, column) for column in sorted({(middle + step) % across for step in (-1, 0, 1)})]
    return cells


def _day(iso: str):
    return date.fromisoformat(iso).toordinal() if iso else None


def _cluster(items: list[dict]) -> list[int]:
    """Cluster number for each item: the same incident when the places are the same or close and
    the dates agree (see the module docstring for what agreeing means for each kind of date)."""
    clusters = _Clusters()
    cluster_of = [-1] * len(items)
    firm = [i for i, it in enumerate(items) if it["date"] and it.get("date_kind", "text") == "text"]
    bounded = [i for i, it in enumerate(items) if it["date"] and it.get("date_kind", "text") != "text"]
    loose = [i for i, it in enumerate(items) if not it["date"]]
    for i in sorted(firm, key=lambda i: (items[i]["date"], i)):
        day = _day(items[i]["date"])
        near = clusters.near(items[i]["place"], days=range(day - DAYS_APART, day + DAYS_APART + 1)) \
            if items[i]["place"]["canonical"] else []
        if near:
            clusters.add(near[0], i, items[i])
            cluster_of[i] = near[0]
        else:
            cluster_of[i] = clusters.new(i, items[i], day)
    for i in sorted(bounded, key=lambda i: (items[i]["date"], i)):
        day = _day(items[i]["date"])
        near = clusters.near(items[i]["place"], days=range(day - BOUND_DAYS_BEFORE, day + 2)) \
            if items[i]["place"]["canonical"] else []
        if near:
            best = min(near, key=lambda c: (abs(clusters.day[c] - day), -len(clusters.members[c]), c))
            clusters.add(best, i, items[i])
            cluster_of[i] = best
        else:
            cluster_of[i] = clusters.new(i, items[i], day)
    for i in sorted(loose, key=lambda i: not _names_its_day(items[i])):  # those that name their day first
        item = items[i]
        near = clusters.near(item["place"], day_agrees=lambda day: _day_agrees(item, day)) \
            if item["place"]["canonical"] else []
        if _names_its_day(item) and item["place"].get("kind") not in ("country", "sea", "") \
                and all(clusters.day[c] is None for c in near):
            near = clusters.in_country(item["place"], lambda day: _day_agrees(item, day)) or near
        if near:
            shared = set(item.get("actors", ()))
            best = min(near, key=lambda c: (-len(shared & clusters.actors[c]), clusters.day[c] is None,
                                            -len(clusters.members[c]), c))
            clusters.add(best, i, item)
            cluster_of[i] = best
        else:
            cluster_of[i] = clusters.new(i, item, None)
    return cluster_of


def _names_its_day(item: dict) -> bool:
    """True when an undated article gives the attack's weekday or calendar day in its text."""
    return item.get("date_kind") == "text" and item.get("weekday", -1) >= 0 or bool(item.get("month_day"))


def _day_agrees(item: dict, day) -> bool:
    """An undated article agrees with a cluster's day when the weekday it gives the attack and the
    calendar day it names (if any) are that day's (a statement's weekday only bounds it); an
    undated cluster always agrees."""
    if day is None:
        return True
    when = date.fromordinal(day)
    if item.get("date_kind") == "text" and item.get("weekday", -1) >= 0 and when.weekday() != item["weekday"]:
        return False
    return not item.get("month_day") or when.strftime("%m-%d") == item["month_day"]


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
    focus = {it["article"].article_id: (it["incident"]["focus_country"], it["place"], it.get("datelines", ()))
             for it in items}
    flags = []
    for row in places.itertuples(index=False):
        country, place, datelines = focus.get(row.article_id, ("", {}, ()))
        ok = bool(country) and getattr(row, "country", "") == country and int(row.start) not in datelines
        lat, lon = _num(row.lat), _num(row.lon)
        if ok and place.get("lat") is not None and lat is not None and row.kind != "country":
            ok = haversine_km((lat, lon), (place["lat"], place["lon"])) <= IN_SCOPE_KM.get(row.kind, 60.0)
        flags.append(ok)
    return pd.Series(flags, index=places.index, dtype="boolean")


def event_place(members: list[dict]) -> dict:
    """The incident's place: the most specific place its articles give it (a hospital rather than
    its city, a city rather than its country), the one most of them give among equals.

    >>> kyiv = {"canonical": "Kyiv", "kind": "city"}
    >>> event_place([{"place": kyiv}, {"place": {"canonical": "Okhmatdyt hospital", "kind": "facility"}}])["canonical"]
    'Okhmatdyt hospital'
    """
    placed = [m["place"] for m in members if m["place"]["canonical"]]
    if not placed:
        return members[0]["place"]
    votes = Counter(p["canonical"] for p in placed)
    return min(placed, key=lambda p: (SPECIFICITY.get(p.get("kind") or "other", 6), -votes[p["canonical"]],
                                      placed.index(p)))


def _event_rows(clusters: dict[int, list[dict]], casualties: list[dict], att_count: Counter) -> pd.DataFrame:
    """One row per incident, from the claim rows (plain dicts: one pass, no per-incident table filters)
    and the number of attribution claims per event id."""
    cas_by_event: dict[str, list[dict]] = {}
    for claim in casualties:
        cas_by_event.setdefault(claim["event_id"], []).append(claim)
    rows = []
    for c in sorted(clusters, key=lambda c: (clusters[c][0]["event_date"] or "9999", c)):
        members = clusters[c]
        event_id = members[0]["event_id"]
        first = min(members, key=lambda m: (m["article"].published or "9999", m["article"].file))
        place = members[0].get("event_place") or event_place(members)
        cas = cas_by_event.get(event_id, [])
        (killed_min, killed_max), (wounded_min, wounded_max) = spread(cas, "killed"), spread(cas, "wounded")
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


def event_date(members: list[dict]) -> str:
    """The incident's day: the one most of its articles read from their text (the earlier of equals);
    else the earliest day an article gives (a statement or publication: it happened by then).

    >>> event_date([{"date": "2024-01-05", "date_kind": "published"}, {"date": "2024-01-03", "date_kind": "text"}])
    '2024-01-03'
    """
    firm = Counter(m["date"] for m in members if m["date"] and m.get("date_kind", "text") == "text")
    if firm:
        return sorted(firm.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return min((m["date"] for m in members if m["date"]), default="")


def assign_events(items: list[dict]) -> dict[int, list[dict]]:
    """Cluster the articles' incidents and set ``event_id``, ``event_date`` and ``event_place`` on
    every item.

    ``items``: one dict per article with ``article`` (file, published), ``incident`` (label),
    ``place``, ``date`` and the `LINK_FIELDS` (`incident_items`). Returns the clusters.
    """
    cluster_of = _cluster(items)
    clusters: dict[int, list[dict]] = {}
    for item, c in zip(items, cluster_of):
        clusters.setdefault(c, []).append(item)
    for members in clusters.values():
        day, place = event_date(members), event_place(members)
        event_id = f"{day or 'undated'}-{slug(place['canonical'] or 'unplaced')}"
        for m in members:
            m["event_id"], m["event_date"], m["event_place"] = event_id, day, place
    used: Counter = Counter()
    for c in sorted(clusters):  # two different incidents on the same day at the same place name
        members = clusters[c]
        used[members[0]["event_id"]] += 1
        if used[members[0]["event_id"]] > 1:
            for m in members:
                m["event_id"] += f"-{used[m['event_id']]}"
    return clusters


RELATED_DAYS = 7  # how far apart two incidents can be for one's articles to report the other too


def _attackers(attributions: pd.DataFrame) -> dict[str, str]:
    """Each incident's attacker: the side (an actor's parent, else the actor) most of its own
    claims of who did it name; none on a tie."""
    own = attributions[~attributions["background"].astype(bool) & attributions["stance"].isin(("claims", "accuses", "suspects"))
                       & attributions["actor"].ne("unknown") & attributions["event_id"].astype(bool)]
    counts: dict[str, Counter] = {}
    for event_id, actor, parent in zip(own["event_id"], own["actor"], own["actor_parent"]):
        counts.setdefault(event_id, Counter())[_text(parent) or actor] += 1
    found = {}
    for event_id, count in counts.items():
        ranked = count.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            found[event_id] = ranked[0][0]
    return found


def other_incident_claims(items: list[dict], articles: list, tables: dict[str, pd.DataFrame]) -> dict[str, dict[int, str]]:
    """Claims that report another incident of the folder than their article's: per table, row
    position -> that incident's event id.

    An article about Pakistan's strike on Iran also tells of Iran's strike on Pakistan two days
    before ("Islamabad condemned the Iranian attack, and said two children had been killed"). A
    claim goes to another incident when its sentence names that incident's attacker (and not its
    own incident's) and a place of that incident's country or its day ("Iran's attack on Tuesday"),
    the two incidents being at most `RELATED_DAYS` apart; only when exactly one incident fits.

    ``items``: `assign_events`'s (event id, date and place set), in the order of ``articles`` (each
    with ``article_id`` and ``published``);
    ``tables``: casualty_claims, attribution_claims (with event ids) and places.
    """
    attributions, places = tables["attribution_claims"], tables["places"]
    attackers = _attackers(attributions)
    if len(attackers) < 2:
        return {"casualty_claims": {}, "attribution_claims": {}}
    days = {}  # event id -> day
    by_side: dict[tuple, set] = {}  # (attacker, country, day) and (attacker, day) -> its events
    for item in items:
        day, country = _day(item.get("event_date") or ""), (item.get("event_place") or {}).get("country") or ""
        if day is not None and country and item["event_id"] in attackers:
            days[item["event_id"]] = day
            by_side.setdefault((attackers[item["event_id"]], country, day), set()).add(item["event_id"])
            by_side.setdefault((attackers[item["event_id"]], day), set()).add(item["event_id"])
    own_event = {a.article_id: item["event_id"] for a, item in zip(articles, items)}
    published = {a.article_id: a.published or "" for a in articles}
    place_starts: dict[str, list] = {}
    if len(places):
        for article_id, start, country in zip(*(places[c].tolist() for c in ("article_id", "start", "country"))):
            place_starts.setdefault(article_id, []).append((int(start), _text(country)))
    sides: dict[tuple, set] = {}  # (article, sentence start) -> sides named as doing something
    for article_id, start, actor, parent in zip(*(attributions[c].tolist() for c in ("article_id", "start", "actor", "actor_parent"))):
        if actor != "unknown":
            sides.setdefault((article_id, int(start)), set()).add(_text(parent) or actor)
    countries: dict[tuple, set] = {}  # (article, sentence start) -> countries named in it
    said_days: dict[tuple, set] = {}  # (article, sentence start) -> days it names
    found: dict[str, dict[int, str]] = {}
    for name in ("casualty_claims", "attribution_claims"):
        frame, moved = tables[name], {}
        columns = (frame[c].tolist() for c in ("article_id", "event_id", "start", "end", "sentence"))
        for position, (article_id, event_id, start, end, sentence) in enumerate(zip(*columns)):
            key, own = (article_id, int(start)), own_event.get(article_id, "")
            named = sides.get(key)
            if not named or own not in days or attackers.get(own) in named:
                continue
            if key not in countries:
                countries[key] = {c for s, c in place_starts.get(article_id, ()) if key[1] <= s < int(end)}
            day = days[own]
            fits = {other for side in named for country in countries[key]
                    for near in range(day - RELATED_DAYS, day + RELATED_DAYS + 1)
                    for other in by_side.get((side, country, near), ()) if other != own}
            if key not in said_days:
                said_days[key] = {_day(d) for d in days_named(_text(sentence), published.get(article_id, ""))}
            fits |= {other for side in named for named_day in said_days[key]
                     for other in by_side.get((side, named_day), ())
                     if other != own and abs(days[other] - day) <= RELATED_DAYS}
            if len(fits) == 1 and event_id not in fits:
                moved[position] = fits.pop()
        found[name] = moved
    return found


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

"""Which place a name means, from the article around it: its countries, its other places, size.

A name shared by many places ("Tripoli" in Libya, Lebanon and Greece; "Kherson" the city and the
oblast; small villages named like capitals) resolves with `choose`, which adds up, per candidate:
a curated entry (a little); a kind word that fits ("Kherson oblast" is the oblast); a country the article
names (`ArticleContext.countries`, counted from the names that are not ambiguous); closeness to
the article's unambiguous places (within `NEAR_KM`); the country itself over a namesake town
("Jordan"); the place's own name over an alias; the town over the division it names when there is
no kind word ("shelling in Kharkiv" is the city); and its population (the better-known place).

`is_supported` guards precision: the world index holds about 150,000 towns, and many are named
and 4,600 divisions, and many are named like ordinary words or people ("Police", "Bush",
"Hassan", the "Eastern" province of several countries). A town or division that only the world
index knows (and that is not a city of millions) counts only with some support: a locative use
("in Bush"), a kind word, a country the article names, or another place of the article close by.

Example:
    >>> from kit.places.gazetteer import load_gazetteer
    >>> gaz = load_gazetteer()
    >>> libya = ArticleContext({"LY": 2}, [])
    >>> lebanon = ArticleContext({"LB": 1}, [(34.4, 35.8)])
    >>> [choose(gaz.candidates("tripoli"), "tripoli", "", ctx, gaz).country for ctx in (libya, lebanon)]
    ['LY', 'LB']
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from . import rules
from .names import Entry

NEAR_KM = 250.0
# a town only GeoNames knows needs support below this population (named by one word), or below MINOR (by several)
MAJOR_POPULATION = 1_000_000
MINOR_POPULATION = 50_000
KIND_BONUS = {"country": 30.0, "city": 2.0, "governorate": 1.0}  # "Colombia", "Jordan": the country, not a town


@dataclass
class ArticleContext:
    """What the article says about where it is: countries it names (how often) and points it names."""

    countries: dict[str, int] = field(default_factory=dict)
    anchors: list[tuple[float, float]] = field(default_factory=list)

    def near(self, entry: Entry, limit: float = NEAR_KM) -> bool:
        degrees = limit / 111.0  # a degree of latitude is 111 km: farther in latitude is never near
        return any(abs(entry.lat - lat) <= degrees and distance_km(entry.lat, entry.lon, lat, lon) <= limit
                   for lat, lon in self.anchors)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance.

    >>> round(distance_km(50.45, 30.52, 49.99, 36.23))  # Kyiv to Kharkiv
    409
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def strong(entries: tuple[Entry, ...], key: str) -> bool:
    """True when a name's entries are evidence of where an article is: not only towns only GeoNames
    knows named by one word (a word such as "Police" or "Hassan" must not make an article Polish or Indian)."""
    return bool(entries) and (" " in key or any(e.curated or e.kind not in ("city", "airport")
                                                or e.population >= MAJOR_POPULATION for e in entries))


def article_context(hits) -> ArticleContext:
    """The `ArticleContext` of an article's scanned names (`kit.places.scan.Hit`, their ``locative`` and
    ``named`` set): an actor's name counts only where it is used as a place ("in Ukraine")."""
    context = ArticleContext()
    for hit in hits:
        if hit.flagged and not (hit.locative or hit.named) or hit.country is None or not strong(hit.entries, hit.key):
            continue
        context.countries[hit.country] = context.countries.get(hit.country, 0) + 1
        if len(hit.entries) == 1 and hit.entries[0].kind not in ("country", "sea", "region"):
            context.anchors.append((hit.entries[0].lat, hit.entries[0].lon))
    return context


def choose(entries: tuple[Entry, ...], key: str, cue: str, context: ArticleContext, gaz) -> Entry:
    """The entry ``key`` most likely means in this article (see the module docstring)."""
    if len(entries) == 1:
        return entries[0]
    entries = with_curated_twins(entries)
    if len(entries) == 1:
        return entries[0]
    fits = rules.CUE_FITS.get(cue, (cue,))

    def score(e: Entry) -> float:
        points = 15.0 if e.curated else 0.0  # hand-checked, but a populous namesake the article points to wins
        points += 50.0 if cue and e.kind in fits else 0.0
        points += 20.0 if context.countries.get(e.country) else 0.0
        points += 20.0 if context.anchors and e.kind not in ("country", "sea", "region") and context.near(e) else 0.0
        points += KIND_BONUS.get(e.kind, 0.0)
        points += 8.0 if gaz.is_primary(e, key) else 0.0
        return points + 3.0 * math.log10(e.population + 1)
    return max(entries, key=score)


def with_curated_twins(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """``entries`` without the world index's copy of a place the curated file holds too (the same kind
    and country, within the larger precision): the hand-checked row stands for it, with the copy's
    population, so it competes with namesakes elsewhere as the place it is ("Baghdad", "Iraq").

    >>> curated = Entry("Tripoli", "city", "LB", "", 34.43, 35.84, 10, "analyst", curated=True)
    >>> world = [Entry("Tripoli", "city", "LB", "", 34.44, 35.85, 10, "GeoNames", population=229398),
    ...          Entry("Tripoli", "city", "LY", "", 32.89, 13.19, 20, "GeoNames", population=1302947)]
    >>> [(e.country, e.curated, e.population) for e in with_curated_twins((curated, *world))]
    [('LB', True, 229398), ('LY', False, 1302947)]
    """
    curated = [e for e in entries if e.curated]
    if not curated:
        return entries
    kept, twins = [], {}
    for entry in entries:
        twin = None if entry.curated else next(
            (c for c in curated if c.country == entry.country and c.kind == entry.kind
             and distance_km(c.lat, c.lon, entry.lat, entry.lon) <= max(c.precision_km, entry.precision_km, 10.0)), None)
        if twin is None:
            kept.append(entry)
        else:
            twins[id(twin)] = max(twins.get(id(twin), 0), entry.population)
    return tuple(replace(e, population=max(e.population, twins[id(e)])) if id(e) in twins else e for e in kept)


def is_supported(entry: Entry, key: str, locative: bool, cue: str, context: ArticleContext) -> bool:
    """Whether a place is certain enough to be a mention (see the module docstring): a curated place or a
    country always; a base located by the town of its name only in the article's area; a town or division of the world index named by one word only below `MAJOR_POPULATION`
    (by several, `MINOR_POPULATION`) with support in the article."""
    if entry.curated or entry.kind in ("country", "airport", "sea", "region"):
        return True
    if cue and entry.kind not in rules.CUE_FITS.get(cue, (cue,)):
        # a base or airport located by the town of its name: only a town where the article is ("Kalis military
        # base" in a story from Iraq is not near Kalis in Albania)
        return bool(context.countries.get(entry.country)) or context.near(entry, NEAR_KM)
    if entry.population >= (MINOR_POPULATION if " " in key else MAJOR_POPULATION):
        return True
    return locative or bool(cue) or bool(context.countries.get(entry.country)) or context.near(entry, NEAR_KM)

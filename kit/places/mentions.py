"""Find every place mention in an article and resolve it with the offline gazetteer.

How a name becomes a mention (general rules, never lists of the seed places; the scanning is
in `kit.places.scan`, the context tests in `kit.places.rules`):

1. Words are looked up as the longest run (up to 8 words joined by a space or hyphen) whose
   `kit.places.gazetteer.name_key` is a gazetteer name or alias: "Baghdad International Airport",
   "Babylon Governorate", "Kurdistan Region", "ERBIL", "al-Qaim", "Ar-Ramadi" and "Qaim". The run
   starts with a capital (after an optional al-/ar-...): "base", "blast" or "hit" in lower case are
   never places. Acronyms match only in capitals ("UAE", "US"); a shouted "HIT" does not.
2. The actor and outlet lexicons (``data/lexicons``) are matched in the same pass, so a place
   inside an organisation's name is not a mention ("The Times of Israel", "Islamic Resistance in
   Iraq", "Islamic Republic of Iran", "Kurdistan Workers' Party"); nor is a name inside an unknown
   organisation's name ("Baghdad Post", "University of Mosul", "Islamic State of Iraq and the
   Levant"), a hyphenated modifier ("Iran-backed", "pro-Tehran", "Israel-Hamas war"; "Iraq-Syria"
   keeps both), or a one-word GeoNames name inside a person's name ("Muqtada al-Sadr").
   Demonyms ("Iraqi") are not names.
3. Words that are far more often ordinary words or first names than the village they also name
   (``data/gazetteer/not_places.csv``: "Hit", "Said", "Nov", "Omar") count only in a locative
   context ("in Hit") and never at the start of a sentence. A one-word name that only GeoNames
   knows, and only as an alias of the place ("Muse", "Ivan"), needs a locative context or a list
   of places around it.
4. A place whose name is also an actor or outlet alias ("Israel", "Iran", "Tehran", "Badr"), and a
   national capital or seat of government
   (`kit.places.sources.national_capitals`: "talks with Damascus"), is a mention only when at least one of
   its occurrences in the article is locative (`kit.places.rules.is_locative`): "Hamas blamed
   Israel" alone does not put Israel on the map, "an attack on Israel" does. After a preposition
   it is still the actor when it qualifies a noun ("attacks on US bases"), when its people speak
   ("officials in the US"), when it is blamed ("blamed on Israel") or one side of relations
   ("between Islamabad and Tehran"); "a US airstrike" is never a place. A name listed among places
   without a preposition counts too ("partners Saudi Arabia and the UAE, ..."), unless the list
   is the subject of a verb or the target of blame (`kit.places.rules.named_as_place`). Then every
   occurrence is emitted, each with its own ``locative`` flag.
5. A kind word after the name extends the mention and says which entry is meant: "Kalso
   military base", "Al-Mashrou district", "Erbil airport" (the airport, not the city), "al-Hol
   camp" (located by its town, with the precision that says so). An unknown name before such a
   word is compared only with places of that kind and accepted when one letter (two in long
   names) differs ("Kalsou" -> Kalsu); otherwise it is kept as an unresolved mention.
6. Several places share a name: the article decides (`kit.places.choose`): a curated entry, a
   fitting kind word, a country the article names, closeness to its other places, then the
   better-known place ("Tripoli" is Lebanon's in a story from Lebanon, else Libya's; "Kherson" is
   the city, "Kherson oblast" the oblast; "Iskandariya" is the Iraqi town, not Alexandria in
   Egypt). A small town only GeoNames knows needs support in the article (a locative use, its
   country named, a place nearby), so words such as "Police" or "Bush" stay words. A direction
   word that makes a region the gazetteer knows is part of the mention: "southern Lebanon",
   "northern Gaza".
7. At most `MAX_MENTIONS_PER_NAME` mentions of one name are listed per article, the first ones:
   a name repeated beyond that (a list or junk pasted in one line) adds no rows, only a note
   saying how many more mentions were not listed, so a file's rows stay bounded.

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.pipeline.extract import default_resources
    >>> art = Article("a1", "a.txt", None, "Rockets hit a base near Iskandariya, Iraq-backed groups said.", "")
    >>> [(m.mention, m.country, m.locative) for m in find_places(art, *reversed(default_resources()))]
    [('Iskandariya', 'IQ', True)]
"""
from __future__ import annotations

import bisect
import operator
import re
from collections import Counter
from dataclasses import dataclass, fields

from . import rules
from .choose import article_context, choose, distance_km, is_supported
from .gazetteer import Entry, Gazetteer
from .scan import SEPARATOR, Hit, matcher, scan
from .sources import is_capital


@dataclass
class PlaceMention:
    """One occurrence of a place name; ``as_row()`` is a row of ``places.csv``."""

    article_id: str
    mention: str
    start: int
    end: int
    canonical: str
    kind: str
    country: str
    lat: float | None
    lon: float | None
    precision_km: float | None
    geocoder: str
    status: str
    source: str
    sentence: str
    sentence_index: int
    locative: bool
    in_scope: bool = False

    def as_row(self) -> dict:
        return {name: getattr(self, name) for name in _ROW}


_ROW = tuple(f.name for f in fields(PlaceMention))
_START_OF = operator.attrgetter("start")


MAX_MENTIONS_PER_NAME = 100  # rows per place name and article (rule 7); an article names a place at most ~10 times


def find_places(article, gaz: Gazetteer, lex, notes: list | None = None) -> list[PlaceMention]:
    """Every place mention of ``article`` in text order (see the module docstring for the rules),
    at most `MAX_MENTIONS_PER_NAME` per name; ``notes`` gets a line for each name repeated more."""
    m = matcher(gaz, lex)
    text = article.text
    sentences = article.sentences
    starts = list(map(_START_OF, sentences))

    def sentence_at(pos):
        return sentences[max(0, bisect.bisect_right(starts, pos) - 1)] if sentences else None

    hits = scan(text, m, sentence_at)
    previous = None
    for hit in hits:
        _mark_locative(text, hit, previous)
        previous = hit
    context = article_context(hits)
    chosen: dict[tuple[str, str], Entry] = {}
    capitals: dict[int, bool] = {}  # per entry: `is_capital`, asked once however often the place is named
    for hit in hits:
        if hit.entry is None and hit.entries:
            if len(hit.entries) == 1:
                hit.entry = hit.entries[0]
            else:
                memo = (hit.key, hit.cue)
                if memo not in chosen:
                    chosen[memo] = choose(hit.entries, hit.key, hit.cue, context, gaz)
                hit.entry = chosen[memo]
        # a national capital is also its government ("talks with Damascus")
        if not hit.flagged and hit.entry is not None:
            if id(hit.entry) not in capitals:
                capitals[id(hit.entry)] = is_capital(hit.entry.name, hit.entry.country)
            if capitals[id(hit.entry)]:
                hit.flagged = True
                hit.named = not hit.locative and rules.named_as_place(text, hit.sentence.start if hit.sentence else 0,
                                                                       hit.start, hit.end)
    _locate_by_town(text, hits)
    keep_flagged = {id(h.entry) for h in hits if h.flagged and (h.locative or h.named)}
    # a small town only GeoNames knows needs support somewhere in the article ("in Bush", its country named)
    supported = {id(h.entry) for h in hits
                 if h.entry is not None and is_supported(h.entry, h.key, h.locative, h.cue, context)}
    out, listed, first = [], Counter(), {}
    for hit in hits:
        if hit.flagged and id(hit.entry) not in keep_flagged:
            continue
        if hit.entry is not None and id(hit.entry) not in supported:
            if not hit.cue:
                continue
            hit.entry = None  # "Kalis military base": a base of that name, but not at a namesake town far away
        listed[hit.key] += 1
        if listed[hit.key] > MAX_MENTIONS_PER_NAME:
            continue
        first.setdefault(hit.key, text[hit.start:hit.end])
        out.append(_mention(article, text, hit))
    if notes is not None:
        notes += [repeated_note(first[key], count) for key, count in listed.items() if count > MAX_MENTIONS_PER_NAME]
    return out


def repeated_note(name: str, count: int) -> tuple[str, str]:
    """The (problem, what to do) of a name named more than `MAX_MENTIONS_PER_NAME` times.

    >>> repeated_note("Baghdad", 250)[0]
    '"Baghdad" is named 250 times: places.csv lists its first 100 mentions (150 more mentions of "Baghdad" not listed)'
    """
    return (f'"{name}" is named {count:,} times: places.csv lists its first {MAX_MENTIONS_PER_NAME:,} mentions '
            f'({count - MAX_MENTIONS_PER_NAME:,} more mentions of "{name}" not listed)',
            "nothing, if the file is one article: the place is on the map and in the tables; if it holds "
            "several articles or a list pasted in one line, split it into articles, one story each")


# --------------------------------------------------------------------------- choosing and context


def _mark_locative(text: str, hit: Hit, previous: Hit | None) -> None:
    """Set ``hit.locative`` (``previous``: the hit before it, already marked), and for an actor's name
    ``hit.named`` (`kit.places.rules.named_as_place`)."""
    s_start = hit.sentence.start if hit.sentence else 0
    hit.locative = rules.is_locative(text, s_start, hit.start, hit.end)
    # an actor's name qualifying a noun ("attacks on US bases") or whose people speak ("officials in the US")
    # is the actor, even after a preposition
    actor_like = hit.flagged and (rules.modifier_after(text, hit.end) or rules.actor_before(text, s_start, hit.start))
    if actor_like:
        hit.locative = False
    if hit.flagged and not hit.locative:
        hit.named = rules.named_as_place(text, s_start, hit.start, hit.end)
    if not actor_like and not hit.locative and previous is not None and previous.locative and previous.end > s_start \
            and SEPARATOR.match(text[previous.end:hit.start]):
        hit.locative = True  # "ERBIL, Kurdistan Region", "in Iraq's Anbar", "Baghdad and Babil"


ONE_AREA_KM = 25.0
_IN_TOWN = re.compile(r",?\s+(?:in|near|at|outside|on\s+the\s+outskirts\s+of)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?")


def _locate_by_town(text: str, hits: list[Hit]) -> None:
    """An unknown base, hospital or facility said to be in a known town ("the Ziv Medical Center in Safed")
    is located by that town, with the town's precision (and the source saying so)."""
    for hit, following in zip(hits, hits[1:]):
        if hit.entry is None and hit.cue and following.entry is not None \
                and following.entry.kind in ("city", "district", "neighbourhood"):
            gap = _IN_TOWN.match(text, hit.end)
            if gap is not None and gap.end() == following.start:
                hit.near = following.entry
    # a building no town is named beside ("at Kamal Adwan Hospital"), in an article whose towns all lie
    # within `ONE_AREA_KM` of each other: located by the town named most, with a precision that says so
    towns = [h.entry for h in hits if h.entry is not None and h.entry.kind in ("city", "district", "neighbourhood")
             and (not h.flagged or h.locative or h.named)]
    lonely = [h for h in hits if h.entry is None and h.near is None and h.cue == "facility"]
    if lonely and towns and all(distance_km(a.lat, a.lon, b.lat, b.lon) <= ONE_AREA_KM for a in towns for b in towns):
        main = max(set(towns), key=towns.count)
        for hit in lonely:
            hit.near = main


def _mention(article, text: str, hit: Hit) -> PlaceMention:
    sentence = hit.sentence
    entry = hit.entry
    sentence_text, sentence_index = (sentence.text, sentence.index) if sentence else ("", -1)
    mention = text[hit.start:hit.end]
    # (positional arguments, in the order of the fields: a dozen keywords would cost more than the rest)
    if entry is None and hit.near is not None:
        town = hit.near
        return PlaceMention(article.article_id, mention, hit.start, hit.end, mention, hit.cue, town.country, town.lat,
                            town.lon, max(town.precision_km, rules.CUE_PRECISION_KM[hit.cue]), "gazetteer", "found",
                            f"approximated by {town.name}, the town the article puts it in or the only area it names "
                            f"({town.source})",
                            sentence_text, sentence_index, hit.locative)
    if entry is None:
        return PlaceMention(article.article_id, mention, hit.start, hit.end, "", hit.cue or "other", "", None, None,
                            None, "unresolved", "no_match", "", sentence_text, sentence_index, hit.locative)
    canonical, kind, precision, source = entry.name, entry.kind, entry.precision_km, entry.source
    if hit.cue and entry.kind not in rules.CUE_FITS.get(hit.cue, (hit.cue,)):  # "Qaim airport" located by the town
        canonical = f"{entry.name} {hit.cue_text}"
        kind = hit.cue
        precision = max(precision, rules.CUE_PRECISION_KM[hit.cue])
        source = f"approximated by {entry.name} ({entry.source})"
    return PlaceMention(article.article_id, mention, hit.start, hit.end, canonical, kind, entry.country, entry.lat,
                        entry.lon, precision, "gazetteer", "found", source, sentence_text, sentence_index, hit.locative)

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
   national capital of the region ("talks with Damascus"), is a mention only when at least one of
   its occurrences in the article is locative (`kit.places.rules.is_locative`): "Hamas blamed
   Israel" alone does not put Israel on the map, "an attack on Israel" does. States outside the
   region that are actors (the United States, the United Kingdom) need a plain "in the US": "US
   officials", "a US airstrike", "officials in the US" are actors. A name listed among places
   without a preposition counts too ("partners Saudi Arabia and the UAE, ..."), unless the list
   is the subject of a verb or the target of blame (`kit.places.rules.named_as_place`). Then every
   occurrence is emitted, each with its own ``locative`` flag.
5. A kind word after the name extends the mention and says which entry is meant: "Kalso
   military base", "Al-Mashrou district", "Erbil airport" (the airport, not the city), "al-Hol
   camp" (located by its town, with the precision that says so). An unknown name before such a
   word is compared only with places of that kind and accepted when one letter (two in long
   names) differs ("Kalsou" -> Kalsu); otherwise it is kept as an unresolved mention.
6. Several places share a name: the entry is chosen by curated before GeoNames, own name
   before alias, a country the article names, the region (Iraq, Syria, Jordan first, then their
   neighbours), then population: "Iskandariya" is the Iraqi town, not Alexandria in Egypt. A
   direction word locates better without changing the mention: "in northern Iraq" is the mention
   "Iraq" located as northern Iraq.

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
from dataclasses import dataclass, fields

from . import rules
from .gazetteer import Entry, Gazetteer
from .scan import SEPARATOR, Hit, matcher, scan

# countries the kit maps; seas and regions without a country count as inside
REGION = frozenset("IQ SY JO IR IL LB TR SA KW PS YE AE QA BH OM EG CY".split()) | {""}
# national capitals of the region: like actors' names, they need one locative use to be a place
CAPITALS = frozenset({("Baghdad", "IQ"), ("Damascus", "SY"), ("Amman", "JO"), ("Tehran", "IR"), ("Beirut", "LB"),
                      ("Riyadh", "SA"), ("Ankara", "TR"), ("Jerusalem", "IL"), ("Tel Aviv", "IL"), ("Cairo", "EG"),
                      ("Kuwait City", "KW"), ("Doha", "QA"), ("Abu Dhabi", "AE"), ("Manama", "BH"),
                      ("Muscat", "OM"), ("Sanaa", "YE"), ("Nicosia", "CY")})
CORE = {"IQ": 3, "SY": 3, "JO": 3, "IR": 2, "IL": 2, "LB": 2, "TR": 2, "SA": 2, "KW": 2, "PS": 2}


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


def find_places(article, gaz: Gazetteer, lex) -> list[PlaceMention]:
    """Every place mention of ``article`` in text order (see the module docstring for the rules)."""
    m = matcher(gaz, lex)
    text = article.text
    sentences = article.sentences
    starts = list(map(_START_OF, sentences))

    def sentence_at(pos):
        return sentences[max(0, bisect.bisect_right(starts, pos) - 1)] if sentences else None

    hits = scan(text, m, sentence_at)
    context: dict[str, int] = {}
    for hit in hits:
        country = hit.country
        if country is not None:
            context[country] = context.get(country, 0) + 1
    chosen: dict[tuple[str, str], Entry] = {}
    previous = None
    for hit in hits:
        if hit.entry is None and hit.entries:
            if len(hit.entries) == 1:
                hit.entry = hit.entries[0]
            else:
                memo = (hit.key, hit.cue)
                if memo not in chosen:
                    chosen[memo] = _choose(hit, context, gaz)
                hit.entry = chosen[memo]
        _mark_locative(text, hit, previous)
        # a national capital is also its government ("talks with Damascus"); set after the locative
        # test above, which reads only the actor flag
        if not hit.flagged and hit.entry is not None and (hit.entry.name, hit.entry.country) in CAPITALS:
            hit.flagged = True
        previous = hit
    keep_flagged = {id(h.entry) for h in hits if h.flagged and (h.locative or h.named)}
    out = []
    for hit in hits:
        if hit.flagged and id(hit.entry) not in keep_flagged:
            continue
        out.append(_mention(article, text, hit))
    return out


# --------------------------------------------------------------------------- choosing and context


def _choose(hit: Hit, context: dict[str, int], gaz: Gazetteer) -> Entry:
    if len(hit.entries) == 1:
        return hit.entries[0]

    def score(e: Entry):
        return (e.curated, hit.cue == "" or e.kind in rules.CUE_FITS.get(hit.cue, (hit.cue,)), gaz.is_primary(e, hit.key),
                context.get(e.country, 0) > 0, CORE.get(e.country, 1), e.population)
    return max(hit.entries, key=score)


def _mark_locative(text: str, hit: Hit, previous: Hit | None) -> None:
    """Set ``hit.locative`` (``previous``: the hit before it, already marked)."""
    s_start = hit.sentence.start if hit.sentence else 0
    # an actor from outside the region ("the US") needs a plain "in the US": not "officials in the US"
    strict = hit.flagged and hit.entry is not None and hit.entry.country not in REGION
    hit.locative = rules.is_locative(text, s_start, hit.start, hit.end, strict)
    if hit.flagged and not hit.locative:
        hit.named = rules.named_as_place(text, s_start, hit.start, hit.end)
    if not strict and not hit.locative and previous is not None and previous.locative and previous.end > s_start \
            and SEPARATOR.match(text[previous.end:hit.start]):
        hit.locative = True  # "ERBIL, Kurdistan Region", "in Iraq's Anbar", "Baghdad and Babil"


def _mention(article, text: str, hit: Hit) -> PlaceMention:
    sentence = hit.sentence
    entry = hit.entry
    sentence_text, sentence_index = (sentence.text, sentence.index) if sentence else ("", -1)
    mention = text[hit.start:hit.end]
    # (positional arguments, in the order of the fields: a dozen keywords would cost more than the rest)
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

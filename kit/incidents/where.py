"""Where an article's incident happened: its place mentions weighed by what they are next to.

A place is where the incident happened when the article names it *with the attack*: in the same
clause as an attack or casualty word ("twin blasts in Kerman", "struck a hospital in Kiev",
"Hezbollah attack on Majdal Shams"), in the headline, often. Each mention scores

- nothing when it is a dateline ("TEHRAN:", "MOSCOW, July 9 (Reuters) -", "MOSCOW, July 9. /TASS/."):
  that is where the story was filed, never where anything happened;
- nothing inside a clause or a sentence about another time ("Earlier, ...", "since October");
- 1 for a locative use ("in Kyiv"), a quarter for any other ("Kyiv said", "Iran's leaders");
- times 3 when an attack or casualty word is in its clause, times 4 when it is also within a few
  words ("the Kerman bombing", "a strike on Kyiv");

plus 2 for a place the headline names (a national capital, which is also its government, only when
the headline uses it as a place: "Blasts in Tehran", not "Tehran condemns raid"). The *focus country*
is the one country a headline with attack words places the attack in ("Pakistani airstrikes kill 4
in Iran"), else that of the best place below a country tied to the attack, else the country with
the highest total; the *incident place* is, among the places of the focus country with at least `SUPPORT` of the best
total, the most specific one inside the best place's area (a hospital in Kyiv rather than Kyiv, Kyiv
rather than Ukraine), so a country is the incident place only when no town of the incident is known.

Example:
    >>> from kit.articles.sentences import split_sentences
    >>> text = "TEHRAN: Officials said twin blasts in Kerman killed 84. Tehran vowed revenge."
    >>> places = [dict(start=0, end=6, canonical="Tehran", country="IR", kind="city", locative=True, lat=35.7, lon=51.4,
    ...                precision_km=20.0, sentence_index=0, mention="TEHRAN"),
    ...           dict(start=38, end=44, canonical="Kerman", country="IR", kind="city", locative=True, lat=30.3, lon=57.1,
    ...                precision_km=10.0, sentence_index=0, mention="Kerman"),
    ...           dict(start=56, end=62, canonical="Tehran", country="IR", kind="city", locative=False, lat=35.7, lon=51.4,
    ...                precision_km=20.0, sentence_index=1, mention="Tehran")]
    >>> chosen = weigh_places(split_sentences(text), places, "Iran mourns")
    >>> chosen.focus_country, places[chosen.rows[0]]["canonical"]
    ('IR', 'Kerman')
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from ..articles.datelines import dateline_length
from ..places.rules import LOCATIVE_OF, is_locative

SUPPORT = 0.35  # a candidate needs this share of the best place's score ...
ENOUGH = 3.0  # ... or this much: one locative mention in the clause of an attack
NEAR_WORDS = 5  # "within a few words" of an attack word
SPECIFICITY = {"base": 0, "airport": 0, "facility": 0, "neighbourhood": 1, "district": 1, "city": 2,
               "governorate": 3, "region": 4, "country": 5, "sea": 6, "other": 6}
BROAD = ("country", "sea")  # places that say which country, not where in it
# words of an attack, and of its toll, in the clause of the place the attack is at
ATTACK = (r"air\s*strikes?|strikes?|struck|attacks?|attacked|blasts?|explosions?|exploded|bomb(?:s|ing|ings|ed|er|ers)?|"
          r"drones?|rockets?|missiles?|shell(?:ing|ed)|raids?|explosives?|assassinat\w+|shooting|shot|fired\s+on|"
          r"hit|hits|slammed|landed|fell|massacre|tragedy|incident")
TOLL = r"killed|killing|kills|dead|deaths?|died|wounded|wounding|injured|injuring|injuries|casualties"
HARM_WORDS = re.compile(rf"\b(?:(?P<attack>{ATTACK})|{TOLL})\b", re.I)
# "MOSCOW, July 9. /TASS/." : a wire's place, date and agency between slashes (TASS, Interfax style)
_SLASH_AGENCY = re.compile(r"^[A-Z][A-Za-z'.\- ]{1,40}(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\.?\s*/[A-Za-z][\w .-]{0,30}/\.?\s*")
# a sentence that is only a place, a date and an agency: "MOSCOW, July 9."
_BARE_DATELINE = re.compile(r"^[A-Z][A-Za-z'.\- ]{1,40},\s+(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\.?\s*$")
_WORD = re.compile(r"\w+")
# words of saying and of statements: a day next to one is the statement's (`kit.incidents.when`)
_STATEMENT_DAY = re.compile(
    r"\b(?:said|says|told|announced|reported|rejected|denied|confirmed|claimed|stated|added|warned|vowed|insisted|"
    r"issued|released|published|posted|wrote|tweeted|declared|accused|blamed|asserted|statement|briefing|"
    r"conference|interview|meeting|session)\b", re.I)


@dataclass
class PlaceChoice:
    """What `weigh_places` found: the focus country, the incident place's rows first, the scores."""

    focus_country: str = ""
    rows: list[int] = field(default_factory=list)  # indexes into the mentions, the incident place first
    scores: dict[str, float] = field(default_factory=dict)  # per canonical place
    datelines: set[int] = field(default_factory=set)  # indexes of mentions that are datelines


def dateline_end(text: str) -> int:
    """How many characters at the start of a sentence are a dateline (0 for none).

    >>> [dateline_end(t) for t in ("MOSCOW, July 9. /TASS/. The Kremlin said", "MOSCOW, July 9.", "BEIRUT — The", "Kyiv said")]
    [24, 15, 9, 0]
    """
    slash = _SLASH_AGENCY.match(text)
    if slash:
        return slash.end()
    if _BARE_DATELINE.match(text):
        return len(text)
    return dateline_length(text)


def _get(place, name):
    return place.get(name) if isinstance(place, dict) else getattr(place, name, None)


class _Harm:
    """The attack and toll words of one sentence, found once, looked up by position."""

    def __init__(self, text: str):
        found = list(HARM_WORDS.finditer(text))
        self.attack = [(m.start(), m.end()) for m in found if m.group("attack")]
        self.toll = [m.start() for m in found if not m.group("attack")]
        self.starts = [start for start, _ in self.attack]

    def link(self, text: str, start: int, end: int, clause: tuple[int, int]) -> float:
        """How much the words around a name tie it to the attack: 4 for an attack word within
        `NEAR_WORDS` words in its clause, 3 for one elsewhere in the clause, 2 for a toll word only
        ("killed in Kyiv"), 1.5 for an attack word elsewhere in the sentence, else 1."""
        a, b = clause
        best = 1.5 if self.attack else 1.0
        i = bisect.bisect_left(self.toll, a)
        if i < len(self.toll) and self.toll[i] < b:
            best = 2.0
        after = bisect.bisect_left(self.starts, end)  # the nearest attack words after and before the name
        for index in (after - 1, after):
            if 0 <= index < len(self.attack):
                word_start, word_end = self.attack[index]
                if a <= word_start < b:
                    left, right = (end, word_start) if word_start >= end else (word_end, start)
                    near = right - left <= 120 and _words_between(text, left, right, word_start < start) <= NEAR_WORDS
                    best = max(best, 4.0 if near else 3.0)
        if best < 3.0:  # an attack word farther away in the clause
            j = bisect.bisect_left(self.starts, a)
            if j < len(self.starts) and self.starts[j] < b:
                best = 3.0
        return best


def _words_between(text: str, left: int, right: int, before_name: bool) -> int:
    """The words from ``left`` to ``right``; before a name, not those of its place phrase ("the city of").

    >>> s = "explosions hit different areas around the city of Saravan"
    >>> _words_between(s, 14, s.index("Saravan"), True), _words_between(s, 14, s.index("Saravan"), False)
    (3, 6)
    """
    words = _WORD.findall(text, left, right)
    if before_name and len(words) >= 2 and words[-1].lower() == "of" and words[-2].lower() in LOCATIVE_OF:
        words = words[:-3] if len(words) >= 3 and words[-3].lower() == "the" else words[:-2]
    return len(words)


def in_title(title: str, names: list[str]) -> bool:
    """True when the headline names the place (as written in the text, or its canonical name).

    >>> in_title("Iran lowers death toll from twin Kerman blasts", ["Kerman"]), in_title("Iranian toll", ["Iran"])
    (True, False)
    """
    return any(name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title or "", re.I) for name in names)


def named_as_place(title: str, names: list[str]) -> bool:
    """True when the headline uses one of the names as a place ("Strike on Kyiv"), not as an actor.

    >>> named_as_place("Tehran condemns raid, summons Islamabad's envoy", ["Tehran"]), named_as_place("Blasts in Tehran", ["Tehran"])
    (False, True)
    """
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", title or "", re.I) if name else ():
            if is_locative(title, 0, match.start(), match.end()):
                return True
    return False


def weigh_places(sentences, places: list, title: str = "", clause_of=None, shifted=None, locative_of=None,
                 government=None, headline: bool = True) -> PlaceChoice:
    """Score every mention (see the module docstring) and choose the incident place.

    ``clause_of(sentence, offset)`` gives the (start, end) of the clause around an offset (default:
    the sentence); ``shifted(sentence, clause)`` is True for a clause or sentence about another time;
    ``locative_of(sentence, mention)`` whether a mention is used as a place (default: its
    ``locative`` field); ``government(mention)`` whether a name is also a government's (a capital);
    ``headline``: the title is the article's headline (not its first line taken for one).
    """
    by_index = {s.index: s for s in sentences}
    choice = PlaceChoice()
    totals: dict[str, float] = {}
    first: dict[str, int] = {}  # canonical -> its first row (not a dateline), for kind, country, position
    written: dict[str, set] = {}
    linked: dict[int, dict[str, float]] = {}  # sentence -> its places with their best link scores
    harm: dict[int, _Harm] = {}
    datelines: dict[int, int] = {}
    for row, place in enumerate(places):
        sentence = by_index.get(_get(place, "sentence_index"))
        name = _get(place, "canonical") or _get(place, "mention") or ""
        if sentence is None or not name:
            continue
        written.setdefault(name, set()).add(_get(place, "mention") or name)
        start, end = _get(place, "start") - sentence.start, _get(place, "end") - sentence.start
        if sentence.index not in datelines:
            datelines[sentence.index] = dateline_end(sentence.text)
            harm[sentence.index] = _Harm(sentence.text)
        if start < datelines[sentence.index]:
            choice.datelines.add(row)
            continue
        first.setdefault(name, row)
        totals.setdefault(name, 0.0)  # named, so the headline can still point at it
        clause = clause_of(sentence.text, start) if clause_of else (0, len(sentence.text))
        if shifted is not None and shifted(sentence.text, clause):
            continue
        locative = locative_of(sentence, place) if locative_of else bool(_get(place, "locative"))
        link = harm[sentence.index].link(sentence.text, start, end, clause)
        totals[name] = totals.get(name, 0.0) + (1.0 if locative else 0.25) * link
        if locative:
            mine = linked.setdefault(sentence.index, {})
            mine[name] = max(mine.get(name, 0.0), link)
    for name in totals:
        names = [name, *sorted(written[name])]
        if in_title(title, names) and (government is None or not government(places[first[name]]) or named_as_place(title, names)):
            totals[name] += 2.0
    _inherit(totals, linked, places, first)
    choice.scores = totals
    choice.focus_country = (headline and _headline_country(title, totals, written, places, first)) or _focus(totals, places, first)
    if choice.focus_country:
        choice.rows = _ordered_rows(places, totals, first, choice)
    return choice


def _inherit(totals: dict, linked: dict, places: list, first: dict) -> None:
    """A place inside a place an attack is at, in the same sentence, has the attack's support too:
    "rockets fell in Baghdad - the second inside Baghdad International Airport"."""
    for names in linked.values():
        anchors = [(n, link) for n, link in names.items() if link >= ENOUGH]
        for name in names:
            here = places[first[name]]
            for anchor, link in anchors:
                there = places[first[anchor]]
                if anchor != name and SPECIFICITY.get(_get(here, "kind"), 6) < SPECIFICITY.get(_get(there, "kind"), 6) \
                        and _distance_km(here, there) <= (_get(there, "precision_km") or 0.0) + 5.0:
                    totals[name] = max(totals[name], ENOUGH)


def _headline_country(title: str, totals: dict, written: dict, places: list, first: dict) -> str:
    """The one country a headline with attack or toll words places the incident in ("Pakistani
    airstrikes kill 4 children in Iran", "Strike on Kyiv hospital"), else ""."""
    if not title or not HARM_WORDS.search(title):
        return ""
    countries = {_get(places[first[name]], "country") for name in totals
                 if named_as_place(title, [name, *sorted(written[name])])}
    countries.discard(None)
    countries.discard("")
    return countries.pop() if len(countries) == 1 else ""


def _focus(totals: dict, places: list, first: dict) -> str:
    """The incident's country: that of the best place below a country (a region, a town, a base) tied
    to the attack, else that
    of the best total over each country's mentions."""
    towns = {n: s for n, s in totals.items() if _get(places[first[n]], "kind") not in BROAD
             and _get(places[first[n]], "country") and s >= ENOUGH}
    if towns:
        best = max(towns, key=lambda n: (towns[n], -first[n]))
        return _get(places[first[best]], "country")
    by_country: dict[str, float] = {}
    for name, score in totals.items():
        country = _get(places[first[name]], "country")
        if country and _get(places[first[name]], "kind") != "sea":
            by_country[country] = by_country.get(country, 0.0) + score
    return max(by_country, key=lambda c: (by_country[c], c)) if by_country else ""


def _ordered_rows(places: list, totals: dict, first: dict, choice: PlaceChoice) -> list[int]:
    """Mention rows of the focus country, the incident place's first (see the module docstring)."""
    mine = {n: s for n, s in totals.items() if _get(places[first[n]], "country") == choice.focus_country}
    best = max(mine, key=lambda n: (mine[n], -first[n]))
    area = places[first[best]]

    def inside(name: str) -> bool:  # every place of the focus country is inside the country (not near its centre)
        return name == best or _get(area, "kind") == "country" \
            or _distance_km(area, places[first[name]]) <= (_get(area, "precision_km") or 0.0) + 25.0

    supported = [n for n in mine if mine[n] >= min(SUPPORT * mine[best], ENOUGH) and inside(n)]

    def rank(name):
        return SPECIFICITY.get(_get(places[first[name]], "kind"), 6), -mine[name], first[name]

    order = sorted(supported, key=rank) + sorted((n for n in mine if n not in supported), key=lambda n: (-mine[n], first[n]))
    position = {name: i for i, name in enumerate(order)}
    rows = [r for r, p in enumerate(places)
            if (_get(p, "canonical") or _get(p, "mention")) in position and r not in choice.datelines]
    return sorted(rows, key=lambda r: (position[_get(places[r], "canonical") or _get(places[r], "mention")], r))


def _distance_km(a, b) -> float:
    la1, lo1, la2, lo2 = (_get(a, "lat"), _get(a, "lon"), _get(b, "lat"), _get(b, "lon"))
    if None in (la1, lo1, la2, lo2):
        return math.inf
    p1, p2 = math.radians(la1), math.radians(la2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


def distance_km(a, b) -> float:
    """Great-circle distance between two place mentions or rows (inf when one has no coordinates).

    >>> round(distance_km({"lat": 33.3, "lon": 44.4}, {"lat": 32.87, "lon": 44.36}))
    48
    """
    return _distance_km(a, b)

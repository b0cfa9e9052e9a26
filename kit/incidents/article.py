"""The incident an article reports, and which of its claims are about other incidents.

Per article (`describe_incident`):

- the *focus country*: the country its place mentions point to most (a locative mention counts twice);
- the *incident sentence*: the first sentence with attack words ("strike", "blast", "rockets
  fell") and a place in the focus country, outside a background clause, not a threat or plan;
- the *date*: a day named near the incident ("early Saturday", "late on Tuesday") resolved
  against the publication date (the closest such day from 6 days before to 1 day after, since
  a US outlet's evening is already the next day in Iraq); else the publication date;
- the *place*: the most precise place of the focus country named in incident sentences
  (base > district > city > governorate > country).

A claim is *background* (`Incident.is_background`) when its clause
- opens with a time shift to another event ("a day after ...", "following the deaths of ...",
  "prior to", "since", "over the past") unless it points back at the incident ("after the attack");
- or locates an event in another country ("in Iran", "at Israel", "a base in Jordan");
- or, having neither, stands in a sentence that continues a background passage: "It comes a day
  after ..." and the sentences after it, until one names a place of the focus country; or
  comes before the article first reports its incident.

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.lexicons import load_lexicons
    >>> text = "A strike hit a base in Baghdad on Thursday. It comes a day after 95 people were killed in Iran."
    >>> inc = describe_incident(Article("a", "a.txt", None, text, "0", published="2024-01-05"), [], load_lexicons())
    >>> inc.date
    '2024-01-04'
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..claims.keywords import Keywords, ascii_folds
from ..memos import memoized

ATTACK_WORDS = re.compile(
    r"\b(?:air\s*strikes?|strikes?|struck|attacks?|attacked|blasts?|explosions?|bomb(?:s|ing|ings|ed)?|"
    r"drones?|rockets?\s+(?:fell|hit|landed|struck|were\s+fired)|missiles?|shell(?:ing|ed)|raids?|explosives?|"
    r"assassinat\w+|killed|killing)\b", re.I)
# segment breaks: punctuation (", but", "; ", " - ", ", while"), each cut after it, and, in a sentence
# with _TIME_SHIFT_WORDS, time-shift openers ("in response to", "a day after", "following"), each
# cut before it. A break's first character is taken by a set and told apart by a look-behind, so
# that the regex engine skips in C to the next comma, semicolon or space.
_PUNCTUATION_BREAK = re.compile(r"[,;\s](?:(?<=,)\s+but\s+|(?<=;)\s+|(?<=\s)\s*[\u2013\u2014]\s+|(?<=\s)\s*-\s+|"
                                r"(?<=,)\s+(?:though|although|while|whereas|which|who)\s+)", re.I)
_TIME_SHIFT_BREAK = re.compile(
    r"\b(?=in\s+(?:response|retaliation)\s+(?:to|for)\b|"
    r"(?:a|an|one|two|three|four|five|six|several|\d+)\s+(?:day|days|week|weeks|month|months|year|years)\s+(?:after|before|earlier)\b|"
    r"(?:after|following|before|prior\s+to|since)\b)", re.I)
_TIME_SHIFT_WORDS = Keywords("response", "retaliation", "after", "before", "earlier", "following", "prior", "since")
# _TEMPORAL_START and _POINTS_BACK are used as pattern.match(text, start, end): they look at
# nothing before start (no ^, no look-behind, no leading \b), so that reads text[start:end]
_TEMPORAL_START = re.compile(
    r"\W*(?:just\s+|only\s+|shortly\s+|days\s+|weeks\s+|hours\s+|soon\s+)?(?:(?:a|an|one|two|three|four|five|six|several|\d+)\s+"
    r"(?:day|days|week|weeks|month|months|year|years)\s+(?:after|before|earlier)|after|following|before|prior\s+to|since|"
    r"over\s+the\s+past|in\s+(?:the\s+)?(?:past|recent)\s+\w+|earlier|previously|last\s+(?:week|month|year)|in\s+(?:19|20)\d\d)\b", re.I)
_POINTS_BACK = re.compile(r"\W*(?:after|following)\s+(?:the|this|that)\s+(?:\w+\s+)?(?:attack|strike|airstrike|explosion|blast|bombing|incident|raid|assault)s?\b(?!\s+(?:in|on)\b)", re.I)
_TOPIC_SHIFT = re.compile(
    r"^\W*(?:(?:it|this|that)\s+(?:also\s+)?(?:comes?|came)\s+(?:\w+\s+){0,4}?(?:after|before|amid|as|days?|weeks?)\b|"
    r"(?:since|prior\s+to|previously|earlier|last\s+(?:week|month|year)|in\s+(?:19|20)\d\d|over\s+the\s+past|before)\b)", re.I)
_AFFILIATION = re.compile(r"(?:officials?|authorities|sources?|leaders?|spokesm[ae]n|spokesperson|media|governments?|"
                          r"diplomats?|analysts?|experts?|officers?)\s+(?:in|from)\s+(?:the\s+)?(?:[\w.]+\s+and\s+)?$", re.I)
_BACK_TO_INCIDENT = re.compile(r"^\W*The\s+(?:\w+\s+)?(?:explosion|blast|strike|airstrike|air\s+strike|attack|bombing|raid|"
                               r"drone\s+strike|rocket\s+attack)s?\b(?!\s+(?:in|on)\s+[A-Z])", re.I)
_FUNCTION_WORDS = set("""in on at and or to from for with by of near after before as since today yesterday earlier later this
last that which where when the a an is was were has had have said says over during but while recently into across""".split())
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|will|would|could|threaten\w*|warn\w*|vow\w*)\b", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY_CUE = re.compile(r"\b(?:(?:early|late)\s+(?:on\s+)?|on\s+|last\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|overnight|last\s+night)\b", re.I)
_DAY_WORDS = Keywords("day", "night")  # every _DAY_CUE ends with one
_SPECIFICITY = {"base": 0, "airport": 0, "facility": 0, "neighbourhood": 1, "district": 1, "city": 2,
                "governorate": 3, "region": 4, "country": 5, "sea": 6, "other": 6}


@memoized(maxsize=4096)
def segments(sentence: str) -> list[tuple[int, int]]:
    """Clause-like pieces of a sentence as (start, end) offsets.

    >>> s = "Two died, but police said it came a day after the raid."
    >>> [s[a:b] for a, b in segments(s)]
    ['Two died, but ', 'police said it came ', 'a day ', 'after the raid.']
    """
    cuts = {0, len(sentence)}
    cuts.update(m.end() for m in _PUNCTUATION_BREAK.finditer(sentence))
    if _TIME_SHIFT_WORDS.search(sentence):  # no time-shift opener is inside a punctuation break
        cuts.update(m.start() for m in _time_shift_candidates().finditer(sentence)
                    if _TIME_SHIFT_BREAK.match(sentence, m.start()))
    cuts = sorted(cuts)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if sentence[a:b].strip()]


@functools.lru_cache(maxsize=1)
def _time_shift_candidates() -> re.Pattern:
    """Where a `_TIME_SHIFT_BREAK` may be: a word that opens with a digit or with the first letter
    of one of its words, in either case or as a character ``re.I`` takes for it ("İ" for "i")."""
    letters = "aiotfsbp"
    folds = "".join(ch for ch, letter in ascii_folds().items() if letter in letters)
    return re.compile(f"[{letters}{letters.upper()}{folds}\\d](?<!\\w\\w)")


@memoized(maxsize=4096)
def resolve_day(cue: str, published: str) -> str:
    """The date a day word points to, given the publication date (see module docstring).

    >>> resolve_day("early Saturday", "2024-04-19")
    '2024-04-20'
    """
    if not published:
        return ""
    base = date.fromisoformat(published)
    words = cue.lower().split()
    word = next((w for w in words if w in _WEEKDAYS), words[-1] if words else "")
    if word in ("yesterday",) or cue.lower().endswith("last night"):
        return (base - timedelta(days=1)).isoformat()
    if word in ("today", "overnight"):
        return base.isoformat()
    if word in _WEEKDAYS:
        wanted = _WEEKDAYS.index(word)
        options = [base + timedelta(days=d) for d in range(-6, 2) if (base + timedelta(days=d)).weekday() == wanted]
        return min(options, key=lambda d: abs((d - base).days)).isoformat()
    return base.isoformat()


@dataclass
class Incident:
    """What `describe_incident` found; picklable and cached with the article's claims."""

    focus_country: str = ""
    sentence_index: int = -1
    label: str = ""
    date: str = ""
    date_text: str = ""
    place_rows: list[int] = field(default_factory=list)  # indexes into the article's place mentions
    published: str = ""
    # per sentence: (state before it, is a topic shift, has a focus-country place)
    sentence_info: dict[int, tuple[str, bool, bool]] = field(default_factory=dict)
    foreign: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # sentence -> spans (relative)
    anchors: dict[int, list[int]] = field(default_factory=dict)  # sentence -> focus-country place starts

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def is_background(self, sentence: str, position: int, index: int) -> bool:
        """True when the claim at ``position`` of sentence ``index`` is about another incident."""
        for seg_start, seg_end in segments(sentence):
            if seg_start <= position < seg_end:
                break
        else:
            seg_start, seg_end = 0, len(sentence)
        if _opens_time_shift(sentence, seg_start, seg_end):
            return True
        if any(seg_start <= s < seg_end for s, _ in self.foreign.get(index, [])) and \
                not any(seg_start <= s < seg_end for s in self.anchors.get(index, [])):
            return True  # another country, unless the clause names the focus country too ("in Iraq and Syria")
        state, shift, anchored = self.sentence_info.get(index, ("main", False, False))
        if shift:
            return True
        return state == "background" and not anchored


def _opens_time_shift(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` opens with a time shift to another event and does not point
    back at the incident (read in place: the patterns look at nothing before ``start``).

    >>> s = "It comes a day after 95 died. After the attack, police came."
    >>> _opens_time_shift(s, 9, 29), _opens_time_shift(s, 29, len(s))
    (True, False)
    """
    return bool(_TEMPORAL_START.match(text, start, end)) and not _POINTS_BACK.match(text, start, end)


def _temporal_segments(text: str) -> list[tuple[int, int]]:
    """Segments that open with a time shift to another event (and do not point back at the incident)."""
    return [(a, b) for a, b in segments(text) if _opens_time_shift(text, a, b)]


_FOLLOWING_WORD = re.compile(r"\s+([a-z][a-z-]*)")


def _adjectival(text: str, end: int) -> bool:
    """True for a name used as an adjective ("US officials"), not as a location.

    "the Jordan attack" is not adjectival here: a place naming an attack points at that place.

    >>> _adjectival("US officials said", 2), _adjectival("the Jordan attack", 10), _adjectival("in Iraq on", 7)
    (True, False, False)
    """
    if not 0 <= end <= len(text):  # an offset outside the sentence reads as a slice would
        text, end = text[end:], 0
    following = _FOLLOWING_WORD.match(text, end)
    if not following or following.group(1) in _FUNCTION_WORDS:
        return False
    # the attack words start after the spaces, where \b looks back at a space as after a slice
    return not ATTACK_WORDS.match(text, following.start(1))


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|at|on|to|into|onto|across|inside|near|from|against|toward|towards|over|around|throughout|within|through|"
    r"(?:north|south|east|west|outside|outskirts|centre|center|parts?)\s+of)\s+(?:the\s+)?"
    r"(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*\s*(?:,|and|or)\s+(?:the\s+)?)*$", re.I)
# _PREPOSITION_BEFORE read backwards, to match once at the end of the text instead of searching it:
# a match must end there, and a search tries (and backtracks through) every earlier start
_PREPOSITION_BEFORE_REVERSED = re.compile(
    r"(?:(?:\s+eht)?\s+(?:,|dna|ro)\s*[\w.'-]*[A-Z](?:\s+[\w.'-]*[A-Z])*)*(?:\s+eht)?\s+"
    r"(?:ni|ta|no|ot|otni|otno|ssorca|edisni|raen|morf|tsniaga|drawot|sdrawot|revo|dnuora|tuohguorht|nihtiw|hguorht|"
    r"fo\s+(?:htron|htuos|tsae|tsew|edistuo|strikstuo|ertnec|retnec|s?trap))\b", re.I)


def _prepositional(text: str, start: int) -> bool:
    """True when a country name is governed by a place preposition ("in Iraq", "attacks on Israel",
    "in Iraq and Syria"), not used as an actor ("Iraq closed its airspace").

    Tests the 80 characters before the name with `_PREPOSITION_BEFORE_REVERSED` on them reversed.

    >>> s = "Rockets hit bases in Iraq and Syria. Iraq closed its airspace."
    >>> [_prepositional(s, s.index(name)) for name in ("Iraq", "Syria", "Iraq closed")]
    [True, True, False]
    """
    return bool(_PREPOSITION_BEFORE_REVERSED.match(text[max(0, start - 80):start][::-1]))


def _place_fields(place) -> tuple:
    """(start, end, country or "", kind, locative, lat, sentence_index) of a place mention or its row dict."""
    get = place.get if isinstance(place, dict) else lambda name: getattr(place, name, None)
    return (get("start"), get("end"), get("country") or "", get("kind"), get("locative"), get("lat"),
            get("sentence_index"))


def describe_incident(article, places: list, lex=None) -> Incident:
    """Find the article's incident, its date and place, and the sentence states for background."""
    sentences = article.sentences
    fields = [_place_fields(place) for place in places]
    by_sentence: dict[int, list[tuple[int, tuple]]] = {}
    weights: Counter = Counter()
    for row_index, place in enumerate(fields):
        _, _, country, kind, locative, _, index = place
        if index is None:
            continue
        by_sentence.setdefault(index, []).append((row_index, place))
        if country and kind not in ("sea", "region"):
            weights[country] += 2 if locative else 1
    focus = weights.most_common(1)[0][0] if weights else ""
    incident = Incident(focus_country=focus, published=article.published, date=article.published)

    state, incident_seen = "main", False
    for sentence in sentences:
        text = sentence.text
        placed = by_sentence.get(sentence.index)
        foreign, anchored, anchor_outside_bg, temporal = (_place_roles(incident, sentence, placed) if placed
                                                          else ([], False, False, []))
        shift = bool(_TOPIC_SHIFT.match(text))
        back = not shift and bool(_BACK_TO_INCIDENT.match(text))
        if not incident_seen and anchor_outside_bg and not shift:
            attack = ATTACK_WORDS.search(text)
            # the words before the attack word, as a slice ends at it
            if attack and not _HYPOTHETICAL.search(text, 0, attack.start()):
                incident_seen, state = True, "main"
                incident.sentence_index, incident.label = sentence.index, text[:240]
        incident.sentence_info[sentence.index] = (state, shift, anchor_outside_bg or back)
        if shift:
            state = "background"
        elif anchor_outside_bg or back:
            state = "main"
        elif foreign and not anchored:
            foreign_outside = [s for s, _ in foreign if not any(a <= s < b for a, b in temporal)]
            state = "background" if foreign_outside else state

    if not incident_seen:  # no located attack: take the first sentence with attack words, else the first
        first = next((s for s in sentences if ATTACK_WORDS.search(s.text)), sentences[0] if sentences else None)
        if first is not None:
            incident.sentence_index, incident.label = first.index, first.text[:240]

    _date_and_place(incident, article, fields, by_sentence)
    return incident


def _place_roles(incident: Incident, sentence, placed: list[tuple[int, tuple]]):
    """(foreign spans, anchored, anchored outside a time shift, time-shift segments) of one sentence
    with places; records its anchors and foreign spans on ``incident``."""
    text, rel, focus = sentence.text, sentence.start, incident.focus_country
    foreign, anchored, anchor_outside_bg = [], False, False
    temporal = _temporal_segments(text)  # only places are tested against them
    for _, (start, end, country, kind, _, _, _) in placed:
        start, end = start - rel, end - rel
        in_temporal = any(a <= start < b for a, b in temporal)
        if kind == "country":  # a country is a location only after a place preposition ("in Iraq")
            locative = _prepositional(text, start) and not _adjectival(text, end)
        else:
            locative = not _adjectival(text, end)
        if country == focus and focus and locative:
            anchored = True
            incident.anchors.setdefault(sentence.index, []).append(start)
            anchor_outside_bg = anchor_outside_bg or not in_temporal
        elif country and country != focus and kind not in ("sea", "region") and locative \
                and not _AFFILIATION.search(text[max(0, start - 50):start]):
            foreign.append((start, end))
    if foreign:
        incident.foreign[sentence.index] = foreign
    return foreign, anchored, anchor_outside_bg, temporal


def _date_and_place(incident: Incident, article, fields: list[tuple], by_sentence) -> None:
    sentences = article.sentences
    start = max(incident.sentence_index, 0)
    window = [s for s in sentences[start:start + 8] if not incident.sentence_info.get(s.index, ("main", False, False))[1]]
    for sentence in window[:3]:
        for cue in _DAY_CUE.finditer(sentence.text) if _DAY_WORDS.search(sentence.text) else ():
            if not any(a <= cue.start() < b and _TEMPORAL_START.match(sentence.text, a, b) for a, b in segments(sentence.text)):
                incident.date_text = cue.group(0)
                incident.date = resolve_day(cue.group(0), article.published) or article.published
                break
        if incident.date_text:
            break
    candidates = []
    focus, info, foreign = incident.focus_country, incident.sentence_info, incident.foreign
    for sentence in sentences[start:]:
        state, shift, anchored = info.get(sentence.index, ("main", False, False))
        if shift or state == "background" or sentence.index in foreign and not anchored:
            continue
        for row_index, place in by_sentence.get(sentence.index, ()):
            if place[2] == focus and place[5] is not None:  # its country, and a position
                candidates.append(row_index)
    if not candidates:
        candidates = [i for i, place in enumerate(fields) if place[2] == focus]
    incident.place_rows = sorted(dict.fromkeys(candidates), key=lambda i: (_SPECIFICITY.get(fields[i][3], 6), i))

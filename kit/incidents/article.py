"""The incident an article reports, and which of its claims are about other incidents.

Per article (`describe_incident`):

- the *focus country* and the *place*: the country and the most specific place the article names
  with the attack, never a dateline (`kit.incidents.where`);
- the *incident sentence*: the first sentence with attack words ("strike", "blast", "rockets
  fell") and a place in the focus country, outside a background clause, not a threat or plan;
- the *date*: the day the text gives the attack ("Wednesday's explosions", "the January 3
  attack", "killed on Saturday when ..."), not the day a statement was made, resolved against the
  publication date; else the statement's day; else the publication date (`kit.incidents.when`).

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
    >>> inc.date, inc.date_kind
    ('2024-01-04', 'text')
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from ..claims.keywords import Keywords, ascii_folds
from ..memos import memoized
from ..places.rules import LOCATIVE_OF
from ..places.sources import is_capital
from .when import event_day, resolve_day  # noqa: F401 - resolve_day is part of this module's interface
from .where import distance_km, weigh_places

ATTACK_WORDS = re.compile(
    r"\b(?:air\s*strikes?|strikes?|struck|attacks?|attacked|blasts?|explosions?|bomb(?:s|ing|ings|ed)?|"
    r"drones?|rockets?\s+(?:fell|hit|landed|struck|were\s+fired)|missiles?|shell(?:ing|ed)|raids?|explosives?|"
    r"assassinat\w+|killed|killing)\b", re.I)
# segment breaks: punctuation (", but", "; ", " - ", ", while"), each cut after it, and, in a sentence
# with _TIME_SHIFT_WORDS, time-shift openers ("in response to", "a day after", "following"), each
# cut before it. A break's first character is taken by a set and told apart by a look-behind, so
# that the regex engine skips in C to the next comma, semicolon or space.
_PUNCTUATION_BREAK = re.compile(r"[,;\s](?:(?<=,)\s+but\s+|(?<=;)\s+|(?<=\s)\s*[\u2013\u2014]\s+|(?<=\s)\s*-\s+|"
                                r"(?<=,)\s+(?:though|although|while|whereas|which|who|whom|whose|when|in\s+which)\s+)", re.I)
_RELATIVE = re.compile(r",\s+(?:which|who|whom|whose|when|in\s+which)\s+$", re.I)  # ends a segment
# "since October 8, when Hezbollah opened ...": the "when" of a date is that date's clause, not a new one
_WHEN_OF_A_DATE = re.compile(r"(?:\b\d{1,4}|day|night|morning|evening|week|month|year|January|February|March|April|May|June|"
                             r"July|August|September|October|November|December),\s+when\s+$", re.I)
_TIME_SHIFT_BREAK = re.compile(
    r"\b(?=in\s+(?:response|retaliation|revenge)\s+(?:to|for)\b|(?:to\s+)?avenge\b|"
    r"(?:a|an|one|two|three|four|five|six|several|\d+)\s+(?:day|days|week|weeks|month|months|year|years)\s+(?:after|before|earlier)\b|"
    r"(?:after|following|before|prior\s+to|since)\b)", re.I)
_TIME_SHIFT_WORDS = Keywords("response", "retaliation", "revenge", "avenge", "after", "before", "earlier", "following", "prior",
                             "since")
# _TEMPORAL_START and _POINTS_BACK are used as pattern.match(text, start, end): they look at
# nothing before start (no ^, no look-behind, no leading \b), so that reads text[start:end]
_TEMPORAL_START = re.compile(
    r"\W*(?:just\s+|only\s+|shortly\s+|days\s+|weeks\s+|hours\s+|soon\s+)?(?:(?:a|an|one|two|three|four|five|six|several|\d+)\s+"
    r"(?:day|days|week|weeks|month|months|year|years)\s+(?:after|before|earlier)|after|following|before|prior\s+to|since|"
    r"over\s+the\s+past|in\s+(?:the\s+)?(?:past|recent)\s+\w+|earlier|previously|last\s+(?:week|month|year)|in\s+(?:19|20)\d\d|"
    r"(?:to\s+)?avenge|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|\d+)\s+(?:weeks?|months?|years?|decades?)\s+ago)\b",
    re.I)
_POINTS_BACK = re.compile(r"\W*(?:after|following)\s+(?:the|this|that)\s+(?:\w+\s+)?(?:attack|strike|airstrike|explosion|blast|bombing|incident|raid|assault)s?\b(?!\s+(?:in|on)\b)", re.I)
_TOPIC_SHIFT = re.compile(
    r"^\W*(?:(?:it|this|that)\s+(?:also\s+)?(?:comes?|came)\s+(?:\w+\s+){0,4}?(?:after|before|amid|as|days?|weeks?)\b|"
    r"(?:since|prior\s+to|previously|earlier|last\s+(?:week|month|year)|in\s+(?:19|20)\d\d|over\s+the\s+past|before)\b)", re.I)
# a toll of a whole war, not of an incident: "killed during the war", "the war has killed", "wounded since October"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WAR_TOTAL = re.compile(
    r"\b(?:(?:killed|wounded|injured|died|dead|deaths?|casualties)\s+(?:\w+\s+){0,3}?(?:in|during|throughout)\s+the\s+"
    r"(?:\w+\s+){0,2}?(?:war|conflict|invasion|offensive)(?![\w-])|"
    r"(?:the|this)\s+(?:\w+\s+){0,2}?(?:war|conflict|invasion|offensive)\s+(?:has|had|have)\s+(?:now\s+|so\s+far\s+)?"
    r"(?:killed|wounded|injured|claimed)|so\s+far\s+(?:in|this)\s+(?:the\s+)?(?:war|conflict|year)|"
    r"toll\s+(?:from|of|in)\s+the\s+(?:\w+\s+){0,2}?(?:war|conflict|invasion|offensive)(?![\w-]))", re.I)
_INTERRUPTED = re.compile(r",(?!\d{3})|[;:\u2013\u2014]|\b(?:deadliest|worst|largest|biggest|bloodiest|most|first|highest)\b", re.I)
_SINCE_PERIOD = re.compile(
    rf"\W*since\s+(?:the\s+(?:start|beginning|outbreak)\s+of\s+)?(?:the\s+)?(?:war|conflict|invasion|fighting|{_MONTHS}|"
    r"(?:19|20)\d\d|last\s+(?:year|month))\b", re.I)
_AFFILIATION = re.compile(r"(?:officials?|authorities|sources?|leaders?|spokesm[ae]n|spokesperson|media|governments?|"
                          r"diplomats?|analysts?|experts?|officers?)\s+(?:in|from)\s+(?:the\s+)?(?:[\w.]+\s+and\s+)?$", re.I)
# where an attack came from, not another incident: "a rocket fired from the Shebaa area of southern Lebanon"
_ORIGIN = re.compile(r"\b(?:fired|launched|came|coming|crossing|crossed|flew|sent)\s+(?:\w+\s+){0,2}?from\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}$", re.I)
# a sentence opening on "The strike ...", "The blast ...": the incident, named again
_BACK_TO_INCIDENT = re.compile(r"^\W*The\s+(?:\w+\s+)?(?:explosion|blast|strike|airstrike|air\s+strike|attack|bombing|raid|"
                               r"drone\s+strike|rocket\s+attack)s?\b(?!\s+(?:in|on)\s+[A-Z])", re.I)
# the incident's own site or the incident itself, named again ("seen at the site", "would not comment on the incident")
_THE_SCENE = re.compile(r"\b(?:at|to|from|near|around)\s+the\s+(?:site|scene)\b|\bthe\s+incident\b(?!\s+(?:in|on|at|of)\s+[A-Z0-9])",
                        re.I)
_FUNCTION_WORDS = set("""in on at and or to from for with by of near after before as since today yesterday earlier later this
last that which where when the a an is was were has had have said says over during but while recently into across""".split())
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|will|would|could|threaten\w*|warn\w*|vow\w*)\b", re.I)
NEIGHBOUR_KM = 75.0  # a place of another country this close to the incident is its neighbourhood ("the Golan")


@memoized(maxsize=4096)
def segments(sentence: str) -> list[tuple[int, int]]:
    """Clause-like pieces of a sentence as (start, end) offsets.

    >>> s = "Two died, but police said it came a day after the raid."
    >>> [s[a:b] for a, b in segments(s)]
    ['Two died, but ', 'police said it came ', 'a day ', 'after the raid.']
    """
    cuts = {0, len(sentence)}
    cuts.update(m.end() for m in _PUNCTUATION_BREAK.finditer(sentence) if not _WHEN_OF_A_DATE.search(sentence, max(0, m.end() - 40), m.end()))
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


@dataclass
class Incident:
    """What `describe_incident` found; picklable and cached with the article's claims."""

    focus_country: str = ""
    sentence_index: int = -1
    label: str = ""
    date: str = ""
    date_text: str = ""
    date_kind: str = ""  # text, statement, published or "" (`kit.incidents.when`)
    weekday: int = -1  # the incident's weekday when the text names it (0 = Monday)
    month_day: str = ""  # MM-DD when the text names the calendar day
    place_rows: list[int] = field(default_factory=list)  # indexes into the article's place mentions
    datelines: list[int] = field(default_factory=list)  # mentions that are datelines (never the incident's place)
    published: str = ""
    # per sentence: (state before it, is a topic shift, has a focus-country place)
    sentence_info: dict[int, tuple[str, bool, bool]] = field(default_factory=dict)
    foreign: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # sentence -> spans (relative)
    anchors: dict[int, list[int]] = field(default_factory=dict)  # sentence -> focus-country place starts

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def is_background(self, sentence: str, position: int, index: int) -> bool:
        """True when the claim at ``position`` of sentence ``index`` is about another incident."""
        pieces = segments(sentence)
        for number, (seg_start, seg_end) in enumerate(pieces):
            if seg_start <= position < seg_end:
                break
        else:
            number, seg_start, seg_end = len(pieces), 0, len(sentence)
        if _opens_time_shift(sentence, seg_start, seg_end) or war_total(sentence, seg_start, seg_end, position,
                                                                         pieces[number + 1:number + 2]):
            return True
        if 0 < number < len(pieces) and _RELATIVE.search(sentence, *pieces[number - 1]) \
                and _opens_time_shift(sentence, *pieces[number - 1]):
            return True  # "since an Oct. 7 Hamas attack, which Tel Aviv says killed 1,200": the attack's clause
        if any(seg_start <= s < seg_end for s, _ in self.foreign.get(index, [])) and \
                not any(seg_start <= s < seg_end for s in self.anchors.get(index, [])):
            return True  # another country, unless the clause names the focus country too ("in Iraq and Syria")
        state, shift, anchored = self.sentence_info.get(index, ("main", False, False))
        if shift:
            return True
        return state == "background" and not anchored


def war_total(text: str, start: int, end: int, position: int | None = None, following=()) -> bool:
    """True when the clause ``text[start:end]`` counts the dead or wounded of a whole war ("killed
    during the war", "the war has killed") or since a time ("wounded since October"), also when
    that time opens the clause after it (``following``: its (start, end)) and nothing but words lies
    between the claim at ``position`` and it ("killed 12, the deadliest since 2019" is the incident's).

    >>> s = "More than 70,457 people have been wounded since October, the ministry said."
    >>> [war_total(s, a, b, a, segments(s)[i + 1:i + 2]) for i, (a, b) in enumerate(segments(s))][:1]
    [True]
    >>> s = "The attack killed 12 people, the deadliest since 2019."
    >>> war_total(s, 0, 43, 11, [(43, len(s))]), war_total("Two people were killed in the strike.", 0, 37)
    (False, False)
    """
    if _WAR_TOTAL.search(text, start, end):
        return True
    position = start if position is None else position
    for a, b in [(start, end)] + list(following):
        since = _SINCE_PERIOD.search(text, max(a, position), b) if a == start else _SINCE_PERIOD.match(text, a, b)
        if since and not _INTERRUPTED.search(text, position, since.start()):
            return True
    return False


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
    r"(?:(?:\s+eht)?\s+(?:,|dna|ro)\s*[\w.'-]*[A-Z](?:\s+[\w.'-]*[A-Z])*)*"
    r"(?:\s+(?:nrehtuos|nrehtron|nretsae|nretsew|lartnec|nretsaehtuos|nretsewhtuos|nretsaehtron|nretsewhtron))?(?:\s+eht)?\s+"
    r"(?:ni|ta|no|ot|otni|otno|ssorca|edisni|raen|morf|tsniaga|drawot|sdrawot|revo|dnuora|tuohguorht|nihtiw|hguorht|"
    r"fo\s+(?:htron|htuos|tsae|tsew|edistuo|strikstuo|ertnec|retnec|s?trap))\b", re.I)


def _prepositional(text: str, start: int) -> bool:
    """True when a country name is governed by a place preposition ("in Iraq", "attacks on Israel",
    "in Iraq and Syria"), not used as an actor ("Iraq closed its airspace").

    Tests the 80 characters before the name with `_PREPOSITION_BEFORE_REVERSED` on them reversed.

    >>> s = "Rockets hit bases in Iraq and Syria. Iraq closed its airspace. Blasts in southern Iran."
    >>> [_prepositional(s, s.index(name)) for name in ("Iraq", "Syria", "Iraq closed", "Iran")]
    [True, True, False, True]
    """
    return bool(_PREPOSITION_BEFORE_REVERSED.match(text[max(0, start - 80):start][::-1]))


def _place_fields(place) -> tuple:
    """(start, end, country or "", kind, locative, lat, sentence_index) of a place mention or its row dict."""
    get = place.get if isinstance(place, dict) else lambda name: getattr(place, name, None)
    return (get("start"), get("end"), get("country") or "", get("kind"), get("locative"), get("lat"),
            get("sentence_index"))


def _clause_of(text: str, offset: int) -> tuple[int, int]:
    """The segment of ``text`` around ``offset`` (the whole text when none holds it).

    >>> _clause_of("Two died, but police said so.", 20)
    (14, 29)
    """
    pieces = segments(text)
    i = bisect.bisect_right(pieces, (offset, len(text) + 1)) - 1
    if 0 <= i < len(pieces) and pieces[i][0] <= offset < pieces[i][1]:
        return pieces[i]
    return 0, len(text)


_YEAR = re.compile(r"\b(?:in|since|of)\s+((?:19|20)\d\d)\b|\b(?:years?|decades?)\s+ago\b", re.I)


def _shifted(text: str, clause: tuple[int, int], published: str = "") -> bool:
    """True for a sentence that turns to another time, a clause that opens with a time shift, or a
    clause set in an earlier year ("killed in Baghdad in 2020", "four years ago").

    >>> _shifted("A US strike killed him in Baghdad in 2020.", (0, 43), "2024-01-04"), _shifted("Blasts hit Kerman.", (0, 18))
    (True, False)
    """
    if _TOPIC_SHIFT.match(text) or _opens_time_shift(text, *clause):
        return True
    for match in _YEAR.finditer(text, *clause):
        if not match.group(1) or not published or int(match.group(1)) < int(published[:4]):
            return True
    return False


def _locative(sentence, place) -> bool:
    """A mention used as a place (a country only after a place preposition): see `_place_roles`."""
    _, _, _, kind, _, _, _ = _place_fields(place)
    get = place.get if isinstance(place, dict) else lambda name: getattr(place, name, None)
    start, end = get("start") - sentence.start, get("end") - sentence.start
    if kind == "country":
        return _prepositional(sentence.text, start) and not _adjectival(sentence.text, end)
    if _is_capital(place):  # also its government: "a protest to Islamabad" (the mention's own reading)
        return bool(get("locative")) and not _adjectival(sentence.text, end)
    return not _adjectival(sentence.text, end)


def _is_capital(place) -> bool:
    get = place.get if isinstance(place, dict) else lambda name: getattr(place, name, None)
    return is_capital(get("canonical") or "", get("country") or "")


def _per_clause(test):
    """``test(sentence, clause)`` asked once per sentence and clause (a long sentence has many names
    and day words in each clause)."""
    answers: dict = {}

    def cached(sentence, clause):
        key = (id(sentence), clause)
        if key not in answers:
            answers[key] = (sentence, test(sentence, clause))  # the sentence is kept, so its id stays its own
        return answers[key][1]
    return cached


def describe_incident(article, places: list, lex=None) -> Incident:
    """Find the article's incident, its date and place, and the sentence states for background."""
    sentences = article.sentences
    fields = [_place_fields(place) for place in places]
    by_sentence: dict[int, list[tuple[int, tuple]]] = {}
    # a publication date guessed from the text ("October 7" in a story of February) is no day to read
    # weekdays against: the incident is then dated by its own words, or not at all
    published = "" if getattr(article, "published_inferred", False) else (article.published or "")
    shifted = _per_clause(functools.partial(_shifted, published=published))
    headline = "title" in (getattr(article, "metadata_source", None) or {})  # not a first line taken for one
    choice = weigh_places(sentences, places, getattr(article, "title", ""), _clause_of, shifted, _locative, _is_capital,
                          headline)
    for row_index, place in enumerate(fields):
        if place[6] is not None and row_index not in choice.datelines:
            by_sentence.setdefault(place[6], []).append((row_index, place))
    incident = Incident(focus_country=choice.focus_country, published=published, date=published,
                        place_rows=choice.rows, datelines=sorted(choice.datelines))
    here = places[choice.rows[0]] if choice.rows else None
    near_here = {i for i in range(len(places)) if here is not None and distance_km(here, places[i]) <= NEIGHBOUR_KM}

    state, incident_seen = "main", False
    for sentence in sentences:
        text = sentence.text
        placed = by_sentence.get(sentence.index)
        foreign, anchored, anchor_outside_bg, temporal = (_place_roles(incident, sentence, placed, near_here) if placed
                                                          else ([], False, False, []))
        shift = bool(_TOPIC_SHIFT.match(text))
        back = not shift and (bool(_BACK_TO_INCIDENT.match(text)) or (not foreign and bool(_THE_SCENE.search(text))))
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
            # a passage about another incident goes on when the sentence's main clause is there,
            # not when a clause after it only mentions another country ("..., which came as ... in Gaza")
            main_clause = segments(text)[0][1] if segments(text) else len(text)
            foreign_outside = [s for s, _ in foreign if s < main_clause and not any(a <= s < b for a, b in temporal)]
            state = "background" if foreign_outside else state

    if not incident_seen:  # no located attack: take the first sentence with attack words, else the first
        first = next((s for s in sentences if ATTACK_WORDS.search(s.text)), sentences[0] if sentences else None)
        if first is not None:
            incident.sentence_index, incident.label = first.index, first.text[:240]

    @_per_clause
    def elsewhere(sentence, clause) -> bool:  # another time, or another country (and not this one too)
        a, b = clause
        return shifted(sentence.text, clause) or (any(a <= s < b for s, _ in incident.foreign.get(sentence.index, ()))
                                                  and not any(a <= s < b for s in incident.anchors.get(sentence.index, ())))

    day = event_day(sentences, published, _clause_of, elsewhere)
    incident.date, incident.date_kind, incident.date_text = day.date, day.kind, day.text
    incident.weekday, incident.month_day = day.weekday, day.month_day
    return incident


_POSSESSIVE = re.compile(r"(?:'s|\u2019s)\s+((?:[\w-]+\s+){0,3}[\w-]+)?")


def _possessive_of_a_thing(text: str, end: int, starts: list[int]) -> bool:
    """True for a place in the possessive that owns a thing, not a place ("in Iran's Revolutionary
    Guards", "at Iran's consulate"), unlike "in Iraq's Anbar" (a place follows: ``starts``) or "in
    Pakistan's restive south" (a word of a place's part, `kit.places.rules.LOCATIVE_OF`).

    >>> s = "a commander in Iran's Revolutionary Guards, in Pakistan's restive south, in Iraq's Anbar"
    >>> [_possessive_of_a_thing(s, s.index(n) + len(n), [s.index("Anbar")]) for n in ("Iran", "Pakistan", "Iraq")]
    [True, False, False]
    """
    found = _POSSESSIVE.match(text, end)
    if not found:
        return False
    following = found.group(1) or ""
    if any(start > end and start <= found.end() for start in starts):
        return False
    return not any(word.lower() in LOCATIVE_OF for word in following.split())


def _place_roles(incident: Incident, sentence, placed: list[tuple[int, tuple]], near_here: set = frozenset()):
    """(foreign spans, anchored, anchored outside a time shift, time-shift segments) of one sentence
    with places; records its anchors and foreign spans on ``incident``. A place of another country
    within `NEIGHBOUR_KM` of the incident place (rows ``near_here``) is not another incident's."""
    text, rel, focus = sentence.text, sentence.start, incident.focus_country
    foreign, anchored, anchor_outside_bg = [], False, False
    temporal = _temporal_segments(text)  # only places are tested against them
    starts = [start - rel for _, (start, *_rest) in placed]
    for row_index, (start, end, country, kind, _, _, _) in placed:
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
                and not _possessive_of_a_thing(text, end, starts) \
                and row_index not in near_here and not _AFFILIATION.search(text[max(0, start - 50):start]) \
                and not _ORIGIN.search(text[max(0, start - 60):start]):
            foreign.append((start, end))
    if foreign:
        incident.foreign[sentence.index] = foreign
    return foreign, anchored, anchor_outside_bg, temporal

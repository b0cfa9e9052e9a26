"""When an article's incident happened: the day its words give the attack, not the day it was told.

Read in the article's first `WINDOW` sentences, outside clauses about another time, in this order
of trust (the first found of the best kind wins):

1. ``text``: a calendar date with the attack ("the January 3 terrorist attack", "strikes on July 8"),
   a weekday's attack ("Wednesday's explosions", "Monday's strike"), or a day word in the clause of
   an attack or casualty word with nothing that starts another clause between them ("were wounded
   on Saturday when a rocket slammed", "The twin blasts struck on Wednesday"); failing those, a
   weekday's scene in the first sentence, the lede ("Tuesday's sunset in the village of ...");
2. ``statement``: the day a statement was made ("said on Thursday that ...", "Russia on Tuesday
   rejected ...", "in a statement issued on Saturday"), moved back by "the previous day" or "a day
   earlier" when its clause says so: the incident is on or before it;
3. ``published``: the publication date (the incident is on or a few days before it).

A weekday is resolved against the publication date (`resolve_day`: from 6 days before to 1 day
after); a date more than `MAX_DAYS_BEFORE` days before publication is another incident's; a
date without a year takes the publication's year (the year before when it would
otherwise fall after publication). An article without a publication date keeps what it can:
the weekday, or the month and day, so that `kit.incidents.linking` can still join it.

Example:
    >>> from kit.articles.sentences import split_sentences
    >>> day = event_day(split_sentences("Officials said on Thursday that Wednesday's blasts killed 84."), "2024-01-05")
    >>> day.date, day.kind, day.weekday, day.text
    ('2024-01-03', 'text', 2, "Wednesday's")
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .where import _STATEMENT_DAY, HARM_WORDS, dateline_end

WINDOW = 15
LEDE_WORDS = 8
MAX_DAYS_BEFORE = 14  # a calendar date further before publication is another incident's
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")), start=1) for name in names}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_CALENDAR = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH}))"
    rf"(?!\w)(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?(?P<poss>'s)?")
_WEEKDAY = re.compile(r"\b(?:(?:early|late)\s+(?:on\s+)?|on\s+|last\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|"
                      r"saturday|sunday|yesterday|today|overnight|last\s+night)(?P<poss>'s)?\b", re.I)
# the day moved back from the statement's: "had killed 84 people the previous day"
_DAY_BEFORE = re.compile(r"\b(?:the\s+(?:previous|prior)\s+(?:day|night|evening)|the\s+(?:day|night)\s+before|"
                         r"a\s+day\s+(?:earlier|before)|yesterday|last\s+night)\b", re.I)
# what starts another clause between a day word and the attack: the day is not the attack's
_OTHER_CLAUSE = re.compile(r"\b(?:that|which|who|whom|whose|after|before|since|while|as|because)\b|[,;:\u2014\u2013]", re.I)


@dataclass
class EventDay:
    """The incident's day as `event_day` read it."""

    date: str = ""  # YYYY-MM-DD, or "" when it cannot be resolved (no publication date)
    kind: str = ""  # text, statement, published, or "" (nothing known)
    weekday: int = -1  # 0 = Monday, when the text names the day
    month_day: str = ""  # MM-DD, when the text names the calendar day
    text: str = ""  # the words the day was read from


def resolve_day(cue: str, published: str) -> str:
    """The date a day word points to, given the publication date (see the module docstring).

    >>> resolve_day("early Saturday", "2024-04-19"), resolve_day("yesterday", "2024-04-19"), resolve_day("Monday", "")
    ('2024-04-20', '2024-04-18', '')
    """
    if not published:
        return ""
    base = date.fromisoformat(published)
    words = cue.lower().replace("'s", "").split()
    word = next((w for w in words if w in WEEKDAYS), words[-1] if words else "")
    if word == "yesterday" or cue.lower().endswith("last night"):
        return (base - timedelta(days=1)).isoformat()
    if word in WEEKDAYS:
        wanted = WEEKDAYS.index(word)
        options = [base + timedelta(days=d) for d in range(-6, 2) if (base + timedelta(days=d)).weekday() == wanted]
        return min(options, key=lambda d: abs((d - base).days)).isoformat()
    return base.isoformat()


def days_named(text: str, published: str) -> set[str]:
    """The days a sentence names (weekdays and calendar days), resolved against the publication date.

    >>> sorted(days_named("Iran's attack on Tuesday, a week after the January 3 blasts", "2024-01-18"))
    ['2024-01-03', '2024-01-16']
    """
    found = set()
    for cue in _WEEKDAY.finditer(text):
        if cue.group("day").lower() in WEEKDAYS or cue.group("day").lower() in ("yesterday", "last night"):
            found.add(resolve_day(cue.group(0), published))
    for cue in _CALENDAR.finditer(text):
        month = MONTHS[(cue.group("m1") or cue.group("m2")).lower().rstrip(".")]
        year = int(cue.group("year")) if cue.group("year") else None
        found.add(calendar_date(month, int(cue.group("d1") or cue.group("d2")), year, published))
    found.discard("")
    return found


def calendar_date(month: int, day: int, year: int | None, published: str) -> str:
    """A calendar day as YYYY-MM-DD; without a year, the publication's (or the one before).

    >>> calendar_date(1, 3, None, "2024-01-11"), calendar_date(12, 30, None, "2024-01-02"), calendar_date(2, 30, 2024, "")
    ('2024-01-03', '2023-12-30', '')
    """
    try:
        if year:
            return date(year, month, day).isoformat()
        if not published:
            return ""
        base = date.fromisoformat(published)
        found = date(base.year, month, day)
        if found > base + timedelta(days=1):
            found = date(base.year - 1, month, day)
        return found.isoformat()
    except ValueError:  # 30 February, 29 February of a common year
        return ""


_NOUN_USE = re.compile(r"\bthe\s+$", re.I)


class _Harm:
    """The attack and casualty words of one sentence, except people ("to see the wounded"), by position."""

    def __init__(self, text: str):
        self.words = [(m.start(), m.end()) for m in HARM_WORDS.finditer(text)
                      if not (m.group(0).lower() in ("dead", "wounded", "injured")
                              and _NOUN_USE.search(text, max(0, m.start() - 5), m.start()))]
        self.starts = [start for start, _ in self.words]

    def any_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.starts[i] < end

    def joined(self, text: str, cue: re.Match, clause: tuple[int, int]) -> bool:
        """True when an attack or casualty word of the clause is reached from the day word with
        nothing starting another clause between them (only the nearest word on each side can be)."""
        after = bisect.bisect_left(self.starts, cue.end())
        for index in (after - 1, after):
            if 0 <= index < len(self.words):
                start, end = self.words[index]
                if not clause[0] <= start < clause[1]:
                    continue
                a, b = (cue.end(), start) if start >= cue.end() else (end, cue.start())
                if not _OTHER_CLAUSE.search(text, a, b):
                    return True
        return False


def _of_statement(text: str, cue: re.Match) -> bool:
    """True when the day word sits next to a verb of saying or a statement (three words either side)."""
    before = text[max(0, cue.start() - 40):cue.start()].split()[-3:]
    after = text[cue.end():cue.end() + 40].split()[:3]
    return bool(_STATEMENT_DAY.search(" ".join(before + after)))


def event_day(sentences, published: str, clause_of=None, elsewhere=None) -> EventDay:
    """The incident's day (see the module docstring).

    ``clause_of(text, offset)`` gives the clause around an offset of a sentence (default: the whole
    sentence); ``elsewhere(sentence, clause)`` is True for a clause about another time or place.
    """
    found: dict[str, EventDay] = {}
    lede = None  # the first sentence of LEDE_WORDS words or more (not "Published January 18, 2024")
    for sentence in list(sentences)[:WINDOW]:
        text = sentence.text
        if lede is None and len(text.split()) >= LEDE_WORDS:
            lede = sentence.index
        skip = dateline_end(text)
        harm = _Harm(text)
        for cue in _CALENDAR.finditer(text, skip):
            clause = clause_of(text, cue.start()) if clause_of else (0, len(text))
            if elsewhere is not None and elsewhere(sentence, clause):
                continue
            month = MONTHS[(cue.group("m1") or cue.group("m2")).lower().rstrip(".")]
            day = int(cue.group("d1") or cue.group("d2"))
            year = int(cue.group("year")) if cue.group("year") else None
            resolved = EventDay(calendar_date(month, day, year, published), "", -1, f"{month:02d}-{day:02d}", cue.group(0))
            if resolved.date:
                resolved.weekday = date.fromisoformat(resolved.date).weekday()
                if published and (date.fromisoformat(published) - date.fromisoformat(resolved.date)).days > MAX_DAYS_BEFORE:
                    continue  # "Hamas's October 7 attack" in a story of December: another incident
            if cue.group("poss") or harm.joined(text, cue, clause):
                resolved.kind = "text"
                return resolved
            if "statement" not in found and _of_statement(text, cue):
                found["statement"] = _statement(resolved, text, cue, clause)
        for cue in _WEEKDAY.finditer(text, skip):
            clause = clause_of(text, cue.start()) if clause_of else (0, len(text))
            if elsewhere is not None and elsewhere(sentence, clause):
                continue
            word = cue.group("day").lower()
            resolved = EventDay(resolve_day(cue.group(0), published), "", WEEKDAYS.index(word) if word in WEEKDAYS else -1,
                                "", cue.group(0))
            if resolved.date and resolved.weekday < 0:
                resolved.weekday = date.fromisoformat(resolved.date).weekday()
            if cue.group("poss") and harm.any_between(cue.end(), cue.end() + 40):
                found.setdefault("possessive", EventDay(resolved.date, "text", resolved.weekday, "", resolved.text))
            elif cue.group("poss") and sentence.index == lede and not _of_statement(text, cue):
                found.setdefault("lede", EventDay(resolved.date, "text", resolved.weekday, "", resolved.text))
            elif _of_statement(text, cue):
                if "statement" not in found:
                    found["statement"] = _statement(resolved, text, cue, clause)
            elif "clause" not in found and harm.joined(text, cue, clause):
                found["clause"] = EventDay(resolved.date, "text", resolved.weekday, "", resolved.text)
    for kind in ("possessive", "clause", "lede", "statement"):
        if kind in found:
            return found[kind]
    return EventDay(published or "", "published" if published else "")


def _statement(said: EventDay, text: str, cue: re.Match, clause: tuple[int, int]) -> EventDay:
    """The day of a statement, or the day before when its sentence says "the previous day"."""
    before = _DAY_BEFORE.search(text, cue.end())
    if before and said.date:
        day = date.fromisoformat(said.date) - timedelta(days=1)
        return EventDay(day.isoformat(), "text", day.weekday(), "", f"{said.text} ... {before.group(0)}")
    if before and said.weekday >= 0:
        return EventDay("", "text", (said.weekday - 1) % 7, "", f"{said.text} ... {before.group(0)}")
    return EventDay(said.date, "statement", said.weekday, said.month_day, said.text)

"""Datelines: the place (and agency, and date) a wire story opens with, before its first sentence.

"TEL AVIV, Israel (AP) —", "MOSCOW, July 9 (Reuters) -", "Tehran, IRNA --", "BEIRUT:",
"TEHRAN (Tasnim) –", "KYIV, Ukraine —". The place of a dateline is where the story was filed, not
where anything happened, and its words are not part of the first sentence's grammar: the claim
rules read the sentence with the dateline blanked out (same length, so offsets hold), and the
incident rules never take a dateline for the incident's place.

Example:
    >>> [dateline_length(t) for t in ("MOSCOW, July 9 (Reuters) - Russia on Tuesday rejected ...",
    ...                                "Tehran, IRNA -- In a statement, Hezbollah said ...",
    ...                                "BEIRUT: The consular section ...", "Russia said on Tuesday: no.")]
    [27, 16, 8, 0]
"""
from __future__ import annotations

import re

_WORD = r"[A-Z][A-Za-z'.\-]*"
_DATE = r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)"
_DATELINE = re.compile(
    rf"^(?P<place>{_WORD}(?:\s+{_WORD}){{0,2}}(?:,\s+(?:{_DATE}|{_WORD}(?:\s+{_WORD}){{0,2}})){{0,2}})"
    rf"(?:\s*\((?P<agency>[^()]{{1,40}})\))?"
    rf"(?:\s*(?:--|[\u2013\u2014]|-)\s+|:\s+)")


def dateline_length(text: str) -> int:
    """How many characters of ``text`` are its dateline (0 when it has none).

    A dateline's place is one to three capitalised words, in capitals or with an agency, date or
    second place after a comma; then a dash (or a colon for a place in capitals)."""
    match = _DATELINE.match(text)
    if not match:
        return 0
    place = match.group("place")
    first = place.split(",")[0]
    capitals = first.replace(" ", "").replace("-", "").replace(".", "").isupper()
    has_more = "," in place or match.group("agency")
    if text[match.end() - 2: match.end()].strip() == ":" and not capitals:
        return 0  # "Russia said on Tuesday: ..." is a sentence, not a dateline
    if not (capitals or has_more):
        return 0
    return match.end()


def blank_dateline(text: str) -> str:
    """``text`` with its dateline replaced by spaces (same length)."""
    n = dateline_length(text)
    return " " * n + text[n:] if n else text

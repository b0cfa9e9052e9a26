"""Split analysed text into sentences with exact character offsets.

A rule-based splitter (not pysbd or spaCy) because it must be fast (the benchmark reads
thousands of articles a second) and offsets must be exact. Rules:

- every line is a paragraph; a sentence never crosses a line break;
- a sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) followed by space and
  an upper-case letter, digit or opening quote;
- not after abbreviations ("U.S.", "Gen.", "Jan.", "p.m.", single initials);
- a "sentence" longer than `MAX_SENTENCE_CHARS` (a list or junk in one line) is read in pieces
  cut at commas or "and" (``Sentence.cut``), so the parser and the claim rows see bounded text;
- not inside a quotation, so a quoted statement of several sentences stays with its
  "..., CENTCOM wrote" attribution (only when the paragraph's quotes pair up).

Example:
    >>> [s.text for s in split_sentences('Gen. Smith said "It hit. Nobody died," on Friday. The U.S. denied it.')]
    ['Gen. Smith said "It hit. Nobody died," on Friday.', 'The U.S. denied it.']
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt cpt sgt brig adm cmdr rep sen gov pres st jr sr no nos vs etc inc corp co ltd
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun approx est fig al dept
""".split())

# The look-behind makes a match start only at the first mark of a run ("?!?!..."), so a long run
# of punctuation costs linear, not quadratic, time (found by tests/test_hostile_input.py). It
# follows the first mark, so that the pattern opens with a character set: the regex engine then
# skips in C to the next mark instead of trying the pattern at every character.
_BOUNDARY = re.compile(r"[.!?](?<![.!?][.!?])[.!?]*[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its position in the article and its text (``text == article[start:end]``)."""

    index: int
    start: int
    end: int
    text: str
    cut: bool = False  # a piece of an overlong sentence (see `MAX_SENTENCE_CHARS`)


MAX_SENTENCE_CHARS = 2000  # a longer "sentence" (a list, a table or junk in one line) is read in pieces


def _pieces(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """(begin, end) of pieces of ``text`` of at most ``limit`` characters, cut after the last
    comma, semicolon or before the last "and" in the second half of each piece (else at a space,
    else hard): linear in the length, so a 5 MB line costs what 2,500 sentences do.

    >>> [("x, " * 5)[a:b] for a, b in _pieces("x, " * 5, 7)]
    ['x, x,', 'x, x,', 'x,']
    """
    spans, pos = [], 0
    while len(text) - pos > limit:
        window = text[pos: pos + limit]
        cut = max(window.rfind(", ") + 1, window.rfind("; ") + 1, window.rfind(" and "))
        if cut <= limit // 2:
            cut = window.rfind(" ")
        if cut <= limit // 2:
            cut = limit
        spans.append((pos, pos + cut))
        pos += cut
    spans.append((pos, len(text)))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
            for a, b in spans if text[a:b].strip()]


def _is_abbreviation(paragraph: str, dot_end: int) -> bool:
    """True when the full stop ending at ``dot_end`` closes an abbreviation or an initial."""
    match = _WORD_BEFORE.search(paragraph, max(0, dot_end - 12), dot_end)
    if not match:
        return False
    word = match.group(1)
    if "." in word:  # U.S. / a.m. / p.m. / U.N.
        return True
    return len(word) == 1 and word.isupper() or word.lower() in ABBREVIATIONS


def _quote_marks(paragraph: str) -> list[int]:
    """Offsets of the double quotes in ``paragraph``.

    >>> _quote_marks('He said "no" twice.')
    [8, 11]
    """
    marks, at = [], paragraph.find('"')
    while at >= 0:
        marks.append(at)
        at = paragraph.find('"', at + 1)
    return marks


def _split_paragraph(paragraph: str) -> list[tuple[int, int]]:
    quotes = None  # found at the first boundary: most paragraphs are one sentence and have none
    spans, begin = [], 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        if match.group(0) == "." and _is_abbreviation(paragraph, end):
            continue
        if quotes is None:
            quotes = _quote_marks(paragraph)
        # quotes in paragraph[begin:end], counted by bisection so a long paragraph stays linear;
        # quotes that do not pair up are ignored
        if len(quotes) % 2 == 0 and (bisect_left(quotes, end) - bisect_left(quotes, begin)) % 2 == 1:
            continue  # inside a quotation
        spans.append((begin, end))
        begin = end
    spans.append((begin, len(paragraph)))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, stripped of surrounding space, with offsets into ``text``."""
    sentences: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        for begin, end in _split_paragraph(line):
            chunk = line[begin:end]
            stripped = chunk.strip()
            if stripped:
                start = line_start + begin + (len(chunk) - len(chunk.lstrip()))
                if len(stripped) <= MAX_SENTENCE_CHARS:
                    sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped))
                    continue
                for a, b in _pieces(stripped):
                    sentences.append(Sentence(len(sentences), start + a, start + b, stripped[a:b], cut=True))
        line_start += len(line) + 1
    return sentences

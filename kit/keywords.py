"""Quick case-insensitive word tests, run before the expensive regular expressions.

Python's ``re`` cannot skip ahead in a case-insensitive alternation ("kill|dead|..." with
``re.I`` is tried at every position), while lower-casing a sentence and testing a few substrings
runs at C speed. `fold_case` first turns the few non-ASCII letters that ``re.I`` takes for ASCII
ones ("İ" for i, the Kelvin sign for k) into those, so a substring test finds a lower-case ASCII
word exactly where the case-insensitive regular expression would.

Example:
    >>> harm = Keywords("kill", "wound")
    >>> harm.search("Two were KILLED."), harm.search("Nothing happened."), harm.search("İnjured, not kİlled")
    (True, False, True)
"""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=1)
def ascii_folds() -> dict[str, str]:
    """Non-ASCII characters that `re.IGNORECASE` takes for an ASCII letter (the Kelvin sign for k)."""
    letter = re.compile(r"[a-z]", re.I)
    return {ch: next(c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, ch, re.I))
            for ch in map(chr, range(0x80, 0x3000)) if letter.fullmatch(ch)}


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    return str.maketrans(ascii_folds())


def fold_case(text: str) -> str:
    """``text`` lower-cased, with `ascii_folds` applied first: where ``re.I`` finds a lower-case
    ASCII word, ``word in fold_case(text)`` is true.

    >>> fold_case("KİLLED by \u212aH")
    'killed by kh'
    """
    return text.lower() if text.isascii() else text.translate(_fold_table()).lower()


class Keywords:
    """Whether a text contains any of some lower-case ASCII words, in any case."""

    def __init__(self, *words: str):
        self.words = words

    def search(self, text: str) -> bool:
        folded = fold_case(text)
        return any(word in folded for word in self.words)

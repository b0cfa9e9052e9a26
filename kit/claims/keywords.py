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


@functools.lru_cache(maxsize=1)
def _foldable() -> re.Pattern:
    """Finds a character of `ascii_folds`: most non-ASCII text (a dash, a curly quote) has none,
    and scanning for one costs far less than ``str.translate``."""
    return re.compile("[" + "".join(map(re.escape, ascii_folds())) + "]")


def fold_case(text: str) -> str:
    """``text`` lower-cased, with `ascii_folds` applied first: where ``re.I`` finds a lower-case
    ASCII word, ``word in fold_case(text)`` is true.

    >>> fold_case("KİLLED by \u212aH"), fold_case("Blast \u2014 two dead")
    ('killed by kh', 'blast \u2014 two dead')
    """
    if text.isascii() or not _foldable().search(text):
        return text.lower()
    return text.translate(_fold_table()).lower()


class Keywords:
    """Whether a text contains any of some lower-case ASCII words, in any case."""

    def __init__(self, *words: str):
        self.words = words

    def search(self, text: str) -> bool:
        return self.found_in(fold_case(text))

    def found_in(self, folded: str) -> bool:
        """`search` for a text already passed through `fold_case` (fold once, test many word lists).

        >>> Keywords("kill", "wound").found_in(fold_case("Two were KILLED."))
        True
        """
        for word in self.words:  # a plain loop: a generator in any() costs more than the tests
            if word in folded:
                return True
        return False

"""Quick case-insensitive word tests, run before the expensive regular expressions.

Python's ``re`` cannot skip ahead in a case-insensitive alternation ("kill|dead|..." with
``re.I`` is tried at every position), while lower-casing an ASCII sentence and testing a few
substrings runs at C speed. For ASCII text the two answers are the same by construction; other
text takes the regular expression, since case folding beyond ASCII ("İ" matches "i") differs
from ``str.lower``.

Example:
    >>> harm = Keywords("kill", "wound")
    >>> harm.search("Two were KILLED."), harm.search("Nothing happened."), harm.search("İnjured, not kİlled")
    (True, False, True)
"""
from __future__ import annotations

import re


class Keywords:
    """Whether a text contains any of some lower-case ASCII words, in any case."""

    def __init__(self, *words: str):
        self.words = words
        self.regex = re.compile("|".join(map(re.escape, words)), re.I)

    def search(self, text: str) -> bool:
        if text.isascii():
            lower = text.lower()
            return any(word in lower for word in self.words)
        return self.regex.search(text) is not None

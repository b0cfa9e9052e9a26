"""Normalize the characters real web pages carry, before anything is analysed.

The analysed text is the output of `normalize`; every offset the kit writes points into it,
so offsets stay exact by construction.

Example:
    >>> normalize("He said\\u00a0\\u201cno\\u201d.\\r\\n")
    'He said "no".'
"""
from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ ]{2,}")
_TRAILING = re.compile(r"[ ]+\n|\n[ ]+")
# A line that ends mid-sentence (a letter or comma) followed by one that starts in lower case
# is one sentence broken by the page's layout (the Sky News seed: "regret\ncarrying out").
_SOFT_BREAK = re.compile(r"(?<=[a-z,;])\n(?=[a-z])")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize(raw: str) -> str:
    """Return the analysed form of an article body.

    NFKC, straight quotes, plain spaces, no invisible or control characters,
    soft line breaks inside a sentence joined, at most one blank line between paragraphs.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    text = _SOFT_BREAK.sub(" ", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def fold(text: str) -> str:
    """Lower-case ASCII form for matching names: diacritics and punctuation dropped.

    >>> fold("Al-Qā'im")
    'al qaim'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = re.sub(r"['`\u2019\u02bf\u02be]", "", ascii_text)
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()

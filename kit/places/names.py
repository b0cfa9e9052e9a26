"""Place names as the gazetteer compares them: folded keys, and the `Entry` of one place.

Names are compared after `fold` (no accents, apostrophes or hyphens, lower case; `name_key`), so
"Al-Qā'im", "al Qaim" and "AL QAIM" are the same key, "Ar-Ramadi" and "al-Ramadi" too (every
Arabic article al-, el-, ar-, ash-... is read "al"), and a leading article may be left out ("Qaim").

Example:
    >>> fold("Nāḩiyat al-Iskandarīyah"), name_key("Deir ez-Zor")
    ('nahiyat al iskandariyah', 'deir al zor')
    >>> list(index_keys("Al-Qaim", ["Qaim", "Of"]))
    [('al qaim', 'Al-Qaim'), ('qaim', 'Al-Qaim'), ('qaim', 'Qaim')]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PLACE_KINDS = ("country", "governorate", "region", "city", "district", "neighbourhood", "base", "airport",
               "facility", "sea", "other")
# Arabic articles that transliterations write, drop or glue on ("al-Qaim", "Qaim", "Ar Ramadi").
ARTICLES = frozenset("al el ar er as es ash esh ad ed at et az ez an en adh ath".split())
MAX_TOKENS = 8

_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """The comparison key of a name: no accents, apostrophes, hyphens or case; single spaces.

    >>> fold("Kata'ib  Hezbollah"), fold("Al-Mashrou'"), fold("ERBIL")
    ('kataib hezbollah', 'al mashrou', 'erbil')
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def name_key(text: str) -> str:
    """The lookup key of a name: `fold`, without a leading "the", every Arabic article written "al".

    >>> name_key("the Gulf"), name_key("Deir ez-Zor"), name_key("Ar-Ramadi")
    ('gulf', 'deir al zor', 'al ramadi')
    """
    key = fold(text)
    if key.startswith("the ") and len(key) > 4:
        key = key[4:]  # "the Gulf" is "Gulf": the article is matched as a word of the text
    return " ".join("al" if w in ARTICLES else w for w in key.split(" ")) if key else key


def fold_token(token: str) -> str:
    """`fold` for one word of the text (fast path for plain ASCII words)."""
    if token.isascii() and token.isalnum():
        return token.lower()
    return fold(token).replace(" ", "")


def strip_article(key: str) -> str:
    head, _, rest = key.partition(" ")
    return rest if head == "al" and len(rest) >= 3 else key


def index_keys(name: str, aliases):
    """(lookup key, name as written) pairs of a place: each name, and each without its leading Arabic article.

    Short names match only as acronyms ("US", "UAE") or, from three letters, as the place's own name
    ("Hit"): "Of", "Ur", "Usa" (a village's alias) or "Ain" never turn a word into a place.
    """
    for written in (name, *aliases):
        key = name_key(written)
        if not key or len(key.split(" ")) > MAX_TOKENS:
            continue
        if not written.isupper() and (len(key) < 3 or (len(key) < 4 and written != name)):
            continue
        yield key, written
        bare = strip_article(key)
        if bare != key:
            yield bare, written


@dataclass(frozen=True)
class Entry:
    """One place of the gazetteer. ``precision_km``: how far the real spot may be from lat/lon."""

    name: str
    kind: str
    country: str
    admin1: str
    lat: float
    lon: float
    precision_km: float
    source: str
    aliases: tuple[str, ...] = ()
    population: int = 0
    curated: bool = False
    uid: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases

"""Find actors (who might have done it) in a sentence, using ``data/lexicons/actors.csv``.

Matching rules:
- the longest alias wins ("US-led international coalition" before "US");
- short all-capital aliases and dotted ones (US, PMF, U.S.) match only as written; others ignore case;
- a name glued to a hyphen is not the actor ("Iran-backed", "pro-Iran", "Israel-Hamas war");
- names inside outlet names ("The Times of Israel") are not actors.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> lex = load_lexicons()
    >>> [m.canonical for m in find_actors("Iran-backed militias blame US forces, the Times of Israel says", lex)]
    ['Iran-backed militias', 'United States']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicons import Lexicons, split_aliases


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    canonical: str


def _case_sensitive(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return "." in alias or (letters.isupper() and len(letters) <= 5)


def _alias_regex(aliases: list[str]) -> re.Pattern:
    parts = []
    for alias in sorted(set(aliases), key=len, reverse=True):
        body = re.escape(alias).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        parts.append(f"(?-i:{body})" if _case_sensitive(alias) else body)
    return re.compile(r"(?<![\w-])(?:the\s+)?(?:" + "|".join(parts) + r")(?![\w]|-\w)", re.I)


def _build(lex: Lexicons) -> dict:
    canonical_of, parents, aliases = {}, {}, []
    for row in lex.rows("actors"):
        parents[row["canonical"]] = split_aliases(row["parent"])
        for alias in split_aliases(row["aliases"]):
            canonical_of.setdefault(alias.lower(), row["canonical"])
            aliases.append(alias)
    outlets = [a for row in lex.rows("outlets") for a in split_aliases(row["aliases"]) if len(a) > 3]
    return {"regex": _alias_regex(aliases), "canonical": canonical_of, "parents": parents,
            "outlets": _alias_regex(outlets)}


_LEADING_THE = re.compile(r"^the\s+", re.I)
_SPACES = re.compile(r"\s+")


def _canonical(text: str, table: dict) -> str:
    key = _SPACES.sub(" ", _LEADING_THE.sub("", text)).replace("\u2019", "'").lower()
    return table.get(key, "")


def find_actors(text: str, lex: Lexicons) -> list[ActorMention]:
    """Actor mentions in ``text`` in order, with their canonical names."""
    built = lex.compiled("actors", _build)
    blocked = [(m.start(), m.end()) for m in built["outlets"].finditer(text)]
    found = []
    for match in built["regex"].finditer(text):
        if any(s <= match.start() < e for s, e in blocked):
            continue
        canonical = _canonical(match.group(0), built["canonical"])
        if canonical and canonical != "unknown":
            found.append(ActorMention(match.start(), match.end(), match.group(0), canonical))
    return found


def parents_of(canonical: str, lex: Lexicons) -> list[str]:
    """Parent groups of an actor, nearest first ("Kataib Hezbollah" -> ["Popular Mobilization Forces", ...])."""
    return list(lex.compiled("actors", _build)["parents"].get(canonical, []))


def same_side(actor: str, others: list[str], lex: Lexicons) -> bool:
    """True when ``actor`` is one of ``others`` or a parent/child of one (IRGC and Iran are one side)."""
    for other in others:
        if actor == other or actor in parents_of(other, lex) or other in parents_of(actor, lex):
            return True
    return False

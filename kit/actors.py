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

from .keywords import ascii_folds
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


def _first_chars(alias: str) -> set[str]:
    """The characters a mention of ``alias`` may start with, under the alias's case rule."""
    first = alias[0]
    if first == "'":
        return {"'", "\u2019"}
    if _case_sensitive(alias):
        return {first}
    same = {first.lower(), first.upper()} | {ch for ch, low in ascii_folds().items() if low == first.lower()}
    return {ch for ch in same | {first} if len(ch) == 1 and re.fullmatch(re.escape(first), ch, re.I)}


def _rest(alias: str) -> str:
    """Pattern for the alias after its first character (any spacing, either apostrophe)."""
    body = re.escape(alias[1:]).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
    return body if _case_sensitive(alias) else f"(?i:{body})"


class AliasMatcher:
    """Finds aliases in a text: the longest alias wins, an optional "the" is part of the mention,
    a mention is never glued to a word or hyphen on either side ("Iran-backed" is not Iran).

    The pattern is a trie of one level: a branch per first character, each holding the aliases
    that start with it, longest first. It is case-sensitive at the top, so Python's `re` can skip
    to the separators (space, punctuation) in C and try only the few aliases that fit the next
    character; a big ``alias|alias|...`` alternation would be tried whole at every position, about
    seven times slower for the same matches (tests/test_actors.py compares the two on every
    corpus we have and on random text).

    >>> AliasMatcher(["US", "US forces", "Iran"]).spans("The US forces and Iran's pro-Iran men")
    [(0, 13), (18, 22)]
    """

    def __init__(self, aliases: list[str]):
        longest_first = sorted(set(aliases), key=len, reverse=True)
        by_char: dict[str, list[str]] = {}
        for alias in longest_first:
            for char in sorted(_first_chars(alias)):
                by_char.setdefault(char, []).append(alias)
        any_alias = "|".join(f"{re.escape(c)}(?:{'|'.join(map(_rest, group))})" for c, group in by_char.items())
        branches = []
        for char in sorted(set(by_char) | {"t", "T"}):
            options = [_rest(a) for a in by_char.get(char, [])]
            if char in "tT":
                options.insert(0, rf"(?i:he)\s+(?:{any_alias})")
            branches.append(f"{re.escape(char)}(?:{'|'.join(options)})")
        initials = "".join(re.escape(c) for c in sorted(set(by_char) | {"t", "T"}))
        # a separator, then (only if the next character can start one) the mention
        self.pattern = re.compile(rf"[^\w-](?=[{initials}])({'|'.join(branches)})(?![\w]|-\w)")

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every mention in order, never overlapping."""
        padded = " " + text  # the start of the text counts as a separator
        found, match = [], self.pattern.search(padded)
        while match:
            start, end = match.span(1)
            found.append((start - 1, end - 1))
            match = self.pattern.search(padded, end - 1)  # a mention's last character may separate the next one
        return found


def _build(lex: Lexicons) -> dict:
    canonical_of, parents, aliases = {}, {}, []
    for row in lex.rows("actors"):
        parents[row["canonical"]] = split_aliases(row["parent"])
        for alias in split_aliases(row["aliases"]):
            canonical_of.setdefault(alias.lower(), row["canonical"])
            aliases.append(alias)
    outlets = [a for row in lex.rows("outlets") for a in split_aliases(row["aliases"]) if len(a) > 3]
    # only outlet names an actor's name could start in ("The Times of Israel") can hide one
    hiding = [outlet for outlet in outlets if _may_hold_actor(outlet, aliases)]
    return {"mentions": AliasMatcher(aliases), "canonical": canonical_of, "parents": parents,
            "outlets": AliasMatcher(hiding) if hiding else None}


def _plain(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u2019", "'")).lower()


def _may_hold_actor(outlet: str, aliases: list[str]) -> bool:
    """True when a mention of one of ``aliases`` could start inside ``outlet`` (at a word start).

    >>> _may_hold_actor("The Times of Israel", ["Israel", "US"]), _may_hold_actor("Al Jazeera", ["Israel", "US"])
    (True, False)
    """
    plain = [_plain(a) for a in aliases]
    for start in re.finditer(r"(?<![\w-])\S", outlet):
        rest = _plain(outlet[start.start():])
        for tail in {rest, _LEADING_THE.sub("", rest)}:
            if any(alias.startswith(tail) or tail.startswith(alias) for alias in plain):
                return True
    return False


_LEADING_THE = re.compile(r"^the\s+", re.I)
_SPACES = re.compile(r"\s+")


def _canonical(text: str, table: dict) -> str:
    key = _SPACES.sub(" ", _LEADING_THE.sub("", text)).replace("\u2019", "'").lower()
    return table.get(key, "")


def find_actors(text: str, lex: Lexicons) -> list[ActorMention]:
    """Actor mentions in ``text`` in order, with their canonical names."""
    built = lex.compiled("actors", _build)
    spans = built["mentions"].spans(text)
    blocked = built["outlets"].spans(text) if spans and built["outlets"] else []
    found = []
    for start, end in spans:
        if any(s <= start < e for s, e in blocked):
            continue
        canonical = _canonical(text[start:end], built["canonical"])
        if canonical and canonical != "unknown":
            found.append(ActorMention(start, end, text[start:end], canonical))
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

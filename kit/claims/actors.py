"""Find actors (who might have done it) in a sentence, using ``data/lexicons/actors.csv``.

Matching rules:
- the longest alias wins ("US-led international coalition" before "US");
- short all-capital aliases and dotted ones (US, PMF, U.S.) match only as written; others ignore case;
- a name glued to a hyphen is not the actor ("Iran-backed", "pro-Iran", "Israel-Hamas war");
- names inside outlet names ("The Times of Israel") are not actors;
- a metonym (the ``metonyms`` column: a capital or seat of power, "Moscow", "Kyiv", "the White House")
  is the actor only where the text does not use it as a place (`used_as_place`): "Moscow denied" and
  "Kyiv said" are Russia and Ukraine, "strikes on Kyiv", "the Kyiv hospital", "Kyiv's Shevchenko
  district" and the dateline "MOSCOW, July 9" are not actors.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> lex = load_lexicons()
    >>> [m.canonical for m in find_actors("Iran-backed militias blame US forces, the Times of Israel says", lex)]
    ['Iran-backed militias', 'United States']
    >>> [(m.text, m.canonical, m.form) for m in find_actors("Moscow denied a Russian strike on Kyiv.", lex)]
    [('Moscow', 'Russia', 'metonym'), ('Russian', 'Russia', 'name')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicons import Lexicons, split_aliases
from ..memos import MemoDict
from .keywords import ascii_folds, fold_case


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    canonical: str
    form: str = "name"  # "metonym" for a capital or seat of power used for the actor ("Moscow denied")


def _case_sensitive(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return "." in alias or (letters.isupper() and len(letters) <= 5)


def _chars_at(alias: str, index: int) -> set[str]:
    """The characters a mention of ``alias`` may hold at ``index``, under the alias's case rule."""
    char = alias[index]
    if char == "'":
        return {"'", "\u2019"}
    if _case_sensitive(alias):
        return {char}
    same = {char.lower(), char.upper()} | {ch for ch, low in ascii_folds().items() if low == char.lower()}
    return {ch for ch in same | {char} if len(ch) == 1 and re.fullmatch(re.escape(char), ch, re.I)}


def _rest(alias: str, start: int = 1) -> str:
    """Pattern for the alias from ``start`` on (any spacing, either apostrophe)."""
    body = re.escape(alias[start:]).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
    return body if _case_sensitive(alias) or not body else f"(?i:{body})"


def _by_char(aliases: list[str], index: int) -> dict[str, list[str]]:
    """Aliases (kept in order) under each character they may hold at ``index``."""
    groups: dict[str, list[str]] = {}
    for alias in aliases:
        for char in sorted(_chars_at(alias, index)):
            groups.setdefault(char, []).append(alias)
    return groups


def _second_level(group: list[str]) -> str:
    """Alternation of aliases sharing a first character, branched on their exact second letter."""
    lettered = [a for a in group if a[1:2].isalpha() or a[1:2] == "."]
    others = [_rest(a) for a in group if a not in lettered]  # a space or hyphen next: never the same as a letter
    return "|".join([f"{re.escape(c)}(?:{'|'.join(_rest(a, 2) for a in same)})"
                     for c, same in _by_char(lettered, 1).items()] + others)


# a hyphen after these is no glue: "then-US President Donald Trump", "ex-Israeli officials" (but "pro-Iran" is)
TITLE_PREFIXES = r"-(?<=(?<![\w-])(?i:then)-)|-(?<=(?<![\w-])(?i:ex)-)"


class AliasMatcher:
    """Finds aliases in a text: the longest alias wins, an optional "the" is part of the mention,
    a mention is never glued to a word or hyphen on either side ("Iran-backed" is not Iran) except
    after "then-" or "ex-" ("then-US President").

    The pattern is a trie of two levels: a branch per first character, each holding a branch per
    second character, each holding the aliases that start with those two, longest first. Every
    branch starts with one exact character, so Python's `re` can skip to the separators (space,
    punctuation) in C and rule out a branch by comparing one character, where a big
    ``alias|alias|...`` alternation would be tried whole at every position, about seven times
    slower for the same matches (tests/test_actors.py compares the two on every corpus we have
    and on random text). Aliases of one branch differ at that character, so longest-first holds.

    >>> AliasMatcher(["US", "US forces", "Iran"]).spans("The US forces and Iran's pro-Iran men")
    [(0, 13), (18, 22)]
    """

    def __init__(self, aliases: list[str]):
        by_first = _by_char(sorted(set(aliases), key=len, reverse=True), 0)
        any_alias = "|".join(f"{re.escape(c)}(?:{_second_level(group)})" for c, group in by_first.items())
        branches = []
        for char in sorted(set(by_first) | {"t", "T"}):
            options = [rf"(?i:he)\s+(?:{any_alias})"] if char in "tT" else []
            options += [_second_level(by_first[char])] if char in by_first else []
            branches.append(f"{re.escape(char)}(?:{'|'.join(options)})")
        initials = "".join(re.escape(c) for c in sorted(set(by_first) | {"t", "T"}))
        # a separator, then (only if the next character can start one) the mention
        self.pattern = re.compile(rf"(?:[^\w-]|{TITLE_PREFIXES})(?=[{initials}])({'|'.join(branches)})(?![\w]|-\w)")
        # the lower-case ASCII pieces of each alias's words, which any mention of it contains
        self.pieces = [[p for p in re.split(r"[\s'\u2019]+", fold_case(a)) if p.isascii() and p] for a in aliases]

    def may_occur(self, folded: str) -> bool:
        """False when ``folded`` (`kit.claims.keywords.fold_case` of a text) lacks a piece of every alias, so
        `spans` would find nothing; cheap next to `spans` when there are few aliases.

        >>> matcher = AliasMatcher(["Times of Israel"])
        >>> matcher.may_occur(fold_case("the TIMES OF  ISRAEL says")), matcher.may_occur("israel says")
        (True, False)
        """
        return any(all(piece in folded for piece in pieces) for pieces in self.pieces)

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
    canonical_of, parents, aliases, metonyms = {}, {}, [], set()
    for row in lex.rows("actors"):
        parents[row["canonical"]] = split_aliases(row["parent"])
        for alias in split_aliases(row["aliases"]):
            canonical_of.setdefault(alias.lower(), row["canonical"])
            aliases.append(alias)
        for metonym in split_aliases(row.get("metonyms") or ""):
            if metonym.lower() not in canonical_of:  # a name that is also an alias stays a name
                canonical_of[metonym.lower()] = row["canonical"]
                metonyms.add(_plain(_LEADING_THE.sub("", metonym)))
            aliases.append(metonym)
    outlets = [a for row in lex.rows("outlets") for a in split_aliases(row["aliases"]) if len(a) > 3]
    # only outlet names an actor's name could start in ("The Times of Israel") can hide one
    hiding = [outlet for outlet in outlets if _may_hold_actor(outlet, aliases)]
    attack_after = _ATTACK_AFTER | {w + suffix for r in lex.rows("attribution_terms") if r["kind"] in ("attack_noun", "event_noun")
                                     for w in [r["term"].lower()] if " " not in w for suffix in ("", "s")}
    return {"mentions": AliasMatcher(aliases), "canonical": canonical_of, "parents": parents, "metonyms": metonyms,
            "attack_after": frozenset(attack_after),
            "outlets": AliasMatcher(hiding) if hiding else None, "canonical_memo": MemoDict()}


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
    outlets = built["outlets"]  # names that can hide an actor ("The Times of Israel"): rare, so checked cheaply first
    blocked = outlets.spans(text) if spans and outlets and outlets.may_occur(fold_case(text)) else []
    found, known = [], built["canonical_memo"]
    for start, end in spans:
        if any(s <= start < e for s, e in blocked):
            continue
        words = text[start:end]
        canonical = known.get(words)
        if canonical is None:  # the same few names recur: each is looked up once
            if len(known) > 50_000:
                known.clear()
            canonical = known[words] = _canonical(words, built["canonical"])
        if not canonical or canonical == "unknown":
            continue
        if _plain(_LEADING_THE.sub("", words)) in built["metonyms"]:
            if used_as_place(text, start, end, built["attack_after"]):
                continue
            found.append(ActorMention(start, end, words, canonical, "metonym"))
        else:
            found.append(ActorMention(start, end, words, canonical))
    return found


# words before a city name that make it the place: "in Kyiv", "strikes on Moscow", "the mayor of Kyiv"
_PLACE_BEFORE = re.compile(r"(?:^|\s)(?:in|at|on|near|into|onto|over|across|around|outside|inside|toward|towards|to|"
                           r"of|from|against|struck|hit|hits|attacked|targeted|targeting|bombed|shelled|"
                           r"reached|entered|visited|above|throughout|within|downtown|central)\s+$", re.I)
# words after it (directly, or after "'s") that make it the place: "the Kyiv hospital", "Moscow region",
# "the Moscow concert hall attack", "Kyiv's main children's hospital"
_PLACE_AFTER = frozenset("""
region oblast province governorate district districts city centre center suburb suburbs outskirts hospital
hospitals clinic school schools mall market station metro subway airport airports residents resident mayor
streets street apartment apartments building buildings skyline sky skies time concert hall theatre theater
area areas neighbourhood neighborhood neighbourhoods neighborhoods suburban main central northern southern
eastern western children's children bridge court courts police embassy consulate stadium university zoo
""".split())
# attack words right after it (not after "'s"): "the Kyiv strike" is where; "Moscow's strikes" is who
_ATTACK_AFTER = frozenset("strike strikes attack attacks bombing bombings blast blasts explosion explosions shelling "
                          "raid raids massacre".split())
_BLAMED_ON = re.compile(r"\b(?:blamed|blames|blame|blaming|pinned|pins)\s+(?:it\s+|this\s+)?on\s+$", re.I)  # who, not where
_NEXT_WORD = re.compile(r"(?:['’]s)?\s+([\w'’-]+)")
_DATELINE = re.compile(r"\s*(?:,\s*(?:[A-Z]|\d)|\s*\(|\s+[-–—]{1,2}\s)")


def used_as_place(text: str, start: int, end: int, attack_after: frozenset[str] = _ATTACK_AFTER) -> bool:
    """True when the city name at ``text[start:end]`` is used as a place, not for its government.

    >>> [used_as_place(t, 0, 6) for t in ("Moscow denied it", "MOSCOW, July 9 (Reuters)", "Moscow's strikes", "Moscow attack")]
    [False, True, False, True]
    >>> text = "Russia struck Kyiv and the Kyiv region; Kyiv's Shevchenko district burned; Kyiv said so."
    >>> [used_as_place(text, m.start(), m.end()) for m in re.finditer("Kyiv", text)]
    [True, True, True, False]
    """
    words = text[start:end]
    bare = _LEADING_THE.sub("", words)
    if bare.isupper() and len(bare) > 3:  # a dateline: "MOSCOW, July 9", "KYIV (AP) -"
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and _DATELINE.match(text, end):  # "Tehran, IRNA -- In a statement"
        return True
    if words == bare and _PLACE_BEFORE.search(text, max(0, start - 20), start) \
            and not _BLAMED_ON.search(text, max(0, start - 20), start):
        return True
    after = _NEXT_WORD.match(text, end)
    if after:
        following, possessive = after.group(1), after.group(0)[:1] in "'’"
        if following.lower() in _PLACE_AFTER or not possessive and following.lower() in attack_after:
            return True
        if possessive and following[:1].isupper():  # "Kyiv's Shevchenko district"
            return True
    return False


def parents_of(canonical: str, lex: Lexicons) -> list[str]:
    """Parent groups of an actor, nearest first ("Kataib Hezbollah" -> ["Popular Mobilization Forces", ...])."""
    return list(lex.compiled("actors", _build)["parents"].get(canonical, []))


def same_side(actor: str, others: list[str], lex: Lexicons) -> bool:
    """True when ``actor`` is one of ``others`` or a parent/child of one (IRGC and Iran are one side)."""
    for other in others:
        if actor == other or actor in parents_of(other, lex) or other in parents_of(actor, lex):
            return True
    return False

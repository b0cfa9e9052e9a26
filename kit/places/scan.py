"""The scanning half of `kit.places.mentions`: where names start, the longest known name, and the rules that
accept or reject each match (case, common words, modifiers, organisations, persons, kind words).

`find_places` in `kit.places.mentions` is the entry point; this module holds its machinery so each file
stays readable. Nothing here is cached between articles except the per-(gazetteer, lexicons)
`Matcher`, built once, and what it remembers (`WordMemo`, emptied by `kit.memos.forget`) of single
words, keys and matched names, each a pure function of that string and the data: the lookup key of a
word, whether a capitalised word opens a known name, the `NameFacts` of a key, the `NameShape` of a
matched name. Nothing is remembered of a sentence or an article.

Example:
    >>> from kit.pipeline.extract import default_resources
    >>> lex, gaz = default_resources()
    >>> [(h.key, h.cue) for h in scan("Rockets hit the Kalso military base.", matcher(gaz, lex), lambda pos: None)]
    [('kalso military base', '')]
"""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from itertools import compress, repeat
from typing import NamedTuple

from . import rules
from ..lexicons import actor_names
from ..memos import MemoDict
from .gazetteer import ARTICLES, Entry, Gazetteer, fold_token, name_key

TOKEN = re.compile(r"[^\W_]+(?:['’ʼ](?!s\b)[^\W_]+)*")
# where a name can start: a capital letter (Latin, with or without accents)
CAPITAL = "[A-Z\u00c0-\u00de\u0100-\u024f\u1e00-\u1eff]"
CANDIDATE = re.compile(CAPITAL + r"[^\W_]*")
# the same words, each with the apostrophe part of "Kata'ib" (group 1) when one follows, not consumed
CANDIDATE_AND_TAIL = re.compile(CAPITAL + r"[^\W_]*+(?=(['’ʼ](?!s\b)[^\W_]+)|)")
# lower-case words that may open a name before a capital ("al-Qaim", "northern Iraq")
PRE_WORDS = ARTICLES | frozenset("""northern southern eastern western north south east west northeast northwest
southeast southwest northeastern northwestern southeastern southwestern central occupied""".split())
# Arabic articles that are English words too: glued by a hyphen only ("as-Suwayda", "an-Nabatieh")
ENGLISH_ARTICLES = frozenset("as an at ad en".split())
# how the words of PRE_WORDS end: a cheap first test of the word before a name
PRE_ENDINGS = frozenset(word[-2:] for word in PRE_WORDS)
APOSTROPHES = frozenset("'’ʼ")
JOINERS = frozenset((" ", "-", "\u00a0", "\u2010", "\u2011"))
HYPHENS = frozenset(("-", "\u2010", "\u2011"))


_CUE_FIRST_WORDS = [cue[0] for cue, _ in rules.KIND_CUES]
# (searched after every space of the text: the lookahead skips the words no kind word starts like)
CUE_WORD = re.compile(" (?=[" + "".join(sorted({w[0] for w in _CUE_FIRST_WORDS})) + "])(?:"
                      + rules.word_alternation(_CUE_FIRST_WORDS) + r")\b")
CUE_WORD_ANY_CASE = re.compile(" (?:" + rules.word_alternation(_CUE_FIRST_WORDS) + r")\b", re.I)
# the same on ASCII bytes: candidates for CUE_WORD, read without lower-casing the whole text (`_cue_positions`)
_CUE_WORD_ASCII = re.compile(CUE_WORD.pattern.encode())
_CUE_SPAN = 2 + max(map(len, _CUE_FIRST_WORDS))  # a space, the longest first word, the character after it
CUE_NOISE = frozenset("camp base air airbase military army naval airport international airfield district "
                      "governorate province the of".split())


@dataclass(slots=True, frozen=True)
class NameFacts:
    """What the acceptance rules need to know about one lookup key, whatever the text around it."""

    entries: tuple[Entry, ...]
    flagged: bool  # also an actor or outlet alias
    acronym: bool  # some entry writes it in capitals ("UAE")
    acronym_only: bool  # every entry writes it in capitals ("US", never "Us")
    actor_form: bool  # an actor's name the gazetteer lists only as an alias ("Islamic Republic of Iran")
    not_place: bool  # far more often an ordinary word ("Hit", "Said")
    never: bool  # never a place ("Thursday", "March"): ``context`` never in not_places.csv
    lone: bool  # a one-word name only GeoNames knows
    alias_only: bool  # ... and only as an alias of its places
    country: str | None  # the country of every entry, when they share one (`sole_country`)


class NameShape(NamedTuple):
    """How a matched name is written, whatever the key (`_shape`)."""

    capitalised: bool  # its head word starts with a capital ("base" never does)
    upper: bool  # all in capitals, dots and spaces aside ("UAE", "U.S.", "HIT")
    short_upper: bool  # ... with a head of at most four letters ("HIT", "KUT", "UAE")
    head_upper: bool  # its head word is in capitals


@dataclass(slots=True)
class Hit:
    """One accepted name in the text, before it becomes a `kit.places.mentions.PlaceMention`."""

    start: int
    end: int
    key: str
    entries: tuple[Entry, ...]
    flagged: bool  # the name is also an actor or outlet alias
    country: str | None  # `sole_country` of the entries
    sentence: object = None
    cue: str = ""
    cue_text: str = ""
    entry: Entry | None = None
    near: Entry | None = None  # an unknown place located by the town it is said to be in ("Ziv Medical Center in Safed")
    locative: bool = False
    named: bool = False  # an actor's name named as a place, without a preposition (`rules.named_as_place`)


class PrefixNode(NamedTuple):
    """What `_longest` needs to know of one prefix (a key, or the first words of one): all in one lookup."""

    is_name: bool  # the prefix is a whole gazetteer or organisation key
    next_words: frozenset[str] | None  # the words that continue it into a longer prefix, if any
    next_openers: frozenset[str] | None  # the characters those words can begin with (`_openers`)


# a whole name that no longer name continues ("syria"): most prefixes share this node
_LEAF = PrefixNode(True, None, None)


def _prefix_nodes(prefixes: frozenset[str], names: frozenset[str]) -> dict[str, PrefixNode]:
    """prefix -> its `PrefixNode`.

    >>> nodes = _prefix_nodes(frozenset({"erbil", "baghdad", "baghdad international", "baghdad international airport"}),
    ...                       frozenset({"erbil", "baghdad", "baghdad international airport"}))
    >>> nodes["erbil"] is _LEAF, nodes["baghdad"].next_words, nodes["baghdad international"].is_name
    (True, frozenset({'international'}), False)
    """
    following: dict[str, set[str]] = {}
    for prefix in prefixes:
        head, space, word = prefix.rpartition(" ")
        if space:
            following.setdefault(head, set()).add(word)
    return {prefix: PrefixNode(prefix in names, frozenset(following[prefix]), _openers(following[prefix]))
            if prefix in following else _LEAF for prefix in prefixes}


class PrefixNodes(MemoDict):
    """prefix -> its `PrefixNode`, worked out on first sight from the gazetteer and the organisation names
    (`Matcher.orgs`); None for a prefix no name starts with. Remembered across articles."""

    def __init__(self, gaz: Gazetteer, org_nodes: dict[str, PrefixNode]):
        super().__init__()
        self.gaz, self.org_nodes = gaz, org_nodes

    def __missing__(self, prefix: str) -> PrefixNode | None:
        words = self.gaz.next_words(prefix)
        org = self.org_nodes.get(prefix)
        if words is None and org is None:
            node = None
        else:
            is_name = (words is not None and self.gaz.has_key(prefix)) or (org is not None and org.is_name)
            following = (words or frozenset()) | ((org.next_words or frozenset()) if org is not None else frozenset())
            node = PrefixNode(is_name, following, _openers(following)) if following else _LEAF
        if len(self) < 200_000:
            self[prefix] = node
        return node

    def get(self, prefix, default=None):
        node = self[prefix]
        return default if node is None else node

    def __contains__(self, prefix) -> bool:
        return self[prefix] is not None


class Matcher:
    """Lookup structures for one (gazetteer, lexicons) pair, built once and reused for every article."""

    def __init__(self, gaz: Gazetteer, lex):
        self.gaz = gaz
        org: set[str] = set()
        for row in lex.rows("actors"):
            org.update(name_key(a) for a in actor_names(row))
        for row in lex.rows("outlets"):
            org.update(name_key(a) for a in [row["name"], *row["aliases"].split("|")] if a.strip())
        org.discard("")
        self.flagged = frozenset(k for k in org if gaz.has_key(k))
        # "Islamic Republic of Iran": an actor's name that the gazetteer lists as an alias, not a place name
        # (one word too when only the world index has it, as an alias: "Hamas" is an alias of Hamm in Germany)
        self.actor_forms = frozenset(k for k in self.flagged if not any(gaz.is_primary(e, k) for e in gaz.candidates(k))
                                     and (" " in k or not any(e.curated for e in gaz.candidates(k))))
        self.orgs = frozenset(k for k in org if " " in k and not gaz.has_key(k))
        self.org_words = frozenset(k for k in org if " " not in k)
        org_prefixes = set()
        for key in self.orgs:
            words = key.split(" ")
            org_prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
        self.nodes = PrefixNodes(gaz, _prefix_nodes(frozenset(org_prefixes), self.orgs))
        self.prefixes = self.nodes  # `prefix in m.prefixes`: some gazetteer or organisation name starts so
        self.key_facts = WordMemo(self._work_out)  # key -> its `NameFacts`, worked out on its first match
        self.shapes = WordMemo(_shape)  # matched text -> its `NameShape`
        self.word_keys = WordMemo(_token_key)  # word of the text -> its part of a lookup key
        self.words = WordMemo(self._word_facts)  # capitalised word -> (opens a known name, key, node)

    def facts(self, key: str) -> NameFacts:
        """The `NameFacts` of a gazetteer key, worked out on its first match.

        >>> from kit.pipeline.extract import default_resources
        >>> lex, gaz = default_resources()
        >>> m = matcher(gaz, lex)
        >>> [(f.entries[0].country, f.flagged, f.acronym_only) for f in (m.facts("iraq"), m.facts("us"))]
        [('IQ', False, False), ('US', True, True)]
        """
        return self.key_facts[key]

    def _work_out(self, key: str) -> NameFacts:
        entries = self.gaz.candidates(key)
        lone = (" " not in key or key.startswith("al ") and key.count(" ") == 1) \
            and not any(e.curated or e.kind in ("country", "governorate") for e in entries)
        acronym, acronym_only = self.gaz.written_upper(key)
        return NameFacts(entries, key in self.flagged, acronym, acronym_only,
                         key in self.actor_forms, key in self.gaz.not_places, key in self.gaz.never_places, lone,
                         lone and not any(self.gaz.is_primary(e, key) for e in entries), sole_country(entries))

    def _word_facts(self, word: str) -> tuple[bool, str, PrefixNode | None]:
        """(whether ``word`` opens a known name, its lookup key, the `PrefixNode` of that key): what `_starts`
        and `scan` ask of a capitalised word, in one lookup."""
        key = _token_key(word)
        return _opens_name(word, self.prefixes), key, self.nodes.get(key)

    def is_major_place(self, word: str) -> bool:
        """A country, division or big city ("Syria" of "Syrian"; not "Adwa" of "Adwan")."""
        key = _token_key(word)
        return any(e.curated or e.kind in ("country", "governorate") or e.population >= 1_000_000
                   for e in self.gaz.candidates(key)) if self.is_place(word) else False

    def is_place(self, word: str) -> bool:
        key = _token_key(word)
        return key not in self.gaz.not_places and key not in self.actor_forms and self.gaz.has_key(key)


def _openers(keys) -> frozenset[str]:
    """The ASCII characters that a word of the text whose `_token_key` is one of ``keys`` can begin with.

    >>> sorted(_openers({"body", "al"}))
    ['A', 'B', 'E', 'a', 'b', 'e']
    """
    chars = {c for key in keys for c in (key[0], key[0].upper())}
    if "al" in keys:  # every Arabic article ("el", "Ash") is read "al"
        chars.update({a[0] for a in ARTICLES} | {a[0].upper() for a in ARTICLES})
    return frozenset(chars)


def _token_key(token: str) -> str:
    """One word of the text as it appears in a lookup key (articles read "al", see `name_key`)."""
    key = token.lower() if token.isascii() and token.isalpha() else fold_token(token)
    return "al" if key in ARTICLES else key


class WordMemo(MemoDict):
    """word -> ``work(word)``, worked out on the word's first sight and remembered across articles
    (`kit.memos.forget` empties it). ``work`` must be a pure function of the word; a corpus of odd
    words stops adding after `WordMemo.LIMIT` of them.

    >>> keys = WordMemo(_token_key)
    >>> keys["Ar"], keys["Qā’im"], len(keys)
    ('al', 'qaim', 2)
    """

    LIMIT = 20_000

    def __init__(self, work):
        super().__init__()
        self.work = work

    def __missing__(self, word: str):
        value = self.work(word)
        if len(self) < self.LIMIT:
            self[word] = value
        return value


def matcher(gaz: Gazetteer, lex) -> Matcher:
    return gaz.memo(("matcher", lex.fingerprint), lambda: Matcher(gaz, lex))


# --------------------------------------------------------------------------- scanning


def _starts(text: str, m: Matcher, cue_at: list[int]) -> list[tuple[int, re.Match]]:
    """(position, `CANDIDATE_AND_TAIL` match there) of each word where a known name may start, in text order: each
    capitalised word whose fold opens a gazetteer or organisation name, and the capitalised words just
    before a kind word ("Kalso military base"). One regex pass finds the capitalised words; whether a
    word opens a name is looked up in `Matcher.words` for all of them at once, so the words that open
    nothing cost no Python step.

    >>> from kit.pipeline.extract import default_resources
    >>> lex, gaz = default_resources()
    >>> text = "Rockets hit Kalso military base in Iraq, Iraqis said."
    >>> [(at, found.group()) for at, found in _starts(text, matcher(gaz, lex), [17])]
    [(0, 'Rockets'), (12, 'Kalso'), (35, 'Iraq')]
    """
    words = list(CANDIDATE_AND_TAIL.finditer(text))
    chosen = list(map(_OPENS, map(m.words.__getitem__, map(re.Match.group, words))))
    if cue_at:  # and every word within 40 characters before a kind word
        positions = list(map(re.Match.start, words))
        for cue in cue_at:
            for n in range(bisect.bisect_left(positions, cue - 40), bisect.bisect_left(positions, cue)):
                chosen[n] = True
    # a capital inside a word ("McKinsey", "x×Iraq") starts nothing
    starts = [(at, found) for found in compress(words, chosen) if not text[(at := found.start()) - 1:at].isalnum()]
    rare = _rare_starts(text, words, m, cue_at)
    if rare:
        taken = {at for at, _ in starts}
        starts += [(at, CANDIDATE_AND_TAIL.match(text, at)) for at in rare if at not in taken]
        starts.sort(key=_position)
    return starts


_OPENS = operator.itemgetter(0)  # of `Matcher.words`
_START = re.Match.start


def _position(start: tuple[int, re.Match]) -> int:
    return start[0]


def _rare_starts(text: str, words: list, m: Matcher, cue_at: list[int]) -> list[int]:
    """Name starts that a capitalised word (``words``: `CANDIDATE_AND_TAIL` matches) does not give: words
    with an apostrophe folded away ("Qā’im"), and a word glued to a "×" (which `CANDIDATE` counts as a capital)."""
    starts = set()
    # only when some word has an apostrophe part (group 1): `any` asks every word without a Python step each
    for word in _apostrophe_words(words) if any(map(re.Match.group, words, repeat(1))) else ():
        if _opens_name(word, m.prefixes):
            starts.update(_whole_word_at(text, word))
    at = text.find("\u00d7")
    if at >= 0:
        opening = {found.group() for found in words if m.words[found.group()][0]}
        windows = {max(0, cue - 40) for cue in cue_at}
        while at >= 0:  # "×Iraq" is one word; "Iraq" inside it starts a name too
            inner = CANDIDATE.match(text, at + 1)
            if inner and (inner.group() in opening or at + 1 in windows):
                starts.add(at + 1)
            at = text.find("\u00d7", at + 1)
    return sorted(starts)


def _apostrophe_words(words: list) -> set[str]:
    """The capitalised words with an apostrophe inside ("Kata'ib"), read left to right without overlaps."""
    found, end = set(), 0
    for word in words:
        if word.group(1) and word.start() >= end:
            found.add(word.group() + word.group(1))
            end = word.start() + len(word.group()) + len(word.group(1))
    return found


def _opens_name(word: str, prefixes: frozenset[str]) -> bool:
    """Whether a capitalised word, folded, opens a known name (or is an Arabic article)."""
    low = word.lower()
    return low in prefixes or low in ARTICLES or (not (low.isascii() and low.isalnum()) and _token_key(word) in prefixes)


def _whole_word_at(text: str, word: str) -> list[int]:
    """Where ``word`` occurs in ``text`` as a whole word."""
    found, size, at = [], len(word), text.find(word)
    while at >= 0:
        if not (at and text[at - 1].isalnum()) and not text[at + size:at + size + 1].isalnum():
            found.append(at)
        at = text.find(word, at + 1)
    return found


def scan(text: str, m: Matcher, sentence_at) -> list[Hit]:
    """Longest gazetteer/organisation match at every capitalised word, left to right."""
    hits: list[Hit] = []
    resume = 0
    cue_at, cue_starts = _cue_positions(text)
    keys, nodes, orgs, words = m.word_keys, m.nodes, m.orgs, m.words
    for start, cand in _starts(text, m, cue_at):
        if start < resume:
            continue
        word = cand.group()
        if cand.group(1):  # "Kata'ib", "Ma'rib" (no token where the capital is a "×", not a word character)
            token = TOKEN.match(text, start)
            if token:
                word = token.group()
        _, key, node = words[word]
        best = None
        if node is not None:
            if start > 2 and text[start - 3:start - 1] in PRE_ENDINGS and text[start - 1] in JOINERS:
                # "al-Qaim", "northern Iraq"
                space = text.rfind(" ", max(0, start - 14), start - 1)
                before = text[space + 1:start - 1]
                # ("as", "an", "at" before a space are English words: "named them as Omar al-Mowahid")
                if before in PRE_WORDS and not (before in ENGLISH_ARTICLES and text[start - 1] == " "):
                    pre_key = ("al" if before in ARTICLES else before) + " " + key
                    pre_node = nodes.get(pre_key)
                    best = pre_node and _longest(text, pre_key, pre_node, start + len(word), word, nodes, keys)
                    if best:
                        # "southern Lebanon" is a region of its own; "occupied" only says who holds it
                        start = space + 1 if before not in ("occupied",) else start
            if not best:
                best = _longest(text, key, node, start + len(word), word, nodes, keys)
        if not best:
            end = cand.end()
            k = bisect.bisect_right(cue_at, end - 1)
            if k < len(cue_at) and cue_at[k] - end < 40:
                unknown = _unknown_with_cue(text, cand, m, sentence_at, cue_starts)
                if unknown:
                    hits.append(unknown)
                    resume = unknown.end
            continue
        end, key = best
        if text[end:end + 1] == "." and text[end - 2:end - 1] == ".":
            end += 1  # "U.S." keeps its last full stop
        resume = end
        if key in orgs:
            continue
        building = _BUILDING_AFTER.match(text, end)
        if building and rules.kind_cue(text, building.end()) is not None:
            # "Kamal Adwan Hospital": a building named after someone, not the town Kamal
            unknown = _unknown_with_cue(text, cand, m, sentence_at, None, building=True)
            if unknown is not None:
                hits.append(unknown)
                resume = unknown.end
                continue
        hit = _accept(text, start, end, key, m, sentence_at, cue_starts, hits[-1] if hits else None)
        if hit:  # "southern Lebanon", "northern Gaza": a region of its own, the direction word is part of the name
            hits.append(hit)
            resume = hit.end
    return hits


def _cue_positions(text: str) -> tuple[list[int], frozenset[int] | None]:
    """Where a kind word follows a space (`CUE_WORD`), as a sorted list, and as the set that lets
    `rules.kind_cue` skip every other position (None when it cannot: see below).

    >>> _cue_positions("Kalso military base, near Erbil airport")
    ([5, 14, 31], frozenset({5, 14, 31}))
    """
    if "İ" in text:  # the one character that lower-casing makes two: positions are read on the text itself
        return [c.start() for c in CUE_WORD_ANY_CASE.finditer(text)], None
    if "\u212a" in text:  # the Kelvin sign, the one character beyond ASCII that lower-cases to an ASCII letter
        cue_at = [c.start() for c in CUE_WORD.finditer(text.lower())]
    else:
        # On the text as ASCII bytes (each other character a "?", so positions stay), lower-cased: every
        # kind word is found, and a few false ones ("base" before an "é" is not a whole word): those are
        # read again on the text itself. Lower-casing all of a text is slow beyond ASCII.
        candidates = _CUE_WORD_ASCII.finditer(text.encode("ascii", "replace").lower())
        cue_at = [at for at in map(_START, candidates) if CUE_WORD.match(text[at:at + _CUE_SPAN].lower())]
    # `kind_cue` ignores case as `re` does, which also reads "ı" as i and "ſ" as s (str.lower does not)
    return cue_at, (None if "ı" in text or "ſ" in text else frozenset(cue_at))


def _longest(text: str, key: str, node: PrefixNode, end: int, last: str, nodes: dict[str, PrefixNode],
             keys: WordMemo) -> tuple[int, str] | None:
    """(end, key) of the longest known name that starts with the prefix ``key`` (its ``node``; ending at ``end``)."""
    best = None
    while True:
        is_name, words, openers = node
        if is_name:
            best = (end, key)
        if words is None:
            break
        gap = text[end:end + 1]
        if gap in APOSTROPHES and text[end + 1:end + 2] == " ":  # "Kurdistan Workers' Party"
            end += 1
            gap = " "
        if gap in JOINERS or (gap == "." and len(last) == 1):
            first = text[end + 1:end + 2]
            if first.isascii() and first not in openers:
                break  # "Iraq said": no longer name goes on with an "s" (the word itself need not be read)
            nxt = TOKEN.match(text, end + 1)
            if nxt and (gap != "." or len(nxt.group()) == 1):
                last = nxt.group()
                word_key = keys[last]
                if word_key in words:
                    key, end = key + " " + word_key, nxt.end()
                    node = nodes[key]
                    continue
        break
    return best


def _shape(surface: str) -> NameShape:
    """The `NameShape` of a matched name as written (its head: the word after an article or direction).

    >>> _shape("al-Qaim")
    NameShape(capitalised=True, upper=False, short_upper=False, head_upper=False)
    >>> _shape("HIT").short_upper, _shape("UAE").short_upper, _shape("U.S.").upper
    (True, True, True)
    """
    words = surface.replace("-", " ").split()
    head = words[1] if words[0] in PRE_WORDS and len(words) > 1 else words[0]
    upper = surface.replace(".", "").replace(" ", "").isupper()
    # (a short head in capitals shouts a word, "HIT"; "TEL AVIV" is a name of two words)
    return NameShape(head[0].isupper(), upper, upper and len(head) <= 4 and len(words) == 1, head.isupper())


def _accept(text, start, end, key, m: Matcher, sentence_at, cue_starts=None, previous: Hit | None = None) -> Hit | None:
    """Apply the case, common-word, modifier, organisation and person rules to one gazetteer match."""
    shape = m.shapes[text[start:end]]
    if not shape.capitalised:
        return None
    facts = m.key_facts[key]
    if facts.never:
        return None
    if facts.acronym_only and not shape.upper:
        return None  # "US" only in capitals, never "Us"
    if shape.short_upper and not facts.acronym:
        return None  # "HIT", "KUT" in a shouting headline; "UAE" passes
    if facts.actor_form:
        return None  # "Islamic Republic of Iran": the state as an actor, by a name of its own
    if (text[end:end + 1] in HYPHENS or text[start - 1:start] in HYPHENS) \
            and rules.compound_modifier(text, start, end, m.is_place):
        return None
    if rules.org_around(text, start, end):
        return None
    sentence = sentence_at(start)
    s_start = sentence.start if sentence else 0
    cue = rules.kind_cue(text, end, cue_starts)
    if facts.not_place:
        if shape.head_upper or rules.blank_before(text, s_start, start):
            return None
        if not cue and not rules.is_locative(text, s_start, start):
            return None
    if facts.lone:
        # a one-word name only GeoNames knows: not inside a person's name ("Erez Shinan"), and when it
        # is only an alias of the place ("Muse", "Ivan"), only where the text uses it as a location
        if rules.person_around(text, start, end, m.is_place, titled=False) \
                and not (sentence and rules.titled_sentence(sentence.text)):
            return None
        if facts.alias_only and not cue and not (previous is not None and previous.end > s_start
                                           and SEPARATOR.match(text[previous.end:start])) \
                and not rules.is_locative(text, s_start, start, end):
            return None
    hit = Hit(start, end, key, facts.entries, facts.flagged, facts.country, sentence)
    if cue:
        _apply_cue(hit, cue, m, text)
    return hit


def _unknown_with_cue(text, cand, m: Matcher, sentence_at, cue_starts=None, building: bool = False) -> Hit | None:
    """A hit for 1-3 unknown capitalised words right before a kind word ("Kalso military base")."""
    end = cand.end()
    for _ in range(3):
        cue = rules.kind_cue(text, end, cue_starts)
        if cue:
            break
        if text[end:end + 1] not in JOINERS:
            return None
        nxt = TOKEN.match(text, end + 1)
        if nxt is None or not (nxt.group()[0].isupper() or nxt.group() in ARTICLES):
            return None
        end = nxt.end()
    else:
        return None
    start = cand.start()
    name = text[start:end]
    if not _plausible_name(name, text, start, m, sentence_at, cue[1], building):
        return None
    hit = Hit(start, end, name_key(name), (), False, None, sentence_at(start))
    _apply_cue(hit, cue, m, text)
    return hit


def _plausible_name(name, text, start, m: Matcher, sentence_at, cue_end: int | None = None,
                    building: bool = False) -> bool:
    """Whether 1-3 capitalised words before a kind word look like a place name, not an actor or a title."""
    words = name.replace("-", " ").split()
    sentence = sentence_at(start)
    if sentence is None or rules.blank_before(text, sentence.start, start) or rules.titled_sentence(sentence.text):
        return False
    before = text[max(sentence.start, start - 30):start].split()
    if before and before[-1][:1].isupper() and not before[-1].endswith(("'s", "’s")):  # tail of a longer name
        return False
    for word in words:
        low = _token_key(word)
        if low == "al":
            continue
        if word.isdigit():  # "Tower 22"
            continue
        shaped = word[0].isupper() and (len(word) == 1 or word[1:].islower())  # "Kalso", not "PMU" or "XStatic"
        if not shaped or low in m.org_words or low in CUE_NOISE or low in rules.SKIPPABLE \
                or low in rules.INSTITUTION_WORDS or (low in m.gaz.not_places and not building) \
                or rules.is_demonym(word, m.is_major_place):  # (a hospital may bear a person's name: "Kamal Adwan")
            return False
    # (the organisation test reads on after the kind word: "Ziv Medical Center" is a place, "X Base Command" is not)
    return bool(words) and not rules.org_around(text, start, cue_end or start + len(name))


def _apply_cue(hit: Hit, cue: tuple[str, int], m: Matcher, text: str) -> None:
    """Extend the hit over "military base" / "district" / "Governorate" and pick an entry of that kind."""
    kind, end = cue
    cue_text = text[hit.end:end].strip().lower()
    if hit.entries and re.sub(r"[\s-]+", " ", cue_text) in rules.BUILDING_CUES:
        return  # "a Kyiv hospital" is Kyiv
    hit.cue_text = cue_text
    fits = rules.CUE_FITS.get(kind, (kind,))
    same = [e for e in hit.entries if e.kind in fits]
    if hit.entries and not same:
        same = _containing(hit.key, kind, hit.entries, m.gaz)
    if not hit.entries:
        same = _fuzzy(hit.key, kind, m.gaz)
        if not same:  # an unknown place of that kind: kept, unresolved
            hit.end, hit.cue = end, kind
            return
    if same:
        hit.entries, hit.end, hit.cue = tuple(same), end, kind
        hit.country = sole_country(hit.entries)
        return
    base = hit.entries[0]
    if base.kind in ("city", "district", "neighbourhood") and kind in rules.CUE_PRECISION_KM:
        # located by the town of that name ("Qaim airport"), never by a town that only has it as an alias
        # ("Kalis", an alias of Cali in Colombia, is no base's town)
        towns = tuple(e for e in hit.entries if e.kind in ("city", "district", "neighbourhood")
                      and (e.curated or m.gaz.is_primary(e, hit.key)))
        hit.entries, hit.end, hit.cue = towns, end, kind
        hit.country = sole_country(towns)


def sole_country(entries: tuple[Entry, ...]) -> str | None:
    """The country of every entry, when they share one.

    >>> from kit.places.gazetteer import load_gazetteer
    >>> sole_country(load_gazetteer().candidates("baghdad")), sole_country(())
    ('IQ', None)
    """
    if not entries:
        return None
    country = entries[0].country
    return country if len(entries) == 1 or all(e.country == country for e in entries) else None


def _by_kind(gaz: Gazetteer) -> dict[str, list[tuple[Entry, tuple[str, ...], tuple[str, ...]]]]:
    """kind -> [(entry, folded names, folded names without kind words)], built once per gazetteer."""
    def build():
        table: dict[str, list] = {}
        for entry in gaz.of_kinds(rules.CUE_PRECISION_KM):
            if entry.kind in rules.CUE_PRECISION_KM:
                names = tuple(f" {name_key(n)} " for n in entry.names)
                cores = tuple(" ".join(w for w in n.split() if w not in CUE_NOISE) for n in names)
                table.setdefault(entry.kind, []).append((entry, names, cores))
        return table
    return gaz.memo("places-by-kind", build)


def _containing(key: str, kind: str, entries, gaz: Gazetteer) -> list[Entry]:
    """Entries of ``kind`` whose name contains ``key`` ("Erbil" -> Erbil International Airport)."""
    countries = {e.country for e in entries}
    needle = f" {key} "
    table = _by_kind(gaz)
    return [e for fit in rules.CUE_FITS.get(kind, (kind,)) for e, names, _ in table.get(fit, ())
            if e.country in countries and any(needle in n for n in names)]


def _fuzzy(key: str, kind: str, gaz: Gazetteer) -> list[Entry]:
    """Entries of ``kind`` whose name differs from ``key`` by one letter (two for long names)."""
    from rapidfuzz.distance import Levenshtein

    memo = gaz.memo("places-fuzzy", MemoDict)
    if (key, kind) in memo:
        return memo[key, kind]
    core = " ".join(w for w in key.split(" ") if w not in CUE_NOISE)
    limit = 1 if len(core) < 8 else 2
    found = {}
    table = _by_kind(gaz)
    rows = [row for fit in rules.CUE_FITS.get(kind, (kind,)) for row in table.get(fit, ())] if len(core) >= 4 else ()
    for entry, _, cores in rows:
        for other in cores:
            if other and other[0] == core[0] and Levenshtein.distance(core, other, score_cutoff=limit) <= limit:
                found[entry.uid] = entry
    if len(memo) < 10000:
        memo[key, kind] = list(found.values()) if len(found) == 1 else []
    return list(found.values()) if len(found) == 1 else []


# one or two more capitalised words, then (`_accept` checks) a building's kind word: "Kamal Adwan Hospital"
_BUILDING_AFTER = re.compile(r"(?:[ \u00a0][A-Z][\w'’-]*){1,2}(?=[ \u00a0](?i:hospital|medical|clinic|children))")
SEPARATOR = re.compile(r"^(?:\s*[,(/&]\s*|\s+(?:and|or)\s+|['’]s\s+|\s*\)\s*,?\s*(?:and\s+)?)+"
                        r"(?:(?:the|northern|southern|eastern|western|central)\s+)?$")

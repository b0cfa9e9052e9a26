"""The scanning half of `kit.places`: where names start, the longest known name, and the rules that
accept or reject each match (case, common words, modifiers, organisations, persons, kind words).

`find_places` in `kit.places` is the entry point; this module holds its machinery so each file
stays readable. Nothing here is cached between articles except the per-(gazetteer, lexicons)
`Matcher`, built once, and its `NameFacts` of each key (a pure function of the key and the data).
Per article, each distinct capitalised word is folded and looked up once (`TokenKeys`).

Example:
    >>> from kit.extract import default_resources
    >>> lex, gaz = default_resources()
    >>> [(h.key, h.cue) for h in scan("Rockets hit the Kalso military base.", matcher(gaz, lex), lambda pos: None)]
    [('kalso military base', '')]
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import placerules as rules
from .memos import MemoDict
from .gazetteer import ARTICLES, Entry, Gazetteer, fold_token, name_key

TOKEN = re.compile(r"[^\W_]+(?:['’ʼ](?!s\b)[^\W_]+)*")
# where a name can start: a capital letter (Latin, with or without accents)
CAPITAL = "[A-Z\u00c0-\u00de\u0100-\u024f\u1e00-\u1eff]"
CANDIDATE = re.compile(CAPITAL + r"[^\W_]*")
# the same words, each with the apostrophe part of "Kata'ib" (group 1) when one follows, not consumed
CANDIDATE_AND_TAIL = re.compile(CAPITAL + r"[^\W_]*+(?=(['’ʼ](?!s\b)[^\W_]+)|)")
# a capitalised word with an apostrophe inside ("Kata'ib"): without one, `_apostrophe_words` finds none
_CAPITAL_APOSTROPHE = re.compile(CAPITAL + r"[^\W_]*+['’ʼ](?!s\b)[^\W_]")
# lower-case words that may open a name before a capital ("al-Qaim", "northern Iraq")
PRE_WORDS = ARTICLES | frozenset("""northern southern eastern western north south east west northeast northwest
southeast southwest northeastern northwestern southeastern southwestern central occupied""".split())
APOSTROPHES = frozenset("'’ʼ")
JOINERS = frozenset((" ", "-", "\u00a0", "\u2010", "\u2011"))
HYPHENS = frozenset(("-", "\u2010", "\u2011"))


def _alternation(words) -> str:
    """A regex alternation of ``words`` grouped by first letter ("a(?:rmy|ir)|b(?:order|ase)"): `re` tries
    every branch of an alternation at each position, so a few groups are much faster than many words.

    >>> _alternation(["air", "army", "base"])
    'a(?:rmy|ir)|b(?:ase)'
    """
    by_letter: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{letter}(?:{'|'.join(sorted(rests, key=len, reverse=True))})"
                    for letter, rests in by_letter.items())


CUE_WORD = re.compile(" (?:" + _alternation(cue[0] for cue, _ in rules.KIND_CUES) + r")\b")
CUE_WORD_ANY_CASE = re.compile(CUE_WORD.pattern, re.I)
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
    lone: bool  # a one-word name only GeoNames knows
    alias_only: bool  # ... and only as an alias of its places


@dataclass(slots=True)
class Hit:
    """One accepted name in the text, before it becomes a `kit.places.PlaceMention`."""

    start: int
    end: int
    key: str
    entries: tuple[Entry, ...]
    flagged: bool  # the name is also an actor or outlet alias
    cue: str = ""
    cue_text: str = ""
    sentence: object = None
    entry: Entry | None = None
    locative: bool = False


class Matcher:
    """Lookup structures for one (gazetteer, lexicons) pair, built once and reused for every article."""

    def __init__(self, gaz: Gazetteer, lex):
        self.gaz = gaz
        self.index = gaz.index
        org: set[str] = set()
        for row in lex.rows("actors"):
            org.update(name_key(a) for a in row["aliases"].split("|") if a.strip())
        for row in lex.rows("outlets"):
            org.update(name_key(a) for a in [row["name"], *row["aliases"].split("|")] if a.strip())
        org.discard("")
        self.flagged = frozenset(k for k in org if k in self.index)
        # "Islamic Republic of Iran": an actor's name that the gazetteer lists as an alias, not a place name
        self.actor_forms = frozenset(k for k in self.flagged if " " in k
                                     and not any(gaz.is_primary(e, k) for e in gaz.candidates(k)))
        self.orgs = frozenset(k for k in org if k not in self.index and " " in k)
        self.org_words = frozenset(k for k in org if " " not in k)
        prefixes = set(gaz.prefixes)
        for key in self.orgs:
            words = key.split(" ")
            prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
        self.prefixes = frozenset(prefixes)
        self.names = frozenset(self.index) | self.orgs
        # prefixes that some longer prefix continues: only after these is the next word worth reading
        self.continued = frozenset(p.rpartition(" ")[0] for p in prefixes if " " in p)
        self.acronyms, self.acronyms_only = gaz.acronyms, gaz.acronyms_only
        self._facts: dict[str, NameFacts] = MemoDict()  # worked out on a key's first match

    def facts(self, key: str) -> NameFacts:
        """The `NameFacts` of a gazetteer key, worked out on its first match.

        >>> from kit.extract import default_resources
        >>> lex, gaz = default_resources()
        >>> m = matcher(gaz, lex)
        >>> [(f.entries[0].country, f.flagged, f.acronym_only) for f in (m.facts("iraq"), m.facts("us"))]
        [('IQ', False, False), ('US', True, True)]
        """
        facts = self._facts.get(key)
        if facts is None:
            facts = self._facts[key] = self._work_out(key)
        return facts

    def _work_out(self, key: str) -> NameFacts:
        entries = self.gaz.candidates(key)
        lone = (" " not in key or key.startswith("al ") and key.count(" ") == 1) \
            and not any(e.curated or e.kind in ("country", "governorate") for e in entries)
        return NameFacts(entries, key in self.flagged, key in self.acronyms, key in self.acronyms_only,
                         key in self.actor_forms, key in self.gaz.not_places, lone,
                         lone and not any(self.gaz.is_primary(e, key) for e in entries))

    def is_place(self, word: str) -> bool:
        key = _token_key(word)
        return key in self.index and key not in self.gaz.not_places


def _token_key(token: str) -> str:
    """One word of the text as it appears in a lookup key (articles read "al", see `name_key`)."""
    key = token.lower() if token.isascii() and token.isalpha() else fold_token(token)
    return "al" if key in ARTICLES else key


class TokenKeys(dict):
    """word -> `_token_key` of the word, computed once per distinct word (one per article).

    >>> TokenKeys()["Ar"], TokenKeys()["Qā’im"]
    ('al', 'qaim')
    """

    def __missing__(self, token: str) -> str:
        key = self[token] = _token_key(token)
        return key


def matcher(gaz: Gazetteer, lex) -> Matcher:
    return gaz.memo(("matcher", lex.fingerprint), lambda: Matcher(gaz, lex))


# --------------------------------------------------------------------------- scanning


def _starts(text: str, m: Matcher, cue_at: list[int]):
    """(position, `CANDIDATE` match there) of each word where a known name may start, in text order: each
    capitalised word whose fold opens a gazetteer or organisation name, and the capitalised words just
    before a kind word ("Kalso military base"). One regex pass finds the capitalised words; whether a
    word opens a name is decided once per distinct word.

    >>> from kit.extract import default_resources
    >>> lex, gaz = default_resources()
    >>> text = "Rockets hit Kalso military base in Iraq, Iraqis said."
    >>> [(at, found.group()) for at, found in _starts(text, matcher(gaz, lex), [17])]
    [(0, 'Rockets'), (12, 'Kalso'), (35, 'Iraq')]
    """
    words = list(CANDIDATE_AND_TAIL.finditer(text))
    rare = [*_rare_starts(text, words, m, cue_at), len(text)]  # the last one only ends the list
    r = 0
    opens: dict[str, bool] = {}
    k = 0
    for found in words:
        at = found.start()
        if at and text[at - 1].isalnum():
            continue
        while rare[r] < at:
            yield rare[r], CANDIDATE.match(text, rare[r])
            r += 1
        if rare[r] == at:
            r += 1
        else:
            word = found.group()
            opening = opens.get(word)
            if opening is None:
                opening = opens[word] = _opens_name(word, m.prefixes)
            if not opening:
                while k < len(cue_at) and cue_at[k] <= at:
                    k += 1
                if not (k < len(cue_at) and cue_at[k] - 40 <= at):  # not within 40 characters before a kind word
                    continue
        yield at, found
    for at in rare[r:-1]:
        yield at, CANDIDATE.match(text, at)


def _rare_starts(text: str, words: list, m: Matcher, cue_at: list[int]) -> list[int]:
    """Name starts that a capitalised word (``words``: `CANDIDATE_AND_TAIL` matches) does not give: words
    with an apostrophe folded away ("Qā’im"), and a word glued to a "×" (which `CANDIDATE` counts as a capital)."""
    starts = set()
    for word in _apostrophe_words(words) if _CAPITAL_APOSTROPHE.search(text) else ():
        if _opens_name(word, m.prefixes):
            starts.update(_whole_word_at(text, word))
    at = text.find("\u00d7")
    if at >= 0:
        opening = {found.group() for found in words if _opens_name(found.group(), m.prefixes)}
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
    lower = text.lower()
    cues = CUE_WORD.finditer(lower) if len(lower) == len(text) else CUE_WORD_ANY_CASE.finditer(text)  # "İ" grows
    cue_at = [c.start() for c in cues]
    keys = TokenKeys()
    for start, cand in _starts(text, m, cue_at):
        if start < resume:
            continue
        word = cand.group()
        token = TOKEN.match(text, start) if text[cand.end():cand.end() + 1] in APOSTROPHES else None
        if token:  # "Kata'ib", "Ma'rib" (none where the capital is a "×", which is not a word character)
            word = token.group()
        key = keys[word]
        best, direction = None, False
        if key in m.prefixes:
            if start > 2 and text[start - 1] in JOINERS:  # "al-Qaim", "northern Iraq"
                space = text.rfind(" ", max(0, start - 14), start - 1)
                before = text[space + 1:start - 1]
                if before in PRE_WORDS:
                    best = _longest(text, ("al" if before in ARTICLES else before) + " " + key, start + len(word),
                                    word, m, keys)
                    if best:
                        start, direction = space + 1, before not in ARTICLES
            if best is None:
                best = _longest(text, key, start + len(word), word, m, keys)
        if best is None:
            end = cand.end()
            k = bisect.bisect_right(cue_at, end - 1)
            if k < len(cue_at) and cue_at[k] - end < 40:
                unknown = _unknown_with_cue(text, cand, m, sentence_at)
                if unknown:
                    hits.append(unknown)
                    resume = unknown.end
            continue
        end, key = best
        if text[end:end + 1] == "." and text[end - 2:end - 1] == ".":
            end += 1  # "U.S." keeps its last full stop
        resume = end
        if key in m.orgs:
            continue
        hit = _accept(text, start, end, key, m, sentence_at, hits[-1] if hits else None)
        if hit:
            if direction:
                hit.start = cand.start()  # "in northern Iraq": the mention is "Iraq", located as northern Iraq
            hits.append(hit)
            resume = hit.end
    return hits


def _longest(text: str, key: str, end: int, last: str, m: Matcher, keys: TokenKeys) -> tuple[int, str] | None:
    """(end, key) of the longest known name that starts with ``key`` (ending at ``end``)."""
    best = None
    while key in m.prefixes:
        if key in m.names:
            best = (end, key)
        if key not in m.continued:
            break
        gap = text[end:end + 1]
        if gap in APOSTROPHES and text[end + 1:end + 2] == " ":  # "Kurdistan Workers' Party"
            end += 1
            gap = " "
        if gap in JOINERS or (gap == "." and len(last) == 1):
            nxt = TOKEN.match(text, end + 1)
            if nxt and (gap != "." or len(nxt.group()) == 1):
                last = nxt.group()
                key, end = key + " " + keys[last], nxt.end()
                continue
        break
    return best


def _accept(text, start, end, key, m: Matcher, sentence_at, previous: Hit | None = None) -> Hit | None:
    """Apply the case, common-word, modifier, organisation and person rules to one gazetteer match."""
    words = text[start:end].replace("-", " ").split()
    head = words[1] if words[0] in PRE_WORDS and len(words) > 1 else words[0]
    if not head[0].isupper():
        return None
    facts = m.facts(key)
    surface_upper = text[start:end].replace(".", "").replace(" ", "").isupper()
    if facts.acronym_only and not surface_upper:
        return None  # "US" only in capitals, never "Us"
    if surface_upper and len(head) <= 4 and not facts.acronym:
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
    cue = rules.kind_cue(text, end)
    if facts.not_place:
        if head.isupper() or not text[s_start:start].strip():
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
    hit = Hit(start, end, key, facts.entries, facts.flagged, sentence=sentence)
    if cue:
        _apply_cue(hit, cue, m, text)
    return hit


def _unknown_with_cue(text, cand, m: Matcher, sentence_at) -> Hit | None:
    """A hit for 1-3 unknown capitalised words right before a kind word ("Kalso military base")."""
    end = cand.end()
    for _ in range(3):
        cue = rules.kind_cue(text, end)
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
    if not _plausible_name(name, text, start, m, sentence_at):
        return None
    hit = Hit(start, end, name_key(name), (), False, sentence=sentence_at(start))
    _apply_cue(hit, cue, m, text)
    return hit


def _plausible_name(name, text, start, m: Matcher, sentence_at) -> bool:
    """Whether 1-3 capitalised words before a kind word look like a place name, not an actor or a title."""
    words = name.replace("-", " ").split()
    sentence = sentence_at(start)
    if sentence is None or not text[sentence.start:start].strip() or rules.titled_sentence(sentence.text):
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
                or low in rules.INSTITUTION_WORDS or low in m.gaz.not_places or rules.is_demonym(word, m.is_place):
            return False
    return bool(words) and not rules.org_around(text, start, start + len(name))


def _apply_cue(hit: Hit, cue: tuple[str, int], m: Matcher, text: str) -> None:
    """Extend the hit over "military base" / "district" / "Governorate" and pick an entry of that kind."""
    kind, end = cue
    hit.cue_text = text[hit.end:end].strip().lower()
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
        return
    base = hit.entries[0]
    if base.kind in ("city", "district", "neighbourhood") and kind in rules.CUE_PRECISION_KM:
        hit.entries = tuple(e for e in hit.entries if e.kind in ("city", "district", "neighbourhood"))
        hit.end, hit.cue = end, kind


def _by_kind(gaz: Gazetteer) -> dict[str, list[tuple[Entry, tuple[str, ...], tuple[str, ...]]]]:
    """kind -> [(entry, folded names, folded names without kind words)], built once per gazetteer."""
    def build():
        table: dict[str, list] = {}
        for entry in gaz.entries:
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

    memo = gaz.memo("places-fuzzy", dict)
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


SEPARATOR = re.compile(r"^(?:\s*[,(/&]\s*|\s+(?:and|or)\s+|['’]s\s+|\s*\)\s*,?\s*(?:and\s+)?)+"
                        r"(?:(?:the|northern|southern|eastern|western|central)\s+)?$")

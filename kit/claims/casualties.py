"""Casualty claims: who says how many were killed or wounded, in which sentence.

Rules (terms in ``data/lexicons/casualty_terms.csv``, counts in `kit.claims.counts`):

- passive:  "eight were killed", "Three ... militia fighters were killed", "95 people were killed"
- active:   "killing a total of four and wounding six others", "killed one person and wounded eight
  others"; counts joined by "and" are summed ("one of its leaders and one of his aides" is 2)
- nouns:    "one reported death", "the death of one individual", "the deaths of three U.S. soldiers"
- tolls:    "the death toll rose to 12" (the new figure), "bringing the toll to 12",
  "claimed the lives of five"
- injuries: "34 service members were treated for traumatic brain injuries", "four sustained injuries"
- vague:    "countless injuries", "dozens of deaths" (no number; the words are kept)
- none:     "did not lead to casualties", "not aware of any casualties", "no one was hurt",
  "no civilian casualties" (no_civilian_casualties)

Not casualties: a number followed by a thing ("two rockets", "85 targets",
``data/lexicons/non_casualty_units.csv``), clock times ("12:20 am"), years, threats and plans
("will kill"), and "a/an" ("killing a senior leader" gives no count: the kit does not guess).

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.lexicons import load_lexicons
    >>> text = "An interior ministry source quoted by AFP says the bombing killed one person and wounded eight others."
    >>> art = Article("a1", "a.txt", None, text, "0")
    >>> [(c["outcome"], c["count_min"], c["speaker"], c["via"]) for c in find_casualty_claims(art, load_lexicons())]
    [('killed', 1, 'An interior ministry source', 'AFP'), ('wounded', 8, 'An interior ministry source', 'AFP')]
"""
from __future__ import annotations

import re

from .shared import claim_id, claim_row, finditer_at, is_hypothetical, walk_sentences
from .counts import count_pattern, count_starts, parse_count
from .keywords import Keywords, fold_case
from ..lexicons import Lexicons

_GENERIC_VICTIMS = {"people", "person", "persons", "others", "other", "individual", "individuals", "more", "of",
                    "them", "total", "in", "all", "civilian", "reported", "those", "victims"}
_NONE_PATTERNS = [
    r"\b(?:did\s+not|didn't|does\s+not|do\s+not|has\s+not|have\s+not|had\s+not|not)\s+(?:\w+\s+)?(?:lead\s+to|led\s+to|cause|caused|result\s+in|leave|inflict)\s+(?:any\s+)?(?P<civ>civilian\s+)?(?:casualties|injuries|deaths|fatalities|victims|loss\s+of\s+life)\b",
    r"\bno\s+(?:(?:immediate|initial|reported|known|human|further|other|official)\s+)*(?:reports?\s+of\s+)?(?:any\s+)?(?P<civ>civilian\s+)?(?:casualties|injuries|deaths|fatalities|victims|loss\s+of\s+life)\b",
    r"\bnot\s+aware\s+of\s+any\s+(?P<civ>civilian\s+)?(?:casualties|injuries|deaths|fatalities|victims)\b",
    r"\b(?:no\s+one|nobody|none)\s+(?:\w+\s+)?(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:killed|hurt|injured|wounded|harmed)\b",
    r"\bno\s+(?P<civ>civilians?\s+)?(?:(?:US|U\.S\.|American|coalition|Iraqi|Israeli|Syrian|Jordanian)\s+)?(?:personnel|troops|soldiers|people|service\s+members|civilians|forces)\s+(?:were|was)\s+(?:\w+\s+)?(?:killed|hurt|injured|wounded|harmed)\b",
    r"\bwithout\s+(?:causing\s+)?(?:any\s+)?(?P<civ>civilian\s+)?(?:casualties|injuries)\b",
]


def _term_list(lex: Lexicons, kind: str) -> list[str]:
    return sorted({r["term"] for r in lex.rows("casualty_terms") if r["kind"] == kind}, key=len, reverse=True)


def _terms(lex: Lexicons, kind: str) -> str:
    return "|".join(_term_list(lex, kind))


_PLAIN_TERM = re.compile(r"([A-Za-z]+(?: [A-Za-z]+)*)(?:s\?)?")


def _term_words(terms: list[str]) -> tuple[str, ...] | None:
    """Lower-case words such that a match of any of ``terms`` (with ``re.I``) starts with one of
    them, or None when a term is a regular expression beyond words and an optional plural "s".

    >>> _term_words(["deaths?", "Fatalities"]), _term_words(["kill(?:ed)?"])
    (('death', 'fatalities'), None)
    """
    plain = [_PLAIN_TERM.fullmatch(term) for term in terms]
    return tuple(m.group(1).lower() for m in plain) if all(plain) else None


def _phrase_words(phrases: list[str]) -> Keywords:
    """Words one of which a text that contains one of ``phrases`` (any case, any spaces) contains:
    the longest word of each phrase. All of them (no test) when a word is not ASCII.

    >>> _phrase_words(["dozens of", "a large number of"]).words
    ('dozens', 'number')
    """
    longest = [max(phrase.lower().split(" "), key=len) for phrase in phrases]
    return Keywords(*longest) if all(word.isascii() and word for word in longest) else Keywords("")


def _prefixes(words: tuple[str, ...] | None, length: int = 4) -> tuple[str, ...] | None:
    """Fewer, shorter words to look for: the first ``length`` letters of each, none starting with another.

    >>> _prefixes(("killed", "killing", "kill", "leaving"))
    ('kill', 'leav')
    """
    if words is None:
        return None
    short = sorted({word[:length] for word in words})
    return tuple(p for p in short if not any(p != q and p.startswith(q) for q in short))


def _build(lex: Lexicons) -> dict:
    count = count_pattern(lex)
    stop = r"(?!(?:were|was|have|has|had|are|is|been|being|and|in|on|at|by|from|after|who|that)\b)"
    victims = rf"(?:\s+(?P<victims>{stop}[A-Za-z][\w'.-]*(?:\s+{stop}[A-Za-z][\w'.-]*){{0,5}}?))?"
    aux = r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|been|being|reportedly|also|all|later|confirmed|left|now)\s+){0,3}"
    vague = "|".join(re.escape(r["phrase"]).replace(r"\ ", r"\s+") for r in lex.rows("vague_counts"))
    outcome_of = {}
    for row in lex.rows("casualty_terms"):
        outcome_of.setdefault((row["kind"], row["term"].rstrip("s?")), row["outcome"])
    flags = re.I
    return {
        "passive": re.compile(rf"(?<![\w-])(?P<count>{count}){victims}(?:,\s+(?:including|among\s+them|most\s+of\s+them|mostly)\s+[^,]{{1,60}},)?\s+{aux}(?P<verb>{_terms(lex, 'passive')})\b", flags),
        "active": re.compile(rf"(?<![\w-])(?P<verb>{_terms(lex, 'active')})\s+(?P<count>{count})(?=(?P<object>[^,.;:()\"]*))", flags),
        "noun": re.compile(rf"(?<![\w-])(?P<count>{count})\s+(?:(?:reported|confirmed|more|further|additional|other|civilian)\s+)?(?P<verb>{_terms(lex, 'noun')})\b", flags),
        "death_of": re.compile(rf"\b(?P<verb>deaths?)\s+of\s+(?P<count>{count})(?P<object>(?:\s+(?!(?:in|on|at|and|resulting|after|from)\b)[A-Za-z][\w'.-]*){{0,3}})", flags),
        "toll": re.compile(rf"\b(?:(?:death\s+)?toll\s+(?:\w+\s+){{0,3}}?(?:rose|risen|climbed|jumped|increased|reached|stands|stood|is|was|of|hit)\s+(?:to\s+|at\s+)?|(?:raising|bringing|pushing|taking)\s+the\s+(?:death\s+)?toll\s+to\s+)(?P<count>{count})", flags),
        "sustained": re.compile(rf"(?<![\w-])(?P<count>{count}){victims}\s+(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:sustained|suffered|received|treated\s+for|evaluated\s+for|diagnosed\s+with)\s+(?:[\w-]+\s+){{0,3}}?(?P<verb>injuries|wounds|injury)\b", flags),
        "lives": re.compile(rf"\b(?:claimed|claiming|took|taking|cost|costing)\s+the\s+lives\s+of\s+(?P<count>{count})(?P<object>(?:\s+(?!(?:in|on|at|and)\b)[A-Za-z][\w'.-]*){{0,3}})", flags),
        "vague": re.compile(rf"\b(?P<count>{vague})\s+(?:[a-z]+\s+)?(?P<verb>injuries|deaths|fatalities|dead|wounded|injured)\b", flags),
        "caused": re.compile(r"\b(?:caused|causing|resulted\s+in|resulting\s+in|led\s+to|leading\s+to)\s+(?:[\w-]+\s+){0,3}?(?:and\s+)?(?P<verb>injuries|deaths|fatalities)\b", flags),
        "none": [re.compile(p, flags) for p in _NONE_PATTERNS],
        "count_start": re.compile(rf"^\s*(?:and\s+)?(?P<count>{count})\b", flags),
        "units": {r["word"].lower() for r in lex.rows("non_casualty_units")},
        "outcome_of": outcome_of,
        # words the verbs of "passive" and "noun" start with, and prefixes those of "active" start with
        "vague_words": _phrase_words([r["phrase"] for r in lex.rows("vague_counts")]),
        "passive_words": _term_words(_term_list(lex, "passive")),
        "noun_words": _term_words(_term_list(lex, "noun")),
        "active_prefixes": _prefixes(_term_words(_term_list(lex, "active"))),
    }


_WOUND_WORD = re.compile(r"wound|injur|hurt")
_VICTIM_END = re.compile(r"\s(?:in|on|at|near|inside|outside|during|last|this|across|around|after|before|when|while|as|according)\b.*$", re.I)
_WORD = re.compile(r"[A-Za-z][\w'.-]*")
_FIRST_WORD = re.compile(r"\s*([A-Za-z.%]+)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_AND = re.compile(r"\s+and\s+")
_NO_BEFORE = re.compile(r"\bno\s*$", re.I)
_LEFT_OUTCOME = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(dead|wounded|injured|killed)\b")


def _outcome(verb: str, kind: str, built: dict) -> str:
    word = verb.lower().rstrip("s?")
    return built["outcome_of"].get((kind, word)) or ("wounded" if _WOUND_WORD.match(word) else "killed")


def _clean_victims(text: str) -> str:
    text = _VICTIM_END.sub("", text or "")
    words = [w for w in _WORD.findall(text or "") if w.lower() not in _GENERIC_VICTIMS]
    words = [w for w in words if w.lower() not in ("a", "an", "the", "its", "his", "her", "their", "one", "including")]
    return " ".join(words[:6])


def _is_thing(after_count: str, built: dict) -> bool:
    first = _FIRST_WORD.match(after_count or "")
    return bool(first and first.group(1).lower() in built["units"])


def _is_year(count_text: str) -> bool:
    return bool(_YEAR.fullmatch(count_text.strip()))


def _active_sum(obj: str, first_count: str, lex: Lexicons, built: dict) -> tuple[int | None, int | None, str, str]:
    """Sum "one of its leaders and one of his aides"; returns (min, max, count_text, victims)."""
    low, high = parse_count(first_count, lex)
    text, victims = first_count, []
    obj = _VICTIM_END.sub("", obj)
    parts = _AND.split(obj)
    victims.append(parts[0])
    text += parts[0]
    for part in parts[1:]:
        more = built["count_start"].match(part)
        if not more or low is None:
            break
        add_low, add_high = parse_count(more.group("count"), lex)
        if add_low is None:
            break
        low += add_low
        high = None if high is None or add_high is None else high + add_high
        text += " and " + part
        victims.append(part[more.end():])
    return low, high, text.strip(), _clean_victims(" ".join(victims))


# words each rule cannot match without (the rules' own words, not lexicon terms)
_NEGATION_WORDS = Keywords("no", "n't", "without")
_SUSTAINED_WORDS = Keywords("sustained", "suffered", "received", "treated", "evaluated", "diagnosed")
_OUTCOME_NOUNS = Keywords("injuries", "deaths", "fatalities", "dead", "wounded", "injured")
_CAUSED_WORDS = Keywords("caus", "result", "led", "leading")  # ("vague" needs a word of a vague count, from the lexicon)
# the rules read as nouns, each with a word it cannot match without ("" for the lexicon's noun terms)
_COUNTED_NOUN_RULES = (("noun", ""), ("death_of", "death"), ("toll", "toll"), ("lives", "lives"))


def _before_last(starts: list[int] | None, folded: str, words: tuple[str, ...] | None) -> list[int] | None:
    """The ``starts`` before the last place one of ``words`` starts in ``folded``: a rule whose verb
    (one of the words) follows its count matches nowhere after that.

    >>> _before_last([0, 12, 30], "two dead in town, one hurt later", ("dead", "hurt"))
    [0, 12]
    """
    if starts is None or words is None:
        return starts
    last = max([folded.rfind(word) for word in words])
    return [start for start in starts if start < last]


def _found_at(folded: str, words: tuple[str, ...] | None) -> list[int] | None:
    """Every offset in ``folded`` where one of ``words`` starts, in order (None: anywhere).

    ``folded`` is a `fold_case` text, offset for offset the text it comes from, so a rule that
    starts with one of the words case-insensitively matches only there.

    >>> _found_at("killed three, killing two", ("kill", "wound"))
    [0, 14]
    """
    if words is None:
        return None
    found = []
    for word in words:
        at = folded.find(word)
        while at >= 0:
            found.append(at)
            at = folded.find(word, at + 1)
    return sorted(found)


def _matches(text: str, lex: Lexicons, built: dict, folded: str):
    """(start, end, outcome, count_min, count_max, count_text, victims) found in one sentence;
    ``folded`` is its `fold_case`, for the word gates that skip rules which cannot match."""
    for pattern in built["none"] if _NEGATION_WORDS.found_in(folded) else ():
        for m in pattern.finditer(text):
            outcome = "no_civilian_casualties" if "civilian" in m.group(0).lower() else "no_casualties"
            yield m.start(), m.end(), outcome, None, None, m.group(0), ""
    starts = count_starts(text, lex)  # where a count may start: every rule but "vague" and "caused" needs one
    if starts != []:
        yield from _counted_matches(text, lex, built, folded, starts)
    gates = (("vague", built["vague_words"]), ("caused", _CAUSED_WORDS)) if _OUTCOME_NOUNS.found_in(folded) else ()
    for name, words in gates:
        for m in built[name].finditer(text) if words.found_in(folded) else ():
            words = m.groupdict().get("count") or m.group("verb")
            yield m.start(), m.end(), _outcome(m.group("verb"), "noun", built), None, None, words, ""


def _counted_matches(text: str, lex: Lexicons, built: dict, folded: str, starts: list[int] | None):
    """`_matches` of the rules with a count, which follows no letter, digit or hyphen, so starts
    at one of ``starts`` (`kit.claims.counts.count_starts`; None: anywhere)."""
    for m in finditer_at(built["passive"], text, _before_last(starts, folded, built["passive_words"])):
        count, victims = m.group("count"), m.group("victims")
        if _is_thing(victims or "", built) or _is_year(count) or count.lower() in ("some", "one of") \
                or _NO_BEFORE.search(text[:m.start()]):
            continue
        low, high = parse_count(count, lex)
        yield m.start(), m.end(), _outcome(m.group("verb"), "passive", built), low, high, count, _clean_victims(victims)
    for m in finditer_at(built["active"], text, _found_at(folded, built["active_prefixes"])):
        if is_hypothetical(text, m.start()) or _is_year(m.group("count")):
            continue
        obj = m.group("object")
        if _is_thing(obj, built):
            continue
        verb = m.group("verb").lower()
        if verb == "leaving":
            after = _LEFT_OUTCOME.match(obj)
            if not after:
                continue
            verb = after.group(1)
        low, high, count_text, victims = _active_sum(obj, m.group("count"), lex, built)
        yield m.start(), m.end(), _outcome(verb, "active", built), low, high, count_text, victims
    for m in finditer_at(built["sustained"], text, starts) if _SUSTAINED_WORDS.found_in(folded) else ():
        if not _is_year(m.group("count")):
            low, high = parse_count(m.group("count"), lex)
            yield m.start(), m.end(), "wounded", low, high, m.group("count"), _clean_victims(m.group("victims") or "")
    for name, word in _COUNTED_NOUN_RULES:
        if word not in folded:
            continue
        noun_starts = _before_last(starts, folded, built["noun_words"]) if name == "noun" else None
        for m in finditer_at(built[name], text, noun_starts) if name == "noun" else built[name].finditer(text):
            count = m.group("count")
            if _is_year(count) or (name == "noun" and is_hypothetical(text, m.start())):
                continue
            low, high = parse_count(count, lex)
            verb = m.groupdict().get("verb") or "death"
            victims = _clean_victims(m.groupdict().get("object") or "")
            yield m.start(), m.end(), _outcome(verb, "noun", built), low, high, count, victims


def _dedupe(found: list[tuple]) -> list[tuple]:
    """Overlapping readings of the same outcome: keep the one with a number, then the longest."""
    if len(found) < 2:
        return found
    kept: list[tuple] = []
    for item in sorted(found, key=lambda f: (f[3] is None, -(f[1] - f[0]))):
        start, end, outcome = item[0], item[1], item[2]
        if any(outcome == k[2] and start < k[1] and k[0] < end for k in kept):
            continue
        if outcome.startswith("no_") and any(k[2].startswith("no_") and start < k[1] and k[0] < end for k in kept):
            continue
        kept.append(item)
    return sorted(kept, key=lambda f: f[0])


# words of the rules themselves (not of the lexicon) that a casualty sentence may hold instead of a lexicon term
_RULE_HARM_WORDS = ("casualt", "fatal", "toll", "harm", "lives", "dead", "death", "injur", "wound", "hurt")


def _harm_words(lex: Lexicons) -> Keywords:
    """Words every casualty rule needs one of: the rules' own and every term of ``casualty_terms.csv``
    (a term that is a regular expression beyond a word turns the pre-check off: the rules decide).

    >>> from kit.lexicons import load_lexicons
    >>> _harm_words(load_lexicons()).search("Five fighters were slain."), _harm_words(load_lexicons()).search("Calm.")
    (True, False)
    """
    terms = _term_words([row["term"] for row in lex.rows("casualty_terms")])
    return Keywords("") if terms is None else Keywords(*_RULE_HARM_WORDS, *terms)


def find_casualty_claims(article, lex: Lexicons, incident=None) -> list[dict]:
    """Casualty claim rows of one article (claim_id, outcome, counts, speaker, provenance)."""
    built = lex.compiled("casualties", _build)
    harm_words = lex.compiled("casualty_harm_words", _harm_words)
    claims = []
    for sentence, context in walk_sentences(article, lex):
        text = sentence.text
        folded = fold_case(text)
        if not harm_words.found_in(folded):
            continue
        for start, end, outcome, low, high, count_text, victims in _dedupe(list(_matches(text, lex, built, folded))):
            speaker, via = context.speaker_for(text, start)
            background = incident.is_background(text, start, sentence.index) if incident is not None else False
            claims.append(claim_row(
                article, sentence, speaker, via, background,
                claim_id=claim_id(article.article_id, sentence.start + start, sentence.start + end, outcome, low, high),
                outcome=outcome, count_min=low, count_max=high, count_text=count_text.strip(), victims=victims,
                cue_start=sentence.start + start))
    return claims

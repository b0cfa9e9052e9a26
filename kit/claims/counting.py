"""How many: the count of a noun phrase of victims, read from its grammar.

- a number heads the phrase or modifies it: "eight", "Five members", "at least 20 people",
  "three of his bodyguards" (the count phrase itself is read by `kit.claims.counts.parse_count`:
  "at least 3" is 3 and unbounded, "between 5 and 10" is 5-10, "two dozen" 24);
- phrases joined by "and" are added: "a colonel and three of his bodyguards" is 4, "X and Y" is 2;
- one person: a singular noun or a name ("a senior commander", "the general", "Soleimani") is 1;
- vague: "dozens", "several others", "many people" (``vague_counts.csv``) keep the words, no number;
- things are not people: a phrase headed by a word of ``non_casualty_units.csv`` ("12 sheep")
  counts nothing, and is left out of a sum ("12 sheep and two farmers" is 2);
- a bare plural ("civilians") has no count and is not vague: the rules leave such readings out.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> from kit.claims.grammar import parse
    >>> from kit.claims.terms import claim_terms
    >>> lex = load_lexicons()
    >>> doc = parse(["A colonel and three of his bodyguards were killed."])[0]
    >>> count = np_count(doc[1], claim_terms(lex), lex)
    >>> count.low, count.high, count.text
    (4, 4, 'A colonel and three')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicons import Lexicons
from .counts import _LOWER as _phrases_lower, _build as _built, count_pattern, dot_groups, parse_count
from .grammar import child, children, conjuncts, doc_text, np_text

COUNT_NOUNS = frozenset({"toll", "number", "figure", "tally", "total", "count"})  # read with the grammar of tolls
_YEAR = re.compile(r"(?:19|20)\d\d")
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "its", "his", "her", "their", "our"})
_EVERYONE = frozenset({"everyone", "everybody", "anyone", "anybody", "someone", "somebody", "all", "each"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "those", "these", "others", "who", "whom"})
_ONE_PRONOUNS = frozenset({"he", "she", "him", "her", "one"})


@dataclass
class Count:
    """A count read from a phrase: ``low``/``high`` (None: no number, or no upper bound), the words."""

    low: int | None
    high: int | None
    text: str
    victims: str = ""
    head: object = None  # the token it was read from
    vague: bool = False  # "dozens": a quantity without a number

    @property
    def usable(self) -> bool:
        """A number, or a vague quantity: a reading worth a row."""
        return self.low is not None or self.vague


def _pattern(lex: Lexicons) -> re.Pattern:
    return lex.compiled("counting.pattern", lambda lx: re.compile(rf"(?<![\w-])(?:{count_pattern(lx)})", re.I))


_GROUPS_BEFORE = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})*[ \u00a0\u2009\u202f](?=\d{3}$)")
_GROUPS_AFTER = re.compile(r"(?<=\d)(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])")


def _range_before(lex: Lexicons) -> re.Pattern:
    return lex.compiled("numbers", _built)["range_before"]


def _dot_groups(doc) -> bool:
    """Whether the parsed text groups thousands with dots (`kit.claims.counts.dot_groups`), once per doc."""
    if "kit_dot_groups" not in doc.user_data:
        doc.user_data["kit_dot_groups"] = dot_groups(doc_text(doc))
    return doc.user_data["kit_dot_groups"]


def is_number(token, terms) -> bool:
    """A count word or numeral ("eight", "2,500", "both"), not a year or a clock time."""
    if token is None:
        return False
    text = token.lower_
    if ":" in text or (_YEAR.fullmatch(text) and token.dep_ != "nummod"):
        return False
    return token.like_num or text in terms.numbers or (token.pos_ == "NUM" and any(ch.isdigit() for ch in text))


def number_before(word, terms):
    """The number just before ``word`` ("39 wounded", "95 dead"), or None."""
    if word.i == 0:
        return None
    before = word.doc[word.i - 1]
    return before if is_number(before, terms) else None


def number_phrase_count(number, terms, lex: Lexicons) -> Count:
    """The count of a number and the words that qualify it ("at least 20", "more than 90", "between 5 and 10")."""
    doc = number.doc
    kept = [t for t in number.subtree if not (t.dep_ == "prep" and t.lower_ == "of") and t.i <= number.i + 4]
    outside_of = {t.i for p in number.children if p.dep_ == "prep" and p.lower_ == "of" for t in p.subtree}
    kept = [t for t in kept if t.i not in outside_of]
    start, end = min(t.i for t in kept), max(t.i for t in kept)
    while start > 0 and doc[start - 1].lower_ in ("least", "than", "to", "of", "some", "about", "between", "nearly", "around", "past", "above",
                                                   "almost", "another", "further", "additional", "total", "a", "up",
                                                   "over", "at", "more", "roughly", "approximately", "estimated", "an"):
        start -= 1
    begin = doc[start].idx
    before = _range_before(lex).search(doc_text(doc), max(0, begin - 80), begin)  # "at least 3 and | up to 7"
    if before is not None:
        begin = before.start()
    finish = doc[end].idx + len(doc[end].text)
    while finish > begin + 1 and doc_text(doc)[finish - 1].isspace():  # a thin space parsed as a token of its own
        finish -= 1
    if number.text.isdigit():  # "1 250" parsed as two numbers: the groups of three on either side
        groups_before = _GROUPS_BEFORE.search(doc_text(doc), max(0, begin - 16), begin)
        groups_after = _GROUPS_AFTER.match(doc_text(doc), finish, finish + 16)
        begin = groups_before.start() if groups_before and begin == number.idx else begin
        finish = groups_after.end() if groups_after else finish
    number_end = number.idx + len(number.text)
    after = lex.compiled("numbers", _built)["range_after"].match(doc_text(doc), number_end, number_end + 80)
    if after is not None and re.match(rf"(?:{_phrases_lower})\b", doc_text(doc)[begin:number_end], re.I):
        finish = max(finish, after.end())  # "at least three | and as many as seven"
    text = doc_text(doc)[begin: finish]
    matches = list(_pattern(lex).finditer(text))
    match = next((m for m in matches if m.start() <= number.idx - begin < m.end() + 1), matches[0] if matches else None)
    if match is None:
        return Count(None, None, number.text, head=number)
    low, high = parse_count(match.group(0), lex, _dot_groups(doc))
    return Count(low, high, match.group(0).strip(), head=number)


def _is_thing(head, terms) -> bool:
    return head.lower_ in terms.units or head.lemma_.lower() in terms.units


def _victims(head, count_text: str) -> str:
    """The words naming the victims, without the count and leading determiners."""
    if head.lower_ in _PLURAL_PRONOUNS | _ONE_PRONOUNS or head.pos_ == "NUM" or head.like_num:
        of = next((child(p, "pobj") for p in children(head, "prep") if p.lower_ == "of"), None)
        return "" if of is None or of.lower_ in _PLURAL_PRONOUNS else _victims(of, "")
    words = np_text(head).split()
    count_words = count_text.lower().split()
    while words and count_words and words[0].lower() == count_words[0]:
        words.pop(0)
        count_words.pop(0)
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    return " ".join(words[:8])


def one_count(head, terms, lex: Lexicons) -> Count | None:
    """The count of one phrase (no conjunction), or None for a thing."""
    if _is_thing(head, terms):
        return None
    low = head.lower_
    if is_number(head, terms):
        count = number_phrase_count(head, terms, lex)
        count.victims = _victims(head, count.text)
        return count
    number = child(head, "nummod") or next((d for d in children(head, "det", "amod") if is_number(d, terms)), None)
    if number is not None:
        count = number_phrase_count(number, terms, lex)
        count.victims, count.head = _victims(head, count.text), head
        return count
    for prep in children(head, "prep"):  # "a total of 39", "a family of five"
        target = child(prep, "pobj")
        if prep.lower_ == "of" and is_number(target, terms):
            count = number_phrase_count(target, terms, lex)
            count.head = head
            return count
    words = " ".join(t.lower_ for t in head.subtree if t.i <= head.i)
    quantifiers = [t for t in head.subtree if t.i <= head.i and terms.is_vague(t.lower_)
                   and not (t.dep_ == "det" and t.lower_ == "some")]  # "some bodies had been counted twice"
    if terms.is_vague(low) or terms.is_vague(words) or quantifiers:
        if terms.is_vague(low):  # "dozens of people": the words of the quantity
            text = head.text + (" of" if any(p.dep_ == "prep" and p.lower_ == "of" for p in head.children) else "")
            doc = head.doc
            for width in (3, 2):  # "tens of thousands of": the longest vague phrase ending at the head
                if head.i >= width and terms.is_vague(doc[head.i - width: head.i].text + " " + text):
                    text = doc_text(doc)[doc[head.i - width].idx: head.idx] + text
                    break
        else:  # "several others", "an unspecified number"
            text = doc_text(head.doc)[min(t.idx for t in head.subtree if t.i <= head.i): head.idx + len(head.text)]
        return Count(None, None, text, victims=_victims(head, ""), head=head, vague=True)
    if low in _EVERYONE:  # "the martyrdom and injury of everyone in it"
        return Count(None, None, np_text(head), head=head, vague=True)
    if low in _PLURAL_PRONOUNS:
        return Count(None, None, "", head=head)
    if head.lemma_.lower() in COUNT_NOUNS:  # "a far smaller number of civilians": a quantity, not one person
        return Count(None, None, np_text(head), victims=_victims(head, ""), head=head, vague=True)
    if head.tag_ in ("NN", "NNP") or low in _ONE_PRONOUNS:
        return Count(1, 1, np_text(head), victims=_victims(head, ""), head=head)
    return Count(None, None, "", victims=_victims(head, ""), head=head)


def _partitive(token) -> bool:
    """"seven of them ...": a part of a count given before, not more people."""
    return any(p.dep_ == "prep" and p.lower_ in ("of", "among") and child(p, "pobj") is not None
               and child(p, "pobj").lower_ in ("them", "whom", "those") for p in token.subtree)


def np_count(head, terms, lex: Lexicons) -> Count:
    """The count of the noun phrase headed by ``head`` and the phrases joined to it (see the module)."""
    joined = [h for h in conjuncts(head) if h is head or not terms.casualty(h)]  # "one individual and countless injuries"
    if head.tag_ in ("NN", "NNP"):  # "Zahedi, his deputy Gen. X and five other officers": a list, not a title
        for appos in children(head, "appos"):
            if children(appos, "conj") and not _partitive(appos):
                joined += [a for a in conjuncts(appos) if not terms.casualty(a)]
    parts = [c for c in (one_count(h, terms, lex) for h in joined) if c is not None]
    if not parts:
        return Count(None, None, "", head=head)
    if len(parts) == 1:
        return parts[0]
    # a bare plural joined to a counted phrase shares its number ("12 children and teenagers" is 12)
    parts = [p for p in parts if p.low is not None or p.vague] or parts
    if len(parts) == 1:
        return parts[0]
    known = [p for p in parts if p.low is not None]
    text = " and ".join(p.text for p in parts if p.text)
    victims = " and ".join(p.victims for p in parts if p.victims)
    if len(known) == len(parts):
        high = sum(p.high for p in parts) if all(p.high is not None for p in parts) else None
        return Count(sum(p.low for p in parts), high, text, victims, head)
    if known:
        return Count(sum(p.low for p in known), None, text, victims, head)
    return Count(None, None, text, victims, head, vague=any(p.vague for p in parts))

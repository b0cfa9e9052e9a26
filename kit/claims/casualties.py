"""Casualty claims: who says how many were killed or wounded, read from the grammar of the sentence.

Every word of ``data/lexicons/casualty_terms.csv`` in a parsed sentence (`kit.claims.grammar`) is
read by its role, and the count comes from the noun phrase of the victims (`kit.claims.counting`):

- ``passive``: the victims are the subject of a passive verb: "Five members of the brigade,
  including its deputy commander, were killed"; "At least 20 people, children among them, were
  killed and 31 wounded" (the second verb's own count); "people killed in the attack";
- ``active``: the victims are the object: "the raid killed a senior commander" (1), "killing a
  total of four and wounding six others"; a thing is not a victim ("killing 12 sheep and two
  farmers" is 2 when sheep is in ``non_casualty_units.csv``);
- ``loss``: a number of people a side lost: "the brigade lost four fighters" (not "lost its bid");
- ``died``: the subject of a verb like died: "both people who died" (2), "one of whom later died";
- ``left dead``: "the strike left at least 11 people dead", "left 9 soldiers dead and 11 others injured";
- ``noun``: "three deaths", "the deaths of three soldiers", "the killing of a senior Hamas leader",
  "claimed 89 lives", "eight children were hospitalised with injuries", "8 dead";
- ``toll``: a count given to a toll, a number or a figure: "the death toll rose to 94", "put the
  number of people injured at 284", "bringing the toll to 23", "the wounded numbered more than 280";
- ``names``: "the dead were named as X, Y and Z" (3);
- ``part of a toll``: "including 14 Afghan nationals", "4 of them children" (their own row);
- ``none``: "no one was hurt", "there were no casualties", "did not cause any injuries",
  "no sign of civilian casualties" (no_civilian_casualties).

Counts: see `kit.claims.counting` ("at least 3" is 3 and unbounded, "more than 30" is 31,
"up to 10" is 1-10, "two dozen" 24, "a colonel and three of his bodyguards" 4; "dozens" keeps
the words and no number). Not claims: a verb under a threat or plan ("vowed to kill 20",
``threat_verb`` in attribution_terms.csv), a modal ("could kill"), a condition ("if ...").

Every row names its ``rule`` (the role above) and gets its speaker from `kit.claims.speakers`.

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.lexicons import load_lexicons
    >>> text = "An interior ministry source quoted by AFP says the bombing killed one person and wounded eight others."
    >>> art = Article("a1", "a.txt", None, text, "0")
    >>> [(c["outcome"], c["count_min"], c["speaker"], c["via"], c["rule"]) for c in find_casualty_claims(art, load_lexicons())]
    [('killed', 1, 'An interior ministry source', 'AFP', 'active'), ('wounded', 8, 'An interior ministry source', 'AFP', 'active')]
"""
from __future__ import annotations

from dataclasses import dataclass

from ..lexicons import Lexicons
from .counting import (
    COUNT_NOUNS,
    Count,
    is_number,
    np_count,
    number_before,
    number_phrase_count,
    one_count,
)
from .grammar import (
    MODALS,
    child,
    children,
    clause_head,
    conjuncts,
    is_negated,
    is_passive,
    np_text,
    path_up,
    subject_before_aside,
    subject_of,
)
from .shared import (
    NO_ONE,
    claim_id,
    claim_row,
    read_sentences,
    threatened,
    walk_readings,
)
from .terms import ClaimTerms, claim_terms


@dataclass
class Casualty:
    """One reading of a casualty word: what the row of casualty_claims.csv says."""

    word: object  # the casualty word (a spaCy token); its position anchors the claim
    outcome: str
    count: Count
    rule: str


def _civilian(tokens) -> bool:
    return any(t.lemma_.lower() in ("civilian", "civilians") for t in tokens)


def _none_claim(word, terms: ClaimTerms) -> Casualty | None:
    """"no casualties", "no one was hurt", "did not cause injuries", "without casualties"."""
    if word.pos_ in ("NOUN", "PROPN", "ADJ"):
        around = list(word.subtree)  # only here: a verb's subtree may be a whole list-like sentence
        negative = is_negated(word)
        for below, head in path_up(word, 4):
            if below.dep_ == "pobj" and head.lower_ == "without":
                negative = True
            elif is_negated(head) and below.dep_ in ("prep", "pobj", "acomp", "dobj", "attr", "nsubj", "nsubjpass"):
                negative = True  # "no sign of", "not aware of any", "did not cause", "there were no"
                around += list(head.subtree)
            if head.pos_ in ("VERB", "AUX") and below.dep_ not in ("prep", "pobj", "acomp"):
                break
        if negative:
            outcome = "no_civilian_casualties" if _civilian(around) else "no_casualties"
            return Casualty(word, outcome, Count(None, None, ""), "none")
        return None
    subject = child(word, "nsubjpass", "nsubj")
    if subject is not None and (subject.lower_ in NO_ONE or is_negated(subject)):
        outcome = "no_civilian_casualties" if _civilian(subject.subtree) else "no_casualties"
        return Casualty(word, outcome, Count(None, None, ""), "none")
    return None


def _left_frame(word):
    """The object of "leave" when ``word`` is its predicate: "left 11 people dead"."""
    current = word
    for _ in range(3):
        if current.dep_ in ("oprd", "xcomp", "ccomp", "acomp", "conj", "advcl") and current.head.lemma_.lower() == "leave":
            return child(current.head, "dobj")
        if current.dep_ != "conj":
            return None
        current = current.head
    return None


def _victims_of_verb(word, kinds: set[str], terms: ClaimTerms):
    """(victims' head, rule) of a casualty verb or adjective, or (None, rule)."""
    left = _left_frame(word)
    own_subject = child(word, "nsubjpass", "nsubj")
    if own_subject is not None and own_subject.tag_ in ("WP", "WDT") and word.dep_ == "relcl":
        own_subject = word.head  # "700 people who were injured"
    if own_subject is None and word.dep_ == "conj" and word.head.pos_ in ("VERB", "AUX") and terms.casualty(word.head):
        own_subject = subject_of(word)  # "dozens were killed and injured"
    if own_subject is None:
        own_subject = subject_before_aside(word)  # "several others, children among them, were wounded"
    if left is not None and own_subject is None:
        return left, "left dead"
    if is_passive(word) or (word.pos_ == "ADJ" and "passive" in kinds):
        if own_subject is not None:
            return own_subject, "passive"
        if word.dep_ in ("acl", "relcl", "amod") and word.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return word.head, "passive"
        return None, "passive"
    obj = child(word, "dobj")
    if obj is None:  # "killed and wounded dozens": the object of the verb joined to it
        for other in children(word, "conj"):
            obj = child(other, "dobj") or obj
    if "active" in kinds and obj is not None:
        return obj, "active"
    if "loss" in kinds and obj is not None and not terms.casualty(obj) and (
            child(obj, "nummod") is not None or is_number(obj, terms)):
        return obj, "loss"  # "the brigade lost four fighters": a number of people, not "lost its bid"
    if "passive" in kinds:  # died, perished
        subject = own_subject
        if subject is None and word.dep_ == "relcl":
            return word.head, "died"
        if subject is not None and subject.tag_ in ("WP", "WDT"):
            return word.head if word.dep_ == "relcl" else None, "died"
        return subject, "died"
    return None, "active"


def _with_companions(count: Count, verb, terms: ClaimTerms, lex: Lexicons) -> Count:
    """"Zahedi died alongside his deputy, his chief of staff and 11 others": 14."""
    if count.low is None:
        return count
    for prep in children(verb, "prep"):
        if prep.lower_ in ("alongside", "with") or (prep.lower_ == "along" and child(prep, "prep") is not None):
            target = child(prep, "pobj") or child(child(prep, "prep"), "pobj")
            more = np_count(target, terms, lex) if target is not None else None
            if more is not None and more.low is not None:
                high = None if count.high is None or more.high is None else count.high + more.high
                return Count(count.low + more.low, high, f"{count.text} and {more.text}", count.victims, count.head)
    return count


def _toll_count(noun, terms: ClaimTerms, lex: Lexicons) -> Count | None:
    """The count given to a toll, a number or a figure: "the toll rose to 94", "put the number of
    people injured at 284", "the wounded numbered more than 280", "a toll of 12"."""
    places = [noun]
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        places.append(noun.head)
    for place in places:
        for prep in children(place, "prep"):
            if prep.lower_ in ("to", "at", "as", "past", "above") or (prep.lower_ == "of" and place is noun):
                target = child(prep, "pobj")
                if target is not None and is_number(target, terms):
                    return number_phrase_count(target, terms, lex)
        for target in children(place, "attr", "dobj", "npadvmod", "acomp"):
            if target is not noun and is_number(target, terms):
                return number_phrase_count(target, terms, lex)
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":  # "put the number of martyrs of the
        for prep in noun.subtree:  # aggression at five": the parse hung "at" on the last noun
            target = child(prep, "pobj") if prep.dep_ == "prep" and prep.lower_ == "at" else None
            if target is not None and is_number(target, terms):
                return number_phrase_count(target, terms, lex)
    return None


def _count_noun_above(word):
    """The toll, number or figure a casualty word counts for: "the number of people injured",
    "the death toll", "the number of martyrs"."""
    if word.dep_ == "compound" and word.head.lemma_.lower() in COUNT_NOUNS:
        return word.head
    for below, head in path_up(word, 4):
        if head.lemma_.lower() in COUNT_NOUNS and below.dep_ in ("pobj", "prep", "acl", "compound"):
            return head
        if head.pos_ in ("VERB", "AUX") and below.dep_ not in ("acl",):
            return None
    return None


def _named_count(noun) -> Count | None:
    """"The dead were named as X, Y and Z", "the dead included X": as many as the names (3, 1),
    when ``noun`` is what is named."""
    verb = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() not in ("name", "identify", "include"):
        return None
    targets = children(verb, "dobj", "attr", "oprd") + [child(p, "pobj") for p in children(verb, "prep") if p.lower_ == "as"]
    names = []
    for target in (t for t in targets if t is not None):
        items = conjuncts(target)
        for appos in children(target, "appos"):  # "X (16), Y (16), Z (15)": a list in appositions
            if appos.pos_ == "PROPN":
                items += conjuncts(appos)
        names += [t for t in items if t.pos_ == "PROPN"]
    return Count(len(names), len(names), "", head=noun) if names else None


def _noun_reading(word, terms: ClaimTerms, lex: Lexicons) -> tuple[Count | None, str]:
    """Count and rule of a casualty noun: "three deaths", "the deaths of three soldiers", "89 lives",
    "the dead were named as X and Y", "hospitalised with injuries", "8 dead"."""
    number = child(word, "nummod")
    if number is not None:
        return number_phrase_count(number, terms, lex), "noun"
    for prep in children(word, "prep"):
        victims = child(prep, "pobj") if prep.lower_ == "of" else None
        if victims is not None and not terms.casualty(victims) and "attack_noun" not in terms.attribution_kinds(victims):
            return np_count(victims, terms, lex), "noun"  # "the deaths of three soldiers", not "the victims of the attack"
    if word.dep_ == "pobj" and word.head.lower_ == "among" and word.head.head.lemma_.lower() in ("be", "include"):
        subject = child(word.head.head, "nsubj", "nsubjpass")  # "two officers were among the dead"
        if subject is not None:
            return np_count(subject, terms, lex), "among the dead"
    before = number_before(word, terms)
    if before is not None:
        return number_phrase_count(before, terms, lex), "noun"
    if word.dep_ in ("nsubj", "nsubjpass") and word.head.pos_ in ("VERB", "AUX"):
        named = _named_count(word)
        if named is not None:
            return named, "names"
        found = _toll_count(word, terms, lex)
        if found is not None:
            return found, "toll"
    wound = "wounded" in {outcome for outcome, _ in terms.casualty(word)}
    by_prep = wound and word.dep_ == "pobj" and word.head.lower_ in ("with", "for", "from")  # "hospitalised with injuries"
    verb = word.head if word.dep_ == "dobj" else word.head.head if by_prep else None
    suffered = verb is not None and word.dep_ == "dobj" and any(kind == "suffer" for _, kind in terms.casualty(verb))
    if verb is not None and (by_prep or suffered) and verb.pos_ in ("VERB", "AUX"):
        subject = subject_of(verb) if all(kind in ("suffer", "loss") for _, kind in terms.casualty(verb)) else None
        if subject is not None:
            return np_count(subject, terms, lex), "noun"
    if word.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in word.children):
        return Count(1, 1, np_text(word), head=word), "noun"  # "a further victim"
    own = np_count(word, terms, lex)
    if own.vague:  # "countless injuries"
        return own, "noun"
    if word.dep_ == "pobj" and word.head.lower_ == "of" and is_number(word.head.head, terms):
        return number_phrase_count(word.head.head, terms, lex), "part of a toll"  # "nine of the wounded"
    if word.dep_ == "pobj" and word.head.lower_ == "of" and terms.is_vague(word.head.head.lower_):
        return Count(None, None, f"{word.head.head.text} of", head=word, vague=True), "noun"  # "dozens of injuries"
    return None, "noun"


def _read_word(word, items: list[tuple[str, str]], terms: ClaimTerms, lex: Lexicons) -> list[Casualty]:
    kinds = {kind for _, kind in items}
    outcomes = [outcome for outcome, kind in items if kind != "none"] or [items[0][0]]
    outcome = "wounded" if "wounded" in outcomes and word.lemma_.lower() not in ("kill", "death", "dead") else outcomes[0]
    if threatened(word, terms, MODALS):
        return []
    none = _none_claim(word, terms) if "none" in kinds or word.pos_ in ("VERB", "AUX") else None
    if none is not None:
        return [none]
    if kinds == {"none"}:
        return []
    above = _count_noun_above(word)
    if above is not None:
        if word.lemma_.lower() == "toll" or (above.lemma_.lower() == "toll" and word.dep_ == "compound"):
            toll = above if above is not word else word
            outcome = "wounded" if any(c.lemma_.lower() in ("injury", "wounded", "injured") for c in toll.children) else outcome
        found = _toll_count(above, terms, lex) or _toll_count(word, terms, lex)
        if found is not None:
            return [Casualty(word, outcome, found, "toll")]
        quantity = np_count(above, terms, lex)
        if quantity.vague and terms.is_vague(" ".join(t.lower_ for t in above.subtree if t.i <= above.i)):
            return [Casualty(word, outcome, quantity, "toll")]  # "an unspecified number of dead and wounded"
    if word.lemma_.lower() in COUNT_NOUNS:
        found = _toll_count(word, terms, lex)
        return [Casualty(word, outcome, found, "toll")] if found is not None else []
    if word.pos_ in ("NOUN", "PROPN") and ("noun" in kinds or word.pos_ == "PROPN"):
        count, rule = _noun_reading(word, terms, lex)
        return [Casualty(word, outcome, count, rule)] if count is not None and count.usable else []
    as_noun = word.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and any(c.dep_ == "det" for c in word.children)
    if word.pos_ not in ("VERB", "AUX", "ADJ") or (as_noun and "noun" in kinds):  # "the wounded numbered 280"
        if "noun" in kinds:
            count, rule = _noun_reading(word, terms, lex)
            return [Casualty(word, outcome, count, rule)] if count is not None and count.usable else []
        return []
    victims, rule = _victims_of_verb(word, kinds, terms)
    named = _named_count(victims) if victims is not None else None
    if named is not None:
        return [Casualty(word, outcome, named, "names")]
    if victims is not None:
        count = _with_companions(np_count(victims, terms, lex), word, terms, lex)
        for other in children(word, "nsubjpass", "nsubj"):  # "The governor, his driver and two guards were killed"
            if other.i != victims.i and victims.dep_ in ("nsubjpass", "nsubj") and count.low is not None:
                more = np_count(other, terms, lex)
                if more.low is not None:
                    high = None if count.high is None or more.high is None else count.high + more.high
                    count = Count(count.low + more.low, high, f"{count.text} and {more.text}", count.victims, count.head)
    else:
        before = number_before(word, terms) or child(word, "npadvmod", "nummod")
        count = number_phrase_count(before, terms, lex) if before is not None and is_number(before, terms) else None
    if count is None or not count.usable:
        return []
    return [Casualty(word, outcome, count, rule)]


def _parts(found: list[Casualty], terms: ClaimTerms, lex: Lexicons) -> list[Casualty]:
    """Sub-counts of a toll, each its own row: "including 14 Afghan nationals", "4 of them children",
    "a senior commander among them"."""
    extra, among = [], None  # among: the sentence's phrases "among them", found once (not once per toll's clause)
    for casualty in found:
        if casualty.count.head is None or (casualty.count.low is None and not casualty.count.vague):
            continue
        clause = clause_head(casualty.word)
        if among is None:
            among = [t for t in casualty.word.doc if t.dep_ in ("appos", "npadvmod", "dobj", "conj", "nsubj", "attr")
                     and _among_them(t)]
        targets = []
        for head in dict.fromkeys([casualty.count.head, casualty.word, clause]):
            for prep in children(head, "prep"):
                if prep.lower_ == "including":
                    pobj = child(prep, "pobj")
                    if pobj is not None and (is_number(pobj, terms) or child(pobj, "nummod") is not None):
                        targets.append(pobj)  # "including 14 Afghan nationals" (not "including a woman")
        # in the clause (its subtree): "seven of them Revolutionary Guards", "a senior commander among them"
        targets += [token for token in among if token.i != casualty.count.head.i
                    and (token.i == clause.i or any(a.i == clause.i for a in token.ancestors))]
        for target in dict.fromkeys(targets):
            if target.dep_ in ("nsubj", "nsubjpass") and terms.casualty(target.head):
                continue  # "one of whom later died": its own claim, not a part of this one
            count = _one_part(target, terms, lex)
            if count.low is not None and (casualty.count.low is None or count.low < casualty.count.low):
                extra.append(Casualty(target, casualty.outcome, count, "part of a toll"))
    return extra


def _among_them(token) -> bool:
    """"a senior commander among them", "seven of them Revolutionary Guards" (the phrase's own
    "among them" or a number's "of them")."""
    # only the phrase's own children and theirs can qualify (their head is the token or a child of
    # it), so these are read instead of the whole subtree: a long list-like sentence stays linear
    near = [c for n in token.children for c in (n, *n.children)]
    for c in near:
        if c.dep_ == "prep" and c.lower_ in ("among", "of") and c.head.i in (token.i, *(n.i for n in token.children)):
            pobj = child(c, "pobj")
            if pobj is not None and pobj.lower_ in ("them", "whom", "those"):
                return True
    return False


def _one_part(target, terms: ClaimTerms, lex: Lexicons) -> Count:
    """The count of one sub-count phrase: its own number ("seven of them ..."), else one person."""
    count = one_count(target, terms, lex)
    if count is None or (count.low is None and not count.vague):
        return Count(None, None, "")
    return count


def _dedupe(found: list[Casualty]) -> list[Casualty]:
    """One reading per (outcome, count and the words it was read from)."""
    kept, seen = [], set()
    for item in found:
        key = (item.outcome, item.count.low, item.count.high, item.count.head.i if item.count.head is not None else item.word.i)
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def sentence_casualties(doc, terms: ClaimTerms, lex: Lexicons) -> list[Casualty]:
    """Every casualty reading of one parsed sentence, in the order of their words."""
    found = []
    for word in doc:
        items = terms.casualty(word)
        if items:
            found += _read_word(word, items, terms, lex)
    found += _parts(found, terms, lex)
    return sorted(_dedupe(found), key=lambda c: c.word.i)


def find_casualty_claims(article, lex: Lexicons, incident=None, readings=None) -> list[dict]:
    """Casualty claim rows of one article (claim_id, outcome, counts, speaker, rule, provenance).
    ``readings`` are the article's parsed sentences (`kit.claims.shared.read_sentences`), when the
    caller has them already."""
    terms = claim_terms(lex)
    readings = read_sentences(article, lex) if readings is None else readings
    claims = []
    for reading, context in walk_readings(readings, lex):
        sentence, text = reading.sentence, reading.sentence.text
        if not terms.casualty_check.search(text):
            continue
        for casualty in sentence_casualties(reading.doc, terms, lex):
            position = casualty.word.idx
            speaker, via = context.speaker_of(reading, casualty.word, terms)
            background = incident.is_background(text, position, sentence.index) if incident is not None else False
            count = casualty.count
            claims.append(claim_row(
                article, sentence, speaker, via, background,
                claim_id=claim_id(article.article_id, sentence.start + position, sentence.start + position + len(casualty.word.text),
                                  casualty.outcome, count.low, count.high),
                outcome=casualty.outcome, count_min=count.low, count_max=count.high, count_text=count.text,
                victims=count.victims, rule=casualty.rule, cue_start=sentence.start + position))
    return claims

"""Who says a claim, read from the parse: the subject of the reporting verb that governs it.

For a claim's word, first hit wins:

1. the nearest verb above it in the parse that reports speech (``data/lexicons/reporting_verbs.csv``:
   said, told, announced, denied, put ...), with the claim in what it reports (not in its subject):
   its subject is the speaker ("militia officials blame ..."), or its agent when passive ("was
   confirmed by Jafar Miadfar"); a relaying verb gives the speaker and the channel at once
   ("Reuters quoted X as saying", "X was cited by IRNA as saying", "..., citing medical sources");
2. a reporting verb the parser hung below the claim, after it ("... killed 31 people, officials said");
3. "according to X" anywhere in the sentence.

The speaker is the subject's noun phrase as written, without clauses about it; a common noun with
a name in apposition gives the name ("Zelensky's chief of staff, Andriy Yermak, said" -> Andriy
Yermak); a pronoun ("he said") is left for `kit.claims.speakers.SpeakerContext` to resolve to the
article's last named speaker. ``via``: an outlet the verb tells ("told Reuters"), the relaying
outlet, or "quoted by AFP" inside the speaker's phrase.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> from kit.claims.grammar import parse
    >>> from kit.claims.terms import claim_terms
    >>> lex = load_lexicons()
    >>> doc = parse(["President Zelensky's chief of staff, Andriy Yermak, told Reuters that 36 people had been killed."])[0]
    >>> find_reporter(next(t for t in doc if t.lower_ == "killed"), claim_terms(lex), lex)
    ('Andriy Yermak', 'Reuters', 'reporting verb')
"""
from __future__ import annotations

import re

from ..lexicons import Lexicons
from .grammar import (
    PERSONAL_PRONOUNS,
    agent_of,
    doc_text,
    child,
    children,
    is_negated,
    is_passive,
    participle_aside,
    is_within,
    np_indexes,
    np_text,
    path_up,
    subject_of,
)
from .terms import ClaimTerms

NO_ONE = frozenset({"nobody", "none", "noone", "no one"})  # kit.claims.shared imports this module: the same set

SPEAKER_DROP = frozenset({"relcl", "acl", "punct", "advcl", "parataxis", "appos", "dep", "mark"})
STATEMENT_WORDS = frozenset({"statement", "communique", "communiqué", "release", "post", "message", "report", "announcement"})


def self_name(head):
    """The name a group gives itself in a relative clause: "..., which refers to itself as X" -> X
    (also when the clause hangs on the noun after "of": "an umbrella group of militias, which refers ...")."""
    heads = [head] + [child(p, "pobj") for p in children(head, "prep") if p.lower_ == "of" and child(p, "pobj") is not None]
    for clause in (c for h in heads for c in children(h, "relcl", "acl")):
        if clause.lemma_.lower() in ("refer", "call", "know", "describe", "style", "name"):
            for prep in clause.subtree:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    target = child(prep, "pobj")
                    if target is not None:
                        return target
    return None


_CLOCK_AHEAD = re.compile(r"^\d{1,2}[:.h]\d{2}(?:\s*(?:GMT|UTC|[AaPp]\.?[Mm]\.?))?\s*[-\u2013\u2014:|]?\s+")


def _phrase_without_times(head) -> str:
    """The subject's words, without a time hung on it by the parser ("Russia on Tuesday" -> "Russia",
    a live blog's "09:40 Medics" -> "Medics")."""
    text = _phrase_with_preps_of_time_dropped(head)
    return _CLOCK_AHEAD.sub("", text) or text


def _phrase_with_preps_of_time_dropped(head) -> str:
    dropped = set()
    for prep in children(head, "prep"):
        obj = child(prep, "pobj")
        if obj is not None and (obj.lower_ in TIME_WORDS or obj.like_num):
            dropped |= {t.i for t in prep.subtree}
    if not dropped:
        return np_text(head, SPEAKER_DROP)
    kept = [i for i in np_indexes(head, SPEAKER_DROP) if i < min(dropped)]
    doc = head.doc
    return doc_text(doc)[doc[kept[0]].idx: doc[kept[-1]].idx + len(doc[kept[-1]].text)].strip(" ,") if kept else np_text(head)


TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
                        "yesterday", "morning", "evening", "night", "afternoon", "weekend"})


def _outlets(lex: Lexicons):
    from .speakers import _Outlets

    return lex.compiled("speakers.outlets", _Outlets)


def speaker_phrase(head, lex: Lexicons) -> tuple[str, str]:
    """(speaker, via) of a subject noun phrase; a personal pronoun gives ``(pronoun, "")``."""
    if head.lower_ in PERSONAL_PRONOUNS and head.pos_ == "PRON":  # "us", not "US"
        return head.lower_, ""
    via = ""
    for acl in children(head, "acl"):  # "a source quoted by AFP"
        if acl.lemma_.lower() in ("quote", "cite"):
            agent = agent_of(acl)
            if agent is not None:
                via = _outlets(lex).name_in(np_text(agent)) or np_text(agent)
    if head.lemma_.lower() in STATEMENT_WORDS:  # "a statement from the ministry", "the ministry's statement"
        source = child(head, "poss")
        for prep in children(head, "prep"):
            if prep.lower_ in ("from", "by", "of"):
                source = child(prep, "pobj") or source
        if source is not None:
            return speaker_phrase(source, lex)[0], via
    named = self_name(head)
    if named is not None:  # "an umbrella group, which refers to itself as the Islamic Resistance in Iraq"
        return np_text(named, SPEAKER_DROP), via
    if head.pos_ != "PROPN":
        for appos in children(head, "appos"):
            if appos.pos_ == "PROPN":
                return np_text(appos, SPEAKER_DROP), via
    text = _phrase_without_times(head)
    words = text.split()
    if len(words) > 14:
        text = " ".join(words[:14])
    return text, via


def _relay_speaker(verb, lex: Lexicons) -> tuple[str, str] | None:
    """Speaker and channel of "Reuters quoted X as saying", "X was cited by IRNA", "..., citing X"."""
    outlets = _outlets(lex)
    if is_passive(verb) and verb.dep_ not in ("acl", "amod"):
        subject, agent = subject_of(verb), agent_of(verb)
        if subject is None:
            return None
        via = outlets.name_in(np_text(agent)) if agent is not None else ""
        return speaker_phrase(subject, lex)[0], via or (np_text(agent) if agent is not None else ""), subject
    quoted = child(verb, "dobj")
    if quoted is None:
        return None
    relay = subject_of(verb)
    via = outlets.name_in(np_text(relay)) if relay is not None else ""
    return speaker_phrase(quoted, lex)[0], via, quoted


def _apposition_before(verb):
    """The speaker the parse hung elsewhere: in "Speaking to the AP, Hezbollah's spokesman, Mohammed
    Afif, said ..." the name before "said" is an apposition of "the AP" and "said" has no subject."""
    before = verb.doc[verb.i - 1] if verb.i >= 2 and verb.doc[verb.i - 1].text == "," else None
    name = verb.doc[verb.i - 2] if before is not None else None
    return name if name is not None and name.dep_ == "appos" and name.pos_ in ("PROPN", "NOUN") else None


QUOTE_TAGS = frozenset({"``", "''"})


def _quotes_it(verb, token) -> bool:
    """``verb`` follows the quotation that holds ``token``: '"We did not. Those reports are not true,"
    CENTCOM wrote' (a quote of several sentences is parsed as several, the last one holding the verb)."""
    doc = verb.doc
    close = next((t for t in reversed(doc[max(0, verb.i - 4): verb.i]) if t.tag_ in QUOTE_TAGS), None)
    if close is None or close.i <= token.i:
        return False
    return any(t.tag_ in QUOTE_TAGS for t in doc[:token.i]) and not any(t.tag_ in QUOTE_TAGS for t in doc[token.i: close.i])


def _reported_by(verb, kind: str, lex: Lexicons) -> tuple[str, str, object] | None:
    """(speaker, via, the speaker's head token) a reporting verb gives, or None when it names nobody."""
    if kind == "relay":
        return _relay_speaker(verb, lex)
    outlets = _outlets(lex)
    if is_passive(verb) and verb.dep_ not in ("acl", "amod"):
        agent = agent_of(verb)  # "was confirmed by X"
        if agent is None:
            return None
        speaker, via = speaker_phrase(agent, lex)
        return speaker, via, agent
    subject = subject_of(verb) or _apposition_before(verb)
    if subject is None:
        return None
    speaker, via = speaker_phrase(subject, lex)
    split = children(verb, "nsubj")
    if len(split) > 1 and split[0].i == subject.i:  # "Health Ministry spokesman Ashraf al-Qidra said", parsed as 4 subjects
        names = [t for t in verb.doc[split[0].i + 1: split[-1].i + 1] if t.pos_ == "PROPN" or t.text == "-"]
        run = verb.doc[names[0].i: split[-1].i + 1] if names and names[-1].i == split[-1].i else None
        if run is not None and all(t.pos_ == "PROPN" or t.text == "-" for t in run):
            speaker, subject = run.text, split[-1]
    if not via:
        for obj in children(verb, "dobj", "dative"):  # "told Reuters"
            via = outlets.name_in(np_text(obj)) if outlets.regex.fullmatch(np_text(obj)) else ""
            if via:
                break
    if not via:
        for adverbial in children(verb, "advcl", "prep"):  # "speaking to the Associated Press"
            target = child(adverbial, "prep")
            target = child(target, "pobj") if target is not None else child(adverbial, "pobj")
            if adverbial.lemma_.lower() in ("speak", "talk") and target is not None:
                via = outlets.name_in(np_text(target))
    return speaker, via, subject


def _usable(found, terms: ClaimTerms) -> str:
    """"named", "pronoun" (he, they: the article's last named speaker), or "" for a subject that names
    nobody: "no group" said, evidence that "showed" (the speaker is the one above it)."""
    if not found or not found[0]:
        return ""
    head = found[2]
    if head.lower_ in NO_ONE or is_negated(head) or head.lemma_.lower() in terms.evidence:
        return ""
    return "pronoun" if head.lower_ in PERSONAL_PRONOUNS else "named"


def _aside(below) -> bool:
    """A relative clause set off by a comma is the writer's own aside: "..., which killed 84 people"."""
    return below.dep_ == "relcl" and below.left_edge.i > 0 and below.doc[below.left_edge.i - 1].text == ","


def find_reporter(token, terms: ClaimTerms, lex: Lexicons, itself: bool = True, outermost: bool = False) -> tuple[str, str, str]:
    """(speaker, via, how) for a claim whose word is ``token``; ``("", "", "")`` when the sentence
    names nobody (see the module docstring for the order). ``itself``: a reporting verb that is the
    claim's own word counts ("Hezbollah denied ..."), else only those above it. ``outermost``: of
    several reporters one above the other, the highest ("Peskov said the Kremlin rejects ..." is
    Peskov's), else the nearest. A pronoun reporter gives way to a named one above it."""
    chain, embedded = [], []  # embedded[i]: reporter i reports what reporter i-1 says ("Peskov said the Kremlin rejects")
    own = terms.reporting_kind(token) if itself else ""
    if own and token.dep_ not in ("amod",):  # the claim's word reports itself: "Hezbollah denied ..."
        chain.append(_reported_by(token, own, lex))
        embedded.append(True)
    link = True
    for below, head in path_up(token):
        if not outermost and _aside(below):
            break  # a casualty figure in the writer's aside is the writer's ("..., which killed 84 people")
        kind = terms.reporting_kind(head)
        if kind and below.dep_ == "dobj" and below.i == token.i and (subject_of(head) is None or
                                                                      subject_of(head).lower_ in PERSONAL_PRONOUNS):
            kind = ""  # "they claimed 89 lives": the claim is the verb's object, its subject no speaker
        if kind and below.dep_ not in ("nsubj", "nsubjpass", "csubj", "agent"):
            chain.append(_reported_by(head, kind, lex))
            embedded.append(link or not chain[:-1])
            link = True
        elif chain and below.dep_ in ("advcl", "conj", "parataxis", "relcl"):
            link = False  # "Russia denied X, while Ukraine said Y": Y is not Russia's
        if chain and below.dep_ in ("advcl", "conj", "parataxis", "relcl") and terms.reporting_kind(below):
            link = False
    says, accordings = _reporting_words(token.doc, terms)
    for verb in says:  # "... killed 31 people, officials said", "Rather, they said, the group was ..."
        if participle_aside(verb):
            continue  # "a bombing earlier this month, claimed by the Islamic State group": about the bombing
        if verb.dep_ == "parataxis" or (verb.i > token.i and verb.dep_ in ("ccomp", "advcl")
                                        and is_within(token, verb.head) and not is_within(token, verb)) \
                or _quotes_it(verb, token):
            chain.append(_reported_by(verb, "say", lex))
            embedded.append(False)
    if outermost and chain:  # keep only the reporters that embed the nearest one
        cut = next((i for i in range(1, len(chain)) if not embedded[i]), len(chain))
        chain = chain[:cut] if any(_usable(f, terms) == "named" for f in chain[:cut]) else chain
    named = [f for f in chain if _usable(f, terms) == "named"]
    if named:
        found = named[-1] if outermost else named[0]
        return found[0], found[1], "reporting verb"
    pronouns = [f for f in chain if _usable(f, terms) == "pronoun"]
    if pronouns:
        return pronouns[0][0], pronouns[0][1], "reporting verb"
    for word in accordings:
        to = child(word, "prep")
        who = child(to, "pobj") if to is not None else None
        if who is not None:
            if who.lemma_.lower() in terms.evidence:  # "according to their final figures"
                owner = child(who, "poss")
                if owner is None:
                    continue
                who = owner
            speaker, via = speaker_phrase(who, lex)
            return speaker, via, "according to"
    return "", "", ""


def _reporting_words(doc, terms: ClaimTerms) -> tuple[list, list]:
    """The "say" verbs and the words "according" of a parsed sentence, in order, found once per
    parse (every claim of the sentence asks: a long list-like sentence stays linear)."""
    found = doc.user_data.get("kit_reporting_words")
    if found is None or found[0] is not terms:
        says = [t.i for t in doc if terms.reporting_kind(t) == "say"]
        found = doc.user_data["kit_reporting_words"] = (terms, says, [t.i for t in doc if t.lower_ == "according"])
    return [doc[i] for i in found[1]], [doc[i] for i in found[2]]

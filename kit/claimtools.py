"""What casualty and attribution extraction share: walking an article's sentences with speaker
context, skipping duplicated copies, hypothetical clauses, and building stable claim ids.

Example:
    >>> first = claim_id("3a06527e9100", 120, 180, "killed", 8)
    >>> first == claim_id("3a06527e9100", 120, 180, "killed", 8), first.startswith("c-"), len(first)
    (True, True, 14)
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from typing import Iterator

from .articles import Article
from .lexicons import Lexicons
from .sentences import Sentence
from .speakers import SpeakerContext

_HYPOTHETICAL = re.compile(r"\b(?:will|would|could|may|might|can|shall|should|must|threaten(?:s|ed)?\s+to|"
                           r"vow(?:s|ed)?\s+to|plan(?:s|ned)?\s+to|if|unless|whether|to)\s+(?:\w+\s+){0,2}$", re.I)


def claim_id(article_id: str, start: int, end: int, *values) -> str:
    """Stable id of a claim: the same article text and the same reading give the same id."""
    raw = "|".join([article_id, str(start), str(end), *map(str, values)])
    return "c-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def is_hypothetical(sentence: str, position: int) -> bool:
    """True when the words just before ``position`` make it a threat, plan or condition ("will kill")."""
    return bool(_HYPOTHETICAL.search(sentence[max(0, position - 40):position]))


def duplicated_sentences(sentences: list[Sentence]) -> set[int]:
    """Indexes of sentences whose text is repeated inside a longer sentence of the same article.

    An embedded post printed below the article's own quotation of it says the same thing twice;
    its claims are counted once, from the sentence that names the speaker.

    >>> from kit.sentences import split_sentences
    >>> duplicated_sentences(split_sentences('He said "The base was hit by three drones at dawn," on X.\\n'
    ...                                      'The base was hit by three drones at dawn.'))
    {1}
    """
    texts = [s.text.rstrip(' .!?,"\'') for s in sentences]
    # one search per sentence in all texts joined, instead of a test against every other sentence
    joined = "\n".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    duplicates = set()
    for sentence, text in zip(sentences, texts):
        if len(text) >= 30 and _inside_longer(text, joined, starts, texts):
            duplicates.add(sentence.index)
    return duplicates


def _inside_longer(text: str, joined: str, starts: list[int], texts: list[str]) -> bool:
    """True when ``text`` occurs inside one of ``texts`` (joined at ``starts``) that is longer than it."""
    at = joined.find(text)
    while at >= 0:
        k = bisect.bisect_right(starts, at) - 1
        if len(texts[k]) > len(text) and at + len(text) <= starts[k] + len(texts[k]):
            return True
        at = joined.find(text, at + 1)
    return False


def walk_sentences(article: Article, lex: Lexicons) -> Iterator[tuple[Sentence, SpeakerContext]]:
    """Sentences in order with a speaker context that knows the quoted block each stands in."""
    context = SpeakerContext(lex)
    for sentence, line, duplicate in _sentence_lines(article):
        if line is not None:
            context.start_line(line)
        if not duplicate:
            yield sentence, context


def _sentence_lines(article: Article) -> list[tuple[Sentence, str | None, bool]]:
    """(sentence, the line it opens or None, whether it is a duplicate) for each sentence.

    Kept on the article: the casualty and the attribution pass walk the same sentences.
    """
    if "_sentence_lines" not in article.__dict__:
        duplicates = duplicated_sentences(article.sentences)
        text = article.text
        line_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]
        rows = []
        for sentence in article.sentences:
            k = bisect.bisect_right(line_starts, sentence.start) - 1
            line = None
            if line_starts[k] == sentence.start or sentence.index == 0:
                line_end = text.find("\n", line_starts[k])
                line = text[line_starts[k]: line_end if line_end >= 0 else None]
            rows.append((sentence, line, sentence.index in duplicates))
        article.__dict__["_sentence_lines"] = rows
    return article.__dict__["_sentence_lines"]


def claim_row(article: Article, sentence: Sentence, speaker: str, via: str, background: bool, **values) -> dict:
    """The provenance columns every claim row carries, plus its own values."""
    return {"article_id": article.article_id, "file": article.file, "background": background,
            "speaker": speaker, "via": via, "sentence": sentence.text, "start": sentence.start, "end": sentence.end,
            "sentence_index": sentence.index, **values}

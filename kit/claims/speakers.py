"""Who says a claim (`speaker`) and through which agency it reaches us (`via`), across an article.

The grammar of one sentence gives its reporting verb's subject (`kit.claims.reporting`); what
needs the article around it is kept here, sentence by sentence:

- a pronoun speaker ("he said") is the article's last named speaker;
- lines that open a quoted block ("The Times of Israel is reporting that:", "... via Reuters:")
  give the speaker and the agency of the lines below them, when those name nobody;
- whom named people and bodies stand for ("Kremlin spokesman Dmitry Peskov": a later "Peskov said"
  speaks for Russia), and which actors the sentences before named (for "the group said").

Otherwise the speaker is ``article``: the outlet says it itself. Outlets are those of
``data/lexicons/outlets.csv``.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> ctx = SpeakerContext(load_lexicons())
    >>> ctx.start_line("The Times of Israel is reporting that:")
    >>> ctx.block_speaker
    'The Times of Israel'
"""
from __future__ import annotations

import re

from ..lexicons import Lexicons, split_aliases

MAX_REMEMBERED = 40  # actor mentions of one sentence whose names are remembered (a list of 500 is no prose)
_LEADING = re.compile(r"^(?:UPDATE\s*\[[^\]]*\]?\s*:?\s*)", re.I)
_VIA_LINE = re.compile(r"\bvia\s+(.+?):?$")
_REPORTING_LINE = re.compile(r"(?P<who>[^:]{2,60}?)\s+(?:is|are)\s+reporting\b")


class _Outlets:
    """The outlet names of one `Lexicons` (aliases as a regex, each with its outlet's name).

    Hashable by identity, so results that depend on it can be cached per lexicons.
    """

    def __init__(self, lex: Lexicons):
        self.names = {}
        for row in lex.rows("outlets"):
            for alias in split_aliases(row["aliases"]):
                self.names[alias] = row["name"]
        alt = "|".join(re.escape(a) for a in sorted(self.names, key=len, reverse=True))
        self.regex = re.compile(rf"(?<![\w])(?:the\s+)?(?P<outlet>{alt})(?:\s+news\s+agency)?(?![\w])")

    def name_in(self, text: str) -> str:
        """The outlet named first in ``text``, or ``""``."""
        match = self.regex.search(text)
        return self.names.get(match.group("outlet"), match.group("outlet")) if match else ""


def opens_block(line: str) -> bool:
    """True for a line that `SpeakerContext.start_line` acts on: an update, or a line ending in a
    colon (which may name the speaker or agency of the lines below it).

    >>> opens_block("UPDATE [14:02]: more rockets"), opens_block("Reuters is reporting:"), opens_block("It hit.")
    (True, True, False)
    """
    stripped = line.strip()
    # str.upper maps each character on its own, to one or more: six characters are enough
    return stripped.endswith(":") or stripped[:6].upper().startswith("UPDATE")


def _body_in_name(tokens, canonical: str, lex: Lexicons) -> str:
    """The words of an actor's name after the words that name the actor alone: "defense ministry"
    for "Russian Defense Ministry" or "Russia's Defense Ministry" (Russia), "" when none are left."""
    from .actors import find_actors

    rest = [t for t in tokens if t.pos_ != "DET"]
    named = False
    while rest and (rest[0].tag_ == "POS" or [m.canonical for m in find_actors(rest[0].text, lex)] == [canonical]):
        named = named or rest[0].tag_ != "POS"
        rest.pop(0)
    return " ".join(t.lower_ for t in rest if t.pos_ in ("PROPN", "NOUN")) if named else ""


def _note_affiliations(reading, into: dict[str, list[str]], lex: Lexicons) -> None:
    """Add to ``into`` the actors each title or name of the sentence is named with: "Kremlin spokesman
    Dmitry Peskov" (peskov -> Russia), "the Russian Defense Ministry" (defense ministry -> Russia)."""
    from .grammar import tokens_in

    doc = reading.doc
    for mention in reading.actors[:MAX_REMEMBERED]:
        tokens = tokens_in(doc, mention.start, mention.end)
        if not tokens:
            continue
        head = tokens[-1]
        for _ in range(4):
            if head.dep_ not in ("compound", "amod", "poss", "nmod") or head.head.i == head.i:
                break
            head = head.head
        if head.pos_ not in ("PROPN", "NOUN"):
            continue
        own = {t.i for t in tokens}
        before = doc[max(head.left_edge.i, head.i - 8): head.i]  # the words of the title or name, up to the head
        words = [t for t in before if t.dep_ in ("compound", "amod")] + [head]
        key = " ".join(t.lower_ for t in words if t.pos_ in ("PROPN", "NOUN") and t.i not in own)
        if not key and head.i in own:  # the body is in the actor's own name: "the Russian Defense Ministry"
            key = _body_in_name(tokens, mention.canonical, lex)
        names = [t.lower_ for t in words if t.pos_ == "PROPN" and t.i not in own]
        for name in ([key] if key else []) + names:
            known = into.setdefault(name, [])
            if mention.canonical not in known:
                known.append(mention.canonical)


class SpeakerContext:
    """Speaker resolution for one article, read sentence by sentence (it remembers blocks and names)."""

    def __init__(self, lex: Lexicons):
        self.lex = lex
        self.affiliations: dict[str, list[str]] = {}  # a name or a title's words -> the actors it was named with
        self.article_affiliations: dict[str, list[str]] = {}  # the same over the whole article (`look_ahead`)
        self.titles: dict[str, str] = {}  # "ambassador" -> "Hossein Akbari", from "Iran's ambassador, Hossein Akbari"
        self.earlier_actors: list[str] = []  # actors of the sentences read so far, last named first
        self.previous_actors: list[str] = []  # the same, before the sentence being read
        self._current = None
        self.outlets = lex.compiled("speakers.outlets", _Outlets)
        self.block_speaker = ""
        self.block_via = ""
        self.last_named = ""

    def start_line(self, line: str) -> None:
        """Call for each line before its sentences: updates the quoted-block speaker and via."""
        if opens_block(line):
            stripped = line.strip()
            self.block_speaker, self.block_via = "", ""
            if stripped.endswith(":"):
                via = _VIA_LINE.search(stripped)
                if via:
                    self.block_via = self.outlets.name_in(via.group(1)) or via.group(1).strip(" :")
                reporting = _REPORTING_LINE.search(_LEADING.sub("", stripped))
                if reporting:
                    self.block_speaker = reporting.group("who").strip(" ,\"'")

    def remember(self, reading) -> None:
        """Note whom the article's named people and bodies stand for: "Kremlin spokesman Dmitry Peskov"
        (Peskov -> Russia), "the Russian Defense Ministry" (Defense Ministry -> Russia), so that a later
        "Peskov said" or "the Defense Ministry reported" speaks for that side."""
        doc = reading.doc
        if self._current is not None and self._current is not doc:
            self._remember_speaker(self._current)  # the sentence before, once its own claims are read
        self._remember_titles(doc)
        self._current, self.previous_actors = doc, list(self.earlier_actors)
        if reading.actors:
            named = list(dict.fromkeys(m.canonical for m in reversed(reading.actors)))
            self.earlier_actors = named + [a for a in self.earlier_actors if a not in named]
        _note_affiliations(reading, self.affiliations, self.lex)

    def look_ahead(self, readings) -> None:
        """Note the affiliations of the whole article first: a body named without its side before it
        is named with it ("the Defense Ministry reported ...", later "the Russian Defense Ministry")
        falls back on them (`affiliation`)."""
        for reading in readings:
            if reading.doc is not None:
                _note_affiliations(reading, self.article_affiliations, self.lex)

    def _remember_titles(self, doc) -> None:
        """Names given with a title ("Ambassador Hossein Akbari", "the ambassador, Hossein Akbari", "a war
        monitor, the Syrian Observatory for Human Rights"), so a later "the ambassador said" is that name."""
        for token in doc:
            if token.pos_ != "NOUN" or token.tag_ != "NN":
                continue
            name = None
            if token.dep_ == "compound" and token.head.pos_ == "PROPN":  # "Ambassador Hossein Akbari"
                name = token.head
            for appos in (c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"):
                name = appos  # "the ambassador, Hossein Akbari"
            if token.dep_ == "appos" and token.head.pos_ == "PROPN":  # "Hossein Akbari, the ambassador"
                name = token.head
            if name is not None:
                from .grammar import np_text
                from .reporting import SPEAKER_DROP

                self.titles[token.lemma_.lower()] = np_text(name, SPEAKER_DROP)

    def titled(self, speaker: str) -> str:
        """The name a speaker like "the ambassador" or "the Britain-based monitor" was given before, else it."""
        words = speaker.split()
        if len(words) >= 2 and words[0].lower() == "the" and words[-1].lower() in self.titles:
            return self.titles[words[-1].lower()]
        return speaker

    def _remember_speaker(self, doc) -> None:
        """The last person or body a sentence has speaking (a reporting verb's named subject), for a
        "she said" in a sentence after it."""
        from .grammar import PERSONAL_PRONOUNS, subject_of
        from .reporting import speaker_phrase
        from .terms import claim_terms

        terms = claim_terms(self.lex)
        for verb in doc:
            if terms.reporting_kind(verb) or verb.lemma_.lower() in terms.speaking:
                subject = subject_of(verb)
                if subject is not None and subject.lower_ not in PERSONAL_PRONOUNS and subject.pos_ in ("PROPN", "NOUN"):
                    self.last_named = speaker_phrase(subject, self.lex)[0] or self.last_named

    def earlier_actors_before(self, doc) -> list[str]:
        """The actors of the sentences before the one being read (`remember` has seen it already)."""
        return self.previous_actors if getattr(self, "_current", None) is doc else self.earlier_actors

    def affiliation(self, speaker: str) -> list[str]:
        """The actors a speaker named without them was named with earlier (see `remember`), else
        anywhere in the article (`look_ahead`)."""
        words = [w for w in re.findall(r"[\w'-]+", speaker.lower()) if w not in ("the", "a", "an", "'s")]
        keys = (" ".join(words), " ".join(words[-2:]), words[-1] if words else "")
        for key in keys:
            if key and key in self.affiliations:
                return list(self.affiliations[key])
        for key in keys[:2]:  # later in the article: a body's name ("defense ministry"), not a word ("officials")
            if " " in key and key in self.article_affiliations:
                return list(self.article_affiliations[key])
        return []

    def speaker_of(self, reading, token, terms, itself: bool = True, outermost: bool = False) -> tuple[str, str]:
        """(speaker, via) for a claim whose word is ``token`` in a parsed sentence, read from the
        grammar (`kit.claims.reporting.find_reporter`; ``itself=False``: not the word's own subject);
        a pronoun is the article's last named speaker; nobody named: the quoted block's speaker, or
        ``article``."""
        from .grammar import PERSONAL_PRONOUNS
        from .reporting import find_reporter

        speaker, via, _ = find_reporter(token, terms, self.lex, itself=itself, outermost=outermost)
        if speaker.lower() in PERSONAL_PRONOUNS or speaker.lower() in ("their", "its", "his", "her", "our"):
            speaker = self.last_named
        speaker = self.titled(speaker) if speaker else speaker
        if not speaker:
            return (self.block_speaker or "article"), ("" if self.block_speaker and self.outlets.regex.fullmatch(self.block_speaker) else self.block_via)
        self.last_named = speaker
        if self.outlets.regex.fullmatch(speaker):
            via = ""
        elif not via:
            via = self.block_via
        return speaker, via

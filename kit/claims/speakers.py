"""Who says a claim (`speaker`) and through which agency it reaches us (`via`).

For a claim at a position in a sentence, first hit wins:

1. the subject of the nearest reporting verb before it in the same clause ("militia officials
   blame ...", "an Iraqi interior ministry source quoted by AFP says ...");
2. "according to X" anywhere in the sentence ("..., according to Iraqi security sources cited by Reuters");
3. a trailing attribution ('"...," CENTCOM wrote on X', "..., two PMF sources tell Reuters");
4. the block it stands in: lines after "The Times of Israel is reporting ...:" or "... via Reuters:";
5. otherwise ``article``: the outlet says it itself.

"he", "they", "the statement" and the like resolve to the article's previous named speaker.
``via`` comes from "told Reuters", "quoted by AFP", "cited by Reuters", "speaking to the Reuters
news agency", "via Reuters" and outlets from ``data/lexicons/outlets.csv``.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> ctx = SpeakerContext(load_lexicons())
    >>> s = "However, an Iraqi interior ministry source quoted by AFP says the bombing killed one person."
    >>> ctx.speaker_for(s, s.index("killed"))
    ('an Iraqi interior ministry source', 'AFP')
"""
from __future__ import annotations

import re

from ..memos import memoized
from ..lexicons import Lexicons, split_aliases

VERBS = (r"said|says|say|stated|states|told|tell|tells|claimed|claims|claim|confirmed|confirms|confirm|"
         r"denied|denies|deny|reported|reports|is reporting|are reporting|announced|announces|wrote|writes|"
         r"added|adds|adding|noted|notes|pointed out|points out|point out|warned|warns|insisted|insists|"
         r"acknowledged|acknowledges|blamed|blames|blame|accused|accuses|accuse|vowed|vows|alleged|alleges|"
         r"released a statement|issued a statement|maintained|maintains|asserted|argued|stressed|stresses|"
         r"believe|believes|believed|tweeted|posted|explained|described|condemned")
_VERB = re.compile(rf"(?<![\w-])(?:{VERBS}|adding|saying|claiming|insisting|noting|warning)\b(?!\s+on\b)")
# ", but " | "; " | " - " (or a dash) | ", though " (although, while, whereas) | " but ": each break's
# first character is taken by a set and told apart by a look-behind, so that the regex engine skips
# in C to the next comma, semicolon or space instead of trying every alternative at every character
_CLAUSE_BREAK = re.compile(r"[,;\s](?:(?<=,)\s+but\s+|(?<=;)\s+|(?<=\s)\s*[\u2013\u2014]\s+|(?<=\s)\s*-\s+|"
                           r"(?<=,)\s+(?:though|although|while|whereas)\s+|(?<=\s)\s*but\s+)")
_LEADING = re.compile(
    r"^(?:UPDATE\s*\[[^\]]*\]?\s*:?\s*|[A-Z][A-Z .,'-]{2,40}\s+[-\u2014\u2013]+\s+|(?:and|but|so|however|meanwhile|despite this|"
    r"also|separately|earlier|later|in addition|in a statement|in another update|on \w+(?: \d{1,2})?|late on \w+|"
    r"early on \w+|that|while|yet|still|instead)\s*,?\s+)+", re.I)
_TRAILING = re.compile(r"(?:\s*,|\s+(?:also|recently|reportedly|later|earlier|previously|only|has|have|had|had also|"
                       r"did|does|do|quickly|on \w+|late on \w+|in a statement|on condition of anonymity|"
                       r"in a post on x|on x|then|now|would|will|could))+\s*$", re.I)
_ANONYMITY = re.compile(r",?\s*(?:speaking|who spoke)\s+(?:on|under)\s+(?:the\s+)?condition\s+of\s+anonymity\s*,?", re.I)
_SELF_NAMED = re.compile(r"(?:refers to itself|calls itself|calling itself|is known|also known|known)\s+as\s+(?:the\s+)?(?P<name>[A-Z][^,]{2,60})")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "the statement", "the group", "the official", "the officials",
             "the ministry", "the spokesman", "the spokesperson", "the source", "the sources", "the military",
             "the army", "the movement", "the agency", "the report", "this", "these", "who", "which", "officials"}
_FINITE = re.compile(r"\b(?:struck|hit|hits|killed|carried|launched|fired|targeted|attacked|bombed|was|were|is|are|has|have|had|"
                     r"said|says|did|does|will|would|can|could)\b", re.I)
_NOT_SUBJECT_END = re.compile(r"\b(?:of|the|a|an|to|for|with|and|that|by|in|on|aware|is|are|was|were)\s*$", re.I)
_RELAY = re.compile(r"\s+(?:quoted|cited)\s+by\s+(?P<via>.+)$|\s+(?:speaking|talking)\s+to\s+(?P<via2>.+)$", re.I)
_LETTER = re.compile(r"[A-Za-z]")
_QUOTED = re.compile(r'"[^"]*"')
_THAT = re.compile(r"\s+(?:that\s+)?")
_VIA_LINE = re.compile(r"\bvia\s+(.+?):?$")
_REPORTING_LINE = re.compile(r"(?P<who>[^:]{2,60}?)\s+(?:is|are)\s+reporting\b")
_ACCORDING = re.compile(r"according\s+to\s+(?P<who>[^,;]+?)(?:\s*[,;.]|$)", re.I)
_TRAILING_SAID = re.compile(r',\s+(?P<who>(?:the\s+|a\s+|an\s+)?[^,"]{2,40}?)\s+(?:said|says|say|added|adds|stated|told)\s*,(?P<rest>)')
_AFTER_QUOTE_SAID = re.compile(r'[,.!?]"\s+(?P<who>[^"]{2,80}?)\s+(?:said|says|wrote|writes|added|adds|stated|states|told|tweeted|posted)\b(?P<rest>[^"]*)$')
_LAST_CLAUSE_SAID = re.compile(r",\s+(?P<who>[^,\"]{2,60}?)\s+(?:said|says|say|tell|tells|told)\b(?P<rest>[^,\"]*)$")
_NAMED_REST = re.compile(r"\s*(?:the\s+)?\w")


def _clause_around(sentence: str, position: int) -> tuple[int, int]:
    """(start, end) of the clause of ``sentence`` that holds ``position``: from the end of the last
    clause break that ends at or before it to the start of the first break found from it on.

    >>> s = "Police said two died; the army said five were wounded."
    >>> s[slice(*_clause_around(s, s.index("five")))]
    'the army said five were wounded.'
    """
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(sentence):  # in order, so their ends increase
        if brk.end() <= position:
            clause_start = brk.end()
            continue
        # the first break ending after position: it is the first one found from position on,
        # unless position falls inside it
        following = brk if brk.start() >= position else _CLAUSE_BREAK.search(sentence, position)
        return clause_start, following.start() if following else len(sentence)
    return clause_start, len(sentence)


def _last_verb_before(found: tuple[tuple[int, str, str], ...], limit: int) -> tuple[int, str, str] | None:
    """The last of `_verb_subjects`' items whose verb starts at or before ``limit``, or None.

    >>> _last_verb_before(((3, "police", ""), (20, "he", "")), 10)
    (3, 'police', '')
    """
    for item in reversed(found):
        if item[0] <= limit:
            return item
    return None


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


@memoized(maxsize=4096)
def _clean_subject(subject: str, outlets: _Outlets) -> tuple[str, str]:
    """`SpeakerContext.clean_subject`, cached: the same subject phrase recurs within and across articles."""
    via = ""
    text = _LEADING.sub("", subject.strip().strip('"')).strip()
    relay = _RELAY.search(text)
    if relay:
        via = outlets.name_in(relay.group("via") or relay.group("via2")) or (relay.group("via") or relay.group("via2")).strip()
        text = text[: relay.start()]
    text = _ANONYMITY.sub("", text)
    named = _SELF_NAMED.search(text)
    if named:
        return named.group("name").strip(" ,.\"'"), via
    if ", " in text:  # "X, a commander, said" -> X;  "U.S. forces struck ..., the U.S. military said" -> the U.S. military
        parts = [p for p in (part.strip() for part in _TRAILING.sub("", text).split(", ")) if p]
        text = parts[-1] if len(parts) > 1 and _FINITE.search(parts[0]) and len(parts[-1].split()) <= 6 else parts[0]
    text = _TRAILING.sub("", text).strip(" ,\"'")
    if not text or len(text.split()) > 14 or _NOT_SUBJECT_END.search(text) or not _LETTER.search(text):
        return "", via
    return text, via


@memoized(maxsize=4096)
def _verb_subjects(clause: str, outlets: _Outlets) -> tuple[tuple[int, str, str], ...]:
    """(verb start, speaker, via) for each reporting verb with a usable subject in the clause.

    Verbs inside quotation marks are the quoted person's words, not attributions; a participle
    ("..., adding:") continues the previous verb's speaker. Cached: a clause is often asked
    about again (by the casualty and the attribution pass, and for each claim in it).
    """
    found, boundary = [], 0
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(clause)]
    for match in _VERB.finditer(clause):
        if any(s < match.start() < e for s, e in quoted):
            continue
        subject = clause[boundary: match.start()]
        if match.group(0).endswith("ing") and found:
            found.append((match.start(), found[-1][1], found[-1][2]))
            boundary = match.end()
            continue
        speaker, via = _clean_subject(subject, outlets)
        after = clause[match.end(): match.end() + 60]
        if not via and match.group(0).lower() in ("told", "tell", "tells"):
            via = outlets.name_in(after[:40]) if outlets.regex.match(after.strip()) else ""
        found.append((match.start(), speaker, via))
        boundary = match.end()
        that = _THAT.match(clause, boundary)
        boundary = that.end() if that else boundary
    return tuple(found)


def opens_block(line: str) -> bool:
    """True for a line that `SpeakerContext.start_line` acts on: an update, or a line ending in a
    colon (which may name the speaker or agency of the lines below it).

    >>> opens_block("UPDATE [14:02]: more rockets"), opens_block("Reuters is reporting:"), opens_block("It hit.")
    (True, True, False)
    """
    stripped = line.strip()
    # str.upper maps each character on its own, to one or more: six characters are enough
    return stripped.endswith(":") or stripped[:6].upper().startswith("UPDATE")


class SpeakerContext:
    """Speaker resolution for one article, read sentence by sentence (it remembers blocks and names)."""

    def __init__(self, lex: Lexicons):
        self.lex = lex
        self.affiliations: dict[str, list[str]] = {}  # a name or a title's words -> the actors it was named with
        self.earlier_actors: list[str] = []  # actors of the sentences read so far, last named first
        self.previous_actors: list[str] = []  # the same, before the sentence being read
        self._current = None
        self.outlets = lex.compiled("speakers.outlets", _Outlets)
        self.block_speaker = ""
        self.block_via = ""
        self.last_named = ""

    # ----------------------------------------------------------------- helpers
    def clean_subject(self, subject: str) -> tuple[str, str]:
        """Trim a subject phrase to the speaker's name; returns (speaker, via found inside it)."""
        return _clean_subject(subject, self.outlets)

    def _resolve(self, speaker: str) -> str:
        if speaker.lower() in _PRONOUNS:
            return self.last_named
        return speaker

    # ----------------------------------------------------------------- public
    def start_line(self, line: str) -> None:
        """Call for each line before its sentences: updates the quoted-block speaker and via."""
        if opens_block(line):
            stripped = line.strip()
            self.block_speaker, self.block_via = "", ""
            if stripped.endswith(":"):
                via = _VIA_LINE.search(stripped)
                if via:
                    self.block_via = self.outlets.name_in(via.group(1)) or via.group(1).strip(" :")
                reporting = _REPORTING_LINE.search(stripped)
                if reporting:
                    who, _ = self.clean_subject(reporting.group("who"))
                    self.block_speaker = who

    def remember(self, reading) -> None:
        """Note whom the article's named people and bodies stand for: "Kremlin spokesman Dmitry Peskov"
        (Peskov -> Russia), "the Russian Defense Ministry" (Defense Ministry -> Russia), so that a later
        "Peskov said" or "the Defense Ministry reported" speaks for that side."""
        from .grammar import tokens_in

        doc = reading.doc
        self._current, self.previous_actors = doc, list(self.earlier_actors)
        if reading.actors:
            named = list(dict.fromkeys(m.canonical for m in reversed(reading.actors)))
            self.earlier_actors = named + [a for a in self.earlier_actors if a not in named]
        for mention in reading.actors:
            tokens = tokens_in(doc, mention.start, mention.end)
            if not tokens:
                continue
            head = tokens[-1]
            while head.dep_ in ("compound", "amod", "poss", "nmod") and head.head.i != head.i:
                head = head.head
            if head.pos_ not in ("PROPN", "NOUN"):
                continue
            words = [t for t in head.subtree if t.i <= head.i and t.dep_ in ("compound", "amod") or t.i == head.i]
            key = " ".join(t.lower_ for t in words if t.pos_ in ("PROPN", "NOUN") and t.i not in {x.i for x in tokens})
            names = [t.lower_ for t in words if t.pos_ == "PROPN" and t.i not in {x.i for x in tokens}]
            for name in ([key] if key else []) + names:
                known = self.affiliations.setdefault(name, [])
                if mention.canonical not in known:
                    known.append(mention.canonical)

    def earlier_actors_before(self, doc) -> list[str]:
        """The actors of the sentences before the one being read (`remember` has seen it already)."""
        return self.previous_actors if getattr(self, "_current", None) is doc else self.earlier_actors

    def affiliation(self, speaker: str) -> list[str]:
        """The actors a speaker named without them was named with earlier (see `remember`)."""
        words = [w for w in re.findall(r"[\w'-]+", speaker.lower()) if w not in ("the", "a", "an", "'s")]
        for key in (" ".join(words), " ".join(words[-2:]), words[-1] if words else ""):
            if key and key in self.affiliations:
                return list(self.affiliations[key])
        return []

    def speaker_of(self, reading, token, terms, itself: bool = True) -> tuple[str, str]:
        """(speaker, via) for a claim whose word is ``token`` in a parsed sentence, read from the
        grammar (`kit.claims.reporting.find_reporter`; ``itself=False``: not the word's own subject);
        a pronoun is the article's last named speaker; nobody named: the quoted block's speaker, or
        ``article``."""
        from .grammar import PERSONAL_PRONOUNS
        from .reporting import find_reporter

        speaker, via, _ = find_reporter(token, terms, self.lex, itself=itself)
        if speaker.lower() in PERSONAL_PRONOUNS:
            speaker = self.last_named
        if not speaker:
            return (self.block_speaker or "article"), ("" if self.block_speaker and self.outlets.regex.fullmatch(self.block_speaker) else self.block_via)
        self.last_named = speaker
        if self.outlets.regex.fullmatch(speaker):
            via = ""
        elif not via:
            via = self.block_via
        return speaker, via

    def speaker_for(self, sentence: str, position: int) -> tuple[str, str]:
        """(speaker, via) for a claim whose cue starts at ``position`` in ``sentence``."""
        clause_start, clause_end = _clause_around(sentence, position)
        clause = sentence[clause_start:clause_end]
        speaker, via = "", ""
        before = _last_verb_before(_verb_subjects(clause, self.outlets), position - clause_start + 1)
        if before:
            _, speaker, via = before
            speaker = self._resolve(speaker) if speaker else ""
            if not speaker:  # "... and added it had no reason": the sentence's first named speaker
                first = [s for _, s, _ in _verb_subjects(sentence, self.outlets) if s]
                speaker = self._resolve(first[0]) if first else ""
        if not speaker:
            # "ccord" has no letter that re.I also takes for another character (as "i" and "s" have)
            according = _ACCORDING.search(sentence) if "ccord" in sentence.lower() else None
            if according:
                speaker, via = self.clean_subject(according.group("who"))
                speaker = speaker or according.group("who").strip()
        if not speaker:
            trailing = (_TRAILING_SAID.search(sentence[position:]) or _AFTER_QUOTE_SAID.search(sentence)
                        or _LAST_CLAUSE_SAID.search(sentence))
            if trailing:
                speaker, via = self.clean_subject(trailing.group("who"))
                speaker = self._resolve(speaker) if speaker else ""
                if not via and _NAMED_REST.match(trailing.group("rest") or ""):
                    via = self.outlets.name_in(trailing.group("rest") or "")
        if not speaker and self.block_speaker:
            speaker = self.block_speaker
        if speaker:
            self.last_named = speaker
        if speaker and self.outlets.regex.fullmatch(speaker):
            via = ""  # an outlet speaking for itself
        elif not via:
            via = self.block_via
        return (speaker or "article"), via

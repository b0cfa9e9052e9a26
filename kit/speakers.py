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

from .lexicons import Lexicons, split_aliases

VERBS = (r"said|says|say|stated|states|told|tell|tells|claimed|claims|claim|confirmed|confirms|confirm|"
         r"denied|denies|deny|reported|reports|is reporting|are reporting|announced|announces|wrote|writes|"
         r"added|adds|adding|noted|notes|pointed out|points out|point out|warned|warns|insisted|insists|"
         r"acknowledged|acknowledges|blamed|blames|blame|accused|accuses|accuse|vowed|vows|alleged|alleges|"
         r"released a statement|issued a statement|maintained|maintains|asserted|argued|stressed|stresses|"
         r"believe|believes|believed|tweeted|posted|explained|described|condemned")
_VERB = re.compile(rf"(?<![\w-])(?:{VERBS}|adding|saying|claiming|insisting|noting|warning)\b(?!\s+on\b)")
_CLAUSE_BREAK = re.compile(r",\s+but\s+|;\s+|\s+[\u2013\u2014]\s+|\s+-\s+|,\s+(?:though|although|while|whereas)\s+|\s+but\s+")
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


def _outlet_regex(lex: Lexicons) -> re.Pattern:
    names = {}
    for row in lex.rows("outlets"):
        for alias in split_aliases(row["aliases"]):
            names[alias] = row["name"]
    alt = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:the\s+)?(?P<outlet>{alt})(?:\s+news\s+agency)?(?![\w])"), names


class SpeakerContext:
    """Speaker resolution for one article, read sentence by sentence (it remembers blocks and names)."""

    def __init__(self, lex: Lexicons):
        self.lex = lex
        self.outlets, self.outlet_names = lex.compiled("speakers.outlets", _outlet_regex)
        self.block_speaker = ""
        self.block_via = ""
        self.last_named = ""

    # ----------------------------------------------------------------- helpers
    def _outlet(self, text: str) -> str:
        match = self.outlets.search(text)
        return self.outlet_names.get(match.group("outlet"), match.group("outlet")) if match else ""

    def clean_subject(self, subject: str) -> tuple[str, str]:
        """Trim a subject phrase to the speaker's name; returns (speaker, via found inside it)."""
        via = ""
        text = _LEADING.sub("", subject.strip().strip('"')).strip()
        relay = re.search(r"\s+(?:quoted|cited)\s+by\s+(?P<via>.+)$|\s+(?:speaking|talking)\s+to\s+(?P<via2>.+)$", text, re.I)
        if relay:
            via = self._outlet(relay.group("via") or relay.group("via2")) or (relay.group("via") or relay.group("via2")).strip()
            text = text[: relay.start()]
        text = _ANONYMITY.sub("", text)
        named = _SELF_NAMED.search(text)
        if named:
            return named.group("name").strip(" ,.\"'"), via
        if ", " in text:  # "X, a commander, said" -> X;  "U.S. forces struck ..., the U.S. military said" -> the U.S. military
            parts = [p for p in (part.strip() for part in _TRAILING.sub("", text).split(", ")) if p]
            text = parts[-1] if len(parts) > 1 and _FINITE.search(parts[0]) and len(parts[-1].split()) <= 6 else parts[0]
        text = _TRAILING.sub("", text).strip(" ,\"'")
        if not text or len(text.split()) > 14 or _NOT_SUBJECT_END.search(text) or not re.search(r"[A-Za-z]", text):
            return "", via
        return text, via

    def _resolve(self, speaker: str) -> str:
        if speaker.lower() in _PRONOUNS:
            return self.last_named
        return speaker

    def _verb_subjects(self, clause: str):
        """(verb start, speaker, via) for each reporting verb with a usable subject in the clause.

        Verbs inside quotation marks are the quoted person's words, not attributions; a participle
        ("..., adding:") continues the previous verb's speaker.
        """
        found, boundary = [], 0
        quoted = [(m.start(), m.end()) for m in re.finditer(r'"[^"]*"', clause)]
        for match in _VERB.finditer(clause):
            if any(s < match.start() < e for s, e in quoted):
                continue
            subject = clause[boundary: match.start()]
            if match.group(0).endswith("ing") and found:
                found.append((match.start(), found[-1][1], found[-1][2]))
                boundary = match.end()
                continue
            speaker, via = self.clean_subject(subject)
            after = clause[match.end(): match.end() + 60]
            if not via and match.group(0).lower() in ("told", "tell", "tells"):
                via = self._outlet(after[:40]) if self.outlets.match(after.strip()) else ""
            found.append((match.start(), speaker, via))
            boundary = match.end()
            that = re.match(r"\s+(?:that\s+)?", clause[boundary:])
            boundary += that.end() if that else 0
        return found

    # ----------------------------------------------------------------- public
    def start_line(self, line: str) -> None:
        """Call for each line before its sentences: updates the quoted-block speaker and via."""
        stripped = line.strip()
        if stripped.upper().startswith("UPDATE") or stripped.endswith(":"):
            self.block_speaker, self.block_via = "", ""
            if stripped.endswith(":"):
                via = re.search(r"\bvia\s+(.+?):?$", stripped)
                if via:
                    self.block_via = self._outlet(via.group(1)) or via.group(1).strip(" :")
                reporting = re.search(r"(?P<who>[^:]{2,60}?)\s+(?:is|are)\s+reporting\b", stripped)
                if reporting:
                    who, _ = self.clean_subject(reporting.group("who"))
                    self.block_speaker = who

    def speaker_for(self, sentence: str, position: int) -> tuple[str, str]:
        """(speaker, via) for a claim whose cue starts at ``position`` in ``sentence``."""
        clause_start = 0
        for brk in _CLAUSE_BREAK.finditer(sentence):
            if brk.end() <= position:
                clause_start = brk.end()
        clause_end = len(sentence)
        nxt = _CLAUSE_BREAK.search(sentence, position)
        if nxt:
            clause_end = nxt.start()
        clause = sentence[clause_start:clause_end]
        speaker, via = "", ""
        before = [item for item in self._verb_subjects(clause) if item[0] <= position - clause_start + 1]
        if before:
            _, speaker, via = before[-1]
            speaker = self._resolve(speaker) if speaker else ""
            if not speaker:  # "... and added it had no reason": the sentence's first named speaker
                first = [s for _, s, _ in self._verb_subjects(sentence) if s]
                speaker = self._resolve(first[0]) if first else ""
        if not speaker:
            according = re.search(r"according\s+to\s+(?P<who>[^,;]+?)(?:\s*[,;.]|$)", sentence, re.I)
            if according:
                speaker, via = self.clean_subject(according.group("who"))
                speaker = speaker or according.group("who").strip()
        if not speaker:
            trailing = (re.search(r',\s+(?P<who>(?:the\s+|a\s+|an\s+)?[^,"]{2,40}?)\s+(?:said|says|say|added|adds|stated|told)\s*,(?P<rest>)', sentence[position:])
                        or re.search(r'[,.!?]"\s+(?P<who>[^"]{2,80}?)\s+(?:said|says|wrote|writes|added|adds|stated|states|told|tweeted|posted)\b(?P<rest>[^"]*)$', sentence)
                        or re.search(r",\s+(?P<who>[^,\"]{2,60}?)\s+(?:said|says|say|tell|tells|told)\b(?P<rest>[^,\"]*)$", sentence))
            if trailing:
                speaker, via = self.clean_subject(trailing.group("who"))
                speaker = self._resolve(speaker) if speaker else ""
                if not via and re.match(r"\s*(?:the\s+)?\w", trailing.group("rest") or ""):
                    via = self._outlet(trailing.group("rest") or "")
        if not speaker and self.block_speaker:
            speaker = self.block_speaker
        if speaker:
            self.last_named = speaker
        if speaker and self.outlets.fullmatch(speaker):
            via = ""  # an outlet speaking for itself
        elif not via:
            via = self.block_via
        return (speaker or "article"), via

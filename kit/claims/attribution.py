"""Attribution claims: every statement about who carried out an attack, with its stance, read from
the grammar of the sentence.

Stances (design.md): ``claims`` (the actor's own side says it did it), ``accuses`` (someone else
says so, including the outlet stating it as fact), ``suspects`` (hedged), ``denies``,
``unattributed`` (nobody claimed it / unclear who did it; actor ``unknown``). Actors come from
``data/lexicons/actors.csv`` (`kit.claims.actors`), the words from ``attribution_terms.csv``.

Rules (the ``rule`` column), on the parse of each sentence:

- ``perpetrator``: an actor is the subject of an attack verb ("Russian forces launched", "Israel
  struck"), its agent in the passive ("carried out by Hamas", "ordered by Trump"), or a pronoun
  that stands for the one who reports it ("Hezbollah announced that it had hit", "the IDF said its
  jets struck");
- ``attack by``: an actor owns an attack noun: "Israeli airstrikes", "Russia's attack", "a
  Ukrainian drone", "strikes by Turkish jets", "the army's artillery";
- ``culprit``: "X was behind the attack", "X was responsible for it";
- ``claim``: "ISIS claimed responsibility", "responsibility was claimed by Daesh", "the army
  confirmed the strike";
- ``denial``: "Moscow denied any link to the blast", "Tehran distanced itself from the attack",
  "rejected accusations that it had attacked", "X did not carry out";
- ``blame``: "Washington blamed it on Y", "held Y responsible", "accused Y of", "pointed to Y",
  "officials suspect Y" (suspects);
- ``unattributed``: "no group has claimed responsibility", "it was not clear who carried out the
  attack", "an unidentified drone" (actor ``unknown``).

The stance of a perpetrator or an attack by an actor: ``denies`` when negated or inside a denial,
``suspects`` when hedged ("reportedly", "suspected", "believed to", "likely", "may have",
``hedge`` rows), ``accuses`` inside a blame, else ``claims`` when the speaker is the actor's own
side and ``accuses`` otherwise (the outlet's own statement is ``accuses``). Not claims: threats
and plans ("vowed to retaliate", "will strike"), conditions ("if the US strikes").

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.lexicons import load_lexicons
    >>> text = "It's not clear who was responsible, but militia officials blame US forces."
    >>> rows = find_attribution_claims(Article("a1", "a.txt", None, text, "0"), load_lexicons())
    >>> [(r["actor"], r["stance"], r["speaker"], r["rule"]) for r in rows]
    [('unknown', 'unattributed', 'article', 'unattributed'), ('United States', 'accuses', 'militia officials', 'blame')]
"""
from __future__ import annotations

from dataclasses import dataclass

from ..lexicons import Lexicons
from .actors import find_actors, parents_of, same_side
from .grammar import PERSONAL_PRONOUNS, path_up
from .perpetrators import PerpetratorRules
from .reporting import speaker_phrase
from .sentence_actors import SentenceActors, actor_kind
from .shared import claim_id, claim_row, read_sentences, walk_readings
from .stance_verbs import StanceVerbRules
from .terms import ClaimTerms, claim_terms


@dataclass
class Stance:
    """One stance found in a sentence: who, which stance, by which rule, at which word."""

    word: object  # the token the stance hangs on (its position anchors the claim)
    actor: str
    stance: str
    rule: str
    speaker_token: object = None  # the subject that speaks for itself ("Hezbollah denied"), when known
    speaker_name: str = ""  # the speaker when the rule names it ("Israel" for "Israeli allegations that ...")
    speaker_word: object = None  # the word whose reporter speaks, when not ``word`` ("true" of "those reports are not true")


def _anaphor_sides(speaker: str, context, terms: ClaimTerms, lex: Lexicons) -> list[str]:
    """Whom a speaker like "the army" or "the group" stands for: the last actor of that kind named before."""
    words = speaker.lower().split()
    if len(words) != 2 or words[0] != "the":
        return []
    kinds = terms.attribution_words.get(words[1], set())
    wanted = {"state"} if "anaphor_state" in kinds else {"armed_group", "coalition"} if "anaphor_group" in kinds else set()
    return [a for a in context.earlier_actors if actor_kind(a, lex) in wanted][:1]


def _speaker_actors(speaker_text: str, lex: Lexicons) -> list[str]:
    known = lex.memo("actors in speakers")
    if speaker_text not in known:
        if len(known) > 50_000:
            known.clear()
        known[speaker_text] = list(dict.fromkeys(m.canonical for m in find_actors(speaker_text, lex)))
    return list(known[speaker_text])


class StanceReader(PerpetratorRules, StanceVerbRules):
    """The stance rules over one parsed sentence (`read` gives its `Stance` list)."""

    def __init__(self, doc, actors: SentenceActors, terms: ClaimTerms, lex: Lexicons, context=None):
        self.doc, self.actors, self.terms, self.lex = doc, actors, terms, lex
        self.context = context  # the article so far (`kit.claims.speakers.SpeakerContext`), when there is one
        self.affiliation = context.affiliation if context is not None else (lambda text: [])
        self.found: list[Stance] = []

    def add(self, word, actors, stance, rule, speaker_token=None, speaker_name="", speaker_word=None):
        for actor in actors:
            self.found.append(Stance(word, actor, stance, rule, speaker_token, speaker_name, speaker_word))

    def read(self) -> list[Stance]:
        for token in self.doc:
            if token.lower_ == "nothing":
                self.nothing_to_do(token)
            kinds = self.terms.attribution_kinds(token)
            if not kinds:
                continue
            if "attack_verb" in kinds:
                self.attack_verb(token)
            elif "attack_act" in kinds:
                self.attack_act(token)
            if "attack_noun" in kinds:
                self.attack_noun(token)
            if "culprit" in kinds:
                self.culprit(token)
            if "claim_verb" in kinds:
                self.claim_verb(token)
            if "deny_verb" in kinds:
                self.deny_verb(token)
            if "blame_verb" in kinds:
                self.blame_verb(token)
            if "suspect_verb" in kinds and "blame_verb" not in kinds:
                self.suspect_verb(token)
            if "unclear" in kinds:
                self.unclear(token)
            if "responsibility" in kinds and token.pos_ == "NOUN":
                self.no_role(token)
            if "allegation" in kinds and token.pos_ == "NOUN":
                self.no_claim(token)
                self.alleged_by(token)
            if "unknown" in kinds:
                self.unknown_subject(token)
            if "reprisal" in kinds:
                self.reprisal(token)
        return self.found


def _stance_speaker(stance: Stance, reading, context, terms: ClaimTerms, lex: Lexicons) -> tuple[str, str]:
    """The speaker of a stance: the reporter above its word ("Afif said the group denies ..."), else the
    subject that speaks for itself ("Hezbollah denied ..."), else the context (quoted block, the article).
    "No group has claimed it" has no speaker of its own: the reporter above, or the article."""
    if stance.stance == "unattributed":
        return context.speaker_of(reading, stance.word, terms, itself=False, outermost=True)
    if stance.speaker_name:
        return stance.speaker_name, ""
    word = stance.word if stance.speaker_word is None else stance.speaker_word
    above = next((h for _, h in path_up(word) if terms.reporting_kind(h)), None)
    if above is not None or stance.speaker_token is None:
        return context.speaker_of(reading, word, terms, itself=stance.speaker_token is None, outermost=True)
    speaker, via = speaker_phrase(stance.speaker_token, lex)
    if speaker.lower() in PERSONAL_PRONOUNS:
        speaker = context.last_named or speaker
    context.last_named = speaker
    return speaker, via


def find_attribution_claims(article, lex: Lexicons, incident=None, readings=None) -> list[dict]:
    """Attribution claim rows of one article (claim_id, actor, stance, speaker, rule, provenance).
    ``readings`` are the article's parsed sentences (`kit.claims.shared.read_sentences`), when the
    caller has them already."""
    terms = claim_terms(lex)
    readings = read_sentences(article, lex) if readings is None else readings
    claims = []
    for reading, context in walk_readings(readings, lex):
        sentence, text = reading.sentence, reading.sentence.text
        stances = StanceReader(reading.doc, SentenceActors(reading.doc, reading.actors, terms), terms, lex, context).read()
        seen = set()
        for found in sorted(stances, key=lambda s: s.word.i):
            speaker, via = _stance_speaker(found, reading, context, terms, lex)
            stance = found.stance
            if stance == "perpetration":
                voice = article.outlet if speaker == "article" else speaker
                sides = (_speaker_actors(voice, lex) or context.affiliation(voice) or _anaphor_sides(voice, context, terms, lex)) \
                    if voice else []
                own = bool(sides) and all(same_side(found.actor, [side], lex) for side in sides)
                stance = "claims" if own else "accuses"  # "Iraqi and US officials" about a US strike: not only its own side
            position = found.word.idx
            row_id = claim_id(article.article_id, sentence.start + position, sentence.end, found.actor, stance)
            key = (found.actor, stance, speaker)  # one row per speaker of a stance ("airstrikes by Tehran that Islamabad branded")
            if key in seen or row_id in seen:
                continue
            seen.update((key, row_id))
            background = incident.is_background(text, position, sentence.index) if incident is not None else False
            claims.append(claim_row(
                article, sentence, speaker, via, background,
                claim_id=row_id,
                actor=found.actor, stance=stance, rule=found.rule, cue=found.word.text,
                actor_parent="|".join(parents_of(found.actor, lex)), cue_start=sentence.start + position))
    return claims

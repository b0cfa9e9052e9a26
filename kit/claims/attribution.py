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
from .grammar import (
    MODALS,
    PERSONAL_PRONOUNS,
    agent_of,
    child,
    children,
    conjuncts,
    is_negated,
    is_passive,
    np_text,
    path_up,
    subject_of,
    tokens_in,
)
from .reporting import self_name, speaker_phrase
from .shared import (
    NO_ONE,
    claim_id,
    claim_row,
    perfect,
    read_sentences,
    threatened,
    walk_readings,
)
from .terms import ClaimTerms, claim_terms

OWNER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our", "his", "her"})


@dataclass
class Stance:
    """One stance found in a sentence: who, which stance, by which rule, at which word."""

    word: object  # the token the stance hangs on (its position anchors the claim)
    actor: str
    stance: str
    rule: str
    speaker_token: object = None  # the subject that speaks for itself ("Hezbollah denied"), when known


LOCATIVE = frozenset({"in", "at", "near", "inside", "outside", "across", "into", "toward", "towards", "throughout",
                      "around", "within", "from"})


def _used_as_place(tokens, attack_words) -> bool:
    """A country named as a place, not an actor: "an attack in Kerman, Iran", "a rocket from Lebanon",
    "killed in Iraq" (not "officials in the U.S.": that is who they are)."""
    inside = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    apposed = False
    while head.dep_ in ("appos", "conj") and head.head.i != head.i:
        head, apposed = head.head, True
    if head.dep_ != "pobj" or head.head.lower_ not in LOCATIVE:
        return False
    attached = head.head.head
    return apposed or attached.pos_ in ("VERB", "AUX") or attached.i in attack_words


class SentenceActors:
    """The actor mentions of one parsed sentence, by token."""

    def __init__(self, doc, mentions, terms: ClaimTerms | None = None):
        self.at: dict[int, str] = {}
        attack_words = {t.i for t in doc if terms is not None and terms.attribution_kinds(t) & {"attack_noun", "event_noun"}}
        for mention in mentions:
            tokens = tokens_in(doc, mention.start, mention.end)
            if tokens and not _used_as_place(tokens, attack_words):
                for token in tokens:
                    self.at.setdefault(token.i, mention.canonical)

    def before(self, token) -> list[str]:
        """The actors named before ``token`` in the sentence, nearest first."""
        found = []
        for i in sorted((i for i in self.at if i < token.i), reverse=True):
            if self.at[i] not in found:
                found.append(self.at[i])
        return found

    def in_phrase(self, head, deep: bool = True, appositions: bool = False) -> list[str]:
        """Actors named in the noun phrase of ``head`` and the phrases joined to it (not in clauses or
        prepositions about it, except "of": "forces of the Islamic State"); an apposition counts only
        when the phrase itself names none ("the group, an umbrella of Iran-backed militias")."""
        if not appositions:
            return self.in_phrase(head, deep, True) if not (own := self._in_phrase(head, deep, False)) else own
        return self._in_phrase(head, deep, True)

    def _in_phrase(self, head, deep: bool, appositions: bool) -> list[str]:
        found: list[str] = []
        for part in conjuncts(head):
            stack = [part]
            while stack:
                token = stack.pop()
                if token.i in self.at and self.at[token.i] not in found:
                    found.append(self.at[token.i])
                for c in token.children:
                    if c.dep_ in OWNER_DEPS or c.dep_ in ("det", "case") or (appositions and c.dep_ == "appos") or \
                            (deep and c.dep_ == "prep" and c.lower_ == "of") or (c.dep_ == "pobj" and token.lower_ == "of"):
                        stack.append(c)
        return found

    def owners(self, noun) -> list[str]:
        """Actors that own an attack noun: its modifiers ("Israeli", "Russia's", "Hezbollah") or "by X"."""
        found = []
        stack = [c for c in noun.children if c.dep_ in OWNER_DEPS]
        while stack:
            token = stack.pop()
            if token.i in self.at and self.at[token.i] not in found:
                found.append(self.at[token.i])
            stack.extend(c for c in token.children if c.dep_ in OWNER_DEPS | {"conj"})
        agent = agent_of(noun)
        if agent is not None:
            found += [a for a in self.in_phrase(agent) if a not in found]
        return found


def _hedged(token, terms: ClaimTerms, stop=None) -> bool:
    """A hedge on the word or on the verbs above it up to ``stop`` (the reporting verb): "reportedly",
    "suspected", "believed to", "may have", "appeared to"."""
    chain = [token] + [head for _, head in path_up(token, 6)]
    for node in chain:
        if stop is not None and node.i == stop.i:
            break
        for c in node.children:
            if c.dep_ in ("advmod", "amod", "aux", "acomp") and "hedge" in terms.attribution_kinds(c):
                if c.dep_ == "aux" and c.lower_ in MODALS and not perfect(node):
                    continue
                return True
        if node is not token and "hedge" in terms.attribution_kinds(node) and node.pos_ in ("VERB", "AUX", "ADJ"):
            return True
    return False


def _governing(token, terms: ClaimTerms):
    """(kind, verb) of the nearest deny/blame/suspect verb above ``token``, stopping at a reporting verb
    that is not one of them ("Russia rejected accusations that it had attacked": deny_verb)."""
    for _, head in path_up(token, 8):
        kinds = terms.attribution_kinds(head)
        for kind in ("deny_verb", "blame_verb", "suspect_verb"):
            if kind in kinds and head.pos_ in ("VERB", "AUX"):
                return kind, head
        if terms.reporting_kind(head):
            return "", head
    return "", None


def actor_kind(actor: str, lex: Lexicons) -> str:
    """The ``kind`` column of an actor (state, military, armed_group, ...); a military counts as a state."""
    kinds = lex.compiled("attribution.actor_kinds", lambda lx: {r["canonical"]: r["kind"] for r in lx.rows("actors")})
    kind = kinds.get(actor, "")
    return "state" if kind in ("state", "military", "government") else kind


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


class _Reader:
    """The stance rules over one parsed sentence."""

    def __init__(self, doc, actors: SentenceActors, terms: ClaimTerms, lex: Lexicons, context=None):
        self.doc, self.actors, self.terms, self.lex = doc, actors, terms, lex
        self.context = context  # the article so far (`kit.claims.speakers.SpeakerContext`), when there is one
        self.affiliation = context.affiliation if context is not None else (lambda text: [])
        self.found: list[Stance] = []

    def add(self, word, actors, stance, rule, speaker_token=None):
        for actor in actors:
            self.found.append(Stance(word, actor, stance, rule, speaker_token))

    # who is meant by a pronoun subject: the one who reports it
    def reporter_actors(self, token) -> list[str]:
        for below, head in path_up(token, 8):
            if self.terms.reporting_kind(head) or self.terms.attribution_kinds(head) & {"claim_verb", "deny_verb"}:
                subject = subject_of(head)
                if subject is not None and subject.i != token.i and below.dep_ not in ("nsubj", "nsubjpass"):
                    found = self.subject_actors(subject, pronouns=False) or self.affiliation(np_text(subject))
                    if found:
                        return found
        return []

    def anaphor(self, head) -> list[str]:
        """"the group", "the movement" (the actor named last before it), "either country", "both sides"
        (all actors named before it)."""
        kinds = self.terms.attribution_kinds(head)
        if not kinds & {"anaphor_group", "anaphor_state"}:
            return []
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "predet", "preconj", "poss")}
        wanted = {"state"} if "anaphor_state" in kinds else {"armed_group", "coalition"}
        before = [a for a in self.actors.before(head) if actor_kind(a, self.lex) in wanted]
        bare = not dets
        if not before and self.context is not None and not bare:  # "The group said ...": named in the sentences before
            before = [a for a in self.context.earlier_actors_before(self.doc) if actor_kind(a, self.lex) in wanted]
        if dets & {"either", "both", "neither", "each"} or head.tag_ == "NNS" and dets & {"the", "both"}:
            return before[:2]
        if dets & {"the", "this", "that"} or (not dets and head.tag_ == "NNS" and "anaphor_state" in kinds):
            return before[:1]  # "the group", "troops had opened fire"
        return []

    def owner_pronoun(self, noun) -> list[str]:
        """Whom "its", "their" stand for in "Hezbollah opened its attacks", "the IDF said its strike":
        the subject of the verb the noun belongs to, else the reporter."""
        if not any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in noun.children):
            return []
        verb = noun.head if noun.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else None
        subject = subject_of(verb) if verb is not None and verb.pos_ in ("VERB", "AUX") else None
        if subject is not None and subject.i != noun.i:
            found = self.actors.in_phrase(subject) or self.anaphor(subject)
            if found:
                return found
        return self.actors.before(noun)[:1]  # "the Israelis ... their strike", "the IDF said its strike"

    def nobody_reports(self, token) -> bool:
        """The pronoun ``token`` stands for a reporter who is nobody: "No group has said it carried out"."""
        if token.lower_ not in PERSONAL_PRONOUNS:
            return False
        for below, head in path_up(token, 6):
            if self.terms.reporting_kind(head) or "claim_verb" in self.terms.attribution_kinds(head):
                subject = subject_of(head)
                return subject is not None and subject.i != token.i and (subject.lower_ in NO_ONE or is_negated(subject))
        return False

    def subject_actors(self, subject, pronouns: bool = True) -> list[str]:
        """Actors a subject names: its own phrase ("Russian forces"), the name it gives itself ("which
        refers to itself as X"), whom a pronoun stands for ("it", "its jets"), or an attack's owner."""
        named = self_name(subject)
        found = self.actors.in_phrase(named) if named is not None else self.actors.in_phrase(subject)
        if found:
            return found
        anaphor = self.anaphor(subject)
        if anaphor:
            return anaphor
        if not pronouns:
            return [a for t in subject.subtree if (a := self.actors.at.get(t.i))][:3]
        if subject.lower_ == "it" and any(self.terms.attribution_kinds(t) & {"attack_noun", "event_noun"} and t.pos_ == "NOUN"
                                          for t in self.doc if t.i < subject.i):
            return []  # "the airstrike ... it had killed": "it" is the attack, not who reports it
        if subject.lower_ in PERSONAL_PRONOUNS or any(c.lower_ in POSSESSIVE_PRONOUNS and c.dep_ == "poss"
                                                      for c in subject.children):
            return self.reporter_actors(subject)  # "it had hit", "its jets struck"
        if "attack_noun" in self.terms.attribution_kinds(subject):
            return self.actors.owners(subject)  # "a Russian missile hit the hospital"
        return []

    def speaks_for_itself(self, subject) -> bool:
        """The subject is "it", "we", "its jets" or "the group" standing for the one who reports it:
        a perpetration it states is its own claim ("Hezbollah said it had hit", "the group said it targeted")."""
        if subject.lower_ in PERSONAL_PRONOUNS or any(c.lower_ in POSSESSIVE_PRONOUNS and c.dep_ == "poss"
                                                      for c in subject.children):
            return not self.actors.in_phrase(subject)
        return False

    def perpetration(self, word, actors, rule, own: bool = False):
        """The stance of "actors did it" at ``word``: negated, inside a denial or a blame, hedged, or plain."""
        if not actors:
            return
        kind, verb = _governing(word, self.terms)
        if is_negated(word) or self.negated_above(word, verb):
            self.add(word, actors, "denies", rule)
        elif kind == "deny_verb":
            self.add(word, actors, "denies", rule, subject_of(verb))
        elif self.hearsay(word, verb) and self.reports_called_untrue():
            self.add(word, actors, "denies", rule)
        elif _hedged(word, self.terms, verb) or kind == "suspect_verb" or self.hearsay(word, verb):
            self.add(word, actors, "suspects", rule)
        elif kind == "blame_verb":
            self.add(word, actors, "accuses", rule)
        else:
            self.add(word, actors, "claims" if own else "perpetration", rule)  # claims or accuses, by the speaker's side

    def negated_above(self, word, stop) -> bool:
        """A negation between the word and its reporting verb: "no reason to believe X was behind",
        "there was no evidence that X carried out", "did not say that"."""
        for below, head in path_up(word, 6):
            if stop is not None and head.i == stop.i:
                if is_negated(head.head) and head.dep_ in ("acl", "relcl", "xcomp") and head.head.pos_ == "NOUN":
                    return True  # "no reason to believe X was behind it", "no evidence to suggest"
                return is_negated(head) and below.dep_ in ("ccomp", "xcomp")
            if is_negated(head) and (head.pos_ in ("NOUN", "ADJ") or below.dep_ == "xcomp"):
                return True
        return False

    def hearsay(self, word, stop) -> bool:
        """The perpetration is the content of a report, a claim or an accusation ("reports that the US
        conducted strikes", "the theory that Israel was behind it"): a suspicion, not a statement."""
        for below, head in path_up(word, 6):
            if stop is not None and head.i == stop.i and not (head.dep_ == "acl" and head.head.pos_ == "NOUN"):
                return False  # past the reporting verb, unless it only qualifies a noun ("reports claiming that")
            if head.pos_ == "NOUN" and "allegation" in self.terms.attribution_kinds(head) and \
                    below.dep_ in ("acl", "relcl", "ccomp", "prep", "pobj"):
                return True
        return False

    def reports_called_untrue(self) -> bool:
        """The sentence calls reports or claims untrue ("Those reports are not true", "the claims are baseless")."""
        for token in self.doc:
            if "untrue" in self.terms.attribution_kinds(token) and token.dep_ in ("acomp", "attr", "amod"):
                if token.lower_ == "true" and not (is_negated(token) or is_negated(token.head)):
                    continue
                subject = subject_of(token.head) if token.dep_ != "amod" else token.head
                if subject is not None and "allegation" in self.terms.attribution_kinds(subject):
                    return True
        return False

    def attack_verb(self, verb):
        aspect = verb.pos_ == "NOUN" and verb.dep_ in ("xcomp", "dobj") and "aspect" in self.terms.attribution_kinds(verb.head)
        if (verb.pos_ not in ("VERB", "AUX") and not aspect) or threatened(verb, self.terms):
            return
        subject = None
        if is_passive(verb):
            agent = agent_of(verb)
            actors = self.actors.in_phrase(agent) if agent is not None else []
            if agent is not None and not actors and "attack_noun" in self.terms.attribution_kinds(agent):
                actors = self.actors.owners(agent)
            if agent is None and self.answering(verb):  # "the missiles were launched in response to ...", said X
                actors = self.reporter_actors(verb)
        else:
            subject = subject_of(verb.head if aspect else verb)  # "Israeli troops began shooting"
            if subject is not None and "unknown_attacker" in self.terms.attribution_kinds(subject) and \
                    not self.actors.in_phrase(subject):
                self.add(verb, ["unknown"], "unattributed", "unattributed")  # "gunmen opened fire"
                return
            if subject is not None and "attack_noun" in self.terms.attribution_kinds(subject) and subject.pos_ == "NOUN":
                return  # "a suspected Israeli airstrike hit": read (with its hedge) as the attack's owner
            actors = self.subject_actors(subject) if subject is not None else []
            if subject is not None and not actors and self.nobody_reports(subject):
                self.add(verb, ["unknown"], "unattributed", "unattributed")  # "no group has said it carried out"
                return
        self.perpetration(verb, actors, "perpetrator", own=subject is not None and not is_passive(verb)
                          and self.speaks_for_itself(subject))

    def answering(self, verb) -> bool:
        """"in response to", "in retaliation for", "to avenge": the side that reports it did it."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "in" and any(t.lemma_.lower() in ("response", "retaliation", "revenge",
                                                                                  "self-defense", "self-defence", "defense", "defence")
                                                             for t in c.subtree):
                return True
            if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ("avenge", "retaliate", "respond"):
                return True
        return False

    def attack_act(self, verb):
        """"launched a strike", "fired rockets", "a drone strike ordered by Trump": only about an attack."""
        objects = [t for t in children(verb, "dobj", "nsubjpass") + [subject_of(verb)] if t is not None]
        objects += [child(p, "pobj") for o in list(objects) for p in children(o, "prep") if p.lower_ == "of"]  # "a wave of strikes"
        attack = [t for t in objects if t is not None and self.terms.attribution_kinds(t) & {"attack_noun", "event_noun"}]
        if verb.lemma_.lower() in ("fire", "shoot") and any(p.lower_ in ("on", "at", "upon", "into") for p in children(verb, "prep")):
            attack.append(verb)  # "troops fired on the crowd", "fired at the convoy"
        if verb.dep_ in ("acl", "relcl") and self.terms.attribution_kinds(verb.head) & {"attack_noun", "event_noun"}:
            attack.append(verb.head)
        if attack:
            self.attack_verb(verb)

    def attack_noun(self, noun):
        if noun.pos_ not in ("NOUN", "PROPN"):
            return
        if any(c.dep_ == "amod" and "unknown" in self.terms.attribution_kinds(c) for c in noun.children):
            self.add(noun, ["unknown"], "unattributed", "unattributed")
            return
        if threatened(noun, self.terms):
            return
        self.perpetration(noun, self.actors.owners(noun) or self.owner_pronoun(noun), "attack by")

    def culprit(self, word):
        """"X was behind the attack", "X was responsible for it" (not "held X responsible": a blame)."""
        verb = word.head if word.dep_ in ("acomp", "prep", "attr", "advmod") else word
        passive = word.pos_ == "VERB" and is_passive(word)  # "either country was involved"
        if (verb.lemma_.lower() not in ("be", "remain", "appear", "seem") and not passive) or threatened(verb, self.terms):
            return
        subject = subject_of(verb)
        actors = self.subject_actors(subject) if subject is not None else []
        self.perpetration(word, actors, "culprit")

    def claim_verb(self, verb):
        if verb.pos_ not in ("VERB", "AUX") or threatened(verb, self.terms):
            return
        objects = children(verb, "dobj", "nsubjpass")
        wanted = {"responsibility", "attack_noun"} | ({"event_noun"} if verb.lemma_.lower() == "claim" else set())
        about = [o for o in objects if self.terms.attribution_kinds(o) & wanted and not self.suffered(o, subject_of(verb))]
        if not about:
            return
        if is_passive(verb):
            agent = agent_of(verb)
            if agent is None:
                if is_negated(verb):  # "responsibility has not been claimed"
                    self.add(verb, ["unknown"], "unattributed", "unattributed")
                return
            self.add(verb, self.actors.in_phrase(agent), "claims", "claim", agent)
            return
        subject = subject_of(verb)
        if subject is None:
            return
        if subject.lower_ in NO_ONE or is_negated(subject):  # "no group has claimed responsibility"
            self.add(verb, ["unknown"], "unattributed", "unattributed")
            return
        if is_negated(verb):
            return  # a party's silence ("has not claimed it") is no stance
        self.add(verb, self.subject_actors(subject), "claims", "claim", subject)

    def perpetrating(self, token) -> bool:
        """An attack verb (as a verb) or a culprit word: a clause that says who did it."""
        kinds = self.terms.attribution_kinds(token)
        return ("attack_verb" in kinds and token.pos_ in ("VERB", "AUX")) or "culprit" in kinds

    def alleged_by(self, noun):
        """"Israeli allegations that it had carried out", "the claims of the Kyiv regime about a Russian
        missile strike": an accusation by the allegation's owner (its speaker)."""
        owners = self.actors.owners(noun) or [a for p in children(noun, "prep") if p.lower_ in ("of", "from", "by")
                                              for t in children(p, "pobj") for a in self.actors.in_phrase(t)]
        if not owners:
            return
        inside = [t for t in noun.subtree if t is not noun and (self.perpetrating(t) or
                                                                "attack_noun" in self.terms.attribution_kinds(t))]
        for word in inside:
            sub = _Reader(self.doc, self.actors, self.terms, self.lex, self.context)
            if "attack_noun" in self.terms.attribution_kinds(word) and word.pos_ == "NOUN":
                sub.attack_noun(word)
            elif "culprit" in self.terms.attribution_kinds(word):
                sub.culprit(word)
            else:
                sub.attack_verb(word)
            owner = next((t for t in noun.subtree if self.actors.at.get(t.i) in owners), None)
            for found in sub.found:
                if found.actor not in owners and found.actor != "unknown":
                    self.add(noun, [found.actor], "accuses", "blame", owner)

    def suffered(self, attack, subject) -> bool:
        """The attack was on the subject's own side: "the militias confirmed the bombing of one of their bases"."""
        own = set(self.actors.in_phrase(subject)) if subject is not None else set()
        for prep in children(attack, "prep"):
            if prep.lower_ in ("of", "on", "against"):
                for t in prep.subtree:
                    if (t.dep_ == "poss" and t.lower_ in POSSESSIVE_PRONOUNS) or self.actors.at.get(t.i) in own:
                        return True
        return False

    def no_claim(self, noun):
        """"There was no (immediate) claim of responsibility": nobody has claimed it."""
        if noun.lemma_.lower() == "claim" and is_negated(noun) and any(
                "responsibility" in self.terms.attribution_kinds(t) for t in noun.subtree if t is not noun):
            self.add(noun, ["unknown"], "unattributed", "unattributed")

    def no_role(self, noun):
        """"The U.S. had no involvement", "Iran played no role": a denial by the subject;
        "the responsibility for this crime lies with the US": a blame."""
        verb = noun.head
        if noun.dep_ == "dobj" and is_negated(noun) and verb.lemma_.lower() in ("have", "play", "bear"):
            subject = subject_of(verb)
            if subject is not None:
                self.add(noun, self.subject_actors(subject), "denies", "denial", subject)
        elif noun.dep_ == "nsubj" and noun.lemma_.lower() == "responsibility" and not is_negated(verb):
            targets = [child(p, "pobj") for p in children(verb, "prep") if p.lower_ in ("with", "on", "upon")]
            self.add(noun, [a for t in targets if t is not None for a in self.actors.in_phrase(t)], "accuses", "blame")

    def nothing_to_do(self, word):
        """"X has nothing to do with the incident": a denial by X."""
        verb = word.head
        if word.dep_ == "dobj" and verb.lemma_.lower() == "have" and any(
                c.lemma_.lower() == "do" for c in word.subtree if c is not word):
            subject = subject_of(verb)
            if subject is not None:
                self.add(word, self.subject_actors(subject), "denies", "denial", subject)

    def deny_verb(self, verb):
        if verb.pos_ not in ("VERB", "AUX"):
            return
        subject = subject_of(verb)
        objects = children(verb, "dobj")
        named = [a for o in objects if "allegation" not in self.terms.attribution_kinds(o)
                 for a in self.actors.in_phrase(o)]  # "denied any Iranian involvement", not "rejected Israeli allegations"
        clause = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "pcomp")]
        if any(self.perpetrating(t) for c in clause for t in c.subtree) and not named:
            return  # "denied that it had targeted the hospital": the perpetrator inside says who
        if any(o for o in objects if self.terms.attribution_kinds(o) & {"responsibility", "allegation"}
               and any(self.perpetrating(t) for t in o.subtree if t is not o)):
            return  # "rejected accusations that it had attacked": read from the perpetrator inside
        actors = named or (self.subject_actors(subject) if subject is not None else [])
        if not clause and not objects and not any(p.lower_ in ("from", "on") for p in children(verb, "prep")):
            if not actors:
                return
        self.add(verb, actors, "denies", "denial", subject)

    def blame_verb(self, verb):
        if verb.pos_ not in ("VERB", "AUX") or threatened(verb, self.terms):
            return
        lemma = verb.lemma_.lower()
        targets = []
        if lemma == "point":
            targets = [child(p, "pobj") for p in children(verb, "prep") if p.lower_ in ("to", "at")]
        elif lemma == "hold":
            if not any(self.terms.attribution_kinds(t) & {"culprit"} for t in verb.subtree):
                return
            targets = children(verb, "dobj", "nsubjpass") if not is_passive(verb) else [subject_of(verb)]
        else:
            targets = children(verb, "dobj") + [child(p, "pobj") for h in [verb] + children(verb, "dobj")
                                                for p in children(h, "prep") if p.lower_ == "on"]
            if is_passive(verb) and lemma != "condemn":
                targets += [child(p, "pobj") for p in children(verb, "prep") if p.lower_ == "on"]
        if not self.about_an_attack(verb):  # "accused Israel of stirring up unrest"
            return
        stance = "suspects" if "suspect_verb" in self.terms.attribution_kinds(verb) else "accuses"
        actors = []
        for target in (t for t in targets if t is not None):
            actors += self.actors.in_phrase(target) or (self.actors.owners(target) if lemma == "condemn" else [])
        if is_negated(verb):
            return
        self.add(verb, list(dict.fromkeys(actors)), stance, "blame", subject_of(verb) if not is_passive(verb) else None)

    def about_an_attack(self, verb) -> bool:
        """A blame's "of ..." or "for ..." (on the verb, or "accused X of doing" on its object) names an
        attack, a perpetrator, a casualty or a responsibility; a blame without one is taken as about the attack."""
        preps = children(verb, "prep") + [p for o in children(verb, "dobj") for p in children(o, "prep")
                                          if child(p, "pcomp") is not None]
        for prep in preps:
            if prep.lower_ in ("of", "for") and not any(
                    self.perpetrating(t) or self.terms.attribution_kinds(t) & {"attack_noun", "responsibility"}
                    or self.terms.casualty(t) for t in prep.subtree):
                return False
        return True

    def suspect_verb(self, verb):
        if verb.pos_ not in ("VERB", "AUX"):
            return
        if is_passive(verb):  # "Y is suspected of carrying out"
            subject = subject_of(verb)
            self.add(verb, self.actors.in_phrase(subject) if subject is not None else [], "suspects", "blame")
            return
        targets = children(verb, "dobj")
        self.add(verb, [a for t in targets for a in self.actors.in_phrase(t)], "suspects", "blame", subject_of(verb))

    def unclear(self, word):
        """"it was not clear who carried out the attack", "unclear who was behind it"."""
        negative = word.lower_.startswith("un") or is_negated(word) or is_negated(word.head)
        if not negative:
            return
        scope = list(word.head.subtree) if word.dep_ in ("acomp", "attr") else list(word.subtree)
        if any(t.lower_ in ("who", "whom") for t in scope):
            self.add(word, ["unknown"], "unattributed", "unattributed")

    def unknown_subject(self, word):
        """"unidentified gunmen opened fire", "an unknown drone"."""
        if word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN") and \
                "attack_noun" not in self.terms.attribution_kinds(word.head) and word.head.dep_ in ("nsubj", "nsubjpass", "pobj"):
            self.add(word, ["unknown"], "unattributed", "unattributed")

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
        return self.found


def _stance_speaker(stance: Stance, reading, context, terms: ClaimTerms, lex: Lexicons) -> tuple[str, str]:
    """The speaker of a stance: the reporter above its word ("Afif said the group denies ..."), else the
    subject that speaks for itself ("Hezbollah denied ..."), else the context (quoted block, the article).
    "No group has claimed it" has no speaker of its own: the reporter above, or the article."""
    if stance.stance == "unattributed":
        return context.speaker_of(reading, stance.word, terms, itself=False, outermost=True)
    above = next((h for _, h in path_up(stance.word) if terms.reporting_kind(h)), None)
    if above is not None or stance.speaker_token is None:
        return context.speaker_of(reading, stance.word, terms, itself=stance.speaker_token is None, outermost=True)
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
        stances = _Reader(reading.doc, SentenceActors(reading.doc, reading.actors, terms), terms, lex, context).read()
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
            key = (found.actor, stance)
            if key in seen:
                continue
            seen.add(key)
            position = found.word.idx
            background = incident.is_background(text, position, sentence.index) if incident is not None else False
            claims.append(claim_row(
                article, sentence, speaker, via, background,
                claim_id=claim_id(article.article_id, sentence.start + position, sentence.end, found.actor, stance),
                actor=found.actor, stance=stance, rule=found.rule, cue=found.word.text,
                actor_parent="|".join(parents_of(found.actor, lex)), cue_start=sentence.start + position))
    return claims

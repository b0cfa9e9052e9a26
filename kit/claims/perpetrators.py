"""Perpetrators: who carried out an attack, as a sentence states it, and with which stance.

Part of the attribution rules (`kit.claims.attribution` has the whole list): an actor as the
subject or agent of an attack verb, the owner of an attack noun, a culprit ("was behind"), a pronoun
or "the group" standing for the one who reports it; and the stance the sentence gives that deed:
negated or inside a denial, hedged, only reported, inside a blame, or stated.
"""
from __future__ import annotations

from .grammar import (
    MODALS,
    PERSONAL_PRONOUNS,
    agent_of,
    child,
    children,
    is_negated,
    is_passive,
    np_text,
    path_up,
    subject_of,
)
from .reporting import self_name
from .sentence_actors import POSSESSIVE_PRONOUNS, actor_kind
from .shared import NO_ONE, perfect, threatened
from .terms import ClaimTerms


def _hedged(token, terms: ClaimTerms, stop=None) -> bool:
    """A hedge on the word or on the verbs above it up to ``stop`` (the reporting verb): "reportedly",
    "suspected", "believed to", "may have", "appeared to"."""
    chain = [token] + [head for _, head in path_up(token, 6)]
    for node in chain:
        if stop is not None and node.i == stop.i:  # the reporting verb, a hedge itself: "is believed to have struck"
            return "hedge" in terms.attribution_kinds(node) and node.pos_ in ("VERB", "AUX")
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


class PerpetratorRules:
    """Rules over attack words and the subjects that did them (mixed into `kit.claims.attribution.StanceReader`)."""

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
        elif self.hearsay(word, verb) and (untrue := self.reports_called_untrue()) is not None:
            self.add(word, actors, "denies", rule, speaker_word=untrue)  # said by whoever calls the reports untrue
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

    def reports_called_untrue(self):
        """The word by which the sentence calls reports or claims untrue ("Those reports are not true",
        "the claims are baseless"), or None."""
        for token in self.doc:
            if "untrue" in self.terms.attribution_kinds(token) and token.dep_ in ("acomp", "attr", "amod"):
                if token.lower_ == "true" and not (is_negated(token) or is_negated(token.head)):
                    continue
                subject = subject_of(token.head) if token.dep_ != "amod" else token.head
                if subject is not None and "allegation" in self.terms.attribution_kinds(subject):
                    return token
        return None

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
            if verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and child(verb.head, "poss") is not None and \
                    any(c.tag_ == "TO" for c in verb.children) and child(verb, "nsubj") is None and \
                    (owners := self.actors.owners(verb.head)):
                actors, subject = owners, None  # "Ukraine's attempts to attack": Ukraine's, whoever reports it
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
        if threatened(noun, self.terms) or self.blamed(noun):
            return
        self.perpetration(noun, self.actors.owners(noun) or self.owner_pronoun(noun), "attack by")

    def blamed(self, noun) -> bool:
        """The attack is what a blame verb's subject condemns ("Iran denounced a Pakistani attack"): the
        blame rule reads it, with the one who condemns it as the speaker."""
        while noun.dep_ == "conj" and noun.head is not noun:
            noun = noun.head
        verb = noun.head
        return noun.dep_ == "dobj" and "blame_verb" in self.terms.attribution_kinds(verb) and \
            verb.pos_ in ("VERB", "AUX") and not is_negated(verb) and subject_of(verb) is not None and \
            self.about_an_attack(verb)

    def culprit(self, word):
        """"X was behind the attack", "X was responsible for it" (not "held X responsible": a blame)."""
        verb = word.head if word.dep_ in ("acomp", "prep", "attr", "advmod") else word
        passive = word.pos_ == "VERB" and is_passive(word)  # "either country was involved"
        if (verb.lemma_.lower() not in ("be", "remain", "appear", "seem") and not passive) or threatened(verb, self.terms):
            return
        subject = subject_of(verb)
        actors = self.subject_actors(subject) if subject is not None else []
        self.perpetration(word, actors, "culprit")

    def perpetrating(self, token) -> bool:
        """An attack verb (as a verb) or a culprit word: a clause that says who did it."""
        kinds = self.terms.attribution_kinds(token)
        return ("attack_verb" in kinds and token.pos_ in ("VERB", "AUX")) or "culprit" in kinds

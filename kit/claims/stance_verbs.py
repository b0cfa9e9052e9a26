"""Stance verbs and nouns: who claims, denies, blames or suspects, and who says nobody knows.

Part of the attribution rules (`kit.claims.attribution` has the whole list); these read words of
``attribution_terms.csv`` of the kinds claim_verb, deny_verb, blame_verb, suspect_verb,
responsibility, allegation, unclear and unknown.
"""
from __future__ import annotations

from .grammar import agent_of, child, children, is_negated, is_passive, participle_aside, path_up, said_not, subject_of
from .reporting import speaker_phrase
from .sentence_actors import POSSESSIVE_PRONOUNS
from .shared import NO_ONE, threatened

DENIABLE = frozenset({"responsibility", "allegation", "attack_noun", "attack_verb", "event_noun", "untrue"})
"""Words of which one must be in a denial verb's object for it to deny an attack (see `deniable`)."""


class StanceVerbRules:
    """Rules over stance verbs and nouns (mixed into `kit.claims.attribution.StanceReader`)."""

    def claim_verb(self, verb):
        if verb.pos_ not in ("VERB", "AUX") or threatened(verb, self.terms):
            return
        objects = children(verb, "dobj", "nsubjpass")
        wanted = {"responsibility", "attack_noun"} | ({"event_noun"} if verb.lemma_.lower() == "claim" else set())
        about = [o for o in objects if self.terms.attribution_kinds(o) & wanted and not self.suffered(o, subject_of(verb))]
        if verb.dep_ == "acl" and self.terms.attribution_kinds(verb.head) & wanted:
            about.append(verb.head)  # "a suicide bombing, claimed by the Islamic State group"
        if participle_aside(verb) and (before := self.attack_before(verb, wanted)) is not None:
            about.append(before)  # "in response to a bombing earlier this month, claimed by IS": hung on "responded"
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

    def attack_before(self, verb, wanted: set[str]):
        """The nearest attack noun before ``verb`` in its clause (no verb in between), or None."""
        for token in reversed(verb.doc[max(0, verb.i - 8): verb.i]):
            if token.pos_ in ("VERB", "AUX"):
                return None
            if token.pos_ == "NOUN" and self.terms.attribution_kinds(token) & wanted:
                return token
        return None

    def alleged_by(self, noun):
        """"Israeli allegations that it had carried out", "the claims of the Kyiv regime about a Russian
        missile strike": an accusation by the allegation's owner (its speaker)."""
        owners = self.actors.owners(noun) or [a for p in children(noun, "prep") if p.lower_ in ("of", "from", "by")
                                              for t in children(p, "pobj") for a in self.actors.in_phrase(t)]
        if not owners:
            return
        inside = [t for t in noun.subtree if t is not noun and (self.perpetrating(t) or self.terms.attribution_kinds(t)
                                                                & {"attack_noun", "attack_act"})]
        for word in inside:
            sub = type(self)(self.doc, self.actors, self.terms, self.lex, self.context)
            kinds = self.terms.attribution_kinds(word)
            if "attack_noun" in kinds and word.pos_ == "NOUN":
                sub.attack_noun(word)
            elif "culprit" in kinds:
                sub.culprit(word)
            elif "attack_act" in kinds and "attack_verb" not in kinds:
                sub.attack_act(word)  # "allegations that it had carried out a rocket attack"
            else:
                sub.attack_verb(word)
            owner = next((t for t in noun.subtree if self.actors.at.get(t.i) in owners), None)
            # the allegation's owner says it, not whoever rejects it: "Hezbollah rejected Israeli allegations"
            if owner is None or owner.head.i == noun.i:  # "Israeli allegations", "US claims": the actor's name
                name = owners[0]
            else:  # "allegations by the Israeli army"
                name = speaker_phrase(owner if owner.pos_ in ("NOUN", "PROPN") else owner.head, self.lex)[0]
            for found in sub.found:
                if found.actor not in owners and found.actor != "unknown":
                    self.add(noun, [found.actor], "accuses", "blame", owner, speaker_name=name)

    def reprisal(self, word):
        """"take revenge on Israel for the airstrike", "retaliate against the US for the strike",
        "retaliation against Washington over the attack": whom a reprisal targets is blamed for the
        attack it answers (said by the subject of the verbs above it)."""
        anchors = [word] + ([word.head] if word.dep_ == "dobj" else [])  # "take revenge": its preps hang on "take"
        preps = [p for a in anchors for p in children(a, "prep")]
        targets = [t for p in preps if p.lower_ in ("on", "against", "upon") for t in children(p, "pobj")]
        reasons = [t for p in preps if p.lower_ in ("for", "over") for t in children(p, "pobj")
                   if self.terms.attribution_kinds(t) & {"attack_noun", "event_noun"}]
        if not targets or not reasons:
            return
        subject = next((s for _, head in path_up(word, 4) if (s := subject_of(head)) is not None), None)
        own = set(self.subject_actors(subject)) if subject is not None else set()
        blamed = [a for t in targets for a in self.actors.in_phrase(t) if a not in own]
        self.add(word, blamed, "accuses", "blame", subject)

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
        if verb.pos_ not in ("VERB", "AUX") or said_not(verb):  # "did not deny", "neither confirmed nor denied"
            return
        subject = subject_of(verb)
        objects = children(verb, "dobj")
        if objects and not any(self.deniable(o) for o in objects):
            return  # "Hamas dismissed Israel's threat", "rejected the proposal": not a denial of an attack
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

    def deniable(self, noun) -> bool:
        """The object of a denial verb is about an attack: "denied it", "denied any involvement", "ruled out
        the possibility that attacks were carried out"; not a threat or a plan ("dismissed Israel's threat
        to strike")."""
        if noun.pos_ == "PRON":
            return True
        if "threat_verb" in self.terms.attribution_kinds(noun):
            return False
        return any(self.terms.attribution_kinds(t) & DENIABLE for t in noun.subtree)

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
            targets.append(self.relative_attack(verb))  # "airstrikes by Tehran that Islamabad had branded a violation"
            if is_passive(verb) and lemma != "condemn":
                targets += [child(p, "pobj") for p in children(verb, "prep") if p.lower_ == "on"]
        if not self.about_an_attack(verb):  # "accused Israel of stirring up unrest"
            return
        stance = "suspects" if "suspect_verb" in self.terms.attribution_kinds(verb) else "accuses"
        actors = []
        for target in (t for t in targets if t is not None):
            attack = lemma == "condemn" or "attack_noun" in self.terms.attribution_kinds(target)
            actors += self.actors.in_phrase(target) or (self.actors.owners(target) if attack else [])
        if is_negated(verb):
            return
        self.add(verb, list(dict.fromkeys(actors)), stance, "blame", subject_of(verb) if not is_passive(verb) else None)

    def relative_attack(self, verb):
        """The attack a relative clause of ``verb`` is about: "strikes by Russia that Kyiv branded a war
        crime" (also when the parse hangs the clause on the main verb), or None."""
        pronoun = next((t for t in children(verb, "dobj", "mark") if t.lower_ in ("that", "which") and t.i < verb.i), None)
        if pronoun is None or pronoun.i == 0:
            return None
        if verb.dep_ in ("relcl", "acl"):
            candidates = [verb.head]
        else:  # hung on the main verb: the noun phrase just before "that"
            candidates = [pronoun.doc[pronoun.i - 1]] + [head for _, head in path_up(pronoun.doc[pronoun.i - 1], 3)]
        return next((t for t in candidates if t.i < pronoun.i and t.pos_ == "NOUN"
                     and "attack_noun" in self.terms.attribution_kinds(t)), None)

    def about_an_attack(self, verb) -> bool:
        """A blame's "of ..." or "for ..." (on the verb, or "accused X of doing" on its object) names an
        attack, a perpetrator, a casualty or a responsibility; a blame without one is taken as about the attack."""
        objects = children(verb, "dobj")
        for phrase in objects:  # "accuses Israel, its arch-foe, and the US of ...": the "of" may hang on any of them
            objects += [t for t in children(phrase, "appos", "conj") if t not in objects]
        preps = children(verb, "prep") + [p for o in objects for p in children(o, "prep") if child(p, "pcomp") is not None]
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

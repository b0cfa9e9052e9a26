"""The actors of one parsed sentence, by token, and which of them own an attack or stand in a phrase.

An actor mention of the lexicon (`kit.claims.actors`) is mapped onto the parse; a country named as a
place ("an attack in Kerman, Iran", "killed in Iraq") is not an actor there, while "officials in the
U.S." are who they are.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> from kit.claims.actors import find_actors
    >>> from kit.claims.grammar import parse
    >>> text = "Israeli jets struck a depot in Syria."
    >>> doc = parse([text])[0]
    >>> actors = SentenceActors(doc, find_actors(text, load_lexicons()))
    >>> actors.owners(doc[1]), actors.in_phrase(doc[1]), sorted(actors.at.values())
    (['Israel'], ['Israel'], ['Israel'])
"""
from __future__ import annotations

from ..lexicons import Lexicons
from .grammar import agent_of, conjuncts, tokens_in
from .terms import ClaimTerms

OWNER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our", "his", "her"})


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
        self.attack_words = attack_words
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
                    of_owner = c.dep_ == "prep" and c.lower_ == "of" and token.i not in self.attack_words  # "the shelling of Kyiv": a target
                    if c.dep_ in OWNER_DEPS or c.dep_ in ("det", "case") or (appositions and c.dep_ == "appos") or \
                            (deep and of_owner) or (c.dep_ == "pobj" and token.lower_ == "of"):
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


def actor_kind(actor: str, lex: Lexicons) -> str:
    """The ``kind`` column of an actor (state, military, armed_group, ...); a military counts as a state."""
    kinds = lex.compiled("attribution.actor_kinds", lambda lx: {r["canonical"]: r["kind"] for r in lx.rows("actors")})
    kind = kinds.get(actor, "")
    return "state" if kind in ("state", "military", "government") else kind

"""The claim lexicons compiled for the grammar rules: which words are casualty words, attack words,
stance words and reporting verbs, and the cheap word test that picks the sentences worth parsing.

Everything here is built from ``data/lexicons/`` (casualty_terms.csv, attribution_terms.csv,
reporting_verbs.csv, vague_counts.csv, non_casualty_units.csv, number_words.csv), once per
`Lexicons` object: a new row takes effect on the next run, and the pre-check that skips
sentences is derived from the same rows, never typed again.

A term matches a token when it equals the token's lower-cased form or its lemma ("kill" matches
"killed"); a casualty term may also be a regular expression over one word ("deaths?"). A term of
two words ("carry out", "cast doubt") is a verb and a word among its children (a particle or an
object).

Example:
    >>> from kit.lexicons import load_lexicons
    >>> from kit.claims.grammar import parse
    >>> terms = claim_terms(load_lexicons())
    >>> doc = parse(["Hamas carried out the attack that killed 12 people."])[0]
    >>> [(t.text, sorted(terms.attribution_kinds(t))) for t in doc if terms.attribution_kinds(t)][:2]
    [('carried', ['attack_act']), ('attack', ['attack_noun', 'attack_verb'])]
    >>> [(t.text, sorted(terms.casualty(t))) for t in doc if terms.casualty(t)]
    [('killed', [('killed', 'active'), ('killed', 'passive')])]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicons import Lexicons
from .keywords import Keywords

_PLAIN = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass
class ClaimTerms:
    """Lookups over one `Lexicons`: see the module docstring."""

    casualty_words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    casualty_patterns: list[tuple[re.Pattern, str, str]] = field(default_factory=list)
    attribution_words: dict[str, set[str]] = field(default_factory=dict)
    attribution_pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # verb -> [(word, kind)]
    reporting: dict[str, str] = field(default_factory=dict)  # lemma -> say / tell / relay
    evidence: frozenset[str] = frozenset()  # nouns that show rather than speak (reporting_verbs.csv, kind evidence)
    speaking: frozenset[str] = frozenset()  # verbs whose subject is remembered as a speaker (kind speak)
    reporting_pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    vague: list[str] = field(default_factory=list)
    units: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    casualty_check: Keywords = field(default_factory=lambda: Keywords(""))
    cue_check: Keywords = field(default_factory=lambda: Keywords(""))

    def casualty(self, token) -> list[tuple[str, str]]:
        """(outcome, kind) of every casualty term the token is (by form or lemma)."""
        found = list(self.casualty_words.get(token.lower_, ()))
        lemma = token.lemma_.lower()
        if lemma != token.lower_:
            found += [x for x in self.casualty_words.get(lemma, ()) if x not in found]
        for pattern, outcome, kind in self.casualty_patterns:
            if (pattern.fullmatch(token.lower_) or pattern.fullmatch(lemma)) and (outcome, kind) not in found:
                found.append((outcome, kind))
        return found

    def attribution_kinds(self, token) -> set[str]:
        """The kinds (attribution_terms.csv) the token is, by form or lemma; a two-word term counts
        when its second word is among the token's children."""
        kinds = set(self.attribution_words.get(token.lower_, ())) | set(self.attribution_words.get(token.lemma_.lower(), ()))
        for key in {token.lower_, token.lemma_.lower()}:
            for word, kind in self.attribution_pairs.get(key, ()):
                if any(c.lower_ == word or c.lemma_.lower() == word for c in token.children):
                    kinds.add(kind)
        return kinds

    def reporting_kind(self, token) -> str:
        """say / tell / relay when the token is a reporting verb (reporting_verbs.csv), else ""."""
        if token.pos_ not in ("VERB", "AUX"):
            return ""
        kind = self.reporting.get(token.lemma_.lower()) or self.reporting.get(token.lower_, "")
        if not kind:
            for word, pair_kind in self.reporting_pairs.get(token.lemma_.lower(), ()):
                if any(c.lower_ == word or c.lemma_.lower() == word for c in token.children):
                    return pair_kind
        return kind

    def is_vague(self, text: str) -> bool:
        """A vague quantity ("dozens", "several", "an unspecified number"), with or without its "of"."""
        low = " ".join(text.lower().split())
        return any(low == v or low.startswith(v + " ") or (v.endswith(" of") and low == v[:-3]) for v in self.vague)


def _split_term(term: str) -> tuple[str, str]:
    words = term.lower().split()
    return (words[0], " ".join(words[1:])) if len(words) > 1 else (words[0], "")


def _keyword(term: str) -> str | None:
    """The longest plain prefix of a term, for the substring pre-check ("deaths?" -> "death")."""
    match = _PLAIN.match(term.lower())
    return match.group(0) if match and len(match.group(0)) >= 3 else None


def _build(lex: Lexicons) -> ClaimTerms:
    terms = ClaimTerms()
    checks: list[str | None] = []
    for row in lex.rows("casualty_terms"):
        term = row["term"].strip().lower()
        item = (row["outcome"], row["kind"])
        if _PLAIN.fullmatch(term):
            terms.casualty_words.setdefault(term, [])
            if item not in terms.casualty_words[term]:
                terms.casualty_words[term].append(item)
        else:
            terms.casualty_patterns.append((re.compile(term, re.I), *item))
        checks.append(_keyword(term))
    terms.casualty_check = Keywords("") if None in checks else Keywords(*sorted(set(checks)))
    cues: list[str | None] = []
    for row in lex.rows("attribution_terms"):
        first, rest = _split_term(row["term"])
        if rest:
            terms.attribution_pairs.setdefault(first, []).append((rest.split()[-1], row["kind"]))
        else:
            terms.attribution_words.setdefault(first, set()).add(row["kind"])
        if row["kind"] in ("claim_verb", "responsibility", "allegation", "unknown", "unclear", "attack_verb", "attack_act", "attack_noun",
                           "anaphor_group", "anaphor_state"):  # a sentence may say who did it without naming an actor
            cues.append(_keyword(first))
    terms.cue_check = Keywords("") if None in cues else Keywords(*sorted(set(cues)))
    terms.evidence = frozenset(r["verb"].lower() for r in lex.rows("reporting_verbs") if r["kind"] == "evidence")
    terms.speaking = frozenset(r["verb"].lower() for r in lex.rows("reporting_verbs") if r["kind"] == "speak")
    for row in lex.rows("reporting_verbs"):
        if row["kind"] in ("evidence", "speak"):
            continue
        first, rest = _split_term(row["verb"])
        if rest:
            terms.reporting_pairs.setdefault(first, []).append((rest.split()[-1], row["kind"]))
        else:
            terms.reporting[first] = row["kind"]
    terms.vague = sorted({" ".join(r["phrase"].lower().split()) for r in lex.rows("vague_counts")}, key=len, reverse=True)
    terms.units = frozenset(r["word"].lower() for r in lex.rows("non_casualty_units"))
    terms.numbers = frozenset(r["word"].lower() for r in lex.rows("number_words"))
    return terms


def claim_terms(lex: Lexicons) -> ClaimTerms:
    """The `ClaimTerms` of ``lex`` (built once per `Lexicons` object)."""
    return lex.compiled("claim_terms", _build)

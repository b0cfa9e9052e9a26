"""The shortcuts attribution takes for speed give exactly what the plain way gives.

- `kit.claims.wordgates`: a rule is skipped only when a sentence lacks words the rule cannot match without;
  checked against plain substring tests of the gate words on every sentence of our corpora and
  on random strings.
- the "adjective" pattern ("an Israeli strike") is tried only at the word before each actor
  mention; checked against `finditer` over the whole masked sentence.
- outlet names that hide an actor are searched only when their words are all in the text.
"""
from __future__ import annotations

import random

from kit.claims import attribution
from kit.claims.actors import _build as build_actors, find_actors
from kit.claims.shared import finditer_at
from kit.claims.keywords import fold_case
from kit.lexicons import load_lexicons
from kit.paths import SEEDS
from repo import ROOT
from kit.articles.sentences import split_sentences
from kit.bench.synthetic import article_text, load_resources
from kit.claims.wordgates import WordGates

TRICKY = ["the ", "The ", "an ", "A ", "no ", "not ", "NO ", "n't ", "in ", "by  ", "during\n", "deni", "'", "\u2019",
          "\u212a", "\u017f", "\u0130", "\u0131", "-led ", "strike", "air strikes", "attack", ",", ".", "  ", "_", "no\t"]


def corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "styles").glob("*"))]
    resources = load_resources()
    texts += [article_text(resources, seed=5, number=n)[0] for n in range(60)]
    return texts


def sentences() -> list[str]:
    found = [s.text for text in corpus_texts() for s in split_sentences(text)]
    rng = random.Random(11)
    words = [w for s in found[:400] for w in s.split()]
    for _ in range(3000):
        found.append("".join(rng.choice(TRICKY + words) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(1, 14))))
    return found


def plain_gate(needs, text: str) -> bool:
    """A gate the obvious way: every group has a word that is a substring of the folded text."""
    folded = fold_case(text)
    return all(any(word in folded for word in group) for group in needs)


def test_gates_never_skip_a_sentence_the_plain_test_lets_through():
    rules = {**attribution._NEEDS, "negative": attribution._NEGATIVE, "any cue": attribution._ANY_CUE}
    for text in sentences():
        held = attribution.GATES.held(text)
        for name, needs in rules.items():
            if plain_gate(needs, text):
                assert attribution.GATES.allows(held, name), (name, text)


def test_gates_read_whole_words_with_spaces_around():
    gates = WordGates({"no": (("no ",),), "both": (("deni",), ("involv", "role"))})
    assert gates.allows(gates.held("There was no one"), "no")
    assert not gates.allows(gates.held("Nothing now, casinos"), "no")
    assert gates.allows(gates.held("He DENIED any ROLE"), "both")
    assert not gates.allows(gates.held("He denied it"), "both")


def adjective_phrases(lex) -> list[str]:
    """Random strings dense in "<determiner> <actor> <attack noun>" and near misses."""
    aliases = [a for row in lex.rows("actors") for a in row["aliases"].split("|") if a]
    parts = ["an ", "the ", "In ", "no ", "by\n", "deadly  ", "x", "-", "_", "and ", ", ", "'s "]
    nouns = ["strike", "air strikes", "drone strike", "raid", "shelling", "attack", "base", "-led strike"]
    rng = random.Random(3)
    return ["".join(rng.choice(parts) + rng.choice(aliases) + rng.choice([" ", "  ", "", "-led "]) + rng.choice(nouns + parts)
                    + rng.choice([" ", ". ", ""]) for _ in range(rng.randint(1, 6))) for _ in range(2000)]


def test_adjective_tried_at_words_before_mentions_finds_what_finditer_finds():
    lex = load_lexicons()
    pattern = lex.compiled("attribution", attribution._build)["adjective"]
    checked = 0
    for text in sentences() + adjective_phrases(lex):
        mentions = find_actors(text, lex)
        if not mentions:
            continue
        masked = attribution._masked(text, mentions)
        fast = [m.span() for m in finditer_at(pattern, masked, attribution._words_before_runs(masked))]
        assert fast == [m.span() for m in pattern.finditer(masked)], text
        checked += bool(fast)
    assert checked > 200  # the pattern did match, so the comparison means something


def test_outlets_are_searched_whenever_they_could_be_there():
    lex = load_lexicons()
    built = lex.compiled("actors", build_actors)
    texts = corpus_texts() + [s for s in sentences() if "Times" in s or "Post" in s]
    texts += ["Quoting the TIMES  OF ISRAEL, Israel denied it", "The Washington\u00a0Post says the US struck",
              "Islamic Republic News Agency", "times of israel"]
    for matcher in (built["mentions"], built["outlets"]):
        for text in texts:
            if matcher.spans(text):
                assert matcher.may_occur(fold_case(text)), text

"""Which rules could match a sentence, worked out once per sentence from its words.

A rule (a regular expression) cannot match a sentence that lacks certain words: "blamed on X"
needs "blamed". Each rule names those words as groups of lower-case substrings, at least one
of each group to be present ("deni" or "reject", and "involv" or "role"). `WordGates.held`
reads a sentence once: it splits `kit.claims.keywords.fold_case` of it on whitespace and ORs together
one bit mask per word, each word's mask worked out on its first appearance and remembered (a
pure function of the word). A rule is then worth running only when `WordGates.allows` it: a
few integer operations instead of a substring search per rule and group.

Each word is read with a space on either side, so a needle may start or end with one ("no "
is the word "no" or a word ending in it, as in the sentence). A needle cannot hold two words
("ruled out" is written "ruled"): a gate may let through a sentence its rule then does not
match (the rule decides), never the other way round.

Example:
    >>> gates = WordGates({"blamed_on": (("blamed",),), "denial": (("deni", "reject"), ("involv", "role"))})
    >>> held = gates.held("Officials DENIED any involvement.")
    >>> gates.allows(held, "denial"), gates.allows(held, "blamed_on")
    (True, False)
    >>> WordGates({"no": (("no ",),)}).held("Nothing now") , WordGates({"no": (("no ",),)}).held("No one")
    (0, 1)
"""
from __future__ import annotations

import functools
import operator
import re

from .keywords import fold_case
from ..memos import MemoDict

_MEMO_LIMIT = 200_000  # distinct words remembered before the memo starts again


class _WordMasks(MemoDict):
    """word -> bit mask of the groups the word holds a needle of, worked out on first use.

    A new word is read by one regex pass that, at each position, finds the longest needle
    starting there; every needle inside that one is there too (``closure``).
    """

    def __init__(self, groups: list[tuple[str, ...]]):
        super().__init__()
        bits: dict[str, int] = {}
        for bit, group in enumerate(groups):
            for needle in group:
                bits[needle] = bits.get(needle, 0) | 1 << bit
        longest_first = sorted(bits, key=len, reverse=True)
        self.finder = re.compile("(?=(" + "|".join(map(re.escape, longest_first)) + "))")
        self.closure = {needle: functools.reduce(operator.or_, (bits[inner] for inner in bits if inner in needle), 0)
                        for needle in bits}

    def __missing__(self, word: str) -> int:
        if len(self) > _MEMO_LIMIT:
            self.clear()
        mask = 0
        for needle in self.finder.findall(f" {word} "):
            mask |= self.closure[needle]
        self[word] = mask
        return mask


class WordGates:
    """Gates of named rules: ``{name: ((word, word), (word,))}``, each tuple a group of alternatives."""

    def __init__(self, rules: dict[str, tuple[tuple[str, ...], ...]]):
        groups: list[tuple[str, ...]] = []
        self.needs: dict[str, int] = {}
        for name, needs in rules.items():
            mask = 0
            for group in needs:
                if any(needle != needle.lower() or len(needle.strip(" ").split()) != 1 for needle in group):
                    raise ValueError(f"gate {name!r}: needles must be single lower-case words: {group}")
                if group not in groups:
                    groups.append(group)
                mask |= 1 << groups.index(group)
            self.needs[name] = mask
        self._masks = _WordMasks(groups)

    def held(self, text: str) -> int:
        """Bit mask of the groups whose words ``text`` holds (in any case)."""
        return functools.reduce(operator.or_, map(self._masks.__getitem__, fold_case(text).split()), 0)

    def allows(self, held: int, name: str) -> bool:
        """Whether a sentence with words ``held`` may match rule ``name``."""
        need = self.needs[name]
        return held & need == need

"""Find page furniture: the lines of a web page that are not the story.

Rules, in order (patterns live in ``data/lexicons/furniture.csv``):

1. a line matching a furniture pattern (app and newsletter prompts, bylines, live-story notices,
   AI disclaimers, embedded-post signatures, captions) is furniture;
2. a related-links marker ("Read more from Sky News:", "Related Post") and the headline-like
   lines that follow it (no closing full stop, at most 20 words) are furniture;
3. a line of 8 or more words printed twice or more in the same article is a repeated blurb.

Only short lines (at most 40 words) are tested against patterns, so a reporting paragraph
that mentions an app is never removed.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> kept, removed, flags = find_furniture(["Blast hits base.", "Install the Sky News app for free"], load_lexicons())
    >>> kept, [r.reason for r in removed]
    (['Blast hits base.'], ['app_prompt'])
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import LexiconError
from ..lexicons import Lexicons

MAX_PATTERN_WORDS = 40
MAX_HEADLINE_WORDS = 20
MIN_BLURB_WORDS = 8
_SENTENCE_END = re.compile(r"[.!:;\"')\]]\s*$")


@dataclass(frozen=True)
class FurnitureLine:
    line_no: int
    text: str
    reason: str


def _compile(lex: Lexicons):
    rules = []
    for number, row in enumerate(lex.rows("furniture"), start=1):
        flags = 0 if row["reason"] == "byline" and "(?i:" in row["pattern"] else re.IGNORECASE
        try:
            rules.append((re.compile(row["pattern"], flags), row["reason"], row["flag"]))
        except re.error as exc:
            raise LexiconError(f"{lex.folder / 'furniture.csv'}, pattern {number}",
                               f"{row['pattern'][:60]!r} is not a valid regular expression ({exc})",
                               "fix the pattern or delete the row") from None
    return rules


def _headline_like(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_HEADLINE_WORDS:
        return False
    if line.rstrip().endswith("?"):
        capitals = sum(w[0].isupper() for w in words if w[0].isalpha())
        return capitals >= 0.6 * len(words)
    return not _SENTENCE_END.search(line)


def find_furniture(lines: list[str], lex: Lexicons) -> tuple[list[str], list[FurnitureLine], list[str]]:
    """Split page lines into (kept lines, removed furniture lines, flags).

    Blank lines are kept so paragraphs stay apart.
    """
    rules = lex.compiled("furniture", _compile)
    counts = Counter(line.strip() for line in lines if len(line.split()) >= MIN_BLURB_WORDS)
    removed: list[FurnitureLine] = []
    flags: list[str] = []
    kept: list[str] = []
    in_related_block = False
    for line_no, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        reason = None
        if len(stripped.split()) <= MAX_PATTERN_WORDS:
            for pattern, rule_reason, flag in rules:
                if pattern.search(stripped):
                    reason = rule_reason
                    if flag and flag not in flags:
                        flags.append(flag)
                    break
        if reason is None and counts.get(stripped, 0) > 1:
            reason = "repeated_blurb"
        if reason is None and in_related_block and _headline_like(stripped):
            reason = "related_link"
        in_related_block = reason in ("related_link_marker", "related_link") or (
            in_related_block and reason is not None)
        if reason:
            removed.append(FurnitureLine(line_no, stripped, reason))
        else:
            kept.append(line)
    return kept, removed, flags

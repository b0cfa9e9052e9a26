"""Counts as news copy writes them: "eight", "2,500", "a total of four", "at least three",
"more than 30", "between 5 and 10", "dozens".

`count_pattern(lex)` is a regular expression (no capture groups of its own) for a count phrase;
`parse_count` turns the phrase into ``(count_min, count_max)``:

- an exact number gives min == max; "about", "nearly", "some 30" keep the number (the words stay
  in count_text);
- "at least N" / "more than N" / "over N" / "past N" give (N or N+1, None): unbounded above;
- "up to N" / "as many as N" / "no more than N" give (1, N): a toll up to N implies at least one;
- "N to M", "between N and M", "N or M" give (N, M);
- vague words from ``data/lexicons/vague_counts.csv`` ("dozens", "countless") give (None, None).

Example:
    >>> from kit.lexicons import load_lexicons
    >>> lex = load_lexicons()
    >>> parse_count("a total of four", lex), parse_count("more than 30", lex), parse_count("dozens of", lex)
    ((4, 4), (31, None), (None, None))
"""
from __future__ import annotations

import re

from ..lexicons import Lexicons
from ..memos import MemoDict

_DIGITS = r"(?<![\d:./,])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d:/]|\.\d|,\d)"
_LOWER_WORDS = ("at least", "at most", "more than", "over", "past", "above", "fewer than", "less than", "no fewer than", "not less than")
_UPPER_WORDS = ("up to", "as many as", "no more than", "not more than", "at most")
_APPROX_WORDS = ("a total of", "about", "around", "nearly", "almost", "some", "roughly", "approximately", "an estimated",
                 "estimated", "a further", "another", "an additional", "only", "just")


def _phrases(words) -> str:
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in words) + ")"


_LOWER, _UPPER, _APPROX = _phrases(_LOWER_WORDS), _phrases(_UPPER_WORDS), _phrases(_APPROX_WORDS)
_WORD_START = re.compile(r"(?<![\w-])(?:[0-9]|[a-z]+)")  # in lower-cased text: a digit or a whole word


def _number_words(lex: Lexicons) -> dict[str, int]:
    return {row["word"].lower(): int(row["value"]) for row in lex.rows("number_words")}


def _multipliers(lex: Lexicons) -> frozenset[str]:
    """Words of kind ``scale`` below a thousand ("hundred", "dozen"): they multiply what comes before."""
    return frozenset(row["word"].lower() for row in lex.rows("number_words")
                     if row["kind"] == "scale" and int(row["value"]) < 1000)


def _build(lex: Lexicons) -> dict:
    words = sorted(_number_words(lex), key=len, reverse=True)
    word_alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    number = rf"(?:{_DIGITS}(?:\s+(?:hundred|thousand|million))?|(?:{word_alt})(?:[\s-]+(?:and\s+)?(?:{word_alt}))*)"
    number = rf"(?:{number})\b"
    vague = "|".join(re.escape(row["phrase"]).replace(r"\ ", r"\s+")
                     for row in sorted(lex.rows("vague_counts"), key=lambda r: -len(r["phrase"])))
    count = (rf"(?:between\s+{number}\s+and\s+{number}|"
             rf"(?:(?:{_LOWER}|{_UPPER}|{_APPROX})\s+)?{number}(?:\s*(?:to|-|\u2013|or)\s*{number})?|"
             rf"(?:{vague})\b)")
    openers = ("between", *_LOWER_WORDS, *_UPPER_WORDS, *_APPROX_WORDS, *words,
               *(row["phrase"] for row in lex.rows("vague_counts")))
    first_words = {re.match("[a-z]*", phrase.lower()).group() for phrase in openers}
    return {"count": count, "number": re.compile(number, re.I), "vague": re.compile(rf"^(?:{vague})$", re.I),
            "words": _number_words(lex), "multipliers": _multipliers(lex), "first_words": first_words,
            "start_words": frozenset(first_words) | frozenset("0123456789"), "parsed": MemoDict()}


def count_starts(text: str, lex: Lexicons) -> list[int] | None:
    """Where a count phrase that follows no letter, digit or hyphen may start (a superset), in order.

    A word starts a count only if it is a digit or the first word of a count phrase, so a pattern
    that opens with ``(?<![\\w-])`` and a count needs to be tried only there. ``None`` (try
    everywhere) for non-ASCII text, whose case folding ``str.lower`` does not mirror, or when a
    phrase does not open with a letter.

    >>> from kit.lexicons import load_lexicons
    >>> text = "Rockets killed at least Three, wounding 12-15 more."
    >>> [text[i:i + 5] for i in count_starts(text, load_lexicons())]
    ['at le', 'Three', '12-15', 'more.']
    """
    built = lex.compiled("numbers", _build)
    if not text.isascii() or "" in built["first_words"]:
        return None
    start_words = built["start_words"]  # a digit matches on its own, so the ten digits stand for numbers
    return [m.start() for m in _WORD_START.finditer(text.lower()) if m.group() in start_words]


def count_pattern(lex: Lexicons) -> str:
    """Regex source matching one count phrase (use inside a larger pattern)."""
    return lex.compiled("numbers", _build)["count"]


def words_to_int(text: str, lex: Lexicons) -> int | None:
    """``"twenty-five"`` -> 25, ``"2,500"`` -> 2500, ``"three hundred"`` -> 300, ``"two dozen"`` -> 24.

    >>> from kit.lexicons import load_lexicons
    >>> [words_to_int(t, load_lexicons()) for t in ("two dozen", "a dozen", "three hundred and five", "forty thousand")]
    [24, 12, 305, 40000]
    """
    text = text.strip().lower()
    digits = re.match(r"^(\d[\d,]*)(?:\s+(hundred|thousand|million))?$", text)
    if digits:
        value = int(digits.group(1).replace(",", ""))
        scale = {"hundred": 100, "thousand": 1000, "million": 1000000}.get(digits.group(2) or "", 1)
        return value * scale
    built = lex.compiled("numbers", _build)
    table, multipliers = built["words"], built["multipliers"]
    if text in table:
        return table[text]
    total = current = 0
    found = False
    for token in re.split(r"[\s-]+", text):
        if token == "and" or not token:
            continue
        if token not in table:
            return None
        value, found = table[token], True
        if token in multipliers:
            current = max(current, 1) * value
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return total + current if found else None


MAX_COUNT = 10_000_000  # above this a "count" is a typo or an attack on the kit: keep only the words


def parse_count(phrase: str, lex: Lexicons) -> tuple[int | None, int | None]:
    """(count_min, count_max) of a count phrase matched by `count_pattern`.

    A number above `MAX_COUNT` gives no count (the words stay in count_text). Results are kept per
    lexicons (up to 10,000 phrases): the same few phrases recur in every article.
    """
    memo = lex.compiled("numbers", _build)["parsed"]
    if phrase in memo:
        return memo[phrase]
    low, high = _parse_count(phrase, lex)
    if any(v is not None and v > MAX_COUNT for v in (low, high)):
        low, high = None, None
    if len(memo) < 10000:
        memo[phrase] = low, high
    return low, high


def _parse_count(phrase: str, lex: Lexicons) -> tuple[int | None, int | None]:
    built = lex.compiled("numbers", _build)
    text = re.sub(r"\s+", " ", phrase.strip().lower())
    if built["vague"].match(text):
        return None, None
    numbers = [words_to_int(m.group(0), lex) for m in built["number"].finditer(text)]
    numbers = [n for n in numbers if n is not None]
    if not numbers:
        return None, None
    if len(numbers) >= 2 and re.search(r"\bbetween\b|\bto\b|-|\u2013|\bor\b", text):
        low, high = sorted(numbers[:2])
        return low, high
    value = numbers[0]
    if re.match(r"(more than|over|past|above)\b", text):
        return value + 1, None
    if re.match(r"(at least|no fewer than|not less than)\b", text):
        return value, None
    if re.match(r"(up to|as many as|no more than|not more than|at most)\b", text):
        return min(1, value), value
    if re.match(r"(fewer than|less than)\b", text):
        return (1, value - 1) if value > 1 else (0, 0)
    return value, value

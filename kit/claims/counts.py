"""Counts as news copy writes them: "eight", "2,500", "a total of four", "at least three",
"more than 30", "between 5 and 10", "dozens".

`count_pattern(lex)` is a regular expression (no capture groups of its own) for a count phrase;
`parse_count` turns the phrase into ``(count_min, count_max)``:

- an exact number gives min == max; "about", "nearly", "some 30" keep the number (the words stay
  in count_text);
- "at least N" / "more than N" / "over N" / "past N" give (N or N+1, None): unbounded above;
- "up to N" / "as many as N" / "no more than N" give (1, N): a toll up to N implies at least one;
- "N to M", "between N and M", "N or M" give (N, M);
- "at least N and up to M" (or "..., but as many as M") gives (N, M);
- vague words from ``data/lexicons/vague_counts.csv`` ("dozens", "countless", "tens of thousands")
  give (None, None);
- digits: "2,500"; "1 000" with a space, no-break space or thin space between groups of three;
  "1.000.000" (two dot groups); "1.5 million" / "2,5 million" before a scale word of
  ``number_words.csv``; "1.000" (one dot group) is a thousand only where the sentence itself
  groups with dots (a decimal comma "2,5" or "1.000.000", and no "2,500" or "1.5", see `dot_groups`),
  else no number (never 1); digits glued to "^" ("10^9"), "/" or ":" are no count.

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

_SPACES = "\u0020\u00a0\u2009\u202f"  # a space, a no-break space, a thin space, a narrow no-break space
# Digits as news copy groups them: "2,500", "1 000" (any of the spaces, groups of exactly three),
# "1.000.000" (two or more dot groups: a thousands separator, nothing else reads that way) and
# "1.000" (one dot group: ambiguous, read only where the text's own convention says so, see
# `dot_groups`). Nothing glued to "^", "/", ":" or another digit is a count ("10^9", "24/7", "12:30").
_DIGITS = (r"(?<![\d:./,^])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[" + _SPACES + r"]\d{3})+|\d{1,3}(?:\.\d{3}){1,}|\d+)"
           r"(?![\d:/^]|\.\d|,\d|[" + _SPACES + r"]\d{3}(?!\d))")
# "1.5 million", "2,5 million" (a decimal comma of one or two digits), only before a scale word
_DECIMAL = r"(?<![\d:./,^])\d+(?:\.\d+|,\d{1,2})(?![\d^])"
_LOWER_WORDS = ("at least", "at most", "more than", "over", "past", "above", "fewer than", "less than", "no fewer than", "not less than")
_UPPER_WORDS = ("up to", "as many as", "no more than", "not more than", "at most")
_APPROX_WORDS = ("a total of", "about", "around", "nearly", "almost", "some", "roughly", "approximately", "an estimated",
                 "estimated", "a further", "another", "an additional", "only", "just")


def _phrases(words) -> str:
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in words) + ")"


_LOWER, _UPPER, _APPROX = _phrases(_LOWER_WORDS), _phrases(_UPPER_WORDS), _phrases(_APPROX_WORDS)
_AND = r"\s*,?\s*(?:and|but)\s+"  # "at least 3 and up to 7", "at least 3, but up to 7"
_WORD_START = re.compile(r"(?<![\w-])(?:[0-9]|[a-z]+)")  # in lower-cased text: a digit or a whole word


def _number_words(lex: Lexicons) -> dict[str, int]:
    return {row["word"].lower(): int(row["value"]) for row in lex.rows("number_words")}


def _multipliers(lex: Lexicons) -> frozenset[str]:
    """Words of kind ``scale`` below a thousand ("hundred", "dozen"): they multiply what comes before."""
    return frozenset(row["word"].lower() for row in lex.rows("number_words")
                     if row["kind"] == "scale" and int(row["value"]) < 1000)


def _scales(lex: Lexicons) -> dict[str, int]:
    """Words of kind ``scale`` of a hundred and more ("hundred", "thousand", "million"): "1.5 million"."""
    return {row["word"].lower(): int(row["value"]) for row in lex.rows("number_words")
            if row["kind"] == "scale" and int(row["value"]) >= 100}


def dot_groups(text: str) -> bool:
    """Whether ``text`` writes a dot between groups of thousands ("1.000 Tote", "2,5 Millionen"):
    it has a decimal comma ("2,5") or a number with two dot groups ("1.000.000"), and neither an
    English group ("2,500") nor a decimal point ("1.5"). Conservative: "1.000" alone in English copy
    stays unread (no count, the words in count_text).

    >>> dot_groups("1.200 killed, 2,5 million displaced"), dot_groups("1.000 killed"), dot_groups("1.000 of 2,500")
    (True, False, False)
    """
    continental = re.search(r"\d,\d{1,2}(?!\d)|\d\.\d{3}\.\d{3}(?!\d)", text)
    english = re.search(r"\d,\d{3}(?!\d)|\d\.(?:\d{1,2}|\d{4,})(?!\d)", text)
    return bool(continental) and not english


def _build(lex: Lexicons) -> dict:
    words = sorted(_number_words(lex), key=len, reverse=True)
    word_alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    scales = "|".join(re.escape(w) for w in _scales(lex))
    after_scale = "|".join(rf"(?<={re.escape(w)})" for w in _scales(lex))  # "one hundred and five", not "five and seven"
    number = (rf"(?:{_DECIMAL}\s+(?:{scales})|{_DIGITS}(?:\s+(?:{scales}))?|"
              rf"(?:{word_alt})(?:(?:[\s-]+|(?:{after_scale})\s+and\s+)(?:{word_alt}))*)")
    number = rf"(?:{number})\b"
    vague = "|".join(re.escape(row["phrase"]).replace(r"\ ", r"\s+")
                     for row in sorted(lex.rows("vague_counts"), key=lambda r: -len(r["phrase"])))
    count = (rf"(?:between\s+{number}\s+and\s+{number}|{_LOWER}\s+{number}{_AND}{_UPPER}\s+{number}|"
             rf"(?:(?:{_LOWER}|{_UPPER}|{_APPROX})\s+)?{number}(?:\s*(?:to|-|\u2013|or)\s*{number})?|"
             rf"(?:{vague})\b)")
    openers = ("between", *_LOWER_WORDS, *_UPPER_WORDS, *_APPROX_WORDS, *words,
               *(row["phrase"] for row in lex.rows("vague_counts")))
    first_words = {re.match("[a-z]*", phrase.lower()).group() for phrase in openers}
    return {"count": count, "number": re.compile(number, re.I), "vague": re.compile(rf"^(?:{vague})$", re.I),
            "range_before": re.compile(rf"(?<![\w-]){_LOWER}\s+{number}{_AND}$", re.I),
            "range_after": re.compile(rf"{_AND}{_UPPER}\s+{number}", re.I),
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


def _digits_value(digits: str, scale_word: str | None, lex: Lexicons, dots: bool) -> int | None:
    """The value of digits as `_DIGITS` or `_DECIMAL` match them, times a scale word; None if unreadable."""
    from decimal import Decimal

    scale = 1
    if scale_word:
        scale = _scales(lex).get(scale_word)
        if scale is None:
            return None
    digits = re.sub("[" + _SPACES + "]", "", digits)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", digits):
        return int(digits.replace(",", "")) * scale
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", digits) or (dots and re.fullmatch(r"\d{1,3}\.\d{3}", digits)):
        return int(digits.replace(".", "")) * scale
    decimal = re.fullmatch(r"(\d+)(?:\.(\d+)|,(\d{1,2}))", digits)
    if decimal and scale > 1 and not (decimal.group(2) and len(decimal.group(2)) == 3 and dots):
        value = Decimal(decimal.group(1) + "." + (decimal.group(2) or decimal.group(3))) * scale
        return int(value) if value == int(value) else None
    return None  # "1.000" in text that does not group with dots: ambiguous, no number


def words_to_int(text: str, lex: Lexicons, dots: bool = False) -> int | None:
    """``"twenty-five"`` -> 25, ``"2,500"`` -> 2500, ``"three hundred"`` -> 300, ``"two dozen"`` -> 24,
    ``"1.5 million"`` -> 1500000, ``"1 000"`` -> 1000; ``"1.000"`` -> 1000 only with ``dots`` (the
    text groups thousands with dots, see `dot_groups`), else None.

    >>> from kit.lexicons import load_lexicons
    >>> [words_to_int(t, load_lexicons()) for t in ("two dozen", "a dozen", "three hundred and five", "forty thousand")]
    [24, 12, 305, 40000]
    >>> [words_to_int(t, load_lexicons()) for t in ("1.5 million", "1\u202f000", "1.000", "1.000.000")]
    [1500000, 1000, None, 1000000]
    """
    text = text.strip().lower()
    built = lex.compiled("numbers", _build)
    digits = re.match(r"^(\d[\d,." + _SPACES + r"]*?)(?:\s+([a-z]+))?$", text)
    if digits:
        return _digits_value(digits.group(1), digits.group(2), lex, dots)
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


def parse_count(phrase: str, lex: Lexicons, dots: bool = False) -> tuple[int | None, int | None]:
    """(count_min, count_max) of a count phrase matched by `count_pattern`.

    A number above `MAX_COUNT` gives no count (the words stay in count_text). Results are kept per
    lexicons (up to 10,000 phrases): the same few phrases recur in every article.
    """
    memo = lex.compiled("numbers", _build)["parsed"]
    key = (phrase, dots)
    if key in memo:
        return memo[key]
    low, high = _parse_count(phrase, lex, dots)
    if any(v is not None and v > MAX_COUNT for v in (low, high)):
        low, high = None, None
    if len(memo) < 10000:
        memo[key] = low, high
    return low, high


def _parse_count(phrase: str, lex: Lexicons, dots: bool = False) -> tuple[int | None, int | None]:
    built = lex.compiled("numbers", _build)
    text = re.sub(r"\s+", " ", phrase.strip().lower())
    if built["vague"].match(text):
        return None, None
    found = [(m.group(0), words_to_int(m.group(0), lex, dots)) for m in built["number"].finditer(text)]
    if any(n is None and word[:1].isdigit() for word, n in found):  # "1.000" where dots do not group
        return None, None  # no number rather than a wrong one
    numbers = [n for _, n in found if n is not None]
    if not numbers:
        return None, None
    bounded = re.match(rf"({_LOWER}) .+?{_AND}{_UPPER} ", text)
    if bounded and len(numbers) >= 2:  # "at least 3 and up to 7": 3-7
        low = numbers[0] + 1 if re.match(r"(more than|over|past|above)\b", text) else numbers[0]
        return (low, numbers[1]) if low <= numbers[1] else (numbers[1], numbers[1])
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

"""`kit.claims.actors.AliasMatcher` finds exactly what the plain alias alternation finds, only faster.

The reference below is the matcher's specification written the slow, obvious way: one
case-insensitive alternation of every alias, longest first, with an optional "the", never glued
to a word or a hyphen. Both are run on the seeds, the style fixtures, synthetic articles and
random strings built from the aliases and the characters that make matching tricky.
"""
from __future__ import annotations

import random
import re

import pytest

from kit.claims.actors import AliasMatcher, _case_sensitive, find_actors, used_as_place
from kit.lexicons import actor_names, load_lexicons, split_aliases
from kit.paths import SEEDS
from repo import ROOT
from kit.bench.synthetic import article_text, load_resources


def reference_pattern(aliases: list[str]) -> re.Pattern:
    parts = []
    for alias in sorted(set(aliases), key=len, reverse=True):
        body = re.escape(alias).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        parts.append(f"(?-i:{body})" if _case_sensitive(alias) else body)
    return re.compile(r"(?:(?<![\w-])|(?<=(?<![\w-])then-)|(?<=(?<![\w-])ex-))(?:the\s+)?(?:" + "|".join(parts)
                      + r")(?![\w]|-\w)", re.I)


def lexicon_aliases() -> dict[str, list[str]]:
    lex = load_lexicons()
    return {"actors": [a for row in lex.rows("actors") for a in actor_names(row)],
            "outlets": [a for row in lex.rows("outlets") for a in split_aliases(row["aliases"]) if len(a) > 3]}


def texts() -> list[str]:
    found = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md"))]
    found += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "styles").glob("*"))]
    res = load_resources()
    found += [article_text(res, seed=3, number=n)[0] for n in range(150)]
    aliases = [a for group in lexicon_aliases().values() for a in group]
    tricky = ["the ", "The ", "THE ", "tHe\t", " ", "-", "'", "\u2019", ".", ",", "\n", "the\n", "pro-", "backed", "then-",
              "ex-", "Then-", "sex-", "x-",
              "s", "1", "_", "\u00e9", "\u00dcnal", "\u212a", "\u017f", "\u0130", "\u0131"]
    rng = random.Random(7)
    for _ in range(4000):
        found.append("".join(rng.choice(aliases + tricky) + rng.choice(["", " ", "  ", "-", "s"])
                             for _ in range(rng.randint(1, 12))))
    return found


@pytest.mark.parametrize("lexicon", ["actors", "outlets"])
def test_same_mentions_as_the_plain_alternation(lexicon):
    aliases = lexicon_aliases()[lexicon]
    reference, matcher = reference_pattern(aliases), AliasMatcher(aliases)
    for text in texts():
        assert matcher.spans(text) == [m.span() for m in reference.finditer(text)], text[:200]


def reference_find_actors(text: str) -> list[tuple[int, int, str]]:
    """find_actors the slow way: every alias of both lexicons, no shortcuts."""
    aliases = lexicon_aliases()
    blocked = [m.span() for m in reference_pattern(aliases["outlets"]).finditer(text)]
    lex = load_lexicons()
    canonical = {a.lower(): row["canonical"] for row in lex.rows("actors") for a in split_aliases(row["aliases"])}
    metonyms = {a.lower(): row["canonical"] for row in lex.rows("actors")
                for a in split_aliases(row.get("metonyms", "")) if a.lower() not in canonical}
    found = []
    for m in reference_pattern(aliases["actors"]).finditer(text):
        key = re.sub(r"\s+", " ", re.sub(r"^the\s+", "", m.group(0), flags=re.I)).replace("\u2019", "'").lower()
        if any(s <= m.start() < e for s, e in blocked):
            continue
        if canonical.get(key, "unknown") != "unknown":
            found.append((m.start(), m.end(), canonical[key]))
        elif key in metonyms and not used_as_place(text, m.start(), m.end()):
            found.append((m.start(), m.end(), metonyms[key]))
    return found


def test_find_actors_same_as_reference_on_articles():
    lex = load_lexicons()
    for text in texts()[:-4000]:  # the articles, not the random strings
        assert [(m.start, m.end, m.canonical) for m in find_actors(text, lex)] == reference_find_actors(text)


@pytest.mark.parametrize("text, expected", [
    ("the U.S. military said", ["the U.S. military"]),
    ("Iran-backed militias and pro-Iran groups", ["Iran-backed militias"]),
    ("us and US", ["US"]),
    ("The Times of Israel reported that Israel struck", ["Israel"]),
    ("U.S.'s strike", ["U.S."]),
    ("then-United States President Donald Trump and ex-Israeli officials", ["United States", "Israeli"]),
    ("pro-Russian separatists, a Sussex-Israel club", []),
])
def test_find_actors_examples(text, expected):
    assert [m.text for m in find_actors(text, load_lexicons())] == expected


@pytest.mark.parametrize("text, expected", [
    ("Moscow denied it, and Kyiv said the Kremlin lied.", ["Russia", "Ukraine", "Russia"]),
    ("MOSCOW, July 9 (Reuters) - Russian forces struck Kyiv's Shevchenko district.", ["Russia"]),
    ("Washington has rejected suggestions; the White House said so.", ["United States", "United States"]),
    ("The Kyiv hospital strike was blamed on Moscow.", ["Russia"]),
    ("Tehran, IRNA -- Tehran blamed the Zionist regime.", ["Iran", "Israel"]),
])
def test_metonyms_are_the_state_only_where_not_used_as_a_place(text, expected):
    assert [m.canonical for m in find_actors(text, load_lexicons())] == expected


@pytest.mark.parametrize("text, expected", [
    ("Hamas and the Qassam Brigades, Palestinian Islamic Jihad and Hezbollah", ["Hamas", "Hamas", "Palestinian Islamic Jihad", "Hezbollah"]),
    ("the Houthis, also called Ansar Allah, and IS-K fighters", ["Houthis", "Houthis", "Islamic State Khorasan Province"]),
    ("al-Shabaab, JNIM, the RSF and the Sudanese army", ["al-Shabaab", "JNIM", "Rapid Support Forces", "Sudanese Armed Forces"]),
    ("Wagner and the Africa Corps; the TTP, the BLA, Jaish al-Adl and M23 rebels",
     ["Wagner Group", "Africa Corps", "Tehrik-i-Taliban Pakistan", "Baloch Liberation Army", "Jaish al-Adl", "M23"]),
    ("a falling Ukrainian air defence missile, a Pakistani drone, Indian jets", ["Ukraine", "Pakistan", "India"]),
])
def test_the_worlds_actors(text, expected):
    assert [m.canonical for m in find_actors(text, load_lexicons())] == expected


def test_parents_roll_branches_up():
    from kit.claims.actors import parents_of
    lex = load_lexicons()
    assert parents_of("Islamic State Khorasan Province", lex) == ["Islamic State"]
    assert parents_of("JNIM", lex) == ["al-Qaeda"]


def test_an_actor_is_one_row_of_a_projects_lexicon(tmp_path):
    (tmp_path / "actors.csv").write_text("canonical,aliases,metonyms,parent,kind,source\n"
                                         "Sahel Brigade,Sahel Brigade|SB,Gao HQ,JNIM,armed_group,test\n", encoding="utf-8")
    lex = load_lexicons(extra=tmp_path)
    assert [m.canonical for m in find_actors("The SB and Gao HQ said JNIM", lex)] == ["Sahel Brigade", "Sahel Brigade", "JNIM"]

"""The shortcuts of `kit.places.scan` and `kit.places.rules` give what the plain way gives: kind-word
positions read without lower-casing the whole text, the kind-word gate, the capitalised-word starts,
the rewritten context patterns, and the memos of single words (emptied by `kit.memos.forget`, never
changing a result)."""
import random
import re

import pytest

from kit.places import rules
from kit.places import scan as placescan
from kit.articles.reading import Article
from kit.pipeline.extract import default_resources
from kit.memos import forget
from kit.places.mentions import find_places

# characters that lower-case or fold unusually: the Kelvin sign (to "k"), the dotted capital I (to two
# characters), the dotless i and the long s (which `re` reads as i and s, str.lower does not), letters
# beyond ASCII right after a kind word ("basé"), a no-break space, a "×" glued to a name
ODD = ["\u212a", "İ", "ı", "ſ", "é", "ş", "Σ", "\u00a0", "×", "’", "'", "-", "_", "1", "—", " ", ",", ".",
       "\n"]
WORDS = [" ".join(cue) for cue, _ in rules.KIND_CUES] + [
    "sub-district", "the", "said", "bases", "Iraq", "Kata'ib", "Qā’im", "McIraq", "al-Qaim", "Erbil"]


@pytest.fixture(scope="module")
def resources():
    lex, gaz = default_resources()
    return gaz, lex


def odd_texts(count, seed):
    """Short texts of kind words, names and odd characters, in odd cases."""
    rng = random.Random(seed)
    swaps = {"k": "\u212a", "s": "ſ", "i": "ı"}

    def piece():
        if rng.random() < 0.5:
            word = rng.choice(WORDS)
            return "".join(c.upper() if rng.random() < 0.2 else swaps.get(c, c) if rng.random() < 0.05 else c
                           for c in word)
        return "".join(rng.choice(ODD) for _ in range(rng.randint(1, 3)))
    return ["".join(piece() for _ in range(rng.randint(1, 8))) for _ in range(count)]


def plain_cue_positions(text):
    lower = text.lower()
    if len(lower) != len(text):
        return [c.start() for c in placescan.CUE_WORD_ANY_CASE.finditer(text)]
    return [c.start() for c in placescan.CUE_WORD.finditer(lower)]


@pytest.mark.parametrize("text", ["x basé base\u00a0base Base BASE", "the chec\u212apoint", " İstanbul base",
                                  " baseé base_ base1 base", "Kalso military base, near Erbil airport"])
def test_cue_positions_on_odd_characters(text):
    assert placescan._cue_positions(text)[0] == plain_cue_positions(text)


def test_cue_positions_and_the_kind_word_gate_on_odd_texts():
    def kind(*args):
        try:
            return rules.kind_cue(*args)
        except KeyError as error:  # "crossıng": re reads ı as i, str.lower does not (as before the gate)
            return KeyError, str(error)

    for text in odd_texts(3000, seed=7):
        cue_at, cue_starts = placescan._cue_positions(text)
        assert cue_at == plain_cue_positions(text), text
        for end in range(len(text) + 1):
            assert kind(text, end, cue_starts) == kind(text, end), (text, end)


def plain_starts(text, m, cue_at):
    """The capitalised-word starts read one word at a time (the way `_starts` worked before)."""
    words = list(placescan.CANDIDATE_AND_TAIL.finditer(text))
    rare = set(placescan._rare_starts(text, words, m, cue_at))
    starts = set(rare)
    for found in words:
        at = found.start()
        if at and text[at - 1].isalnum():
            continue
        near_cue = any(at < cue <= at + 40 for cue in cue_at)
        if placescan._opens_name(found.group(), m.prefixes) or near_cue:
            starts.add(at)
    return sorted(starts)


def test_starts_are_the_words_read_one_at_a_time(resources):
    m = placescan.matcher(resources[0], resources[1])
    texts = odd_texts(2000, seed=11) + ["Rockets hit Kalso military base in Iraq, Iraqis said.",
                                        "In ×Iraq and McIraq, Kata'ib Hezbollah met near Al-Qā’im airport."]
    for text in texts:
        cue_at = placescan._cue_positions(text)[0]
        found = placescan._starts(text, m, cue_at)
        assert [at for at, _ in found] == plain_starts(text, m, cue_at), text
        assert all(match.start() == at and match.group() == placescan.CANDIDATE.match(text, at).group()
                   for at, match in found)


def test_remembered_words_never_change_a_result(resources):
    text = ("ERBIL, Kurdistan Region - Rockets hit the Kalso military base near Al-Qā’im and Kata'ib Hezbollah "
            "positions in northern Iraq; the US-led coalition and officials in Baghdad said.")
    gaz, lex = resources
    forget()
    first = [p.as_row() for p in find_places(Article("a", "a.txt", None, text, ""), gaz, lex)]
    again = [p.as_row() for p in find_places(Article("a", "a.txt", None, text, ""), gaz, lex)]
    m = placescan.matcher(gaz, lex)
    assert m.words and m.word_keys and m.shapes and m.key_facts
    forget()
    assert not (m.words or m.word_keys or m.shapes or m.key_facts)
    assert first == again == [p.as_row() for p in find_places(Article("a", "a.txt", None, text, ""), gaz, lex)]


def test_word_memo_stops_adding_at_its_limit(monkeypatch):
    monkeypatch.setattr(placescan.WordMemo, "LIMIT", 2)
    keys = placescan.WordMemo(str.lower)
    assert [keys[w] for w in ["A", "B", "C", "C"]] == ["a", "b", "c", "c"]
    assert len(keys) == 2


# the context rules as they were written before their shortcuts
_OLD_ORG_BEFORE = re.compile(r"([A-Z][a-z]+)\s+(of|in|for)\s+(?:the\s+)?"
                             r"(?:[A-Z][\w'’-]*\s+(?:and|&)\s+(?:the\s+)?)?$")


def _old_org_head(found) -> bool:
    """"Times of", "Institute for"; "in" only after the heads of `rules.ORG_HEADS_IN` ("Resistance in")."""
    return bool(found) and (found.group(1) in rules.ORG_HEADS_IN if found.group(2) == "in"
                            else found.group(1) in rules.ORG_HEADS_BEFORE)
_OLD_PERSON_BEFORE = re.compile(r"([A-Za-z]+)[ \u00a0](?:(?:al|el|bin|ibn)[- ])?$")
_OLD_LIST_TAIL = re.compile(
    r"\b(" + "|".join(sorted(rules.LOCATIVE_WORDS, key=len, reverse=True)) + r")\s+(?:" + rules._NP
    + r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*\(\s*))+(?:the\s+)?$")


_DEMONYM = re.compile(r"[A-Z][a-z]{2,}(?:ian|ean|an|ese|i|ish)$")


def old_is_locative(text, sentence_start, start, end=None, strict=False):
    raw = text[max(sentence_start, start - 60):start].rsplit(None, 5)[-5:]
    words = [w.lower().strip(rules._PUNCT) for w in raw]
    if words and words[-1] in ("a", "an"):
        return False

    def demonym(n):  # "in the Syrian capital Damascus" (a whole word only, not the part of one before ``start``)
        return bool(_DEMONYM.match(raw[n - 1])) and (n < len(raw) or text[start - 1:start].isspace())
    while words and (words[-1] in rules.SKIPPABLE and words[-1] != "of" or demonym(len(words))):
        if strict and words[-1] != "the":
            return False
        words.pop()
    if words:
        last = words[-1]
        if strict:
            return last in rules.STRONG_LOCATIVE and not (len(words) >= 2 and words[-2] in rules.PEOPLE_WORDS)
        if last == "of":
            if len(words) >= 2 and words[-2] in rules.LOCATIVE_OF:
                return True
        elif last == "to":
            return not (len(words) >= 2 and words[-2] in rules.ENVOY_WORDS)
        elif last == "from":
            return not (len(words) >= 2 and words[-2] in rules.NOT_FROM)
        elif last == "with":
            return len(words) >= 2 and words[-2] in ("border", "borders", "frontier")
        elif last in rules.LOCATIVE_WORDS:
            return True
    if strict:
        return False
    tail = text[max(sentence_start, start - 12):start].rstrip()
    if tail.endswith((" the", " The")):
        tail = tail[:-4].rstrip()
    if tail.endswith((",", "(", " and", " or", "&")):
        if _OLD_LIST_TAIL.search(text[max(sentence_start, start - 160):start]):
            return True
    if end is not None and not text[sentence_start:start].strip():
        if rules._DATELINE_AFTER.match(text, end):
            return text[start:end].isupper() or text[end:end + 1] == ","
        return text[start:end].isupper() and re.match(r",\s+[A-Z0-9]", text[end:]) is not None
    return False


def old_org_around(text, start, end):
    if text[start - 3:start] in ("of ", "in ") or text[start - 4:start] in ("for ", "the ", "and "):
        if _old_org_head(_OLD_ORG_BEFORE.search(text[max(0, start - 40):start])):
            return True
    after = text[end:end + 2]
    after = rules._ORG_AFTER.match(text[end:end + 60]) if len(after) == 2 and after[0] == " " and after[1].isupper() \
        else None
    if after:
        words = after.group(0).split()
        return any(w in rules.ORG_HEADS_AFTER for w in words) and words[0] not in ("International",)
    return False


def context_texts(count, seed):
    """Texts of the words the context rules read, capitalised or not, with odd characters between."""
    rng = random.Random(seed)
    vocabulary = (sorted(rules.LOCATIVE_WORDS) + sorted(rules.SKIPPABLE) + sorted(rules.ORG_HEADS_BEFORE | rules.ORG_HEADS_IN)
                  + ["Syrian", "Lebanese", "Iraqi"]
                  + sorted(rules.PEOPLE_WORDS)[:8] + "of in for the and & a an al bin".split()
                  + ["Iraq", "Syria", "Baghdad", "Muqtada", "ΟΔΟΣ", "Qā’im", "U.S."])
    gaps = [" ", " ", " ", ", ", " (", ") ", " - ", "\u00a0", "\n", "’s ", "—"]
    texts = []
    for _ in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(2, 14))]
        words = [w.capitalize() if rng.random() < 0.3 else w.upper() if rng.random() < 0.05 else w for w in words]
        texts.append("".join(w + rng.choice(gaps) for w in words))
    return texts


def test_context_rules_read_as_before():
    for text in context_texts(1500, seed=5):
        for start in range(len(text) + 1):
            sentence_start = start // 3
            before = text[max(0, start - 40):start]
            old = _OLD_ORG_BEFORE.search(before)
            assert bool(rules._ORG_BEFORE.search(text, max(0, start - 40), start)) == _old_org_head(old), (text, start)
            old = _OLD_PERSON_BEFORE.search(text[max(0, start - 30):start])
            new = rules._PERSON_BEFORE.search(text[max(0, start - 30):start])
            assert (old and old.group(1)) == (new and new.group(1)), (text, start)
            tail = text[max(0, start - 160):start]
            assert bool(_OLD_LIST_TAIL.search(tail)) == bool(rules._LIST_TAIL.search(tail)), (text, start)
            for strict in (False, True):
                assert rules.is_locative(text, sentence_start, start, None, strict) == old_is_locative(
                    text, sentence_start, start, None, strict), (text, start, strict)
            end = text.find(" ", start)
            if end > start:
                assert rules.org_around(text, start, end) == old_org_around(text, start, end), (text, start, end)
                assert rules.is_locative(text, sentence_start, start, end) == old_is_locative(
                    text, sentence_start, start, end), (text, start, end)

"""Context rules for place mentions: is a name used as a location, a modifier, an actor or a person?

These are the small, general rules `kit.places.mentions` applies around each name the gazetteer knows.
They read only the words next to the name, never the article's topic, so they carry over to
articles the kit has never seen.

- `is_locative`: the name is used as a location ("in Iraq", "south of Baghdad", "attack on
  Israel", "a base in Jordan", "inside Iran, Iraq and Syria", a dateline "ERBIL, Kurdistan
  Region -"), as opposed to an actor ("Israel struck", "Hamas blamed Israel").
- `compound_modifier`: "Iran-backed", "pro-Tehran", "Israel-Hamas war" use a name as part of a
  word, not as a place.
- `org_around`: "The Baghdad Post", "Islamic State of Iraq", "University of Mosul": the name is part
  of an organisation's name (the actor and outlet lexicons catch the known ones first).
- `person_around`: "Muqtada al-Sadr", "King Salman", "Erez Shinan": a one-word name inside a
  person's name.
- `kind_cue`: "Kalso military base", "Al-Mashrou district", "Babylon Governorate": the word after
  a name that says what kind of place it is.
- `named_as_place`: a name that is also an actor, named as a place without a preposition: an item
  of a list of places ("partners Saudi Arabia and the UAE, exercises"), not a subject ("Iran and
  Pakistan traded strikes"), a modifier ("US officials") or the target of blame ("blamed Israel").

Example:
    >>> text = "Militias in Iraq and Syria said Israel struck a base south of Baghdad."
    >>> is_locative(text, 0, text.index("Syria")), is_locative(text, 0, text.index("Israel"))
    (True, False)
    >>> kind_cue("Kalso military base, near", 5)
    ('base', 19)
"""
from __future__ import annotations

import re

from .gazetteer import ARTICLES

# A preposition right before a name (or before a list of names it heads) makes it a location.
LOCATIVE_WORDS = frozenset("""
in inside into within at near from to across throughout around outside toward towards over via through on onto
upon against off beyond along reached entered visited struck hit hits bombed bombing attacked shelled shelling raided
targeted targeting invaded pounded
""".split())
# "north of X", "the outskirts of X", "the town of X"
LOCATIVE_OF = frozenset("""
north south east west northeast northwest southeast southwest northern southern eastern western central
outskirts suburbs suburb edge edges part parts area areas region regions province provinces governorate
district districts town city village villages capital heart centre center border borders countryside coast
shores skies sky airspace soil territory territories interior streets neighbourhood neighborhood outskirt
vicinity west-northwest kilometres kilometers km miles resident residents people outside direction
governorates cities towns
""".split())
# Words that may stand between the preposition and the name: "in northern Iraq", "in the war-torn city".
SKIPPABLE = frozenset("""
the a an northern southern eastern western central north south east west northeast northwest southeast
southwest neighbouring neighboring nearby rural occupied western-backed restive war-torn oil-rich town city
village capital province governorate district region country area of
""".split())
STRONG_LOCATIVE = frozenset("in inside at near into to across throughout within outside around".split())
PEOPLE_WORDS = frozenset("""
officials official officers officer troops soldiers forces sources diplomats diplomat authorities lawmakers analysts
people leaders leader counterparts experts media press embassy embassies ambassador envoy allies partners
""".split())
NOT_FROM = frozenset("""
comment comments response reaction statement statements support word message call calls request pressure
officials official delegation delegations envoy help aid permission approval backing funding orders order
""".split())
# what is sent to a government, not a place: "its envoy to Baghdad", "conveyed a protest to Islamabad"
ENVOY_WORDS = frozenset("""ambassador ambassadors envoy envoys embassy mission missions delegation protest protests
message messages letter letters appeal appeals warning warnings""".split())

# Organisation heads: "The Times of Israel", "Islamic State of Iraq", "Iraq Body Count", "Baghdad Post".
ORG_HEADS_BEFORE = frozenset("""
Times State Resistance Bank University Ministry Council Committee Front Party Army Organization Organisation
Movement Brigades Brigade Agency Authority Mission Observatory Association Union Church Federation Court
Office Institute Center Centre Foundation League Chamber Corporation Company Network Tribune Herald Post
Gazette Journal News Voice Radio Television Channel Commission Coalition Alliance Airways Airlines Club Force Forces
""".split())
ORG_HEADS_AFTER = frozenset("""
Times Post News Herald Tribune Gazette Observer Party Government Bank University Airways Airlines Body
Company Corporation Television TV Radio Press Agency Council Front Committee Ministry Federation Club FC
Stock Exchange Network Channel Daily Today Review Journal Institute Center Centre Monitor Eye Forum Group
Brigades Brigade Movement Mobilization Mobilisation Operations Command Affairs Studies Foundation
Resistance Units Unit Forces Force Guard Guards Battalion Battalions Division Regiment Protection Defense Defence
Liberation Army Police Militia
""".split())
# capitalised words that make a run an institution, not a place ("Royal Jordanian Air Force base")
INSTITUTION_WORDS = frozenset(w.lower() for w in ORG_HEADS_AFTER) | frozenset("""
royal national republican presidential special federal joint general coalition military""".split())
ORG_HEADS_AFTER_LOWER = frozenset(w.lower() for w in ORG_HEADS_AFTER)
# Capitalised words before a one-word name that do not make it part of a person's name.
NOT_PERSON_BEFORE = frozenset("""
the in at near of and from to on against over into inside outside across north south east west northern
southern eastern western central upper lower greater old new camp base town city village province
governorate district region mount lake river wadi jabal tal tell ain bir greater occupied downtown
""".split())
NOT_PERSON_AFTER = frozenset("""
dam bridge road highway airport airbase base camp district province governorate city town village region
river lake valley mountains mountain plain desert crossing checkpoint refinery field port prison square street
university hospital mosque market governor mayor police council operations command
""".split()) | ORG_HEADS_AFTER_LOWER
PERSON_PARTICLES = frozenset("bin ibn bint abu umm abo".split())
DEMONYM_EXTRA = frozenset("""
lebanese kurdish saudi emirati palestinian turkish persian arab arabian israeli iranian british american
russian european western gulf levantine yazidi shiite sunni shia christian jewish muslim islamic
""".split())

# words after a name -> kind of place; longest first
KIND_CUES: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted((
    (("military", "base"), "base"), (("air", "base"), "base"), (("airbase",), "base"), (("base",), "base"),
    (("military", "camp"), "base"), (("army", "camp"), "base"), (("camp",), "other"),
    (("refugee", "camp"), "other"), (("displacement", "camp"), "other"), (("army", "base"), "base"),
    (("naval", "base"), "base"),
    (("airport",), "airport"), (("international", "airport"), "airport"), (("airfield",), "airport"),
    (("air", "field"), "airport"), (("airstrip",), "airport"),
    (("district",), "district"), (("subdistrict",), "district"), (("sub", "district"), "district"),
    (("qada",), "district"), (("qadha",), "district"), (("nahiya",), "district"),
    (("governorate",), "governorate"), (("province",), "governorate"), (("oblast",), "governorate"),
    (("state",), "governorate"),  # ("region" is not one: "the Deir ez-Zor region" is the area around the town)
    (("border", "crossing"), "facility"), (("crossing",), "facility"), (("refinery",), "facility"),
    (("oil", "field"), "facility"), (("oilfield",), "facility"), (("gas", "field"), "facility"),
    (("power", "plant"), "facility"), (("power", "station"), "facility"), (("dam",), "facility"),
    (("prison",), "facility"), (("checkpoint",), "facility"),
    (("hospital",), "facility"), (("children's", "hospital"), "facility"), (("medical", "center"), "facility"),
    (("medical", "centre"), "facility"), (("clinic",), "facility"),
), key=lambda item: -len(item[0])))
CUE_PRECISION_KM = {"base": 5.0, "airport": 3.0, "district": 15.0, "governorate": 60.0, "facility": 5.0, "other": 5.0}
# a "camp" may be a military base or a camp for displaced people: entries of these kinds fit it
CUE_FITS = {"other": ("other", "base", "facility")}
# kind words that name a building of a town ("a Kyiv hospital"): they make a mention only of a name the
# gazetteer does not know ("Ziv Medical Center"), never extend a known town's name
BUILDING_CUES = frozenset({"hospital", "children's hospital", "medical center", "medical centre", "clinic"})


def word_alternation(words) -> str:
    """A regex alternation of ``words`` grouped by first letter ("a(?:rmy|ir)|b(?:order|ase)"): `re` tries
    every branch of an alternation at each position, so a few groups are much faster than many words.
    Within a group the longer word is tried first, as in an alternation sorted by length.

    >>> word_alternation(["air", "army", "base"])
    'a(?:rmy|ir)|b(?:ase)'
    """
    by_letter: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{letter}(?:{'|'.join(sorted(rests, key=len, reverse=True))})"
                    for letter, rests in by_letter.items())


_PUNCT = ",.;:!?'’‘\"“”()[]—–"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
# a capitalised list item: "the U.S.", "Iraq (Baghdad and Babil)", "Saudi Arabia", "Kurdistan Region"
_NP = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of\s+|al[- ])?[A-Z][\w.'’-]*){0,3}(?:\s*\([^()]{0,60}\))?"
# (searched at every word of 160 characters: the lookahead skips the words no preposition starts like)
_LIST_TAIL = re.compile(
    r"\b(?=[" + "".join(sorted({w[0] for w in LOCATIVE_WORDS})) + "])(" + word_alternation(LOCATIVE_WORDS)
    + r")\s+(?:" + _NP + r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*\(\s*))+(?:the\s+)?$")
_DEMONYM = re.compile(r"[A-Z][a-z]{2,}(?:ian|ean|an|ese|i|ish)$")
_CAPS_DATELINE = re.compile(r",\s+[A-Z0-9]")
_DATELINE_AFTER = re.compile(r"\s*(?:,\s*[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z0-9][\w’'.-]*){0,4})?\s*(?:\([A-Za-z ]{1,30}\))?"
                             r"\s*[—–:-]")
# "Times of", "University of the", "Ministry of Oil and the": such a phrase can end a text in one place only,
# so naming the heads in the pattern finds the same as finding the capitalised word and then looking it up
# "in" names an organisation's field only after these ("Islamic Resistance in Iraq", "Interim Force in Lebanon");
# "the Ziv Medical Center in Safed" is where the centre is
ORG_HEADS_IN = frozenset("State Resistance Front Party Army Movement Brigades Brigade Force Forces Mission Church".split())
_ORG_BEFORE = re.compile(r"(?:(?:" + word_alternation(ORG_HEADS_BEFORE) + r")\s+(?:of|for)|(?:"
                         + word_alternation(ORG_HEADS_IN) + r")\s+in)\s+(?:the\s+)?"
                         r"(?:[A-Z][\w'’-]*\s+(?:and|&)\s+(?:the\s+)?)?$")
_ORG_AFTER = re.compile(r"(?:\s+[A-Z][A-Za-z]+){1,3}")
_CUE_KIND = {" ".join(cue): kind for cue, kind in KIND_CUES}
_CUE_GAP = re.compile(r"[\s-]+")
_HYPHEN_AFTER = re.compile(r"[-‐‑][A-Za-z]+")
_HYPHEN_BEFORE = re.compile(r"([A-Za-z]+)[-‐‑]$")
# (the lookbehind starts it at whole words only: the same match, without trying each letter)
_PERSON_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)[ \u00a0](?:(?:al|el|bin|ibn)[- ])?$")
_PERSON_AFTER = re.compile(r"[ \u00a0](?:(?:al|el|bin|ibn)[- ])?([A-Z][a-z]+)")
_CUE = re.compile(r"[ \u00a0](" + "|".join(r"[\s-]".join(cue) for cue, _ in KIND_CUES) + r")(?![\w-])", re.I)


def _words_before(text: str, start: int, begin: int, n: int = 5) -> list[str]:
    """The last ``n`` words before ``start`` (not before ``begin``), nearest last, as written: `_word`
    lower-cases and strips only the few that `is_locative` reads.

    >>> text = "Rockets fell in (northern Iraq"
    >>> _words_before(text, text.index("Iraq"), 0, 3)
    ['fell', 'in', '(northern']
    """
    return text[max(begin, start - 60):start].rsplit(None, n)[-n:]


def _word(word: str) -> str:
    """A word of `_words_before` as the rules read it: lower case, no punctuation around it. (Lower-casing
    one word gives what lower-casing the whole stretch gives: white space stays white space.)

    >>> _word("(Northern")
    'northern'
    """
    return word.lower().strip(_PUNCT)


def blank_before(text: str, begin: int, start: int) -> bool:
    """True when nothing but white space stands between ``begin`` and ``start`` (without copying it
    when the first character already says no).

    >>> blank_before("  ERBIL", 0, 2), blank_before("In Erbil", 0, 3), blank_before("Erbil", 0, 0)
    (True, False, True)
    """
    return start <= begin or text[begin].isspace() and text[begin:start].isspace()


def is_locative(text: str, sentence_start: int, start: int, end: int | None = None, strict: bool = False) -> bool:
    """True when the name at ``start`` is used as a location (see the module docstring).

    ``strict`` (for actors from outside the region, such as the United States) accepts only a
    preposition right before the name, not after "officials in", in a list, or as "a US airstrike".
    """
    words = _words_before(text, start, sentence_start)
    n = len(words)  # the words still read: words[:n], the nearest one is words[n - 1]
    last = words[-1].lower().strip(_PUNCT) if n else ""  # as `_word`, inline: most calls read only this word
    if n and last in ("a", "an"):
        return False  # "in a US airstrike": the name qualifies a noun
    while n and (last in SKIPPABLE and last != "of"
                 or _DEMONYM.match(words[n - 1]) and (n < len(words) or text[start - 1:start].isspace())):
        if strict and last != "the":
            return False
        n -= 1  # "in the Syrian capital Damascus": a demonym stands between too
        last = _word(words[n - 1]) if n else ""
    if n:
        # the word before the last one is read only by the few rules that need it
        if strict:
            return last in STRONG_LOCATIVE and not (n >= 2 and _word(words[n - 2]) in PEOPLE_WORDS)
        if last == "of":
            if n >= 2 and _word(words[n - 2]) in LOCATIVE_OF:
                return True
        elif last == "to":
            return not (n >= 2 and _word(words[n - 2]) in ENVOY_WORDS)
        elif last == "from":  # "missiles from Iraq", but not "no comment from Israel"
            return not (n >= 2 and _word(words[n - 2]) in NOT_FROM)
        elif last == "with":  # "the border with Iraq"
            return n >= 2 and _word(words[n - 2]) in ("border", "borders", "frontier")
        elif last in LOCATIVE_WORDS:
            return True
    if strict:
        return False
    tail = text[max(sentence_start, start - 12):start].rstrip()
    if tail.endswith((" the", " The")):
        tail = tail[:-4].rstrip()
    if tail.endswith((",", "(", " and", " or", "&")):
        before = text[max(sentence_start, start - 160):start]
        if _LIST_TAIL.search(before):  # "in the U.S. and Israel", "inside Iran, Iraq (Baghdad and Babil), and Syria"
            return True
    if end is not None and blank_before(text, sentence_start, start):
        if _DATELINE_AFTER.match(text, end):
            return text[start:end].isupper() or text[end:end + 1] == ","
        # "MOSCOW, July 9. /TASS/." : a name in capitals, a comma, a place or a date
        return text[start:end].isupper() and _CAPS_DATELINE.match(text, end) is not None
    return False


def compound_modifier(text: str, start: int, end: int, is_place) -> bool:
    """True for "Iran-backed", "pro-Tehran", "Israel-Hamas": a name inside a hyphenated word.

    ``is_place(word)`` says whether the other half is a place too ("Iraq-Syria border" is kept).
    """
    after = _HYPHEN_AFTER.match(text[end:end + 30])
    if after:
        other = after.group(0)[1:]
        if other[0].islower() or not is_place(other):
            return True
    before = _HYPHEN_BEFORE.search(text[max(0, start - 30):start])
    if before:
        other = before.group(1)
        if other.lower() in ARTICLES:  # "al-Hol": an article, not a compound
            return False
        if other[0].islower() or not is_place(other):
            return True
    return False


def org_around(text: str, start: int, end: int) -> bool:
    """True when the name sits inside an organisation's name ("Times of Israel", "Baghdad Post")."""
    if text[start - 3:start] in ("of ", "in ") or text[start - 4:start] in ("for ", "the ", "and "):
        if _ORG_BEFORE.search(text, max(0, start - 40), start):
            return True
    after = None
    if text[end:end + 1] == " " and text[end + 1:end + 2].isupper():
        after = _ORG_AFTER.match(text, end, end + 60)
    if after:
        words = after.group(0).split()
        return any(w in ORG_HEADS_AFTER for w in words) and words[0] not in ("International",)
    return False


def is_demonym(word: str, is_place) -> bool:
    """"Iraqi", "Syrian", "Jordanian", "Lebanese": an adjective of a place, not part of a name."""
    low = word.lower()
    if low in DEMONYM_EXTRA:
        return True
    for suffix in ("ian", "an", "n", "i", "ese", "ish"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3 and is_place(low[: -len(suffix)]):
            return True
    return False


def person_around(text: str, start: int, end: int, is_place, titled: bool) -> bool:
    """True when a one-word name is part of a person's name: "Muqtada al-Sadr", "Qasim al-Araji".

    ``titled`` is True for headline-style sentences where every word is capitalised (rule off).
    """
    if titled:
        return False
    before = _PERSON_BEFORE.search(text[max(0, start - 30):start])
    if before:
        word = before.group(1)
        if word.lower() in PERSON_PARTICLES:
            return True
        if word[0].isupper() and word.lower() not in NOT_PERSON_BEFORE and not is_demonym(word, is_place) \
                and not is_place(word) and not word.isupper():
            return True
    after = _PERSON_AFTER.match(text[end:end + 30])
    if after:  # "Qasim al-Araji", "Erez Shinan"; but "Mosul Dam" has its kind word, "Tikrit Iraq" is a list
        word = after.group(1)
        return not is_place(word) and word.lower() not in NOT_PERSON_AFTER and not is_demonym(word, is_place)
    return False


def kind_cue(text: str, end: int, cue_starts: frozenset[int] | None = None) -> tuple[str, int] | None:
    """(kind, new end) when the words after ``end`` say what kind of place it is ("military base").

    ``cue_starts``: the positions of the text where a space is followed by the first word of a kind
    word (lower-cased), when the caller knows them; a cue after any other space is impossible, so
    only those and a no-break space are read.
    """
    if cue_starts is not None and end not in cue_starts and text[end:end + 1] != "\u00a0":
        return None
    match = _CUE.match(text, end)
    if match is None:
        return None
    return _CUE_KIND[_CUE_GAP.sub(" ", match.group(1).lower())], match.end()


def titled_sentence(sentence: str) -> bool:
    """True for headline-style text ("Strike Targets Militia Base, Leader")."""
    words = [w for w in _WORD.findall(sentence) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# words before a name that make it the actor, not a place: "blamed Israel", "backed by Iran", "talks with Moscow"
ACTOR_BEFORE = frozenset("""
by blamed blames blaming blame accused accuses accusing accuse condemned condemns condemning urged urges warned warns
told asked called calls praised thanked criticised criticized supported supports backed backs against with
""".split())
_LIST_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?:the\s+)?(?=[A-Z])")
_LIST_ITEM = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3}")
_AFTER_LIST = re.compile(r"\s*([,.;:)!?\]—–]|['’]s\s+[A-Z]|$)|\s+([a-z][\w'’]*)")


def named_as_place(text: str, sentence_start: int, start: int, end: int) -> bool:
    """True when a name that is also an actor's is named as a place (see the module docstring).

    >>> text = "The US held drills with partners Saudi Arabia and the UAE, exercises Iran called provocative."
    >>> [named_as_place(text, 0, text.index(n), text.index(n) + len(n)) for n in ("US", "Saudi Arabia", "UAE", "Iran")]
    [False, True, True, False]
    >>> text = "Hamas blamed Israel. Iran and Pakistan traded strikes. US officials spoke of Iraq's Anbar, not the US."
    >>> [named_as_place(text, 0, text.index(n), text.index(n) + len(n)) for n in ("Israel", "Pakistan", "US", "Iraq")]
    [False, False, False, True]
    >>> named_as_place(text, 0, text.rindex("US"), text.rindex("US") + 2), named_as_place("done by the US.", 0, 12, 14)
    (True, False)
    """
    words = [w for w in _words_before(text, start, sentence_start, 3) if _word(w) != "the"]
    if words and _word(words[-1]) in ACTOR_BEFORE or actor_before(text, sentence_start, start):
        return False
    at = end
    while True:  # walk to the end of a list of names ("Saudi Arabia, Kuwait and the UAE")
        join = _LIST_JOIN.match(text, at)
        item = join and _LIST_ITEM.match(text, join.end())
        if not item:
            break
        at = item.end()
    after = _AFTER_LIST.match(text, at)
    # punctuation, the end, or "Iraq's Anbar" after the list: named; a lower-case word ("said", "officials"): the actor;
    # in a headline ("Pakistan's Leaders to Review Security") capitals say nothing
    return after is not None and after.group(1) is not None and not titled_sentence(text[sentence_start:end + 80])


# lower-case words that may follow a place named as a location ("attacks on Israel on Monday", "in Iraq since")
FUNCTION_AFTER = LOCATIVE_WORDS | frozenset("""
on in at and or since after before from to with last this that which where when overnight yesterday today earlier
late early as by for of over during until amid while but is was were has had have will would could said says
itself alone too also again now then later between among about under without beyond despite including following
who whose what elsewhere nearby
""".split())
_NEXT_LOWER = re.compile(r"[ \u00a0]([a-z][a-z'’-]*)(?:[ \u00a0]([a-z][a-z'’-]*))?")


def modifier_after(text: str, end: int) -> bool:
    """True when a lower-case noun follows the name: it qualifies the noun ("US bases", "Iran talks"),
    as an actor's name does, rather than naming where ("attacks on Israel on Monday").

    >>> modifier_after("attacks on US bases", 13), modifier_after("attacks on Israel on Monday", 17)
    (True, False)
    >>> modifier_after("attacks on US and coalition forces", 13), modifier_after("in Iran and elsewhere", 7)
    (True, False)
    """
    after = _NEXT_LOWER.match(text, end)
    if after is None:
        return False
    first, second = after.groups()
    if first in ("and", "or") and second:  # "attacks on US and coalition forces"
        return second not in FUNCTION_AFTER
    return first not in FUNCTION_AFTER


def actor_before(text: str, sentence_start: int, start: int) -> bool:
    """True where the words before a name that is also an actor's make it the actor, even after a preposition:
    its people speak ("officials in the US"), it is blamed ("a strike blamed on Israel"), or it is one side of
    relations ("tensions between Islamabad and Tehran").

    >>> text = "US officials in the US said a strike blamed on Israel raised tensions between Islamabad and Tehran."
    >>> [actor_before(text, 0, text.index(n, 3)) for n in ("US", "Israel", "Islamabad", "Tehran")]
    [True, True, True, True]
    >>> actor_before("rockets fell in the US", 0, 20)
    False
    """
    words = [_word(w) for w in _words_before(text, start, sentence_start, 4)]
    near = [w for w in words if w != "the"]
    if len(near) >= 2 and near[-1] in STRONG_LOCATIVE and near[-2] in PEOPLE_WORDS:
        return True
    if len(near) >= 2 and near[-1] == "on" and near[-2].startswith("blam"):
        return True
    return "between" in words[-4:] and (words[-1] == "between" or "and" in words[-3:])

"""Copies found: which articles repeat the same reporting, and which claims stem from one report.

A strike is usually reported once by an agency and then printed by many outlets, lightly edited
(headline, intro and credit changed, a paragraph cut or added). Counting each printing as a source
overstates what is known, so the kit groups them:

- *Near-identical sentences*: every sentence of six words or more is compared, as lower-case words,
  with the sentences of the other articles. Identical ones are found by a dictionary; lightly edited
  ones ("on Sunday" for "Sunday", a word changed) by a locality-sensitive bucketing of the
  sentence's words (`_band_keys`: each word falls into one of `BANDS` bands by a hash of the word, a
  band's words in order are one key, so a sentence with one or two words changed still shares a
  key with its original) and checked with RapidFuzz's Indel similarity (`SIMILAR` or more).
  Each sentence is compared with at most `TRIES` sentences of each bucket it falls into, an
  overfull bucket (a stock phrase) takes no more, and a sentence found in more than `MAX_SPREAD`
  articles is stock language, not evidence: the cost grows with the number of sentences, never
  with its square (a wire story reprinted by more outlets than that is grouped by its credit).
- *A copy*: an article whose sentences are, for `SHARE` of them and at least `MIN_SHARED`, the
  sentences of one article of another outlet; the group's *original* is an agency's own article
  when there is one, else the earliest published, else the first read.
- *The same agency credit* ("BAGHDAD (AP) -", "- Reuters", "with inputs from AFP": the patterns
  are in ``data/lexicons/agency_credits.csv``, the agencies are the ``wire`` rows of
  ``outlets.csv``) on articles about the same incident: they stem from that agency's reporting.
  An article crediting several agencies is grouped by its sentences only.
- *Claims* (`claim_groups`): a claim whose sentence is shared with other articles stems from the
  report of that sentence's original article (the same quote of the same speaker in two reports is
  one source); a claim relayed through an agency (``via``) stems from that agency's reporting on the
  incident; any other claim is its own article's reporting, so an independent report, or a
  paragraph an outlet added to a wire story, gets a group of its own.

Why RapidFuzz: it is the maintained, MIT-licensed C++ implementation of the edit-distance ratios
(already a dependency of the kit for place names), it checks a candidate pair of sentences in well
under a microsecond, and it gives an exact, explainable similarity ("92% the same letters") rather
than an estimate. A MinHash (datasketch) would estimate the same Jaccard similarity, but builds one
NumPy signature per sentence in Python, which costs more than the whole grouping here; the
bucketing above plays the part of its LSH bands.

Example:
    >>> wire = "A drone strike killed three fighters near the base on Sunday, police said. It was the third strike this week."
    >>> copy = "A drone strike killed three fighters near the base Sunday, police said. It was the third strike this week."
    >>> own = "Residents said the market was hit at dawn and that two shops burned down completely."
    >>> found = find_copies([Source("a1", "AP", "2024-02-04", wire), Source("b2", "Daily", "2024-02-05", copy),
    ...                      Source("c3", "Other", "2024-02-04", own)])
    >>> found.copy_of, found.group, found.names[found.group[0]]
    (['', 'a1', ''], ['a1', 'a1', 'c3'], 'AP')
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from ..articles.sentences import split_sentences
from ..lexicons import Lexicons, split_aliases

MIN_WORDS = 6  # shorter sentences ("He declined to comment.") are shared by chance
SIMILAR = 0.85  # Indel similarity of two sentences' words that makes them the same sentence
BANDS = 4
MIN_BAND_WORDS = 2
TRIES = 3  # sentences of a bucket a new sentence is compared with
BUCKET_LIMIT = 24  # a bucket this full is a stock phrase: it takes no more sentences
SHARE = 0.3  # share of an article's sentences found in another article that makes it a copy
MIN_SHARED = 2
MAX_SPREAD = 40  # a sentence in more articles than this is stock language (a template, a boilerplate line)
_WORD = re.compile(r"\w+")


@dataclass
class Source:
    """What the grouping reads of one article (``extra``: text beside the analysed text, such as the
    page furniture, where a credit line may have gone; ``event_id``: its incident, when linked)."""

    article_id: str
    outlet: str
    published: str
    text: str
    extra: str = ""
    event_id: str = ""


@dataclass
class Copies:
    """The grouping of a list of `Source` (lists in the same order)."""

    copy_of: list[str]  # the article id of the group's original; "" for an original or a lone article
    copy_share: list[float | None]  # share of the article's sentences shared within its group; None alone
    group: list[str]  # source group: the article id of the group's original
    names: dict[str, str]  # source group -> what to call it (the agency, else the original's outlet)
    agencies: list[list[str]]  # agencies each article credits
    outlets: list[str]
    sentence_origin: dict[tuple[int, int], str] = field(default_factory=dict)  # (article, start) -> group
    agency_group: dict[tuple[str, str], str] = field(default_factory=dict)  # (agency, event) -> group


class _Union:
    def __init__(self, n: int = 0):
        self.parent = list(range(n))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def wire_agencies(lex: Lexicons) -> dict[str, str]:
    """Alias -> agency name, for the ``wire`` rows of ``outlets.csv``.

    >>> from kit.lexicons import load_lexicons
    >>> wire_agencies(load_lexicons())["Associated Press"]
    'AP'
    """
    found = {}
    for row in lex.rows("outlets"):
        if row["kind"].strip().lower() == "wire":
            for alias in [row["name"], *split_aliases(row["aliases"])]:
                found.setdefault(alias, row["name"])
    return found


def credit_pattern(lex: Lexicons) -> re.Pattern | None:
    """One regular expression for every row of ``agency_credits.csv``: the row's words (any case,
    any spacing) with ``AGENCY`` standing for any alias of a wire agency (exact case: "AP", not "ap")."""
    def build(lex):
        aliases = sorted(wire_agencies(lex), key=len, reverse=True)
        if not aliases:
            return None
        agency = "(?P<agency>" + "|".join(re.escape(a) for a in aliases) + ")"
        forms = []
        for row in lex.rows("agency_credits"):
            parts = [re.sub(r"\\ ", r"\\s+", re.escape(p)) for p in row["pattern"].split("AGENCY")]
            if len(parts) == 2:  # exactly one AGENCY in the pattern
                forms.append("(?:" + (f"(?i:{parts[0]})" if parts[0] else "")
                             + agency.replace("?P<agency>", "?:") + (f"(?i:{parts[1]})" if parts[1] else "") + ")")
        if not forms:
            return None
        # the agency's name is found again inside the match (`credited`); words around it must not glue on
        return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)")
    return lex.compiled("agency_credits", build)


def credited(text: str, lex: Lexicons) -> list[str]:
    """The agencies an article credits, by ``agency_credits.csv``, in order of first credit.

    >>> from kit.lexicons import load_lexicons
    >>> credited("BAGHDAD (AP) - A strike hit. With inputs from AFP", load_lexicons())
    ['AP', 'AFP']
    >>> credited("AP officials said", load_lexicons())
    []
    """
    pattern = credit_pattern(lex)
    if pattern is None:
        return []
    names = wire_agencies(lex)
    alias = lex.compiled("agency_alias", lambda lex: re.compile(
        "|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a in sorted(names, key=len, reverse=True))))
    found = []
    for match in pattern.finditer(text):
        inner = alias.search(match.group(0))
        if inner and names[inner.group(0)] not in found:
            found.append(names[inner.group(0)])
    return found


def _band_keys(words: list[str], bands: dict[str, int]) -> list[tuple]:
    """The keys of a sentence's words: per band, the band's words of four letters or more in order."""
    parts: list[list[str]] = [[] for _ in range(BANDS)]
    for word in words:
        if len(word) >= 4:
            band = bands.get(word)
            if band is None:
                band = bands[word] = zlib.crc32(word.encode("utf-8")) % BANDS
            parts[band].append(word)
    return [(number, *part) for number, part in enumerate(parts) if len(part) >= MIN_BAND_WORDS]


def find_copies(sources: list[Source], lex: Lexicons | None = None) -> Copies:
    """Group ``sources`` (see the module docstring); ``lex``: for agency credits and wire outlets."""
    from ..lexicons import load_lexicons

    lex = lex or load_lexicons()
    wires = wire_agencies(lex)
    n = len(sources)
    # sentences: identical ones by their words, near-identical ones by bucket and RapidFuzz
    owner: list[int] = []  # sentence number -> article
    starts: list[int] = []
    sentences = _Union()
    exact: dict[str, int] = {}
    texts: dict[int, str] = {}  # first sentence of each exact text -> its words
    buckets: dict[tuple, list[int]] = defaultdict(list)
    bands: dict[str, int] = {}
    per_article: list[list[int]] = []
    for number, source in enumerate(sources):
        mine = []
        for sentence in split_sentences(source.text):
            words = _WORD.findall(sentence.text.lower())
            if len(words) < MIN_WORDS:
                continue
            sid = sentences.add()
            owner.append(number)
            starts.append(sentence.start)
            mine.append(sid)
            norm = " ".join(words)
            first = exact.get(norm)
            if first is not None:
                sentences.union(sid, first)
                continue
            exact[norm] = sid
            texts[sid] = norm
            matched = False
            for key in _band_keys(words, bands):
                bucket = buckets[key]
                if not matched:
                    for other in bucket[:TRIES]:
                        if Indel.normalized_similarity(norm, texts[other], score_cutoff=SIMILAR):
                            sentences.union(sid, other)
                            matched = True
                            break
                if len(bucket) < BUCKET_LIMIT:
                    bucket.append(sid)
        per_article.append(mine)
    members: dict[int, list[int]] = defaultdict(list)  # sentence cluster -> articles (in order, once each)
    root_of = [sentences.find(s) for s in range(len(owner))]
    for sid, root in enumerate(root_of):
        if not members[root] or members[root][-1] != owner[sid]:
            members[root].append(owner[sid])
    for root, spread in members.items():
        if len(spread) > MAX_SPREAD:
            members[root] = []  # stock language: no evidence of copying, and no quadratic cost

    def rank(a: int):  # the original: an agency's own article, then the earliest, then the first read
        return (sources[a].outlet not in wires, sources[a].published or "9999", a)

    def same_outlet(a: int, b: int) -> bool:
        return bool(sources[a].outlet) and sources[a].outlet == sources[b].outlet

    # articles: copies by shared sentences, then by the same agency credit on the same incident
    articles = _Union(n)
    for a, mine in enumerate(per_article):
        votes: Counter = Counter()
        for sid in mine:
            others = [b for b in set(members[root_of[sid]]) if b != a and not same_outlet(a, b)]
            if others:
                votes[min(others, key=rank)] += 1
        if votes:
            best, shared = min(votes.items(), key=lambda kv: (-kv[1], rank(kv[0])))
            if shared >= MIN_SHARED and shared >= SHARE * len(mine):
                articles.union(a, best)
    agencies = [credited(s.text + "\n" + s.extra, lex) for s in sources]
    node: dict[tuple[str, str], int] = {}
    for a, source in enumerate(sources):
        own = [wires[source.outlet]] if source.outlet in wires else []
        named = own or agencies[a]
        if len(set(named)) == 1 and source.event_id:
            key = (named[0], source.event_id)
            if key in node:
                articles.union(a, node[key])
            else:
                node[key] = a
    groups: dict[int, list[int]] = defaultdict(list)
    for a in range(n):
        groups[articles.find(a)].append(a)
    original = {root: min(group, key=rank) for root, group in groups.items()}
    group_id = [sources[original[articles.find(a)]].article_id for a in range(n)]
    names = {}
    for root, group in groups.items():
        head = original[root]
        credit = next((wires[sources[a].outlet] for a in sorted(group, key=rank) if sources[a].outlet in wires), None)
        credit = credit or next((agencies[a][0] for a in sorted(group, key=rank) if len(set(agencies[a])) == 1), None)
        names[sources[head].article_id] = credit or sources[head].outlet or sources[head].article_id
    copy_of = [group_id[a] if group_id[a] != sources[a].article_id else "" for a in range(n)]
    share: list[float | None] = [None] * n
    for a, mine in enumerate(per_article):
        if len(groups[articles.find(a)]) < 2 or not mine:
            continue
        shared = sum(any(b != a and group_id[b] == group_id[a] for b in members[root_of[sid]]) for sid in mine)
        share[a] = round(shared / len(mine), 2)
    origin = {}
    for sid, root in enumerate(root_of):
        spread = members[root]
        if len(spread) > 1:
            origin[(owner[sid], starts[sid])] = group_id[min(spread, key=rank)]
    agency_group = {key: group_id[a] for key, a in node.items()}
    return Copies(copy_of, share, group_id, names, agencies, [s.outlet for s in sources], origin, agency_group)


def claim_groups(claims, index: dict[str, int], copies: Copies, wires: dict[str, str]) -> list[str]:
    """The source group of each claim (rows with article_id, event_id, start, via): see the module
    docstring. ``index``: article id -> its number in the `find_copies` list."""
    found = []
    for article_id, event_id, start, via in zip(claims["article_id"], claims["event_id"], claims["start"], claims["via"]):
        a = index.get(article_id)
        if a is None:
            found.append(article_id)
            continue
        group = copies.sentence_origin.get((a, int(start)))
        agency = wires.get(via) if isinstance(via, str) else None
        if group is None and agency and isinstance(event_id, str) and event_id:
            group = copies.agency_group.get((agency, event_id))
            if group is None:  # no article of the agency's: its reporting is a source of its own
                group = copies.agency_group[(agency, event_id)] = f"{agency}@{event_id}"
                copies.names[group] = agency
        if group is None:  # the article's own reporting: a copy's added paragraph is the copying outlet's
            group = article_id if copies.copy_of[a] else copies.group[a]
            copies.names.setdefault(group, copies.outlets[a] or article_id)
        found.append(group)
    return found

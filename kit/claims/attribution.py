"""Attribution claims: every statement about who carried out an attack, with its stance.

Stances (design.md): ``claims`` (the actor's own side says it did it), ``accuses`` (someone else
says so, including the outlet stating it as fact), ``suspects`` (hedged), ``denies``,
``unattributed`` (nobody claimed it / unclear who did it; actor ``unknown``).

Rules, tried on every sentence (actors from ``data/lexicons/actors.csv``, see `kit.claims.actors`):

- unattributed: "it's not clear who", "no one has claimed responsibility", "an unknown airstrike";
- denies: "X did not launch / was not involved / had no involvement", "there were no X airstrikes",
  "denied any X involvement", "no reason to believe X was behind"; "they did not launch" after
  "Officials in the U.S. and Israel said" denies for each actor the speaker names;
- suspects: "a suspected Israeli strike", and any perpetration hedged by "reportedly",
  "allegedly", "appeared to", "believed to", ...;
- perpetration: "X carried out / launched / struck / fired ...", "carried out by X", "X's attack",
  "an Israeli strike killed ...",
  "blamed on X", "X confirmed its involvement", "said it launched", "were launched in response
  to" (said by X). The stance is ``claims`` when the speaker is on the actor's side (US officials
  about the US, the IRGC about Iran) and ``accuses`` otherwise;
- accusation verbs: "blame X", "accusing X", "held X responsible", "X bear full responsibility".

Not attributions: threats and conditions ("if the US uses ... they will target"), campaigns
("carried out dozens of attacks", "more than 100 attacks": a pattern, not an incident), and a
report the speaker calls untrue ("reports claiming that the US conducted airstrikes ... are
not true" is a denial only).

Example:
    >>> from kit.articles.reading import Article
    >>> from kit.lexicons import load_lexicons
    >>> text = "It's not clear who was responsible, but militia officials blame US forces."
    >>> rows = find_attribution_claims(Article("a1", "a.txt", None, text, "0"), load_lexicons())
    >>> [(r["actor"], r["stance"], r["speaker"]) for r in rows]
    [('unknown', 'unattributed', 'article'), ('United States', 'accuses', 'militia officials')]
"""
from __future__ import annotations

import re

from .actors import ActorMention, find_actors, parents_of, same_side
from .shared import claim_id, claim_row, finditer_at, is_hypothetical, walk_sentences
from ..lexicons import Lexicons
from .wordgates import WordGates

_BLAME_NOUN = r"(?:violations?|targeting|crimes?|massacres?)"
_ATTACK_NOUN = r"(?:air\s*strikes?|airstrikes?|strikes?|attacks?|raids?|operations?|bombings?|drones?|missiles?|rockets?|assaults?|aggression|assassinations?|barrage|shelling|explosions?|blasts?|response|retaliation)"
_PERP_VERBS = r"(?:carried\s+out|conducted|launched|struck|bombed|attacked|hit|targeted|fired|retaliated|executed|staged|assassinated|killed|shelled|raided|strikes|hits|bombs|attacks|was\s+behind|were\s+behind|is\s+behind|are\s+behind|was\s+responsible|were\s+responsible)"
_NEEDS_OBJECT = re.compile(r"^(?:carried\s+out|conducted|launched|executed|staged|fired)$", re.I)
_HEDGE = re.compile(r"\b(?:reportedly|allegedly|apparently|likely|probably|possibly|presumably|believed|thought|suspected|"
                    r"appears?|appeared|seems?|seemed|reported\s+to|said\s+to|purported(?:ly)?)\b", re.I)
_CAMPAIGN = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:dozens|scores|hundreds|thousands|numerous|many|a\s+series|a\s+wave|more\s+than\s+\d+|over\s+\d+|\d+)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+){0,3}?(?:attacks|strikes|raids|operations)\b", re.I)
_REPORTS_OF = re.compile(r"\b(?:reports?|rumou?rs?|allegations?|claims?)\s+(?:claiming|that|of|saying)\b[^.]*$", re.I)
_PRONOUN_SUBJECT = re.compile(r"\b(?:they|it|we)\s+$", re.I)
_UNATTRIBUTED = [  # (pattern, words it cannot match without: see _NEEDS)
    (re.compile(r"(?:\bnot|n't)\s+(?:yet\s+|immediately\s+|entirely\s+)?(?:clear|known|certain)\s+who\b", re.I),
     (("who",), ("clear", "known", "certain"))),
    (re.compile(r"\b(?:unclear|unknown)\s+who\b", re.I), (("who",), ("unclear", "unknown"))),
    (re.compile(r"\b(?:no\s+(?:one|group|party|faction|organi[sz]ation|side|militant\s+group|armed\s+group)|nobody|none)\s+"
                r"(?:has\s+|had\s+|have\s+)?(?:yet\s+|immediately\s+|so\s+far\s+)?(?:claimed|taken|accepted|admitted)\b", re.I),
     (("claimed", "taken", "accepted", "admitted"),)),
    (re.compile(r"\b(?:unknown|unidentified|unclaimed)\s+(?:air\s*strikes?|airstrikes?|strikes?|drones?|aircraft|warplanes?|jets?|attackers?|assailants?|gunmen|part(?:y|ies))\b", re.I),
     (("unknown", "unidentified", "unclaimed"),)),
    (re.compile(r"\bresponsibility\s+(?:has|had|was)\s+not\s+(?:yet\s+|immediately\s+)?(?:been\s+)?(?:immediately\s+)?claimed\b", re.I),
     (("responsibility",), ("claimed",))),
    (re.compile(r"\b(?:there\s+(?:was|has\s+been)\s+)?no\s+(?:immediate\s+)?claim\s+of\s+responsibility\b", re.I),
     (("responsibility",),)),
]

_PERP_WORDS = ("carried", "conducted", "launched", "struck", "bombed", "attacked", "hit", "targeted", "fired", "retaliated",
               "executed", "staged", "assassinated", "killed", "shelled", "raided", "strikes", "bombs", "attacks",
               "behind", "responsible", "regret")
_NEGATIVE = (("not ", "n't", "never", "no ", "deni", "deny", "reject", "dismiss", "ruled", "untrue", "false"),)
_NO_ROLE_WORDS = ("involvement", "role", "part", "responsibility", "hand", "nothing")
# Words a pattern of `_build` cannot match without (each tuple: at least one of its words, as
# lower-case substrings of one word of the sentence; see `kit.claims.wordgates`). Checking them is far
# cheaper than running the pattern, so a sentence is only searched by the patterns that could
# match it; the results are the same.
_NEEDS = {
    "deny_verb": (("not", "n't", "never"),),
    "deny_no_role_pronoun": (_NO_ROLE_WORDS,),
    "untrue": (("report",), ("true", "false", "baseless", "fabricated", "unfounded", "incorrect")),
    "deny_no_role": (_NO_ROLE_WORDS,),
    "deny_none": (("no",), ("strike", "attack", "involvement", "role", "aircraft", "drone", "forces")),
    "deny_denied": (("deni", "deny", "reject", "dismiss", "ruled"),),
    "deny_no_reason": (("reason", "evidence", "indication", "sign"), ("behind", "responsible", "involved")),
    "hedged_noun": (("suspected", "alleged", "apparent", "presumed", "likely", "possible", "probable", "purported"),),
    "subject": (_PERP_WORDS,),
    "agentive": (("by",), ("carried", "conducted", "launched", "perpetrated", "staged", "executed", "ordered", "fired")),
    "possessive": (("'",),),
    "blamed_on": (("blamed",),),
    "adjective": (("strike", "attack", "raid", "bomb", "shelling", "aggression"),),
    "own_claim": (("confirmed", "acknowledged", "admitted", "claim", "took", "takes", "accepted"),
                  ("involvement", "role", "responsibility", "credit")),
    "own_claim_attack": (("claim",), ("attack", "strike", "bombing", "operation", "assault")),
    "pronoun_claim": (("said", "says", "claim", "announced", "stated", "confirmed"),
                      ("launched", "carried", "conducted", "targeted", "attacked", "struck", "fired")),
    "passive_own": (("launched", "carried", "fired", "conducted"), ("response", "retaliation", "avenge", "self")),
    "accuse": (("blam", "accus"),),
    "held": (("held", "hold"),),
    "bear": (("bear", "bore"), ("responsibility",)),
}


MASK = "\ue000"  # actor mentions are masked with this character before the patterns run
# patterns that start with a word and whitespace right before the first actor (``\bword\s+{actors}``)
_WORD_BEFORE_ACTORS = frozenset({"adjective"})


def _build(lex: Lexicons) -> dict:
    actor = f"{MASK}+"
    first = f"{MASK}(?<!{MASK}{MASK}){MASK}*"  # a mention starts at its first masked character only
    actors = rf"(?P<actors>{first}(?:\s*(?:,|and|&|or)\s*{actor})*)"
    neg = r"(?:did\s+not|didn't|does\s+not|do\s+not|has\s+not|have\s+not|had\s+not|never|was\s+not|were\s+not|is\s+not|are\s+not|wasn't|weren't|hasn't|haven't)"
    no_role = r"(?:\w+\s+)?(?:had|has|have|played|plays)\s+(?:no\s+(?:involvement|role|part|responsibility|hand)|nothing\s+to\s+do\s+with)"
    flags = re.I
    return {
        "deny_verb": re.compile(rf"\b{neg}\s+(?:\w+\s+)?(?:launch|launched|carry\s+out|carried\s+out|conduct|conducted|strike|struck|attack|attacked|target|targeted|bomb|bombed|involved|behind|responsible|take\s+part|participate|participated)\b", flags),
        "deny_no_role_pronoun": re.compile(rf"\b(?:it|they|we)\s+{no_role}", flags),
        "untrue": re.compile(r"\breports?\s+(?:claiming|that|saying)\b.*\b(?:not\s+true|false|untrue|baseless|fabricated|unfounded|incorrect)\b", flags),
        "deny_no_role": re.compile(rf"{actors}\s+{no_role}", flags),
        "deny_none": re.compile(rf"\bno\s+{actors}\s+(?:air\s*strikes?|airstrikes?|strikes?|attacks?|involvement|role|aircraft|drones?|forces\s+were\s+involved)", flags),
        "deny_denied": re.compile(rf"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismisses|ruled\s+out)\s+(?:any\s+|all\s+)?(?:{actors}\s+)?(?:involvement|role|responsibility|participation|part|accusations|allegations)\b", flags),
        "deny_no_reason": re.compile(rf"\bno\s+(?:reason|evidence|indication|sign)\s+(?:to\s+(?:believe|suggest|think)|that)\s+{actors}\s+(?:was|were|is|had\s+been)\s+(?:behind|responsible|involved)", flags),
        "hedged_noun": re.compile(rf"\b(?:suspected|alleged|apparent|presumed|likely|possible|probable|purported)\s+{actors}(?:'s)?\s+(?:\w+\s+)?{_ATTACK_NOUN}\b", flags),
        "subject": re.compile(rf"{actors}\s+(?P<gap>(?:[\w-]+\s+){{0,3}}?)(?P<verb>{_PERP_VERBS}|regret(?:ted)?\s+carrying\s+out)\b(?P<object>(?:\s+[^\s.;]+){{0,8}})", flags),
        "agentive": re.compile(rf"\b(?:carried\s+out|conducted|launched|perpetrated|staged|executed|ordered|fired)\s+by\s+{actors}", flags),
        "possessive": re.compile(rf"{actors}'s?\s+\"?(?:[\w-]+\s+){{0,2}}?(?:{_ATTACK_NOUN}|{_BLAME_NOUN})\b", flags),
        "blamed_on": re.compile(rf"\bblamed\s+on\s+{actors}", flags),
        "adjective": re.compile(rf"\b(?<!no\s)(?:an?|the|another|new|recent|latest|fresh|deadly|in|by|during)\s+{actors}(?:-led)?\s+(?:[\w-]+\s+)?(?:air\s*strikes?|airstrikes?|strikes?|attacks?|raids?|bombings?|drone\s+strikes?|missile\s+strikes?|shelling|aggression)\b", flags),
        "own_claim": re.compile(rf"{actors}(?:,[^,]{{1,80}},)?\s+(?:has\s+|have\s+|had\s+)?(?:only\s+|also\s+|since\s+|later\s+)?(?:confirmed|acknowledged|admitted|claimed|took|takes|accepted|claims)\s+(?:its\s+|their\s+)?(?:involvement|role|responsibility|credit)\b", flags),
        "own_claim_attack": re.compile(rf"{actors}(?:,[^,]{{1,80}},)?\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|later\s+)?(?:claimed|claims)\s+(?:the\s+|an?\s+|its\s+|this\s+|that\s+)?(?:[\w-]+\s+){{0,2}}?(?:attack|strike|bombing|operation|assault)\b(?!s)", flags),
        "pronoun_claim": re.compile(r"\b(?:said|says|claimed|claims|announced|stated|confirmed)\s+(?:in\s+a\s+statement\s+)?(?:that\s+)?(?:it|they|we|(?:its|their|our)\s+(?:forces|fighters|troops|jets|warplanes|aircraft|drones|units|air\s+force|military))\s+(?:had\s+|has\s+|have\s+)?(?:launched|carried\s+out|conducted|targeted|attacked|struck|fired)\b", flags),
        "passive_own": re.compile(r"\b(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?:\w+\s+)?(?:launched|carried\s+out|fired|conducted)\s+(?:\w+\s+){0,3}?(?:in\s+response|in\s+retaliation|to\s+avenge|in\s+self-?defen[cs]e)", flags),
        "accuse": re.compile(rf"\b(?:blame|blames|blamed|blaming|accuse|accuses|accused|accusing)\s+{actors}", flags),
        "held": re.compile(rf"\bh(?:e|o)ld(?:s|ing)?\s+{actors}\s+(?:\w+\s+)?responsible", flags),
        "bear": re.compile(rf"{actors}\s+(?:bear|bears|bore)\s+(?:\w+\s+)?responsibility", flags),
    }


def _actors_in(text: str, lex: Lexicons) -> list[str]:
    """Canonical actors named in a speaker's name ("Iraqi security officials"); the same few
    speakers come back in every article, so the answers are kept per lexicon."""
    known = lex.memo("actors in speakers")
    if text not in known:
        if len(known) > 50_000:
            known.clear()
        known[text] = list(dict.fromkeys(m.canonical for m in find_actors(text, lex)))
    return list(known[text])


def _perpetration_stance(actor: str, speaker: str, hedged: bool, lex: Lexicons, outlet: str = "") -> str:
    """claims when the speaker (or, for the outlet's own words, the outlet: a press release) is the actor's side."""
    if hedged:
        return "suspects"
    voice = outlet if speaker == "article" else speaker
    if voice and same_side(actor, _actors_in(voice, lex), lex):
        return "claims"
    return "accuses"


def _speaker_side(speaker: str, lex: Lexicons, single: bool) -> list[str]:
    """Actors a speaker stands for; with ``single`` the one it names itself ("refers to itself as")."""
    names = _actors_in(speaker, lex) if speaker != "article" else []
    return names[-1:] if single and names else names


def _masked(text: str, mentions: list[ActorMention]) -> str:
    """``text`` with every actor mention replaced by as many `MASK` characters (offsets unchanged).

    >>> _masked("US forces struck", [ActorMention(0, 9, "US forces", "United States")]) == MASK * 9 + " struck"
    True
    """
    parts, done = [], 0
    for mention in mentions:
        start = max(mention.start, done)
        parts += [text[done:start], MASK * (mention.end - start)]
        done = max(done, mention.end)
    return "".join(parts) + text[done:]


def _words_before_runs(masked: str) -> list[int]:
    """Where the word just before each run of `MASK` characters starts, when only whitespace
    separates the two: the only places a pattern of the shape ``\\bword\\s+{actors}`` can match.

    >>> _words_before_runs("by " + MASK * 2 + ", the  " + MASK + " and" + MASK)
    [0, 7]
    """
    starts, at = [], masked.find(MASK)
    while at >= 0:
        end = at
        while end and masked[end - 1].isspace():
            end -= 1
        start = end
        while start and (masked[start - 1].isalnum() or masked[start - 1] == "_"):  # what `re` calls \w
            start -= 1
        if start < end < at:
            starts.append(start)
        while at < len(masked) and masked[at] == MASK:
            at += 1
        at = masked.find(MASK, at)
    return starts


def _cues(text: str, lex: Lexicons, speaker_at, outlet: str = "", mentions=None,
          held: int | None = None) -> list[tuple[int, str, str, str]]:
    """(position, actor, stance, cue words) found in one sentence; ``speaker_at(pos)`` gives the speaker.

    ``mentions`` are the sentence's actor mentions (offsets relative to ``text``), found once per
    article; ``held`` is `GATES.held` of the sentence, when the caller has it already.
    """
    rx = lex.compiled("attribution", _build)
    mentions = find_actors(text, lex) if mentions is None else mentions
    held = GATES.held(text) if held is None else held
    needs = GATES.needs
    negative = held & needs["negative"] == needs["negative"]
    found: list[tuple[int, str, str, str]] = []

    def matches(name: str, target: str):
        if held & needs[name] != needs[name]:
            return ()
        if name in _WORD_BEFORE_ACTORS:
            return finditer_at(rx[name], target, _words_before_runs(target))
        return rx[name].finditer(target)

    def names(start: int, end: int) -> list[str]:
        return list(dict.fromkeys(m.canonical for m in mentions if start <= m.start and m.end <= end))

    def add(match, actors, stance, position=None):
        for name in actors:
            found.append((match.start() if position is None else position, name, stance, text[match.start():match.end()][:80]))

    for number, (pattern, _) in enumerate(_UNATTRIBUTED):
        for m in (pattern.finditer(text) if GATES.allows(held, f"unattributed {number}") else ()):
            found.append((m.start(), "unknown", "unattributed", m.group(0)))
    for m in (matches("deny_verb", text) if negative else ()):
        if is_hypothetical(text, m.start()) or re.match(r"\s*(?:if|whether)\b", text[m.end():]):
            continue
        before = text[max(0, m.start() - 60):m.start()]
        if _PRONOUN_SUBJECT.search(before):
            add(m, _speaker_side(speaker_at(m.start()), lex, before.rstrip().lower().endswith("it")), "denies")
        else:
            near = [a for a in mentions if a.end <= m.start() and len(text[a.end:m.start()].split()) <= 6]
            if near:
                add(m, [near[-1].canonical], "denies")
    for m in (matches("deny_no_role_pronoun", text) if negative else ()):
        add(m, _speaker_side(speaker_at(m.start()), lex, m.group(0).lower().startswith("it")), "denies")
    untrue = next(iter(matches("untrue", text)), None) if negative else None
    if untrue:  # "reports claiming that the US conducted airstrikes ... are not true": a denial of those actors
        add(untrue, names(untrue.start(), untrue.end()), "denies")
    for name in ("pronoun_claim", "passive_own"):
        for m in matches(name, text):
            speaker = speaker_at(m.start())
            if speaker != "article" and not _CAMPAIGN.match(text[m.end():]):
                add(m, _speaker_side(speaker, lex, True), "claims")
    if not mentions:
        return _resolve_conflicts(text, found) if found else found
    masked = _masked(text, mentions)
    for name in ("deny_no_role", "deny_none", "deny_no_reason") if negative else ():
        for m in matches(name, masked):
            add(m, names(*m.span("actors")), "denies")
    for m in (matches("deny_denied", masked) if negative else ()):
        named = names(*m.span("actors")) if m.group("actors") else []
        add(m, named or _speaker_side(speaker_at(m.start()), lex, True), "denies")
    for m in matches("hedged_noun", masked):
        add(m, names(*m.span("actors")), "suspects")
    for name in ("subject", "agentive", "possessive", "blamed_on", "adjective"):
        for m in matches(name, masked):
            verb = m.groupdict().get("verb") or ""
            gap = m.groupdict().get("gap") or ""
            if name == "subject" and (re.search(r"\b(?:will|would|could|to|if|not|never|no|said|says|say|claimed|claims|"
                                                r"announced|stated|confirmed|told|that|it|they|we)\b|n't", gap, re.I)
                                      or (re.fullmatch(r"(?:strikes|hits|bombs|attacks)", verb, re.I)
                                          and (gap or re.match(r"\s+(?:in|on|at|against|by|from|of|and|were|was|had|have)\b", m.group("object") or "", re.I)))):
                continue  # a future, a denial, a report, or a noun ("U.S. involvement in the strikes")
            if is_hypothetical(text, m.start()) and not verb.lower().startswith("regret"):
                continue
            if name == "subject" and (_NEEDS_OBJECT.match(verb) and not re.search(_ATTACK_NOUN, m.group("object") or "", re.I)
                                      or _CAMPAIGN.match(m.group("object") or "")):
                continue
            if name == "subject" and re.search(r"\b(?:against|on|at|targeting|of|with|for|to|from|by)\s+$", text[max(0, m.start() - 15):m.start()], re.I):
                continue
            speaker = speaker_at(m.start())
            clause_start = max(text.rfind(",", 0, m.start()), text.rfind(" - ", 0, m.start()), 0)
            hedged = bool(_HEDGE.search(text[clause_start:m.end()]))
            for actor in names(*m.span("actors")):
                found.append((m.start(), actor, _perpetration_stance(actor, speaker, hedged, lex, outlet), text[m.start():m.end()][:80]))
    for name in ("own_claim", "own_claim_attack"):  # "Israel has only confirmed its involvement": Israel speaks
        for m in matches(name, masked):
            add(m, names(*m.span("actors")), "claims", position=m.end() - 1)
    for name in ("accuse", "held", "bear"):
        for m in matches(name, masked):
            add(m, names(*m.span("actors")), "accuses")
    return _resolve_conflicts(text, found)


def _resolve_conflicts(text: str, found: list[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
    """One row per (actor, stance); an accusation the same sentence reports as untrue is dropped."""
    denied = {actor for _, actor, stance, _ in found if stance == "denies"}
    kept, seen = [], set()
    for position, actor, stance, cue in sorted(found, key=lambda f: f[0]):
        if stance in ("accuses", "suspects", "claims") and actor in denied and _REPORTS_OF.search(text[:position]):
            continue
        if (actor, stance) in seen:
            continue
        seen.add((actor, stance))
        kept.append((position, actor, stance, cue))
    return kept


# A sentence without any of these (lower-case substrings) has no attribution cue: skip it.
_ANY_CUE = (("who", "claim", "clear", "known", "unidentified", "respons", "behind", "blame", "accus", "deni", "deny",
             "involv", "carr", "launch", "struck", "strike", "attack", "fired", "target", "bomb", "retaliat", "suspect",
             "conduct", "role", "part", "nothing", "true", "false"),)
# every gate above, worked out once per sentence from its words
GATES = WordGates({**_NEEDS, "negative": _NEGATIVE, "any cue": _ANY_CUE,
                   **{f"unattributed {number}": needs for number, (_, needs) in enumerate(_UNATTRIBUTED)}})


def find_attribution_claims(article, lex: Lexicons, incident=None) -> list[dict]:
    """Attribution claim rows of one article (claim_id, actor, stance, speaker, provenance)."""
    claims = []
    all_mentions = find_actors(article.text, lex)
    for sentence, context in walk_sentences(article, lex):
        text = sentence.text
        held = GATES.held(text)
        if not GATES.allows(held, "any cue"):
            continue
        mentions = [ActorMention(m.start - sentence.start, m.end - sentence.start, m.text, m.canonical)
                    for m in all_mentions if sentence.start <= m.start and m.end <= sentence.end]
        for position, actor, stance, cue in _cues(text, lex, lambda pos: context.speaker_for(text, pos)[0],
                                                  article.outlet, mentions, held):
            speaker, via = context.speaker_for(text, position)
            background = incident.is_background(text, position, sentence.index) if incident is not None else False
            claims.append(claim_row(
                article, sentence, speaker, via, background,
                claim_id=claim_id(article.article_id, sentence.start + position, sentence.end, actor, stance),
                actor=actor, stance=stance, cue=cue, actor_parent="|".join(parents_of(actor, lex)),
                cue_start=sentence.start + position))
    return claims

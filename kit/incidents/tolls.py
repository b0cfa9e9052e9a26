"""An incident's figures from its own claims: the spread of tolls and the contradictions.

The claims given here are already the incident's own (background claims, including war-wide
totals such as "70,457 wounded since October", never reach an incident: see
`kit.incidents.article.Incident.is_background`). Two rules remain:

- Spread, as Iraq Body Count keeps one (iraqbodycount.org/about/methods/3): the lowest and the
  highest figure any source claims. A "no casualties" claim counts as 0, unless it is about
  another spot than the incident's ("no casualties were reported elsewhere in the town": `ELSEWHERE`).
- Contradiction: a source says nobody was hurt (at the incident itself) while another reports dead
  or wounded.

Example:
    >>> claims = [{"outcome": "killed", "count_min": 2, "count_max": 2, "speaker": "police", "sentence": "Two died."},
    ...           {"outcome": "no_casualties", "count_min": None, "count_max": None, "speaker": "army",
    ...            "sentence": "There were no casualties elsewhere in the town."}]
    >>> spread(claims, "killed"), contradictions(claims)
    ((2, 2), '')
"""
from __future__ import annotations

import re

import pandas as pd

# a "nobody was hurt" about another spot than the incident's
ELSEWHERE = re.compile(r"\b(?:elsewhere|in\s+(?:the\s+)?other\s+(?:parts?|areas?|places?|districts?|towns?|cities|villages?|regions?)|"
                       r"in\s+(?:an)?other\s+(?:part|area|place|district|town|city|village|region)|"
                       r"(?:the\s+)?rest\s+of\s+the\s+(?:city|town|country|region|area))\b", re.I)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _number(value):
    """An int for a count, None for a missing one (None, NaN, pandas' NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return int(value)


def nobody_hurt_here(claim) -> bool:
    """True for a "no casualties" claim about the incident itself (not "elsewhere in the town").

    >>> nobody_hurt_here({"outcome": "no_casualties", "sentence": "No one was hurt, police said."})
    True
    """
    return claim["outcome"] == "no_casualties" and not ELSEWHERE.search(_text(claim.get("sentence")))


def spread(claims: list[dict], outcome: str) -> tuple:
    """(lowest, highest) figure of ``outcome`` over the claims; a "no casualties" here counts as 0."""
    lows = [_number(c["count_min"]) for c in claims if c["outcome"] == outcome and _number(c["count_min"]) is not None]
    highs = [_number(c["count_max"]) for c in claims if c["outcome"] == outcome and _number(c["count_max"]) is not None]
    if any(nobody_hurt_here(c) for c in claims):
        lows.append(0)
        highs.append(0)
    return (min(lows) if lows else None), (max(highs + lows) if (highs or lows) else None)


def contradictions(claims) -> str:
    """'no casualties' claims about the incident against claims of people killed or wounded, as one line.

    ``claims``: casualty claim rows (dicts or a DataFrame).

    >>> contradictions([{"outcome": "no_casualties", "speaker": "PMF", "count_min": None},
    ...                 {"outcome": "killed", "speaker": "AFP source", "count_min": 1}])
    'no casualties (PMF) vs 1 killed (AFP source)'
    """
    if isinstance(claims, pd.DataFrame):
        claims = claims.to_dict("records")
    nobody = [c for c in claims if nobody_hurt_here(c)]
    hurt = [c for c in claims if c["outcome"] in ("killed", "wounded")]
    if not nobody or not hurt:
        return ""
    left = "; ".join(f"no casualties ({s})" for s in dict.fromkeys(c["speaker"] for c in nobody))
    right = "; ".join(dict.fromkeys(
        f"{'' if _number(c['count_min']) is None else _number(c['count_min'])} {c['outcome']} ({c['speaker']})".strip()
        for c in hurt))
    return f"{left} vs {right}"

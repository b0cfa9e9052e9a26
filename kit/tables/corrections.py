"""Apply the journalist's claim corrections (``data/corrections/claims.csv``) on every run.

Corrections are keyed by ``claim_id``, which stays the same across reruns and when other
articles are added. The file is only read; a row that matches no claim is reported, never
silently dropped.

Example:
    >>> import pandas as pd, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "claims.csv").write_text("claim_id,action,field,value,note\\nc1,set,stance,denies,checked\\n")
    >>> att = pd.DataFrame({"claim_id": ["c1"], "stance": ["accuses"]})
    >>> cas, att, problems = apply_claim_corrections(pd.DataFrame({"claim_id": []}), att, folder)
    >>> att.loc[0, "stance"], bool(att.loc[0, "corrected"]), problems
    ('denies', True, [])
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import LexiconError, Problem
from ..lexicons import read_csv_rows
from ..schema import OUTCOMES, STANCES

CLAIM_CORRECTIONS_TEMPLATE = """\
claim_id,action,field,value,note
# One row per fix. claim_id comes from casualty_claims.csv or attribution_claims.csv.
# action: drop (the claim is wrong: remove it) or set (change one field to value).
# fields you can set: outcome, count_min, count_max, count_text, victims, actor, stance, speaker, via, event_id, background.
# The kit only reads this file. A row that matches no claim any more is reported in problems.csv.
"""  # a new project's data/corrections/claims.csv

SETTABLE = {"outcome", "count_min", "count_max", "count_text", "victims", "actor", "stance", "speaker", "via",
            "event_id", "background"}


def _check(row: dict, where: str) -> str | None:
    if row["action"] not in ("drop", "set"):
        return f"action {row['action']!r} is not 'drop' or 'set'"
    if row["action"] == "set":
        if row["field"] not in SETTABLE:
            return f"field {row['field']!r} cannot be corrected (choose one of {', '.join(sorted(SETTABLE))})"
        if row["field"] == "stance" and row["value"] not in STANCES:
            return f"stance {row['value']!r} is not one of {', '.join(STANCES)}"
        if row["field"] == "outcome" and row["value"] not in OUTCOMES:
            return f"outcome {row['value']!r} is not one of {', '.join(OUTCOMES)}"
        if row["field"] in ("count_min", "count_max") and row["value"] and not row["value"].isdigit():
            return f"{row['field']} must be a whole number or empty, not {row['value']!r}"
    return None


def apply_claim_corrections(casualties: pd.DataFrame, attributions: pd.DataFrame, folder: Path):
    """Return (casualties, attributions, problems) with the corrections applied."""
    path = Path(folder) / "claims.csv"
    problems: list[Problem] = []
    frames = {"casualty": casualties.copy(), "attribution": attributions.copy()}
    for frame in frames.values():  # always a plain bool column, so "not corrected" reads False, never empty
        # (the extractors may hand over an empty float column; under pandas 3 setting True into it
        # raised TypeError and stopped the run as soon as one correction applied)
        if "corrected" in frame.columns:
            frame["corrected"] = frame["corrected"].astype(object).map(lambda v: v is True or v == 1 or str(v).lower() == "true")
        else:
            frame["corrected"] = False
        frame["corrected"] = frame["corrected"].astype(bool)
    if not path.exists():
        return frames["casualty"], frames["attribution"], problems
    try:
        rows = read_csv_rows(path, ("claim_id", "action", "field", "value"))
    except LexiconError as exc:
        problems.append(Problem(exc.where, "warning", exc.problem + "; no correction was applied", exc.fix))
        return frames["casualty"], frames["attribution"], problems
    for line_no, row in enumerate(rows, start=2):
        where = f"{path}, claim {row['claim_id']}"
        error = _check(row, where)
        if error:
            problems.append(Problem(where, "warning", error + "; this correction was not applied", "fix the row"))
            continue
        hit = False
        for name, frame in frames.items():
            mask = frame["claim_id"] == row["claim_id"] if len(frame) else pd.Series([], dtype=bool)
            if not mask.any():
                continue
            hit = True
            if row["action"] == "drop":
                frames[name] = frame[~mask].copy()
            elif row["field"] in frame.columns or row["field"] in SETTABLE:
                value = row["value"] or None
                if row["field"] == "background":
                    value = str(value).lower() in ("true", "1", "yes")
                frame[row["field"]] = frame[row["field"]].astype(object) if row["field"] in frame.columns else None
                frame.loc[mask, row["field"]] = value
                frame.loc[mask, "corrected"] = True
        if not hit:
            problems.append(Problem(where, "warning", "this correction matches no claim in this run",
                                    "the article may have been removed or changed; update or delete the row"))
    return frames["casualty"], frames["attribution"], problems

"""The tables the kit writes: columns, types, descriptions and checks, in one place.

Every table is checked here before it is written (`validate`), and the README's data
dictionary is tested against `TABLES` (tests/test_docs.py).

Example:
    >>> [c.name for c in TABLES["events"]][:3]
    ['event_id', 'label', 'date']
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

OUTCOMES = ("killed", "wounded", "no_casualties", "no_civilian_casualties")
STANCES = ("claims", "accuses", "suspects", "denies", "unattributed")
PLACE_KINDS = ("country", "governorate", "region", "city", "district", "neighbourhood", "base", "airport",
               "facility", "sea", "other")
GRADES = ("single_source", "corroborated", "contested", "claimed")
GEOCODERS = ("correction", "gazetteer", "cache", "online", "unresolved")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str", "int", "float", "bool"
    description: str
    required: bool = True  # part of design.md's contract
    allowed: tuple = ()
    nullable: bool = True


def _provenance(extra: tuple[Column, ...] = ()) -> tuple[Column, ...]:
    return extra


ARTICLE_ID = Column("article_id", "str", "Stable id of the article: the first 12 hex digits of the SHA-256 of its normalized text, so it survives reruns and metadata edits.", nullable=False)
FILE = Column("file", "str", "The article's file, relative to its articles folder (prefixed with the folder name when several folders are read).", nullable=False)
SENTENCE = Column("sentence", "str", "The exact sentence of the analysed text the row comes from.", nullable=False)
START = Column("start", "int", "Character offset where the sentence starts in the article's analysed text (0-based).", nullable=False)
END = Column("end", "int", "Character offset where the sentence ends (exclusive): `text[start:end] == sentence`.", nullable=False)
EVENT_ID = Column("event_id", "str", "Incident the claim is about; the same incident has the same id in every article. Empty for background claims.")
BACKGROUND = Column("background", "bool", "True when the claim is about another incident than the one the article reports (mentioned in passing).", nullable=False)
SPEAKER = Column("speaker", "str", "Who makes the claim, as the article attributes it; `article` when the outlet says it itself.", nullable=False)
VIA = Column("via", "str", "The outlet or agency the claim is relayed through (Reuters, AFP), when the article says so.")
RULE = Column("rule", "str", "The rule that read the claim (see the README's method section, \"How claims are read\"), so a figure can be judged and its code found.")
SOURCE_GROUP = Column("source_group", "str", "Claims that stem from the same original reporting share one (kit.sources.copies): the article id of the original report, or AGENCY@event for a claim relayed through an agency none of whose articles is read.", required=False)
CLAIM_ID = Column("claim_id", "str", "Stable id of the claim (article id, offsets and value); key for corrections.", nullable=False)

TABLES: dict[str, tuple[Column, ...]] = {
    "articles": (
        ARTICLE_ID, FILE,
        Column("outlet", "str", "Outlet that published the article (front matter, manifest, or inferred from the page)."),
        Column("title", "str", "Headline (front matter, manifest, or the first headline-like line)."),
        Column("url", "str", "Address of the article, when known."),
        Column("published", "str", "Publication date, YYYY-MM-DD."),
        Column("published_inferred", "bool", "True when the date was guessed from the text rather than given in front matter or the manifest.", nullable=False),
        Column("n_words", "int", "Number of words in the analysed text.", nullable=False),
        Column("sha256", "str", "SHA-256 of the file's bytes, to prove which version of the file was analysed.", nullable=False),
        Column("flags", "str", "What a journalist must know about the source, `; `-separated: live_story, ai_generated, date_conflict, outlet_unknown, outlet_inferred, decoded_from_<encoding>, same_text (another file has the same text: kept with an id of its own, see copy_of)."),
        Column("furniture", "str", "Page furniture removed from the analysed text (one line each), kept for the record.", required=False),
        Column("metadata_source", "str", "Where each metadata field came from (front_matter, manifest, html, text).", required=False),
        Column("notes", "str", "The manifest's notes column.", required=False),
        Column("copy_of", "str", "The article this one reprints (the original of its copy group: an agency's own article, else the earliest); empty if none.", required=False),
        Column("copy_share", "float", "Share of the article's sentences (6 words or more) found in the other articles of its copy group; empty when it has no copies.", required=False),
        Column("source_group", "str", "The copy group the article belongs to: the article id of its original (its own id when it is not a copy).", required=False),
    ),
    "places": (
        ARTICLE_ID, FILE,
        Column("mention", "str", "The place name as written in the article.", nullable=False),
        Column("start", "int", "Character offset of the mention in the analysed text.", nullable=False),
        Column("end", "int", "Character offset where the mention ends (exclusive).", nullable=False),
        Column("canonical", "str", "The place the mention was resolved to (gazetteer name)."),
        Column("kind", "str", "country, governorate, region, city, district, neighbourhood, base, airport, facility, sea or other.", allowed=PLACE_KINDS),
        Column("lat", "float", "Latitude (WGS84) of the resolved place; empty when unresolved."),
        Column("lon", "float", "Longitude (WGS84) of the resolved place; empty when unresolved."),
        Column("geocoder", "str", "Which step of the geocoding chain gave the coordinates: correction, gazetteer, cache, online or unresolved.", allowed=GEOCODERS),
        Column("precision_km", "float", "How far the true spot may be from the coordinates, in km (a country centroid is hundreds of km)."),
        Column("in_scope", "bool", "True when an incident the article reports happened here, not only mentioned.", nullable=False),
        Column("country", "str", "ISO country code of the resolved place.", required=False),
        Column("status", "str", "Outcome of the lookup: found, no_match, service_failed, or skipped_offline.", required=False),
        Column("source", "str", "Where the coordinates come from (gazetteer source column, online provider).", required=False),
        SENTENCE,
    ),
    "casualty_claims": (
        CLAIM_ID, ARTICLE_ID, FILE, EVENT_ID, BACKGROUND,
        Column("outcome", "str", "killed, wounded, no_casualties (a claim that nobody was hurt) or no_civilian_casualties.", nullable=False, allowed=OUTCOMES),
        Column("count_min", "int", "Lowest number the claim allows; empty when the text gives no number (\"dozens\", \"countless\")."),
        Column("count_max", "int", "Highest number the claim allows; equal to count_min for an exact number, empty when unbounded (\"at least 3\")."),
        Column("count_text", "str", "The words the count was read from."),
        Column("victims", "str", "Who was killed or wounded, when the text says (militia fighters, civilians)."),
        SPEAKER, VIA, RULE, SENTENCE, START, END,
        Column("corrected", "bool", "True when a row of the corrections file changed this claim.", required=False),
        SOURCE_GROUP,
    ),
    "attribution_claims": (
        CLAIM_ID, ARTICLE_ID, FILE, EVENT_ID, BACKGROUND,
        Column("actor", "str", "Canonical name of the actor the stance is about (actor lexicon); `unknown` for unattributed.", nullable=False),
        Column("stance", "str", "claims (the actor's own side says it did it), accuses (someone else says so), suspects (hedged), denies, or unattributed (nobody has claimed it / unclear who did it).", nullable=False, allowed=STANCES),
        SPEAKER, VIA, RULE, SENTENCE, START, END,
        Column("actor_parent", "str", "The actor's parent group(s) from the lexicon, for rolling the matrix up (Kataib Hezbollah -> Popular Mobilization Forces).", required=False),
        Column("cue", "str", "The words that signalled the stance.", required=False),
        Column("corrected", "bool", "True when a row of the corrections file changed this claim.", required=False),
        SOURCE_GROUP,
    ),
    "events": (
        Column("event_id", "str", "Id of the incident: date and place.", nullable=False),
        Column("label", "str", "Short description: what happened where, from the first article that reports it."),
        Column("date", "str", "Date of the incident (YYYY-MM-DD), from the articles' own words (\"early Saturday\") and publication dates."),
        Column("place", "str", "The most precise in-scope place of the incident."),
        Column("lat", "float", "Latitude of that place."),
        Column("lon", "float", "Longitude of that place."),
        Column("n_articles", "int", "How many articles report the incident.", nullable=False),
        Column("killed_min", "int", "Lowest killed figure any source claims (a 'no casualties' claim counts as 0)."),
        Column("killed_max", "int", "Highest killed figure any source claims."),
        Column("wounded_min", "int", "Lowest wounded figure any source claims."),
        Column("wounded_max", "int", "Highest wounded figure any source claims."),
        Column("precision_km", "float", "Location precision of the place, in km.", required=False),
        Column("articles", "str", "Files of the articles that report the incident.", required=False),
        Column("n_casualty_claims", "int", "Casualty claims about the incident.", required=False),
        Column("n_attribution_claims", "int", "Attribution claims about the incident.", required=False),
        Column("contradictions", "str", "Conflicting casualty claims (e.g. 'no casualties' against '1 killed').", required=False),
        Column("n_sources", "int", "Independent sources of the incident: copy groups of its articles, each counted once however many outlets printed it.", required=False),
        Column("sources", "str", "Names of those sources (the agency credited, else the original's outlet), `; `-separated.", required=False),
        Column("grade", "str", "single_source, corroborated (two or more independent sources agree), contested (they disagree on the toll or on who did it) or claimed (a party says it did it): see the README.", required=False, allowed=GRADES),
        Column("grade_reason", "str", "Why the incident has its grade, in words.", required=False),
    ),
    "problems": (
        Column("file", "str", "The file (or folder) with a problem.", nullable=False),
        Column("severity", "str", "skipped (the file was not used) or warning (used, but check it).", nullable=False, allowed=("skipped", "warning")),
        Column("problem", "str", "What is wrong, in plain words.", nullable=False),
        Column("fix", "str", "What to do about it."),
    ),
}

_PANDAS_DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def empty_frame(table: str) -> pd.DataFrame:
    return conform(pd.DataFrame(columns=columns(table)), table)


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Order the columns as the contract says, add missing optional ones, and set dtypes."""
    frame = frame.copy()
    for col in TABLES[table]:
        if col.name not in frame.columns:
            frame[col.name] = pd.NA
    frame = frame[columns(table)]
    for col in TABLES[table]:
        target = _PANDAS_DTYPES[col.dtype]
        series = frame[col.name]
        if str(series.dtype) == target:  # already conformed (a rerun's reused rows): nothing to convert
            continue
        if col.dtype == "int":
            series = pd.to_numeric(series, errors="coerce").round().astype("Int64")
        elif col.dtype == "float":
            series = pd.to_numeric(series, errors="coerce").astype("Float64")
        elif col.dtype == "bool":
            series = series.map(lambda v: pd.NA if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                                else str(v).strip().lower() in ("true", "1", "yes")).astype("boolean")
        else:
            series = series.astype("string")
        frame[col.name] = series.astype(target)
    return frame.reset_index(drop=True)


@functools.lru_cache(maxsize=None)
def _pandera_schema(table: str):
    import pandera.pandas as pa

    checks = {}
    for col in TABLES[table]:
        col_checks = [pa.Check.isin(list(col.allowed))] if col.allowed else []
        checks[col.name] = pa.Column(_PANDAS_DTYPES[col.dtype], checks=col_checks, nullable=col.nullable)
    return pa.DataFrameSchema(checks, strict=True, ordered=True, name=table)


def validate(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Conform and check a table against the contract; raises pandera's SchemaError on a violation."""
    frame = conform(frame, table)
    _pandera_schema(table).validate(frame, lazy=True)
    if table in ("casualty_claims", "attribution_claims", "places") and len(frame):
        bad = frame["end"] < frame["start"]
        if bad.any():
            raise ValueError(f"{table}: {int(bad.sum())} row(s) end before they start")
    return frame

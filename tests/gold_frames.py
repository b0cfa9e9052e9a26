"""Fixture tables in the kit's contract, built from the analyst's gold extraction (tests/gold).

Charts, maps and the report are developed and tested against these frames, so they do not wait
for the extraction to be finished. `hostile` adds an article whose title and sentences carry
markup, to check that text from articles is escaped wherever it lands.

Example:
    >>> tables = gold_tables()
    >>> sorted(tables)[:2], len(tables["events"])
    (['articles', 'attribution_claims'], 3)
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from kit.paths import SEEDS
from kit.schema import conform, empty_frame

GOLD = Path(__file__).resolve().parent / "gold"
PRECISION_KM = {"country": 300, "governorate": 60, "region": 150, "city": 15, "district": 5, "neighbourhood": 2,
                "base": 2, "airport": 2, "facility": 1, "sea": 300, "other": 50}
SCRIPT = "<script>alert(1)</script>"


def _rows(name: str) -> list[dict]:
    with open(GOLD / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _article_id(file: str) -> str:
    return "gold" + file[:3]


def gold_tables() -> dict[str, pd.DataFrame]:
    """Every table of the contract, filled from tests/gold (article ids are made up: gold000...)."""
    with open(SEEDS / "manifest.csv", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    articles = pd.DataFrame([{"article_id": _article_id(r["file"]), "file": r["file"], "outlet": r["outlet"] or None,
                              "title": f"Seed article {r['file'][:3]}", "url": r["url"] or None, "published": r["published"],
                              "published_inferred": False, "n_words": 400, "sha256": "0" * 64,
                              "flags": "outlet_unknown" if not r["outlet"] else "", "notes": r["notes"]} for r in manifest])

    def claims(name: str, fields: tuple[str, ...]) -> pd.DataFrame:
        rows = []
        for i, r in enumerate(_rows(name)):
            other = r["event"] == "other"
            row = {"claim_id": f"{name[:3]}{i:03d}", "article_id": _article_id(r["file"]), "file": r["file"],
                   "event_id": None if other else r["event"], "background": other, "speaker": r["speaker"],
                   "via": r.get("via") or None, "sentence": r["sentence"], "start": 0, "end": len(r["sentence"])}
            row.update({f: (r[f] or None) for f in fields})
            rows.append(row)
        return pd.DataFrame(rows)

    casualties = claims("casualty_claims.csv", ("outcome", "count_min", "count_max", "count_text", "victims"))
    attributions = claims("attribution_claims.csv", ("actor", "stance"))
    places = pd.DataFrame([{"article_id": _article_id(r["file"]), "file": r["file"], "mention": r["mention"], "start": 0,
                            "end": len(r["mention"]), "canonical": r["canonical"], "kind": r["kind"], "lat": r["lat"],
                            "lon": r["lon"], "geocoder": "gazetteer", "precision_km": PRECISION_KM[r["kind"]],
                            "in_scope": r["in_scope"] == "yes", "status": "found", "sentence": r["mention"]}
                           for r in _rows("places.csv")])
    where = places.drop_duplicates("canonical").set_index("canonical")
    events = []
    for r in _rows("events.csv"):
        if r["event"] == "other":
            continue
        files = sorted(set(casualties.loc[casualties["event_id"] == r["event"], "file"])
                       | set(attributions.loc[attributions["event_id"] == r["event"], "file"]))
        place = where.loc[r["place"]]
        events.append({"event_id": r["event"], "label": r["label"], "date": r["date"], "place": r["place"],
                       "lat": place["lat"], "lon": place["lon"], "precision_km": place["precision_km"],
                       "n_articles": len(files), "articles": "; ".join(files)})
    tables = {"articles": articles, "places": places, "casualty_claims": casualties,
              "attribution_claims": attributions, "events": pd.DataFrame(events), "problems": empty_frame("problems")}
    return {name: conform(frame, name) for name, frame in tables.items()}


def hostile(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add an article, incident and claims whose text is markup (`SCRIPT`) to the gold tables."""
    aid, file, event = "hostile0001", "hostile.txt", "hostile-2024-02-02"
    sentence = f"A spokesman said {SCRIPT} killed 3 people & wounded <b>five</b>."
    extra = {
        "articles": {"article_id": aid, "file": file, "outlet": f"Outlet {SCRIPT}", "title": f"Title {SCRIPT}",
                     "published": "2024-02-02", "published_inferred": True, "n_words": 20, "sha256": "1" * 64,
                     "flags": "outlet_inferred", "furniture": f"Share {SCRIPT}"},
        "places": {"article_id": aid, "file": file, "mention": f"Qaim {SCRIPT}", "start": 0, "end": 4,
                   "canonical": "Al-Qaim", "kind": "city", "lat": 34.37, "lon": 41.09, "geocoder": "gazetteer",
                   "precision_km": 15, "in_scope": True, "sentence": sentence},
        "casualty_claims": {"claim_id": "hostile-c1", "article_id": aid, "file": file, "event_id": event,
                            "background": False, "outcome": "killed", "count_min": 3, "count_max": 3,
                            "count_text": f"3 {SCRIPT}", "speaker": f"spokesman {SCRIPT}", "via": None,
                            "sentence": sentence, "start": 0, "end": len(sentence)},
        "attribution_claims": {"claim_id": "hostile-a1", "article_id": aid, "file": file, "event_id": event,
                               "background": False, "actor": f"Actor {SCRIPT}", "stance": "accuses",
                               "speaker": f"spokesman {SCRIPT}", "sentence": sentence, "start": 0, "end": len(sentence)},
        "events": {"event_id": event, "label": f"Strike {SCRIPT} near Qaim", "date": "2024-02-02",
                   "place": f"Al-Qaim {SCRIPT}", "lat": 34.37, "lon": 41.09, "precision_km": 15, "n_articles": 1},
    }
    out = dict(tables)
    for name, row in extra.items():
        out[name] = conform(pd.concat([tables[name], pd.DataFrame([row])], ignore_index=True), name)
    return out


def synthetic_tables(n_incidents: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Many incidents (for size and speed checks): each with two articles, two casualty claims and an attribution."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lat = rng.uniform(29.5, 37.0, n_incidents).round(4)
    lon = rng.uniform(39.0, 48.0, n_incidents).round(4)
    outlets = [f"Outlet {i}" for i in range(60)]
    articles, casualties, attributions, events = [], [], [], []
    for i in range(n_incidents):
        event = f"ev-{i:05d}"
        date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        for j in range(2):
            aid = f"art{i:05d}{j}"
            sentence = f"Officials said {3 + j} people were killed in strike number {i} near village {i % 977}."
            articles.append({"article_id": aid, "file": f"{aid}.txt", "outlet": outlets[(i + j * 7) % 60],
                             "title": f"Strike {i}", "published": date, "published_inferred": False, "n_words": 300,
                             "sha256": "2" * 64, "flags": ""})
            casualties.append({"claim_id": f"c{aid}", "article_id": aid, "file": f"{aid}.txt", "event_id": event,
                               "background": False, "outcome": "killed", "count_min": 3 + j, "count_max": 3 + j,
                               "count_text": str(3 + j), "speaker": "officials", "sentence": sentence, "start": 0,
                               "end": len(sentence)})
            attributions.append({"claim_id": f"a{aid}", "article_id": aid, "file": f"{aid}.txt", "event_id": event,
                                 "background": False, "actor": ["United States", "Israel", "unknown"][(i + j) % 3],
                                 "stance": ["accuses", "denies", "unattributed"][(i + j) % 3], "speaker": "officials",
                                 "sentence": sentence, "start": 0, "end": len(sentence)})
        events.append({"event_id": event, "label": f"Strike {i} near village {i % 977}", "date": date,
                       "place": f"village {i % 977}", "lat": lat[i], "lon": lon[i], "precision_km": [2, 15, 60][i % 3],
                       "n_articles": 2, "killed_min": 3, "killed_max": 4})
    tables = {"articles": pd.DataFrame(articles), "places": empty_frame("places"),
              "casualty_claims": pd.DataFrame(casualties), "attribution_claims": pd.DataFrame(attributions),
              "events": pd.DataFrame(events), "problems": empty_frame("problems")}
    return {name: conform(frame, name) for name, frame in tables.items()}

"""The persistent geocode cache: ``geocode.sqlite`` in the cache folder.

One row per query (the place name as written, folded): its status, coordinates, kind, precision,
the provider's raw answer as JSON and when it was asked. Only ``found`` and ``no_match`` are
final: a final row is never overwritten and never asked again. A ``service_failed`` row only
records the attempt (for the journalist's information) and is retried on the next run.

Example:
    >>> import tempfile
    >>> cache = GeocodeCache(tempfile.mkdtemp())
    >>> cache.put("Kalso base", "found", lat=32.87, lon=44.36, kind="base", precision_km=2.0, raw={"osm_id": 1})
    >>> cache.put("Kalso base", "service_failed", error="timeout")  # a final answer is kept
    >>> cache.get("kalso  BASE")["status"], cache.get("kalso base")["raw"]
    ('found', {'osm_id': 1})
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from .gazetteer import fold

FINAL = ("found", "no_match")
COLUMNS = ("query", "status", "lat", "lon", "kind", "precision_km", "canonical", "country", "provider", "raw",
           "error", "attempts", "asked_at")


def cache_key(query: str) -> str:
    """The cache key of a query: "Al-Qa'im" and "al Qaim" share one."""
    return fold(query)


class GeocodeCache:
    """SQLite store of online answers, safe for several runs at once (one transaction per write)."""

    def __init__(self, folder, name: str = "geocode.sqlite"):
        self.path = Path(folder) / name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute("""CREATE TABLE IF NOT EXISTS geocode (
                query TEXT PRIMARY KEY, status TEXT NOT NULL, lat REAL, lon REAL, kind TEXT, precision_km REAL,
                canonical TEXT, country TEXT, provider TEXT, raw TEXT, error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0, asked_at TEXT NOT NULL, text TEXT)""")
            con.commit()

    def get(self, query: str) -> dict | None:
        """The row for ``query`` (``raw`` decoded), or None."""
        return self.get_many([query]).get(cache_key(query))

    def get_many(self, queries) -> dict[str, dict]:
        keys = sorted({cache_key(q) for q in queries})
        found: dict[str, dict] = {}
        with closing(sqlite3.connect(self.path, timeout=30)) as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT {', '.join(COLUMNS)} FROM geocode WHERE query IN ({marks})"
                for values in con.execute(sql, chunk):
                    row = dict(zip(COLUMNS, values))
                    try:
                        row["raw"] = json.loads(row["raw"]) if row["raw"] else None
                    except ValueError:
                        row["raw"] = None
                    found[row["query"]] = row
        return found

    def put(self, query: str, status: str, *, lat=None, lon=None, kind="", precision_km=None, canonical="",
            country="", provider="", raw=None, error="", attempts=1) -> None:
        """Record an answer; a final row (found/no_match) already there is never replaced."""
        values = (cache_key(query), status, lat, lon, kind, precision_km, canonical, country, provider,
                  json.dumps(raw, ensure_ascii=False, default=str) if raw is not None else None, error, attempts,
                  datetime.now(timezone.utc).isoformat(timespec="seconds"), query)
        with closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute(
                f"""INSERT INTO geocode ({', '.join(COLUMNS)}, text) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})
                ON CONFLICT(query) DO UPDATE SET status=excluded.status, lat=excluded.lat, lon=excluded.lon,
                    kind=excluded.kind, precision_km=excluded.precision_km, canonical=excluded.canonical,
                    country=excluded.country, provider=excluded.provider, raw=excluded.raw, error=excluded.error,
                    attempts=geocode.attempts + excluded.attempts, asked_at=excluded.asked_at, text=excluded.text
                WHERE geocode.status NOT IN ('found', 'no_match')""", values)
            con.commit()

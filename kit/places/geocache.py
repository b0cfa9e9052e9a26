"""The persistent geocode cache: ``geocode.sqlite`` in the cache folder, the journalist's own data.

One row per query (the place name as written, folded): its status, coordinates, kind, precision,
the provider's raw answer as JSON and when it was asked. Only ``found`` and ``no_match`` are
final: a final row is never overwritten and never asked again. A ``service_failed`` row only
records the attempt (for the journalist's information) and is retried on the next run.

Unlike the other caches, its online answers cannot simply be rebuilt, so it is never set aside
silently (`check_geocode_cache`, once per run): a damaged file is kept under another name, every
row that can still be read goes into a new ``geocode.sqlite``, and a warning says how many and
what to do. A file of a newer kit is neither used nor changed. The file carries the kit's stamp
in a ``kit_cache`` table; a cache of older kits (without it) is adopted as it is.

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
import os
import sqlite3
import tempfile
from contextlib import closing, suppress
from datetime import datetime, timezone
from pathlib import Path

from ..caches import (SQLITE_MAGIC, code_fingerprint, is_damage, set_aside_name, sqlite_connect, sqlite_header_problem,
                      stamp)
from ..errors import Problem
from .gazetteer import fold

NAME, FORMAT, VERSION = "geocode.sqlite", "kit-geocode", 1
FINAL = ("found", "no_match")
COLUMNS = ("query", "status", "lat", "lon", "kind", "precision_km", "canonical", "country", "provider", "raw",
           "error", "attempts", "asked_at")
SCHEMA = """CREATE TABLE IF NOT EXISTS geocode (
    query TEXT PRIMARY KEY, status TEXT NOT NULL, lat REAL, lon REAL, kind TEXT, precision_km REAL,
    canonical TEXT, country TEXT, provider TEXT, raw TEXT, error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, asked_at TEXT NOT NULL, text TEXT)"""
MAX_PROBES = 1_000_000  # rows looked for one by one in a damaged file
_RESTORE = ("look in places.csv for places that are now 'unresolved'; to get lost answers back, copy geocode.sqlite "
            "from a backup or a colleague's project folder into the cache folder, or run again with --online to ask again")


def cache_key(query: str) -> str:
    """The cache key of a query: "Al-Qa'im" and "al Qaim" share one."""
    return fold(query)


class GeocodeCache:
    """SQLite store of online answers, safe for several runs at once (one transaction per write).

    ``usable`` is False for the cache of a newer kit: it is then neither read nor written.
    """

    def __init__(self, folder, name: str = NAME):
        self.path = Path(folder) / name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.usable = _format_version(self.path) <= VERSION
        if not self.usable:
            return
        with closing(sqlite_connect(self.path)) as con:
            con.execute(SCHEMA)
            con.execute("CREATE TABLE IF NOT EXISTS kit_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            found = dict(con.execute("SELECT key, value FROM kit_cache"))
            if found.get("kit_fingerprint") != code_fingerprint() or found.get("format_version") != str(VERSION):
                con.executemany("INSERT OR REPLACE INTO kit_cache VALUES (?, ?)",
                                [(k, str(v)) for k, v in stamp(FORMAT, VERSION).items()])
            con.commit()

    def get(self, query: str) -> dict | None:
        """The row for ``query`` (``raw`` decoded), or None."""
        return self.get_many([query]).get(cache_key(query))

    def get_many(self, queries) -> dict[str, dict]:
        keys = sorted({cache_key(q) for q in queries})
        found: dict[str, dict] = {}
        if not self.usable:
            return found
        with closing(sqlite_connect(self.path)) as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT {', '.join(COLUMNS)} FROM geocode WHERE query IN ({marks})"
                for values in con.execute(sql, chunk):
                    row = dict(zip(COLUMNS, values))
                    try:
                        row["raw"] = json.loads(row["raw"]) if row["raw"] else None
                    except (ValueError, TypeError):
                        row["raw"] = None
                    found[row["query"]] = row
        return found

    def put(self, query: str, status: str, *, lat=None, lon=None, kind="", precision_km=None, canonical="",
            country="", provider="", raw=None, error="", attempts=1) -> None:
        """Record an answer; a final row (found/no_match) already there is never replaced."""
        if not self.usable:
            return
        values = (cache_key(query), status, lat, lon, kind, precision_km, canonical, country, provider,
                  json.dumps(raw, ensure_ascii=False, default=str) if raw is not None else None, error, attempts,
                  datetime.now(timezone.utc).isoformat(timespec="seconds"), query)
        with closing(sqlite_connect(self.path)) as con:
            con.execute(
                f"""INSERT INTO geocode ({', '.join(COLUMNS)}, text) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})
                ON CONFLICT(query) DO UPDATE SET status=excluded.status, lat=excluded.lat, lon=excluded.lon,
                    kind=excluded.kind, precision_km=excluded.precision_km, canonical=excluded.canonical,
                    country=excluded.country, provider=excluded.provider, raw=excluded.raw, error=excluded.error,
                    attempts=geocode.attempts + excluded.attempts, asked_at=excluded.asked_at, text=excluded.text
                WHERE geocode.status NOT IN ('found', 'no_match')""", values)
            con.commit()


def _format_version(path: Path) -> int:
    """The format version a healthy cache file records (0: none yet, or an older kit's)."""
    with suppress(sqlite3.Error, OSError, ValueError), closing(sqlite_connect(path, readonly=True)) as con:
        return int(dict(con.execute("SELECT key, value FROM kit_cache")).get("format_version") or 0)
    return 0


# --------------------------------------------------------------------------- checking and salvaging


def check_geocode_cache(folder, now: datetime | None = None) -> list[Problem]:
    """Check ``folder/geocode.sqlite`` before a run reads it; salvage and report a damaged one.

    Returns the warnings to show (none for a healthy cache or none at all).
    """
    path = Path(folder) / NAME
    if not path.exists():
        return []
    reason = sqlite_header_problem(path)
    if reason == "it is empty":
        return [Problem(path, "warning", "the geocoding cache is an empty file, so it holds no answers",
                        "if it held answers before, " + _RESTORE)]
    if reason is None:
        reason = _health(path)
        if reason is None:
            return []
        if reason == "newer":
            return [Problem(path, "warning", "the geocoding cache was written by a newer version of the kit; this run "
                            "neither used nor changed it (online answers of this run are not kept)",
                            "update the kit (pip install --upgrade) so it can use the cache")]
    return [_salvage(path, reason, now)]


def _health(path: Path) -> str | None:
    """None when the file is a sound geocoding cache this kit can use; else why not (or "newer")."""
    try:
        with closing(sqlite_connect(path, readonly=True)) as con:
            check = con.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                return f"it is damaged ({check[0][0]})"
            kinds = dict(con.execute("SELECT name, type FROM sqlite_master"))
            if kinds.get("geocode") != "table":
                return "it is not a geocoding cache of the kit"
            planted = sorted(name for name, kind in kinds.items() if kind in ("view", "trigger"))
            if planted:  # SQL that would run when the kit reads or writes: keep only the rows
                return f"it holds views or triggers the kit never makes ({', '.join(planted)})"
            names = {row[1] for row in con.execute("PRAGMA table_info(geocode)")}
            if not set(COLUMNS) <= names:
                return "its table lacks some of the kit's columns"
            if "kit_cache" in kinds:
                version = int(dict(con.execute("SELECT key, value FROM kit_cache")).get("format_version") or 0)
                if version > VERSION:
                    return "newer"
    except (sqlite3.DatabaseError, ValueError) as exc:
        if isinstance(exc, sqlite3.DatabaseError) and not is_damage(exc):
            raise
        return f"it is damaged ({exc})"
    return None


def readable_rows(path: Path) -> list[tuple]:
    """Every row of the ``geocode`` table that can still be read from a damaged file, as
    (`COLUMNS` + text) tuples: a scan first, then row by row past the damaged pages.

    It reads a copy: a file cut short is padded to the size its header gives (SQLite refuses
    one shorter than that), so the pages before the cut can be read.
    """
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / NAME
        data = Path(path).read_bytes()
        if data.startswith(SQLITE_MAGIC) and len(data) >= 100:
            page_size = int.from_bytes(data[16:18], "big")
            wanted = (65536 if page_size == 1 else page_size) * int.from_bytes(data[28:32], "big")
            data += bytes(max(0, min(wanted, 64 * len(data)) - len(data)))
        copy.write_bytes(data)
        return _rows_of(copy)


def _rows_of(path: Path) -> list[tuple]:
    rows: dict = {}
    with suppress(sqlite3.Error), closing(sqlite_connect(path, readonly=True)) as con:
        try:
            names = [row[1] for row in con.execute("PRAGMA table_info(geocode)")]
        except sqlite3.DatabaseError:
            names = [*COLUMNS, "text"]
        wanted = [c if c in names else "NULL" for c in (*COLUMNS, "text")]
        select = f"SELECT rowid, {', '.join(wanted)} FROM geocode"
        try:
            for row in con.execute(select):
                rows[row[0]] = row[1:]
            return list(rows.values())
        except sqlite3.DatabaseError:
            pass
        try:
            last = con.execute("SELECT max(rowid) FROM geocode").fetchone()[0] or 0
        except sqlite3.DatabaseError:
            last = Path(path).stat().st_size // 64  # no more rows than that fit in the file
        for rowid in range(1, min(last, MAX_PROBES) + 1):
            if rowid not in rows:
                with suppress(sqlite3.DatabaseError):
                    found = con.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
                    if found:
                        rows[rowid] = found[1:]
    return [row for row in rows.values() if isinstance(row[0], str) and isinstance(row[1], str)]


def _salvage(path: Path, reason: str, now: datetime | None) -> Problem:
    """Keep the damaged file under another name and its readable rows in a new cache; say so."""
    rows = readable_rows(path)  # nothing, quickly, from a file that is not SQLite
    kept = set_aside_name(path, now)
    try:
        os.replace(path, kept)
    except OSError as exc:
        return Problem(path, "warning", f"the geocoding cache cannot be used ({reason}) nor renamed "
                       f"({exc.strerror or exc}); this run did not use it", "move it out of the cache folder, then " + _RESTORE)
    for extra in ("-journal", "-wal", "-shm"):
        with suppress(OSError):
            os.replace(f"{path}{extra}", f"{kept}{extra}")
    GeocodeCache(path.parent, path.name)
    with closing(sqlite_connect(path)) as con:
        con.executemany(f"INSERT OR IGNORE INTO geocode ({', '.join(COLUMNS)}, text) VALUES "
                        f"({', '.join('?' * (len(COLUMNS) + 1))})",
                        [(*row[:COLUMNS.index("attempts")], row[COLUMNS.index("attempts")] or 0,
                          row[COLUMNS.index("asked_at")] or "", row[-1]) for row in rows])
        con.commit()
    finals = sum(row[1] in FINAL for row in rows)
    return Problem(path, "warning", f"the geocoding cache could not be used as it was ({reason}); {len(rows)} row(s) "
                   f"could be read ({finals} answer(s)) and were kept in a new {path.name}; the file itself was kept "
                   f"as {kept.name}", _RESTORE)

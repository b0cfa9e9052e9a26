"""The world index: the places of `kit.places.sources` in one SQLite file of the project's cache.

Built on first use (about half a minute, with a progress bar) into ``data/cache/gazetteer.sqlite``;
afterwards a run opens it in milliseconds and reads only the names its articles use. SQLite holds
data, never code (no pickle), and is opened defensively (`kit.caches.sqlite_connect`). The file
carries the stamp of every kit cache (`kit.caches.stamp`: `FORMAT`, `VERSION`, the kit's version
and code fingerprint) and the `fingerprint` of its sources (the data packages' versions, the
basemap files and this code). A file that is empty, cut short, damaged, not an index, of another
format or kit version, or built from other sources is set aside (`kit.caches.set_aside`: renamed
``gazetteer.set-aside-<time>.sqlite``, never deleted) and rebuilt; `WorldIndex.problems` holds the
one warning that says so. Builds go to a temporary file first, so a killed build or two runs at
once never leave half an index. ``KIT_WORLD_INDEX`` in the environment may name an index file that
several projects share: it is used when it was built from the same sources.

Tables: ``kit_cache`` (the stamp), ``meta`` (the sources' fingerprint, when it was built, how many
entries, how long it took), ``entries`` (one row per place, its source and precision), ``names``
(lookup key -> entry numbers and whether the name is written in capitals) and ``prefixes`` (every
first-words part of a key, with the words that may follow it).

Example:
    >>> import tempfile
    >>> index = open_index(tempfile.mkdtemp(), entries=[("test", {"name": "Kherson", "aliases": ["Cherson"],
    ...     "kind": "city", "country": "UA", "admin1": "", "lat": 46.6, "lon": 32.6, "precision_km": 5.0,
    ...     "population": 66000, "uid": "geonames:706448", "source": "GeoNames"})], progress=False)
    >>> [e.name for e in index.candidates("cherson")], index.next_words("kherson"), index.has_prefix("kher")
    (['Kherson'], frozenset(), False)
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from ..caches import Unusable, check_stamp, is_damage, remove_stale_temporaries, set_aside, sqlite_connect, \
    sqlite_header_problem, stamp
from ..errors import KitError, Problem
from ..paths import BASEMAP
from .names import Entry, index_keys, name_key

# version 3: the index of kits before the caches' stamp (format "kit-gazetteer-3" in its meta table)
FORMAT, VERSION = "kit-gazetteer", 4
NAME = "gazetteer.sqlite"
# an index file to use when the project's cache has none of the same sources (built once, shared)
SHARED_ENV = "KIT_WORLD_INDEX"
_TABLES = ("kit_cache", "meta", "entries", "names", "prefixes")
_SCHEMA = """
CREATE TABLE kit_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL,
    admin1 TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, precision_km REAL NOT NULL, source TEXT NOT NULL,
    aliases TEXT NOT NULL, population INTEGER NOT NULL, uid TEXT NOT NULL, origin TEXT NOT NULL);
CREATE TABLE names (key TEXT PRIMARY KEY, ids TEXT NOT NULL, upper INTEGER NOT NULL, lower INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE prefixes (prefix TEXT PRIMARY KEY, next TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX entries_kind ON entries (kind);
CREATE INDEX entries_name ON entries (name);
"""


def fingerprint(basemap: Path = BASEMAP) -> str:
    """What the index is built from: its format, the data packages' versions, the basemap files'
    bytes and the code that reads them (this module, `kit.places.sources`, `kit.places.names`)."""
    from .sources import package_versions

    digest = hashlib.sha256(f"{FORMAT}-{VERSION}".encode())
    digest.update(json.dumps(package_versions(), sort_keys=True).encode())
    here = Path(__file__).parent
    for path in (basemap / "countries.geojson", basemap / "admin1.geojson", here / "sources.py", here / "names.py",
                 Path(__file__)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def open_index(folder, entries=None, progress: bool = True, basemap: Path = BASEMAP) -> "WorldIndex":
    """The index in ``folder`` (a cache folder), built first when missing, stale or damaged.

    A file there that cannot be used is set aside first (`check_index` says why); the warning
    is in the answer's ``problems``. ``entries`` (an iterable of (source, row dict)) replaces
    `kit.places.sources.world_entries`; tests use it to build a small index. The fingerprint then
    covers those rows instead of the packages.
    """
    folder = Path(folder)
    rows = list(entries) if entries is not None else None
    wanted = (hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:16]
              if rows is not None else fingerprint(basemap))
    path = folder / NAME
    try:
        check_index(path, wanted)
        return WorldIndex(path, wanted)
    except FileNotFoundError:
        reason = None
    except Unusable as exc:
        reason = exc.reason
    shared = Path(os.environ.get(SHARED_ENV) or "")  # one index several projects (or a test session) share
    use_shared = rows is None and bool(os.environ.get(SHARED_ENV)) and _usable(shared, wanted)
    problems = []
    if reason is not None:
        problems.append(set_aside(path, reason, f"the shared place index {shared} ({SHARED_ENV}) is used instead"
                                  if use_shared else "the place index is built again (about half a minute)"))
    if use_shared:
        return WorldIndex(shared, wanted, problems)
    if path.exists():  # it could not be set aside (a read-only folder): there is no index to use or to build
        raise KitError(path, problems[0].problem, problems[0].fix)
    build(path, wanted, rows, progress, basemap)
    return WorldIndex(path, wanted, problems)


def check_index(path: Path, wanted: str) -> None:
    """Raise `Unusable` saying why ``path`` is no index of these sources (``wanted``), or
    `FileNotFoundError` when there is none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / NAME).write_bytes(b"")
    >>> check_index(folder / NAME, "0123")
    Traceback (most recent call last):
    kit.caches.Unusable: cache file: it is empty.
    """
    if not path.is_file():
        raise FileNotFoundError(path)
    reason = sqlite_header_problem(path)
    if reason:
        raise Unusable(reason)
    try:
        with closing(sqlite_connect(path, readonly=True)) as con:
            tables = {name for name, kind in con.execute("SELECT name, type FROM sqlite_master") if kind == "table"}
            if "kit_cache" not in tables and "meta" in tables and "entries" in tables:
                check_stamp(None, FORMAT, VERSION)  # an index of the kits before the stamp
            if not set(_TABLES) <= tables:
                raise Unusable("it is not a kit cache of this kind")
            found = dict(con.execute("SELECT key, value FROM kit_cache"))
            check_stamp({**found, "format_version": int(found.get("format_version") or 0)}, FORMAT, VERSION)
            meta = dict(con.execute("SELECT key, value FROM meta"))
    except ValueError:
        raise Unusable("it is not a kit cache of this kind") from None
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise Unusable(f"it is damaged ({exc})") from None
    if meta.get("fingerprint") != wanted:
        raise Unusable("it was built from other sources (other versions of the place data packages or of the "
                       "basemap, or other kit code)")


def _usable(path: Path, wanted: str) -> bool:
    try:
        check_index(path, wanted)
        return True
    except (FileNotFoundError, Unusable, sqlite3.Error):
        return False


def build(path: Path, wanted: str, rows, progress: bool, basemap: Path) -> None:
    """Write the index of ``rows`` (default: every place of the installed sources) to ``path``.

    Written to a temporary file and renamed into place: a reader, or a build killed halfway, sees
    the old index or the new one. The temporary files of builds killed long ago are deleted.
    """
    from .sources import world_entries

    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, f".{path.name}.*.tmp*")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    began = time.perf_counter()
    source = rows if rows is not None else world_entries(basemap)
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(desc="building the world place index (once)", unit=" places", total=rows and len(rows) or 205_000,
                   mininterval=0.5)
    names: dict[str, list] = {}  # key -> [ids, any name in capitals, any name not in capitals]
    con = sqlite3.connect(tmp)
    try:
        con.executescript(_SCHEMA)
        batch, number = [], 0
        for number, (origin, row) in enumerate(source, start=1):
            entry = (number, row["name"], row["kind"], row["country"], row["admin1"], row["lat"], row["lon"],
                     row["precision_km"], row["source"], "|".join(row["aliases"]), row["population"], row["uid"], origin)
            batch.append(entry)
            for key, written in index_keys(row["name"], row["aliases"]):
                slot = names.setdefault(key, [[], False, False])
                if not slot[0] or slot[0][-1] != number:
                    slot[0].append(number)
                bare = written[4:] if written[:4].lower() == "the " else written
                slot[1 if bare.isupper() else 2] = True
            if len(batch) >= 20_000:
                con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
                if bar is not None:
                    bar.update(len(batch))
                batch = []
        con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        if bar is not None:
            bar.update(len(batch))
        con.executemany("INSERT INTO names VALUES (?,?,?,?)",
                        ((key, ",".join(map(str, ids)), int(upper), int(lower)) for key, (ids, upper, lower) in names.items()))
        following: dict[str, set[str]] = {}
        for key in names:
            words = key.split(" ")
            for n in range(1, len(words) + 1):
                following.setdefault(" ".join(words[:n]), set())
                if n < len(words):
                    following[" ".join(words[:n])].add(words[n])
        con.executemany("INSERT INTO prefixes VALUES (?,?)", ((p, " ".join(sorted(w))) for p, w in following.items()))
        con.executemany("INSERT INTO kit_cache VALUES (?,?)",
                        [(key, str(value)) for key, value in stamp(FORMAT, VERSION).items()])
        con.executemany("INSERT INTO meta VALUES (?,?)", [
            ("fingerprint", wanted), ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S")),
            ("entries", str(number)), ("seconds", f"{time.perf_counter() - began:.1f}")])
        con.commit()
        con.close()
        os.replace(tmp, path)
    finally:
        con.close()
        if bar is not None:
            bar.close()
        tmp.unlink(missing_ok=True)


class WorldIndex:
    """Read access to an index file: lookups by key, prefix and kind, each answer remembered.

    One SQLite connection per process (a forked worker opens its own), read-only. ``problems``: the
    warning of an index file that was set aside when this one was opened (`open_index`).
    """

    def __init__(self, path: Path, fingerprint: str, problems: list[Problem] | None = None):
        self.path, self.fingerprint = Path(path), fingerprint
        self.problems = list(problems or [])
        self._con, self._pid = None, None
        self._entries: dict[int, Entry] = {}
        self._keys: dict[str, tuple] = {}
        self._prefixes: dict[str, frozenset | None] = {}

    def __getstate__(self):  # a worker opens its own connection and remembers its own answers
        return {"path": self.path, "fingerprint": self.fingerprint}

    def __setstate__(self, state):
        self.__init__(state["path"], state["fingerprint"])

    def _db(self) -> sqlite3.Connection:
        if self._con is None or self._pid != os.getpid():
            self._con = sqlite_connect(self.path, readonly=True, check_same_thread=False)
            self._pid = os.getpid()
            self._entries, self._keys, self._prefixes = {}, {}, {}
        return self._con

    def _key(self, key: str) -> tuple:
        """(entry numbers, written in capitals somewhere, written otherwise somewhere) of a key."""
        found = self._keys.get(key)
        if found is None:
            row = self._db().execute("SELECT ids, upper, lower FROM names WHERE key = ?", (key,)).fetchone()
            found = (tuple(int(i) for i in row[0].split(",")), bool(row[1]), bool(row[2])) if row else ((), False, False)
            if len(self._keys) < 200_000:
                self._keys[key] = found
        return found

    def has_key(self, key: str) -> bool:
        return bool(self._key(key)[0])

    def written_upper(self, key: str) -> tuple[bool, bool]:
        """(some name of the key is written in capitals, every one is)."""
        _, upper, lower = self._key(key)
        return upper, upper and not lower

    def candidates(self, key: str) -> tuple[Entry, ...]:
        return tuple(self.entry(number) for number in self._key(key)[0])

    def entry(self, number: int) -> Entry:
        found = self._entries.get(number)
        if found is None:
            row = self._db().execute("SELECT * FROM entries WHERE id = ?", (number,)).fetchone()
            found = self._entries[number] = _entry(row)
        return found

    def next_words(self, prefix: str) -> frozenset | None:
        """The words that continue ``prefix`` into a longer key; None when no key starts with it."""
        if prefix in self._prefixes:
            return self._prefixes[prefix]
        row = self._db().execute("SELECT next FROM prefixes WHERE prefix = ?", (prefix,)).fetchone()
        found = None if row is None else frozenset(row[0].split(" ")) if row[0] else frozenset()
        if len(self._prefixes) < 200_000:
            self._prefixes[prefix] = found
        return found

    def has_prefix(self, prefix: str) -> bool:
        return self.next_words(prefix) is not None

    def by_name(self, name: str) -> list[Entry]:
        """The entries whose own name is ``name`` exactly, else whose own name has its key."""
        rows = self._db().execute("SELECT id FROM entries WHERE name = ? ORDER BY id", (name,)).fetchall()
        if rows:
            return [self.entry(row[0]) for row in rows]
        return [e for e in self.candidates(name_key(name)) if name_key(e.name) == name_key(name)]

    def of_kinds(self, kinds) -> list[Entry]:
        kinds = tuple(kinds)
        marks = ",".join("?" * len(kinds))
        return [self.entry(row[0]) for row in self._db().execute(f"SELECT id FROM entries WHERE kind IN ({marks})", kinds)]

    def all_entries(self) -> list[Entry]:
        return [_entry(row) for row in self._db().execute("SELECT * FROM entries ORDER BY id")]

    def meta(self) -> dict:
        return dict(self._db().execute("SELECT key, value FROM meta"))


def _entry(row) -> Entry:
    (number, name, kind, country, admin1, lat, lon, precision, source, aliases, population, uid, _origin) = row
    return Entry(name=name, kind=kind, country=country, admin1=admin1, lat=lat, lon=lon, precision_km=precision,
                 source=source, aliases=tuple(aliases.split("|")) if aliases else (), population=population,
                 curated=False, uid=uid)

"""The offline gazetteer: every place the kit can find and locate without a network, worldwide.

Two layers, looked up together (the curated one first):

- the *curated* CSV files of ``data/gazetteer`` (``curated.csv``, and any other CSV with its
  columns, such as a newsroom's ``my_places.csv``): hand-checked places the open data lacks or
  gets wrong (bases, hospitals, neighbourhoods, seas, regions such as "the Golan Heights"),
  columns ``name,aliases,kind,country,admin1,lat,lon,precision_km,source,note``; read on every
  run (a few milliseconds), so an edited row counts at once;
- the *world index* (`kit.places.index`, built once from `kit.places.sources`): every country,
  every first-level division, every GeoNames place of 1,000+ people and every airport with an
  IATA code, in SQLite in the project's cache. An index file that cannot be used is set aside
  and built again (`kit.caches`); ``Gazetteer.problems`` says so, and the run reports it.

``not_places.csv`` lists words that name some village but are far more often ordinary words or
first names ("Hit", "Said", "Nov"): they count as places only in a clearly locative context ("in
Hit"); with ``never`` in its ``context`` column a word is never a place ("March", "Police").

Aliases are ``|``-separated; names are compared by `kit.places.names.name_key`.

Example:
    >>> gaz = load_gazetteer()
    >>> gaz.get("Baghdad").country, gaz.get("Kherson").country, gaz.get("Gezira").kind
    ('IQ', 'UA', 'governorate')
    >>> sorted({e.country for e in gaz.candidates("tripoli")})[:3]
    ['GR', 'LB', 'LY']
"""
from __future__ import annotations

import csv
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LexiconError, Problem
from ..memos import MemoDict
from ..paths import GAZETTEER
from ..project import find_project
from .index import WorldIndex, open_index
from .names import ARTICLES, MAX_TOKENS, PLACE_KINDS, Entry, fold, fold_token, index_keys, name_key, strip_article

__all__ = ["ARTICLES", "MAX_TOKENS", "PLACE_KINDS", "Entry", "Gazetteer", "fold", "fold_token", "load_gazetteer",
           "name_key", "read_numbered_rows"]

CURATED_COLUMNS = ("name", "aliases", "kind", "country", "admin1", "lat", "lon", "precision_km", "source")
NOT_PLACES_COLUMNS = ("word",)


@dataclass
class _Curated:
    """The curated entries and their lookups (small: built in memory on every load)."""

    entries: list[Entry]
    keys: dict[str, tuple[int, ...]]
    upper: dict[str, tuple[bool, bool]]
    next_words: dict[str, frozenset]
    by_name: dict[str, Entry]


def _curated_lookup(entries: list[Entry]) -> _Curated:
    keys: dict[str, list[int]] = {}
    upper: dict[str, list[bool]] = {}
    by_name: dict[str, Entry] = {}
    for number, entry in enumerate(entries):
        by_name.setdefault(entry.name, entry)
        by_name.setdefault(name_key(entry.name), entry)
        for key, written in index_keys(entry.name, entry.aliases):
            bucket = keys.setdefault(key, [])
            if number not in bucket:
                bucket.append(number)
            bare = written[4:] if written[:4].lower() == "the " else written
            upper.setdefault(key, []).append(bare.isupper())
    following: dict[str, set[str]] = {}
    for key in keys:
        words = key.split(" ")
        for n in range(1, len(words) + 1):
            following.setdefault(" ".join(words[:n]), set())
            if n < len(words):
                following[" ".join(words[:n])].add(words[n])
    return _Curated(entries, {k: tuple(v) for k, v in keys.items()},
                    {k: (any(f), all(f)) for k, f in upper.items()},
                    {k: frozenset(v) for k, v in following.items()}, by_name)


@dataclass
class Gazetteer:
    """The curated places and the world index behind one set of lookups (see the module docstring)."""

    curated: list[Entry]
    not_places: frozenset[str]
    fingerprint: str
    files: tuple[str, ...] = ()
    world: WorldIndex | None = None
    never_places: frozenset[str] = frozenset()
    cache: Path | None = field(default=None, repr=False)
    problems: list[Problem] = field(default_factory=list, repr=False, compare=False)  # an index set aside
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    # ----------------------------------------------------------------- lookups
    def _own(self) -> _Curated:
        return self.memo("curated", lambda: _curated_lookup(self.curated))

    def get(self, canonical: str) -> Entry | None:
        """The entry named ``canonical``: a curated name (exact, then by key) first, then the world's
        own names ("Kherson" is the city; its oblast is "Kherson oblast"), the largest first."""
        own = self._own().by_name
        found = own.get(canonical) or own.get(name_key(canonical))
        if found is not None or self.world is None:
            return found
        key = name_key(canonical)
        named = self.world.by_name(canonical) or list(self.world.candidates(key))
        return max(named, key=lambda e: (e.kind == "country", e.kind == "city", e.population)) if named else None

    def candidates(self, key: str) -> tuple[Entry, ...]:
        """Entries with a name or alias whose `name_key` is ``key`` (curated first)."""
        memo = self.memo("candidates", MemoDict)
        found = memo.get(key)
        if found is None:
            own = self._own()
            found = tuple(own.entries[i] for i in own.keys.get(key, ())) + (self.world.candidates(key) if self.world else ())
            if len(memo) < 100_000:
                memo[key] = found
        return found

    def has_key(self, key: str) -> bool:
        return key in self._own().keys or (self.world is not None and self.world.has_key(key))

    def next_words(self, prefix: str) -> frozenset | None:
        """The words that continue ``prefix`` into a longer name; None when no name starts with it."""
        own = self._own().next_words.get(prefix)
        world = self.world.next_words(prefix) if self.world is not None else None
        if own is None or world is None:
            return own if world is None else world
        return own | world

    def written_upper(self, key: str) -> tuple[bool, bool]:
        """(some name with this key is written in capitals, "UAE"; every one is, "US")."""
        own = self._own().upper.get(key)
        world = self.world.written_upper(key) if self.world is not None and self.world.has_key(key) else None
        if own is None or world is None:
            return own or world or (False, False)
        return own[0] or world[0], own[1] and world[1]

    def of_kinds(self, kinds) -> list[Entry]:
        """Every entry of one of ``kinds`` (curated first): the places a kind word may name."""
        kinds = tuple(kinds)
        return [e for e in self.curated if e.kind in kinds] + (self.world.of_kinds(kinds) if self.world else [])

    @property
    def entries(self) -> list[Entry]:
        """Every entry (curated first). Reads the whole world index: for checks, not for lookups."""
        return self.memo("entries", lambda: list(self.curated) + (self.world.all_entries() if self.world else []))

    def is_primary(self, entry: Entry, key: str) -> bool:
        """True when ``key`` is the entry's own name (not only one of its aliases)."""
        own_keys = self.memo("own-keys", MemoDict)  # name -> its key with and without the article
        if entry.name not in own_keys:
            own = name_key(entry.name)
            own_keys[entry.name] = (own, strip_article(own))
        return key in own_keys[entry.name]

    def memo(self, key, build):
        """Build a derived structure once per gazetteer (the place matcher keys it by lexicon)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def __getstate__(self):  # ship the curated rows and where the index is to workers, not the memo
        return {k: v for k, v in self.__dict__.items() if k not in ("_memo", "problems")}

    def __setstate__(self, state):
        self.__dict__.update(state, _memo={}, problems=[])
        world = self.world
        if world is not None and not world.path.is_file():  # a Dask worker on another machine builds its own
            self.world = open_index(self.cache or find_project().cache, progress=False)


# --------------------------------------------------------------------------- reading files


def _number(value: str, where: str, column: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise LexiconError(where, f"{column} {value!r} is not a number",
                           f"write a decimal number between {low:g} and {high:g}") from None
    if not (low <= number <= high) or math.isnan(number):
        raise LexiconError(where, f"{column} {value!r} is outside {low:g}..{high:g}",
                           "check that latitude and longitude are not swapped") from None
    return number


def _entry(row: dict[str, str], where: str) -> Entry:
    if not row["name"]:
        raise LexiconError(where, "the name is empty", "write the place's name in the first column")
    if row["kind"] not in PLACE_KINDS:
        raise LexiconError(where, f"kind {row['kind']!r} is not one of {', '.join(PLACE_KINDS)}",
                           "use one of those words")
    country = row["country"].upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country) or not country and row["kind"] in ("country", "city"):
        raise LexiconError(where, f"country {row['country']!r} is not a two-letter ISO code",
                           "write e.g. IQ for Iraq, UA for Ukraine, SD for Sudan (empty only for seas and regions)")
    if not row["source"]:
        raise LexiconError(where, "the source is empty", "say where the coordinates come from (every coordinate needs one)")
    population = row.get("population") or "0"
    return Entry(
        name=row["name"], kind=row["kind"], country=country, admin1=row.get("admin1", ""),
        lat=_number(row["lat"], where, "lat", -90, 90), lon=_number(row["lon"], where, "lon", -180, 180),
        precision_km=_number(row["precision_km"], where, "precision_km", 0.001, 20000),
        source=row["source"], aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
        population=int(_number(population, where, "population", 0, 1e10)), curated=True,
        uid=f"curated:{row['name']}",
    )


def read_numbered_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, row)]) of a CSV; '#' rows and blank rows are skipped."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            rows = []
            for cells in reader:
                if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                    continue
                if len(cells) > len(header):
                    raise LexiconError(f"{path}, line {reader.line_num}", "this row has more cells than the header",
                                       "put values that contain commas in double quotes")
                cells = cells + [""] * (len(header) - len(cells))
                rows.append((reader.line_num, {h: c.strip() for h, c in zip(header, cells)}))
            return header, rows
    except UnicodeDecodeError as exc:
        raise LexiconError(path, f"is not UTF-8 text ({exc.reason})", "save it again as UTF-8 CSV") from None


def _order(path: Path) -> tuple[int, str]:
    return ({"curated.csv": 0, "not_places.csv": 3}.get(path.name, 1), path.name)


def load_gazetteer(folder: Path | str | None = None, cache: Path | str | None = None, world: bool = True,
                   progress: bool = True) -> Gazetteer:
    """The curated CSV files of ``folder`` (default: the kit's ``data/gazetteer``) and the world index
    in ``cache`` (default: the project's ``data/cache``; built there on first use, `kit.places.index`).

    Raises `LexiconError` naming the file and line of a malformed row. ``world=False`` reads the
    curated files only (tests of those files). An index file that could not be used (set aside,
    `kit.places.index.open_index`) is reported in ``problems``.
    """
    folder = Path(folder or GAZETTEER)
    if not folder.is_dir():
        raise LexiconError(folder, "the gazetteer folder is missing", "restore data/gazetteer from the kit (git checkout data/)")
    paths = sorted(folder.glob("*.csv"), key=_order)
    digest = hashlib.sha256()
    entries: list[Entry] = []
    not_places: set[str] = set()
    never: set[str] = set()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        header, rows = read_numbered_rows(path)
        if set(NOT_PLACES_COLUMNS) <= set(header) and "lat" not in header:
            for _, row in rows:
                if row["word"]:
                    (never if row.get("context", "").lower() == "never" else not_places).add(name_key(row["word"]))
            continue
        if "lat" not in header and {"name", "country"} <= set(header) and "kind" not in header:
            continue  # seats of government (`kit.places.sources.national_capitals`), in the digest above
        missing = [c for c in CURATED_COLUMNS if c not in header]
        if missing:
            raise LexiconError(path, f"the header lacks the column(s) {', '.join(missing)}",
                               f"the first line must be: {','.join(CURATED_COLUMNS)}")
        entries.extend(_entry(row, f"{path}, line {line}") for line, row in rows)
    cache = Path(cache or find_project().cache)
    index = open_index(cache, progress=progress) if world else None
    if not entries and index is None:
        raise LexiconError(folder, "holds no gazetteer entries", "restore data/gazetteer from the kit (git checkout data/)")
    if index is not None:
        digest.update(b"world\0" + index.fingerprint.encode())
    return Gazetteer(entries, frozenset(not_places | never), digest.hexdigest()[:16], tuple(p.name for p in paths),
                     index, frozenset(never), cache, problems=list(index.problems) if index is not None else [])

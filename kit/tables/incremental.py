"""Write the tables incrementally: only the rows that changed since the last run are written.

A rerun after adding one article to 10,000 changes a few rows of each table. Rewriting 60 MB of
CSV and a 100 MB SQLite file for that took most of a rerun, so `write_tables` keeps a small
state file in the output folder (``.kit-state.npz``) describing what it wrote last time:

- for each CSV: its size and SHA-256, one 64-bit hash per row (`pandas.util.hash_pandas_object`)
  and the byte offset where each row starts;
- for ``kit.sqlite``: the row hashes of each table and a signature of the file (inode, size,
  modification time and SQLite's own change counter, which every write transaction bumps).

On the next run the new rows are hashed and compared with the old ones. The rows both tables
share at the start (prefix) and at the end (suffix) are copied from the old file; only the rows
in between are formatted (`to_csv`). The result is byte-for-byte the file a full rewrite gives,
and it is still written to a temporary file, flushed and renamed (`kit.tables.io.atomic_path`).
In ``kit.sqlite`` the changed tail of each table is deleted and inserted again, all tables in
one transaction: SQLite's rollback journal makes it all or nothing, and a run killed halfway
leaves a journal that SQLite applies (rolls back) the next time the file is opened.

Anything unexpected means a full rewrite of that file: no state, a state written by other kit
code or another pandas version, other columns, or a file on disk that is not the one the state
describes (a journalist edited or deleted it: size and SHA-256 for a CSV, the signature for the
SQLite file; a ``-wal`` file beside it also counts as changed).

Example:
    >>> import tempfile, pandas as pd
    >>> out = Path(tempfile.mkdtemp())
    >>> state = {}
    >>> info = write_csv_incremental(pd.DataFrame({"a": ["x", "y"]}), out / "t.csv", None)
    >>> info = write_csv_incremental(pd.DataFrame({"a": ["x", "y", "=z"]}), out / "t.csv", info)
    >>> (out / "t.csv").read_text(), info.reused_rows
    ("a\\nx\\ny\\n'=z\\n", 2)
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..caches import Unusable, check_stamp, set_aside, stamp
from .io import atomic_path, csv_text

STATE_NAME = ".kit-state.npz"
STATE_FORMAT, STATE_VERSION = "kit-output-state", 2  # version 1: the unstamped state of older kits
# an update that would move more rows than this share of the file's builds it anew instead (an
# article added near the start of the order moves every row after it: rebuilding is then faster)
REBUILD_SHARE = 0.3
_HASH_KEY = "kit-rows-v1-0123"  # 16 characters, as hash_pandas_object wants


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of ``frame`` (values and dtypes, not the index).

    >>> a = row_hashes(pd.DataFrame({"x": ["a", "b"]}))
    >>> bool(a[0] != a[1]), len(a)
    (True, 2)
    """
    if not len(frame.columns):
        return np.zeros(len(frame), dtype=np.uint64)
    return pd.util.hash_pandas_object(frame, index=False, hash_key=_HASH_KEY).to_numpy()


def shared_ends(old: np.ndarray, new: np.ndarray) -> tuple[int, int]:
    """(prefix, suffix): how many rows the two hash arrays share at the start and at the end.

    The two never overlap: ``prefix + suffix <= min(len(old), len(new))``.

    >>> shared_ends(np.array([1, 2, 3, 4]), np.array([1, 9, 3, 4]))
    (1, 2)
    """
    size = min(len(old), len(new))
    differ = np.flatnonzero(old[:size] != new[:size])
    prefix = int(differ[0]) if len(differ) else size
    tail_old, tail_new = old[prefix:][::-1], new[prefix:][::-1]
    size = min(len(tail_old), len(tail_new))
    differ = np.flatnonzero(tail_old[:size] != tail_new[:size])
    return prefix, int(differ[0]) if len(differ) else size


def record_ends(data: bytes) -> np.ndarray:
    """Offsets just after each CSV record's ``\\n`` (quoted line breaks are inside a record).

    A ``\\n`` ends a record when an even number of ``"`` precede it: quoted cells double their quotes.

    >>> record_ends(b'a,b\\n"x\\ny",2\\n').tolist()
    [4, 12]
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    # the quotes before each newline, counted among the quotes' offsets (not a running count per byte,
    # which took 8 bytes of memory for every byte of the file)
    quotes = np.flatnonzero(raw == ord('"'))
    newlines = np.flatnonzero(raw == ord("\n"))
    return newlines[np.searchsorted(quotes, newlines) % 2 == 0] + 1


def csv_bytes(frame: pd.DataFrame, header: bool = True) -> bytes:
    """The frame as the kit's CSV (`kit.tables.io.write_csv`: formula guard, ``\\n`` line ends), in memory."""
    return csv_text(frame, header=header).encode("utf-8")


@dataclass
class CsvState:
    """What `write_csv_incremental` wrote: enough to check the file and reuse its rows."""

    columns: tuple
    dtypes: tuple
    size: int
    sha256: str
    hashes: np.ndarray
    offsets: np.ndarray  # start of each row, then the file's end (len(hashes) + 1 entries)
    reused_rows: int = field(default=0, compare=False)


def _signature(frame: pd.DataFrame) -> tuple[tuple, tuple]:
    """Columns, and each column's dtype and whether it is all empty (`to_sql` gives an empty
    column another SQL type, so a change there rebuilds the table rather than appending)."""
    empty = frame.isna().all(axis=0) if len(frame) else pd.Series(True, index=frame.columns)
    return tuple(frame.columns), tuple(f"{t}{'/empty' if e else ''}" for t, e in zip(frame.dtypes, empty))


def _usable_csv(old: CsvState | None, frame: pd.DataFrame, target: Path) -> bytes | None:
    """The old file's bytes when they are exactly what ``old`` describes, else None."""
    if old is None or (old.columns, old.dtypes) != _signature(frame):
        return None
    try:
        if target.stat().st_size != old.size:
            return None
        data = target.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == old.sha256 else None


def write_csv_incremental(frame: pd.DataFrame, target: Path, old: CsvState | None,
                          hashes: np.ndarray | None = None) -> CsvState:
    """Write ``frame`` to ``target`` as `kit.tables.io.write_csv` would, reusing the unchanged rows of the
    old file that ``old`` describes; returns the new file's state. ``hashes``: the frame's
    `row_hashes` when the caller has them already."""
    target = Path(target)
    hashes = row_hashes(frame) if hashes is None else hashes
    data = _usable_csv(old, frame, target)
    if data is not None:
        prefix, suffix = shared_ends(old.hashes, hashes)
        if prefix == len(hashes) == len(old.hashes):
            return CsvState(*_signature(frame), old.size, old.sha256, hashes, old.offsets, prefix)
        middle = csv_bytes(frame.iloc[prefix:len(frame) - suffix], header=False)
        head, tail = old.offsets[prefix], old.offsets[len(old.hashes) - suffix]
        data = data[:head] + middle + data[tail:]
        offsets = np.concatenate([old.offsets[:prefix + 1], head + record_ends(middle),
                                  old.offsets[len(old.hashes) - suffix + 1:] - tail + head + len(middle)])
        reused = prefix + suffix
    else:
        data = csv_bytes(frame)
        offsets = np.concatenate([[0], record_ends(data)])[1:]  # drop the header's start
        reused = 0
    with atomic_path(target, ".csv") as tmp:
        tmp.write_bytes(data)
    return CsvState(*_signature(frame), len(data), hashlib.sha256(data).hexdigest(), hashes,
                    offsets.astype(np.int64), reused)


# --------------------------------------------------------------------------- SQLite


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """What goes into SQLite: Python objects, None for missing (as `kit.tables.io.write_sqlite`)."""
    return frame.astype(object).where(frame.notna(), None)


def sqlite_signature(path: Path) -> tuple | None:
    """(inode, size, mtime_ns, change counter) of a SQLite file, or None when missing or in WAL mode.

    SQLite bumps the change counter (header bytes 24-27) on every write transaction, so an edit
    made within the file system's timestamp resolution is still seen.
    """
    path = Path(path)
    try:
        if Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists():
            return None
        info = path.stat()
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or header[18:20] != b"\x01\x01":  # rollback-journal mode only
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, header[24:28]


@dataclass
class SqliteState:
    tables: dict  # name -> (columns, dtypes, hashes)
    signature: tuple


def _create(con, name: str, frame: pd.DataFrame, index: bool) -> None:
    _plain(frame).to_sql(name, con, index=False, if_exists="replace")
    if index:
        con.execute(f'CREATE INDEX IF NOT EXISTS "idx_{name}_article" ON "{name}"(article_id)')


def _update(con, name: str, frame: pd.DataFrame, hashes: np.ndarray, old_hashes: np.ndarray) -> None:
    """Delete the table's rows after the shared prefix and insert the new ones (rowids stay 1..n).

    Plain statements, no `to_sql` (which commits): the caller commits every table at once.
    """
    prefix, _ = shared_ends(old_hashes, hashes)
    if prefix == len(hashes) == len(old_hashes):
        return
    con.execute(f'DELETE FROM "{name}" WHERE rowid > ?', (prefix,))
    if prefix < len(frame):
        marks = ", ".join("?" * len(frame.columns))
        con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', _plain(frame.iloc[prefix:]).itertuples(index=False, name=None))


def _recover(target: Path) -> None:
    """A run killed during an update leaves ``kit.sqlite-journal``: opening the file makes SQLite
    roll the interrupted transaction back. A journal that cannot be applied is removed, so it can
    never be applied to the file built anew in its place."""
    journal = Path(f"{target}-journal")
    if not journal.exists():
        return
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(target, timeout=30)) as con:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    journal.unlink(missing_ok=True)


def _moved_rows(old: SqliteState, state: dict) -> int:
    """Rows an in-place update would delete and insert again: those after each table's shared start."""
    moved = 0
    for name, (_, _, hashes) in state.items():
        prefix, _ = shared_ends(old.tables[name][2], hashes)
        moved += len(old.tables[name][2]) - prefix + len(hashes) - prefix
    return moved


def write_sqlite_incremental(tables: dict[str, pd.DataFrame], target: Path, old: SqliteState | None,
                             indexed: set[str], known: dict[str, CsvState] | None = None) -> SqliteState:
    """All ``tables`` in one SQLite file, changing only the rows that differ from the file
    ``old`` describes, in one transaction (SQLite's rollback journal makes it all or nothing);
    anything else is built anew in a temporary file renamed over the old one.
    ``known``: the states of the same tables written as CSV (their row hashes are reused)."""
    target = Path(target)
    known = known or {}
    _recover(target)
    state = {name: (known[name].columns, known[name].dtypes, known[name].hashes) if name in known
             else (*_signature(frame), row_hashes(frame)) for name, frame in tables.items()}
    reuse = (old is not None and old.signature is not None and old.signature == sqlite_signature(target)
             and set(old.tables) == set(state) and all(old.tables[n][:2] == state[n][:2] for n in state)
             and _moved_rows(old, state) <= REBUILD_SHARE * sum(len(s[2]) for s in state.values()))
    if reuse:
        if any(not np.array_equal(old.tables[n][2], state[n][2]) for n in state):
            with contextlib.closing(sqlite3.connect(target, timeout=30)) as con:
                for name, frame in tables.items():
                    _update(con, name, frame, state[name][2], old.tables[name][2])
                con.commit()
        return SqliteState(state, sqlite_signature(target))
    with atomic_path(target, ".sqlite") as tmp:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            for name, frame in tables.items():
                _create(con, name, frame, name in indexed)
            con.commit()
    return SqliteState(state, sqlite_signature(target))


# --------------------------------------------------------------------------- the state file


def load_state(out: Path, version: str, problems: list | None = None) -> dict:
    """The state the last `write_tables` left in ``out`` if written by this ``version``, else {}.

    The file holds JSON and plain arrays only (no pickle: an output folder may come from
    someone else, and loading it must not run code). One written by other code or another
    pandas is stale: every table is written in full. One that is not a state file of this
    format (damaged, cut short, another kit version) is set aside and reported in ``problems``.
    """
    path = Path(out) / STATE_NAME
    try:
        return _read_state(path, version)
    except FileNotFoundError:
        return {}
    except Unusable as exc:
        reason = exc.reason
    except Exception as exc:  # noqa: BLE001 - a damaged zip or array raises many kinds: never trusted
        reason = f"it is damaged or cut short ({type(exc).__name__}: {exc})"
    problem = set_aside(path, reason, "every table was written in full")
    if problems is not None:
        problems.append(problem)
    return {}


def _read_state(path: Path, version: str) -> dict:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head != b"PK\x03\x04":
        raise Unusable("it is empty" if not head else "it is not a state file of the kit")
    with np.load(path, allow_pickle=False) as saved:
        if saved["meta"].dtype.kind == "U":  # kits before issue 13 kept the JSON as a numpy text array
            raise Unusable("it was written by an older version of the kit")
        meta = json.loads(saved["meta"].tobytes().decode("utf-8"))
        check_stamp(meta.get("stamp") if isinstance(meta, dict) else None, STATE_FORMAT, STATE_VERSION)
        if meta.get("version") != version:
            return {}
        csv = {name: CsvState(tuple(m["columns"]), tuple(m["dtypes"]), int(m["size"]), str(m["sha256"]),
                              _array(saved, f"csv/{name}/hashes", np.uint64),
                              _array(saved, f"csv/{name}/offsets", np.int64))
               for name, m in meta["csv"].items()}
        for info in csv.values():
            if len(info.offsets) != len(info.hashes) + 1:
                raise Unusable("its row offsets do not match its rows")
        sqlite = None
        if meta["sqlite"] is not None:
            tables = {name: (tuple(m["columns"]), tuple(m["dtypes"]), _array(saved, f"sqlite/{name}/hashes", np.uint64))
                      for name, m in meta["sqlite"]["tables"].items()}
            signature = meta["sqlite"]["signature"]
            sqlite = SqliteState(tables, None if signature is None else (*map(int, signature[:3]), bytes.fromhex(signature[3])))
    return {"version": version, "csv": csv, "sqlite": sqlite}


def _array(saved, name: str, dtype) -> np.ndarray:
    value = saved[name]
    if value.dtype != dtype or value.ndim != 1:
        raise Unusable(f"its array {name} has the wrong type")
    return value


def save_state(out: Path, state: dict) -> None:
    """Keep ``state`` (see `load_state`) beside the tables, atomically."""
    arrays, meta = {}, {"stamp": stamp(STATE_FORMAT, STATE_VERSION), "version": state["version"], "csv": {}, "sqlite": None}
    for name, info in state["csv"].items():
        meta["csv"][name] = {"columns": list(info.columns), "dtypes": list(info.dtypes), "size": int(info.size),
                             "sha256": info.sha256}
        arrays[f"csv/{name}/hashes"], arrays[f"csv/{name}/offsets"] = info.hashes, info.offsets
    if state["sqlite"] is not None:
        signature = state["sqlite"].signature
        meta["sqlite"] = {"tables": {}, "signature": None if signature is None else [*map(int, signature[:3]), signature[3].hex()]}
        for name, (columns, dtypes, hashes) in state["sqlite"].tables.items():
            meta["sqlite"]["tables"][name] = {"columns": list(columns), "dtypes": list(dtypes)}
            arrays[f"sqlite/{name}/hashes"] = hashes
    with atomic_path(Path(out) / STATE_NAME, ".npz") as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **arrays)

"""The last run's rows per article, so a rerun only computes the articles that changed.

Everything in the tables that depends on one article only is kept per article in
``CACHE/snapshot.pickle`` after each run: its row of ``articles``, its ``places`` rows (geocoded,
with ``in_scope``), its casualty and attribution claims (before event ids and claim corrections),
its incident (place, date, label), its read warnings, the place corrections it used, and its
analysed text (for ``kit.sqlite``).

An article's rows are reused only when both hold:

- its *read key* is unchanged: the SHA-256 of the file's bytes, its name, its manifest row, the
  lexicons and the kit's code (`kit.articles._cache_key`), i.e. everything reading it depends on;
- the snapshot's *context* is unchanged: the kit's code, the lexicons, the gazetteer, the bytes of
  ``corrections/places.csv``, the content of the geocode cache and offline mode (online runs keep
  no snapshot: an online answer may change between runs).

What depends on several articles (linking incidents, event ids, the claim corrections, the
``events`` and ``problems`` tables) is computed again on every run from these per-article parts.

Example:
    >>> import tempfile
    >>> snap = Snapshot.load(tempfile.mkdtemp(), "context")
    >>> snap.lookup("no such key") is None, len(snap.blocks)
    (True, 0)
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .io import atomic_path

SNAPSHOT_NAME = "snapshot.pickle"
ROW_TABLES = ("articles", "places", "casualty_claims", "attribution_claims")


@dataclass
class Block:
    """One article's share of the tables (see the module docstring); ``rows[table]`` counts its rows."""

    key: str
    article_id: str
    file: str
    published: str
    label: str
    date: str
    place: dict
    casualties: list  # its casualty claims about its own incident, for the events table
    n_attributions: int  # its attribution claims about its own incident
    warnings: list
    fixes_used: set
    text: str
    rows: dict = field(default_factory=dict)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or "missing"."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def geocache_digest(cache_dir: Path) -> str:
    """SHA-256 of every row of the geocode cache (``geocode.sqlite``), or "missing"."""
    path = Path(cache_dir) / "geocode.sqlite"
    if not path.exists():
        return "missing"
    digest = hashlib.sha256()
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as con:
        for row in con.execute("SELECT * FROM geocode ORDER BY query"):
            digest.update(repr(row).encode("utf-8"))
    return digest.hexdigest()


class Snapshot:
    """The blocks of the last run (by read key) and their rows in four frames."""

    def __init__(self, path: Path, context: str, blocks=None, frames=None):
        self.path, self.context = Path(path), context
        self.blocks: list[Block] = blocks or []
        self.frames: dict[str, pd.DataFrame] = frames or {}
        self.by_key = {b.key: i for i, b in enumerate(self.blocks)}

    @classmethod
    def load(cls, cache_dir: Path, context: str) -> "Snapshot":
        """The snapshot in ``cache_dir`` if it was made in this ``context``, else an empty one."""
        path = Path(cache_dir) / SNAPSHOT_NAME
        try:
            with open(path, "rb") as handle:
                saved = pickle.load(handle)
            if saved["context"] == context:
                return cls(path, context, saved["blocks"], saved["frames"])
        except Exception:  # noqa: BLE001 - missing, damaged or from other code: start afresh
            pass
        return cls(path, context)

    def lookup(self, key: str) -> Block | None:
        index = self.by_key.get(key)
        return None if index is None else self.blocks[index]

    def save(self, blocks: list[Block], frames: dict[str, pd.DataFrame]) -> None:
        """Keep ``blocks`` and their rows for the next run (atomically: temporary file + rename)."""
        with atomic_path(self.path, ".pickle") as tmp:
            with open(tmp, "wb") as handle:
                pickle.dump({"context": self.context, "blocks": blocks, "frames": frames}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)


def row_indexer(sources: list[tuple[int, int]], counts: list[np.ndarray]) -> np.ndarray:
    """Row positions in the concatenation of several frames, block by block.

    ``sources``: for each block in the wanted order, (frame number, block number within it);
    ``counts[f]``: the row count of each block of frame ``f``, in that frame's order.

    >>> row_indexer([(1, 0), (0, 1)], [np.array([2, 1]), np.array([3])]).tolist()
    [3, 4, 5, 2]
    """
    offsets = np.cumsum([0] + [int(c.sum()) for c in counts[:-1]])
    starts = [offsets[f] + np.concatenate([[0], np.cumsum(c)[:-1]]) for f, c in enumerate(counts)]
    first = np.array([starts[f][b] for f, b in sources], dtype=np.int64)
    length = np.array([counts[f][b] for f, b in sources], dtype=np.int64)
    if not len(length) or not length.sum():
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(length)
    return np.repeat(first - (ends - length), length) + np.arange(ends[-1])


def assemble(sources: list[tuple[int, int]], parts: list[tuple[list[Block], dict[str, pd.DataFrame]]]) -> dict:
    """The four per-article tables in ``sources`` order, from the rows of several block lists."""
    tables = {}
    for name in ROW_TABLES:
        frames = [frames[name] for _, frames in parts]
        counts = [np.array([b.rows[name] for b in blocks], dtype=np.int64) for blocks, _ in parts]
        whole = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        tables[name] = whole.take(row_indexer(sources, counts)).reset_index(drop=True)
    return tables

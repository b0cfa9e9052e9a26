"""The last run's rows per article, so a rerun only computes the articles that changed.

Everything in the tables that depends on one article only is kept per article in
``CACHE/snapshot.pickle`` after each run: its row of ``articles``, its ``places`` rows (geocoded,
with ``in_scope``), its casualty and attribution claims (before event ids and claim corrections),
its incident (place, date, label), its read warnings, the place corrections it used, and its
analysed text (for ``kit.sqlite``).

An article's rows are reused only when both hold:

- its *read key* is unchanged: the SHA-256 of the file's bytes, its name, its manifest row, the
  lexicons and the kit's code (`kit.articles.reading._cache_key`), i.e. everything reading it depends on;
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
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .io import atomic_path

SNAPSHOT_NAME = "snapshot.pickle"
DELTA_NAME = "snapshot-delta.pickle"
DELTA_SHARE = 0.1  # a delta larger than this share of the base's rows is folded into a new base
ROW_TABLES = ("articles", "places", "casualty_claims", "attribution_claims")
HASHED = ("articles", "places")  # tables written exactly as assembled: their row hashes are kept too


def hashes_key(table: str) -> str:
    """Where a part's frames keep ``table``'s row hashes (one ``hash`` column)."""
    return f"{table} row hashes"


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
    failed: str = ""  # the extraction crashed (`kit.pipeline.extract.extract_or_report`): not kept, tried again next run
    link: dict = field(default_factory=dict)  # what else links its incident to others' (`kit.incidents.linking.link_data`)


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
    """The blocks of the last run and their rows, as a base and a small delta (see `save`)."""

    def __init__(self, folder: Path, context: str, base=None, delta=None):
        self.folder, self.context = Path(folder), context
        self.token = base["token"] if base else ""
        self.parts: list[tuple[list[Block], dict[str, pd.DataFrame]]] = []
        for saved in (base, delta):
            if saved:
                self.parts.append((saved["blocks"], saved["frames"]))
        self.where = {id(b): (p, i) for p, (blocks, _) in enumerate(self.parts) for i, b in enumerate(blocks)}
        self.by_key = {b.key: b for blocks, _ in self.parts for b in blocks}
        self.blocks: list[Block] = [self.by_key[k] for k in delta["order"]] if delta else (base["blocks"] if base else [])

    @classmethod
    def load(cls, cache_dir: Path, context: str) -> "Snapshot":
        """The snapshot in ``cache_dir`` if it was made in this ``context``, else an empty one."""
        base = _read(Path(cache_dir) / SNAPSHOT_NAME, context, None)
        delta = _read(Path(cache_dir) / DELTA_NAME, context, base["token"]) if base else None
        return cls(cache_dir, context, base, delta)

    def lookup(self, key: str) -> Block | None:
        return self.by_key.get(key)

    def save(self, blocks: list[Block], parts: list, where: dict) -> None:
        """Keep ``blocks`` (this run's, in order) for the next run; their rows are in ``parts``
        (this run's new blocks and rows first, then this snapshot's parts) at ``where[id(block)]``.

        When few blocks are new since the base was written, only those go into a small delta file
        beside the base (a rerun after adding one article writes kilobytes, not the whole corpus);
        else a new base is written and the delta dropped. Both are caches: written atomically,
        not flushed to disk.
        """
        blocks = [b for b in blocks if not b.failed]
        base = self.parts[0][0] if self.parts else []
        base_ids = {id(b) for b in base}
        extra = [b for b in blocks if id(b) not in base_ids]
        base_rows = sum(sum(b.rows.values()) for b in base)
        if base and sum(sum(b.rows.values()) for b in extra) <= DELTA_SHARE * base_rows:
            _write(self.folder / DELTA_NAME, {"context": self.context, "token": self.token, "blocks": extra,
                                              "frames": assemble([where[id(b)] for b in extra], parts),
                                              "order": [b.key for b in blocks]})
            return
        _write(self.folder / SNAPSHOT_NAME, {"context": self.context, "token": secrets.token_hex(8), "blocks": blocks,
                                             "frames": assemble([where[id(b)] for b in blocks], parts)})
        (self.folder / DELTA_NAME).unlink(missing_ok=True)


def _read(path: Path, context: str, token: str | None) -> dict | None:
    """A saved base (``token`` None) or delta (its base's ``token``) made in ``context``, else None."""
    try:
        with open(path, "rb") as handle:
            saved = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, damaged or from other code: start afresh
        return None
    if saved.get("context") != context or (token is not None and saved.get("token") != token):
        return None
    return saved


def _write(path: Path, saved: dict) -> None:
    with atomic_path(path, ".pickle", durable=False) as tmp:
        with open(tmp, "wb") as handle:
            pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)


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
    """The four per-article tables (and the row hashes of `HASHED`) in ``sources`` order, from the
    rows of several block lists."""
    tables = {}
    for name in ROW_TABLES + tuple(map(hashes_key, HASHED)):
        table = name.removesuffix(" row hashes")
        frames = [frames[name] for _, frames in parts]
        counts = [np.array([b.rows[table] for b in blocks], dtype=np.int64) for blocks, _ in parts]
        whole = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        tables[name] = whole.take(row_indexer(sources, counts)).reset_index(drop=True)
    return tables

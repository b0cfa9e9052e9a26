"""The last run's rows per article, so a rerun only computes the articles that changed.

Everything in the tables that depends on one article only is kept per article in
``CACHE/snapshot.npz`` after each run (plain arrays and UTF-8 text, `kit.tables.columns`; no pickle): its row of ``articles``, its ``places`` rows (geocoded,
with ``in_scope``), its casualty and attribution claims (before event ids and claim corrections),
its incident (place, date, label), its read warnings, the place corrections it used, and its
analysed text (for ``kit.sqlite``).

An article's rows are reused only when both hold:

- its *read key* is unchanged: the SHA-256 of the file's bytes, its name, its manifest row, the
  lexicons and the kit's code (`kit.articles.reading._cache_key`), i.e. everything reading it depends on;
- the snapshot's *context* is unchanged: the kit's code, the lexicons, the gazetteer, the bytes of
  ``corrections/places.csv``, the content of the geocode cache and offline mode (online runs keep
  no snapshot: an online answer may change between runs).

A snapshot file that is damaged, cut short, not a snapshot or of another kit version is set
aside (`kit.caches.set_aside`) and the articles are computed again; `Snapshot.problems` says so.
One made in another context is only stale: it is not used, and the next save replaces it.

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
import json
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..caches import Unusable, check_stamp, remove_stale_temporaries, set_aside, sqlite_connect, stamp
from ..errors import Problem
from .columns import decode_frame, decode_lists, encode_frame, utf8_text
from .io import atomic_path

SNAPSHOT_NAME = "snapshot.npz"
DELTA_NAME = "snapshot-delta.npz"
FORMAT, VERSION = "kit-snapshot", 3  # 2: each block keeps what links its incident (Block.link); 3: its place's country
ZIP_MAGIC = b"PK\x03\x04"
ORPHAN = object()  # the token of a delta read without its base: its envelope is checked, its rows not used
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
    try:
        with closing(sqlite_connect(path, readonly=True)) as con:
            for row in con.execute("SELECT * FROM geocode ORDER BY query"):
                digest.update(repr(row).encode("utf-8"))
    except sqlite3.Error as exc:  # `kit.places.geocache.check_geocode_cache` reports it
        return f"unreadable: {exc}"
    return digest.hexdigest()


class Snapshot:
    """The blocks of the last run and their rows, as a base and a small delta (see `save`)."""

    def __init__(self, folder: Path, context: str, base=None, delta=None, problems=None):
        self.folder, self.context = Path(folder), context
        self.problems: list[Problem] = list(problems or [])
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
        """The snapshot in ``cache_dir`` if it was made in this ``context``, else an empty one
        (an unusable file is set aside, see `problems`)."""
        problems = []
        base = _read(Path(cache_dir) / SNAPSHOT_NAME, context, None, problems)
        # without a base a delta is of no use, but one that is not a snapshot file is set aside all the same
        delta = _read(Path(cache_dir) / DELTA_NAME, context, base["token"] if base else ORPHAN, problems)
        return cls(cache_dir, context, base, delta, problems)

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
            _write(self.folder / DELTA_NAME, "delta", {"context": self.context, "token": self.token, "blocks": extra,
                                              "frames": assemble([where[id(b)] for b in extra], parts),
                                              "order": [b.key for b in blocks]})
            return
        _write(self.folder / SNAPSHOT_NAME, "base", {"context": self.context, "token": secrets.token_hex(8), "blocks": blocks,
                                             "frames": assemble([where[id(b)] for b in blocks], parts)})
        (self.folder / DELTA_NAME).unlink(missing_ok=True)


def _read(path: Path, context: str, token: str | None, problems: list) -> dict | None:
    """A saved base (``token`` None) or delta (its base's ``token``) made in ``context``, else None.

    A file that is not a usable snapshot is set aside and reported in ``problems``; one of
    another context (or a delta of another base) is stale and quietly not used.
    """
    try:
        return _load(path, context, token)
    except FileNotFoundError:
        return None
    except Unusable as exc:
        problems.append(set_aside(path, exc.reason, "the articles it held are computed again"))
    except Exception as exc:  # noqa: BLE001 - a damaged zip or array raises many kinds: never trusted
        problems.append(set_aside(path, f"it is damaged or cut short ({type(exc).__name__}: {exc})",
                                  "the articles it held are computed again"))
    return None


def _load(path: Path, context: str, token: str | None) -> dict | None:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if not head:
        raise Unusable("it is empty")
    if head != ZIP_MAGIC:
        raise Unusable("it is not a kit cache file")
    with np.load(path, allow_pickle=False) as saved:
        if "meta" not in saved.files:
            raise Unusable("it is not a kit cache file")
        meta = json.loads(utf8_text(saved["meta"]))
        check_stamp(meta, FORMAT, VERSION)
        if meta.get("kind") != ("base" if token is None else "delta"):
            raise Unusable("it is not a kit cache of this kind")
        if token is ORPHAN or meta.get("context") != context or (token is not None and meta.get("token") != token):
            return None  # made by another run's inputs: stale, not damaged
        arrays = {name: saved[name] for name in saved.files if name != "meta"}
    blocks = _decode_blocks(meta, arrays)
    frames = {name: decode_frame(spec, arrays, name) for name, spec in meta["tables"].items()}
    if set(frames) != set(ROW_TABLES + tuple(map(hashes_key, HASHED))):
        raise Unusable("it lacks some of the tables")
    totals = {table: sum(b.rows[table] for b in blocks) for table in ROW_TABLES}
    for name, frame in frames.items():
        if len(frame) != totals[name.removesuffix(" row hashes")]:
            raise Unusable(f"its {name} table does not match its articles")
    saved = {"context": meta["context"], "token": meta["token"], "blocks": blocks, "frames": frames}
    if token is not None:
        saved["order"] = list(meta["order"])
        if not all(isinstance(k, str) for k in saved["order"]):
            raise Unusable("its article order is damaged")
    return saved


_BLOCK_TEXTS = ("key", "article_id", "file", "published", "label", "date", "text", "failed")
PLACE_KEYS = ("canonical", "lat", "lon", "precision_km", "kind", "country")  # `kit.incidents.linking`'s incident place
CASUALTY_KEYS = ("outcome", "count_min", "count_max", "speaker", "sentence")
LINK_TEXTS = ("date_kind", "month_day")  # `kit.incidents.linking.LINK_FIELDS`, as columns: these two, the
                                         # weekday (a number, -1 for none) and the actors ("; "-joined)


def _encode_blocks(blocks: list[Block]) -> tuple[dict, dict]:
    """The blocks as two tables (`kit.tables.columns`): one row per block, one per casualty claim;
    their few warnings and corrections used as a JSON document."""
    place_keys, claim_keys = set(PLACE_KEYS), set(CASUALTY_KEYS)
    if any(b.place.keys() != place_keys or any(c.keys() != claim_keys for c in b.casualties) for b in blocks):
        raise TypeError("a block's place or casualty claims have other fields than the snapshot keeps")
    frame = pd.DataFrame({name: pd.array([getattr(b, name) for b in blocks], dtype="object") for name in _BLOCK_TEXTS})
    for key in PLACE_KEYS:
        values = [b.place[key] for b in blocks]
        frame[f"place {key}"] = pd.array(values, dtype="object" if key in ("canonical", "kind", "country") else "Float64")
    for key in LINK_TEXTS:
        frame[f"link {key}"] = pd.array([str(b.link.get(key, "")) for b in blocks], dtype="object")
    frame["link weekday"] = np.array([int(b.link.get("weekday", -1)) for b in blocks], dtype=np.int64)
    frame["link actors"] = pd.array(["; ".join(b.link.get("actors", ())) for b in blocks], dtype="object")
    frame["n_attributions"] = np.array([b.n_attributions for b in blocks], dtype=np.int64)
    frame["n_casualties"] = np.array([len(b.casualties) for b in blocks], dtype=np.int64)
    for table in ROW_TABLES:
        frame[f"rows {table}"] = np.array([b.rows[table] for b in blocks], dtype=np.int64)
    claims = [c for b in blocks for c in b.casualties]
    casualties = pd.DataFrame({key: pd.array([c[key] for c in claims], dtype="Int64" if key.startswith("count") else "object")
                               for key in CASUALTY_KEYS})
    spec, arrays = encode_frame(frame, "blocks")
    spec["casualties"], more = encode_frame(casualties, "casualties")
    arrays.update(more)
    rare = {i: [[w.as_row() for w in b.warnings], sorted(b.fixes_used)] for i, b in enumerate(blocks) if b.warnings or b.fixes_used}
    arrays["blocks/rare"] = np.frombuffer(json.dumps(list(rare.items()), ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    return spec, arrays


def _decode_blocks(meta: dict, arrays: dict) -> list[Block]:
    columns = decode_lists(meta["blocks"], arrays, "blocks")
    claims = decode_lists(meta["blocks"]["casualties"], arrays, "casualties")
    counts = ("n_attributions", "n_casualties", *(f"rows {t}" for t in ROW_TABLES))
    links = (*(f"link {k}" for k in LINK_TEXTS), "link weekday", "link actors")
    if list(columns) != [*_BLOCK_TEXTS, *(f"place {k}" for k in PLACE_KEYS), *links, *counts] \
            or list(claims) != list(CASUALTY_KEYS) or sum(columns["n_casualties"]) != len(claims["outcome"]) \
            or any(n < 0 for name in counts for n in columns[name]):
        raise Unusable("its list of articles is damaged")
    claim_rows = [dict(zip(CASUALTY_KEYS, values)) for values in zip(*claims.values())]
    try:
        rare = dict(json.loads(utf8_text(arrays["blocks/rare"])))
        blocks, start = [], 0
        places = zip(*(columns[f"place {key}"] for key in PLACE_KEYS))
        linked = zip(*(columns[name] for name in links))
        for number, (key, article_id, file, published, label, date, text, failed, place, link, n_attributions, n_claims,
                     *rows) in enumerate(zip(*(columns[name] for name in _BLOCK_TEXTS), places, linked,
                                             *(columns[name] for name in counts))):
            warnings, fixes = rare.get(number, ((), ()))
            date_kind, month_day, weekday, actors = link
            link = {"date_kind": date_kind, "month_day": month_day, "weekday": int(weekday),
                    "actors": [a for a in actors.split("; ") if a]}
            blocks.append(Block(key, article_id, file, published, label, date, dict(zip(PLACE_KEYS, place)),
                                claim_rows[start:start + n_claims], n_attributions, [Problem(**w) for w in warnings],
                                set(fixes), text, dict(zip(ROW_TABLES, rows)), failed, link))
            start += n_claims
    except (TypeError, ValueError) as exc:
        raise Unusable(f"its list of articles is damaged ({exc})") from None
    return blocks


def _write(path: Path, kind: str, saved: dict) -> None:
    """Keep a base or delta (`Snapshot.save`) in ``path``: written to a temporary file and renamed,
    so a run killed halfway leaves the old file or the new one, never a part."""
    meta = dict(stamp(FORMAT, VERSION), kind=kind, context=saved["context"], token=saved["token"],
                order=saved.get("order"), tables={})
    meta["blocks"], arrays = _encode_blocks(saved["blocks"])
    for name, frame in saved["frames"].items():
        meta["tables"][name], more = encode_frame(frame, name)
        arrays.update(more)
    remove_stale_temporaries(path.parent, f".{path.name}.*.tmp")
    with atomic_path(path, ".npz", durable=False) as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **arrays)


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

"""Inputs for the cache tests: a hostile pickle, a project run twice, and ways to damage a cache file."""
from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np

from kit.bench.synthetic import make_corpus
from kit.paths import SEEDS
from kit.pipeline.runner import run

# Every name under which a kit has ever kept a file it reads back (from `git log --all -p`):
# the cache folder's, then the output folder's. `test_hostile_caches` checks that a run writes no other.
# (``gazetteer.json``, the parsed gazetteer of the caches branch, never reached a kit: the world index
# ``gazetteer.sqlite`` replaced the parsed gazetteer in the same merge, and nothing reads that name.)
CACHE_NAMES = ("snapshot.pickle", "snapshot-delta.pickle", "gazetteer.pickle", "extractions.sqlite", "articles.sqlite",
               "geocode.sqlite", "snapshot.npz", "snapshot-delta.npz", "gazetteer.sqlite")
OUTPUT_NAMES = (".kit-state.pickle", ".kit-state.npz", ".kit-stamp.json", "kit.sqlite")


class Hostile:
    """Unpickling this runs ``os.mkdir(marker)``: the marker folder shows that code ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def hostile_pickle(marker: Path) -> bytes:
    import pickle  # tests only: the package never imports it (tests/test_forbidden_loaders.py)

    return pickle.dumps({"context": Hostile(marker), "blocks": 1}, protocol=2)


class Project:
    """Seeds and a few synthetic articles, run twice (so the snapshot has a base and a delta)."""

    def __init__(self, root: Path):
        self.root = root
        self.articles = root / "articles"
        shutil.copytree(SEEDS, self.articles)
        make_corpus(3, root / "syn", seed=5)
        self.cache, self.out = root / "cache", root / "out"

    def run(self, **kwargs):
        return run([self.articles, self.root / "syn"], self.out, cache_dir=self.cache,
                   corrections_dir=self.root / "corrections", progress=False, **kwargs)

    def prepared(self):
        """Run, add one short article, run again: every cache file and the state exist (the new article's
        rows are few enough for a delta beside the snapshot, `kit.tables.snapshot.DELTA_SHARE`); returns
        the last result."""
        self.run()
        text = (self.root / "syn" / "syn_000001.txt").read_text(encoding="utf-8")
        (self.root / "syn" / "extra.txt").write_text("\n".join(text.splitlines()[:8]) + "\n", encoding="utf-8")
        return self.run()


def same_tables(first, second) -> bool:
    return all(first.tables[name].equals(second.tables[name]) for name in first.tables if name != "problems")


# --------------------------------------------------------------------------- damage


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def binary(path: Path) -> None:
    path.write_bytes(random.Random(13).randbytes(4096))


def wrong_version(path: Path) -> None:
    """The file as another kit version would write it (its stamp's format version changed)."""
    if path.suffix == ".sqlite":
        with closing(sqlite3.connect(path)) as con:
            con.execute("UPDATE kit_cache SET value = '99' WHERE key = 'format_version'")
            con.commit()
    elif path.suffix == ".json":
        stored = json.loads(path.read_bytes())
        stored["stamp"]["format_version"] = 99
        path.write_text(json.dumps(stored), encoding="utf-8")
    else:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
        meta = json.loads(arrays["meta"].tobytes())
        (meta["stamp"] if "stamp" in meta else meta)["format_version"] = 99
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)


DAMAGE = {"truncated": truncate, "empty": empty, "binary": binary, "wrong version": wrong_version}

"""Write one kind of cache over and over, until killed (tests/test_cache_kill.py kills it mid-write).

    python cache_writer.py snapshot CACHE_DIR CONTEXT SOURCE  # SOURCE's snapshot, many times over
    python cache_writer.py results CACHE_DIR            # batches of results into extractions.sqlite
    python cache_writer.py index CACHE_DIR              # a place index of `index_rows` into gazetteer.sqlite

Prints "written" after each complete write (the test waits for the first one when it wants an
old cache to survive the kill).
"""
from __future__ import annotations

import sys
from pathlib import Path


def snapshot(cache: Path, context: str, source: str) -> None:
    import pandas as pd

    from kit.tables.snapshot import SNAPSHOT_NAME, Snapshot, _write

    saved = Snapshot.load(Path(source), context)
    blocks, frames = saved.parts[0]
    copies = 400
    big = {"context": context, "token": "t" * 16, "blocks": blocks * copies,
           "frames": {name: pd.concat([frame] * copies, ignore_index=True) for name, frame in frames.items()}}
    while True:
        _write(cache / SNAPSHOT_NAME, "base", big)
        print("written", flush=True)


def results(cache: Path) -> None:
    from kit.pipeline.extract import ExtractionCache

    store = ExtractionCache(cache, "fp")
    batch = 0
    while True:
        store.put_many({f"{batch}-{i}": {"text": "x" * 2000, "n": (batch, i)} for i in range(20000)})
        print("written", batch, flush=True)
        batch += 1


def index_rows(n: int = 60_000) -> list:
    """Places enough for a build to take a second or two (the world's takes half a minute)."""
    return [("test", {"name": f"Town {i}", "aliases": [f"Village {i}"], "kind": "city", "country": "UA", "admin1": "",
                      "lat": 40 + i / 1e5, "lon": 30.0, "precision_km": 5.0, "population": i, "uid": f"t:{i}",
                      "source": "test"}) for i in range(n)]


def index(cache: Path) -> None:
    """Build the place index as `open_index` does, over and over (the same function, the same temporary file)."""
    from kit.places.index import NAME, build, open_index

    rows = index_rows()
    wanted = open_index(cache / "probe", entries=rows, progress=False).fingerprint  # the fingerprint of these rows
    while True:
        build(cache / NAME, wanted, rows, False, None)
        print("written", flush=True)


if __name__ == "__main__":
    mode, folder, *rest = sys.argv[1:]
    {"snapshot": snapshot, "results": results, "index": index}[mode](Path(folder), *rest)

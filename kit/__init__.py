"""Investigative notebook kit: news articles about strikes in, tidy claim tables out.

The package follows the method of the README, one subpackage a step:

- `kit.articles`: read the files, their metadata, page furniture, sentences;
- `kit.places`: find place names and geocode them (gazetteer, cache, online);
- `kit.claims`: casualty and attribution claims, their speakers, counts and actors;
- `kit.incidents`: the article's own incident, and the same incident across articles;
- `kit.tables`: corrections, checks and writing the tables (CSV, SQLite), reruns;
- `kit.pipeline`: the run that chains the steps, on one machine or a Dask cluster;
- `kit.present`: what the notebooks show (views, comparisons, charts, maps) and the report;
- `kit.bench`: the benchmark and its synthetic corpus (not used by a run).

Beside them: `kit.schema` (the tables' columns), `kit.lexicons` (the editable word lists),
`kit.project` (the journalist's project folder), `kit.caches` (safe, stamped cache files), `kit.errors`,
`kit.paths`, `kit.memos` and `kit.cli`.
A step imports only from the steps before it; the notebooks call the kit, never the other way round.
Nothing here does work at import time.

Example:
    >>> import kit, tempfile
    >>> result = kit.run([kit.paths.SEEDS], tempfile.mkdtemp(), cache_dir=tempfile.mkdtemp(), progress=False)
    >>> sorted(result.tables)[:2]
    ['articles', 'attribution_claims']
"""
from importlib import import_module

from . import paths
from .errors import KitError

__all__ = ["run", "load_articles", "read_tables", "KitError", "paths"]
__version__ = "0.2.0"

# The modules notebooks import by their short names (``from kit import show, views``).
_SHORT_NAMES = {"show": "kit.present.show", "views": "kit.present.views", "charts": "kit.present.charts",
                "compare": "kit.present.compare", "maps": "kit.present.maps", "report": "kit.present.report"}


def __getattr__(name: str):
    if name in _SHORT_NAMES:
        return import_module(_SHORT_NAMES[name])
    raise AttributeError(f"module 'kit' has no attribute {name!r}")


def run(*args, **kwargs):
    """See `kit.pipeline.runner.run`."""
    from .pipeline.runner import run as _run
    return _run(*args, **kwargs)


def load_articles(*args, **kwargs):
    """See `kit.articles.reading.load_articles`."""
    from .articles.reading import load_articles as _load
    return _load(*args, **kwargs)


def read_tables(out_dir):
    """Every table of a finished run as DataFrames, keyed by name (see `kit.tables.io.read_table`)."""
    from pathlib import Path

    from .pipeline.runner import TABLE_ORDER
    from .tables.io import read_table
    out_dir = Path(out_dir)
    return {name: read_table(out_dir / f"{name}.csv", name) for name in TABLE_ORDER if (out_dir / f"{name}.csv").exists()}

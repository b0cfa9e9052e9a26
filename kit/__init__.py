"""Investigative notebook kit: news articles about strikes in, tidy claim tables out.

The notebooks call these functions; nothing here does work at import time.

Example:
    >>> import kit, tempfile
    >>> result = kit.run([kit.paths.SEEDS], tempfile.mkdtemp(), cache_dir=tempfile.mkdtemp(), progress=False)
    >>> sorted(result.tables)[:2]
    ['articles', 'attribution_claims']
"""
from . import paths
from .errors import KitError

__all__ = ["run", "load_articles", "read_tables", "KitError", "paths"]
__version__ = "0.1.0"


def run(*args, **kwargs):
    """See `kit.pipeline.run`."""
    from .pipeline import run as _run
    return _run(*args, **kwargs)


def load_articles(*args, **kwargs):
    """See `kit.articles.load_articles`."""
    from .articles import load_articles as _load
    return _load(*args, **kwargs)


def read_tables(out_dir):
    """Every table of a finished run as DataFrames, keyed by name (see `kit.io.read_table`)."""
    from pathlib import Path
    from .io import read_table
    from .pipeline import TABLE_ORDER
    out_dir = Path(out_dir)
    return {name: read_table(out_dir / f"{name}.csv", name) for name in TABLE_ORDER if (out_dir / f"{name}.csv").exists()}

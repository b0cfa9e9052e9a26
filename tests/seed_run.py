"""One pipeline run on the seeds per test session, shared by the tests that read its tables."""
from __future__ import annotations

import functools
import sys
import tempfile
from pathlib import Path

from kit.paths import SEEDS
from kit.pipeline.runner import run

GOLD = Path(__file__).resolve().parent / "gold"


@functools.lru_cache(maxsize=1)
def seed_run():
    """(RunResult, output folder) of `kit.pipeline.runner.run` on seeds/ with a fresh cache."""
    out = Path(tempfile.mkdtemp(prefix="kit-seeds-"))
    return run([SEEDS], out / "tables", cache_dir=out / "cache", progress=False), out / "tables"


def scorer():
    """The shared scorer (../shared/tools/score.py, copied in tests/gold) as a module."""
    if str(GOLD) not in sys.path:
        sys.path.insert(0, str(GOLD))
    import score
    return score


DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev-corpus"


@functools.lru_cache(maxsize=1)
def dev_run():
    """Output folder of one pipeline run on the development corpus (../shared/dev-corpus/articles)."""
    out = Path(tempfile.mkdtemp(prefix="kit-dev-"))
    run([DEV_CORPUS / "articles"], out / "tables", cache_dir=out / "cache", progress=False)
    return out / "tables"

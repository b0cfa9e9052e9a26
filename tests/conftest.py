"""Shared pytest plumbing.

``hostile_cases`` counts how many generated hostile inputs each property-based test tried; the
total is printed at the end of the run ("hostile input cases tried: ...") so a reader of the CI
log sees how hard the kit was pushed, not only that it passed.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

_COUNTS_KEY = pytest.StashKey[Counter]()


def pytest_configure(config):
    config.stash[_COUNTS_KEY] = Counter()
    _share_the_world_index()


def _share_the_world_index():
    """Build the world place index once (into this repository's own cache, ``data/cache``) and let every
    test, notebook and subprocess use it (``KIT_WORLD_INDEX``), though most use a cache folder of their own:
    otherwise each of them would build it again (half a minute). tests/test_gazetteer.py builds small
    indexes of its own to test building, setting aside and rebuilding."""
    from kit.places.index import NAME, SHARED_ENV, open_index

    if not os.environ.get(SHARED_ENV):
        cache = Path(__file__).resolve().parents[1] / "data" / "cache"
        open_index(cache, progress=False)
        os.environ[SHARED_ENV] = str(cache / NAME)


@pytest.fixture(scope="session")
def hostile_cases(pytestconfig) -> Counter:
    """A session-wide counter: ``hostile_cases["reader"] += 1`` once per generated example."""
    return pytestconfig.stash[_COUNTS_KEY]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = config.stash.get(_COUNTS_KEY, None)
    if not counts:
        return
    terminalreporter.section("hostile input cases tried")
    for name, n in sorted(counts.items()):
        terminalreporter.write_line(f"{name:40} {n:7d}")
    terminalreporter.write_line(f"{'total':40} {sum(counts.values()):7d}")

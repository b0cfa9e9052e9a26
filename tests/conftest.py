"""Shared pytest plumbing.

``hostile_cases`` counts how many generated hostile inputs each property-based test tried; the
total is printed at the end of the run ("hostile input cases tried: ...") so a reader of the CI
log sees how hard the kit was pushed, not only that it passed.
"""
from __future__ import annotations

from collections import Counter

import pytest

_COUNTS_KEY = pytest.StashKey[Counter]()


def pytest_configure(config):
    config.stash[_COUNTS_KEY] = Counter()


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

"""Caches of pure functions that the extraction rules share across articles, in one registry.

A phrase such as "the Pentagon said" or "on Tuesday" recurs in many articles; the functions that
read it keep their answers (`memoized`, or a `MemoDict` owned by a lexicon or gazetteer object).
Each answer depends only on the arguments and on the object that owns the memo, so a cache can
never give a stale answer. `forget` empties them all: the
benchmark does so before each round, so a speed measured on the same articles three times is
not the speed of answers remembered from the round before.

Example:
    >>> @memoized(maxsize=16)
    ... def double(x):
    ...     return 2 * x
    >>> double(2), double.cache_info().currsize
    (4, 1)
    >>> forget()
    >>> double.cache_info().currsize
    0
"""
from __future__ import annotations

import functools
import weakref

_CACHES: list = []
_DICTS: "weakref.WeakValueDictionary[int, MemoDict]" = weakref.WeakValueDictionary()


class MemoDict(dict):
    """A dict of remembered answers (a pure function's, keyed by its arguments) that `forget` empties."""

    def __init__(self):
        super().__init__()
        _DICTS[id(self)] = self


def memoized(maxsize: int = 4096):
    """`functools.lru_cache` that `forget` can empty."""
    def wrap(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached
    return wrap


def forget() -> None:
    """Empty every `memoized` cache and every `MemoDict`."""
    for cached in _CACHES:
        cached.cache_clear()
    for memo in list(_DICTS.values()):
        memo.clear()

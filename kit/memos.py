"""Caches of pure functions that the extraction rules share across articles, in one registry.

A phrase such as "the Pentagon said" or "on Tuesday" recurs in many articles; the functions that
read it keep their answers (`memoized`). Each answer depends only on the arguments (a lexicon
or gazetteer object is part of the key, and memo dicts of a `kit.lexicons.Lexicons` are that
object's own), so a cache can never give a stale answer. `forget` empties them all: the
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

_CACHES: list = []


def memoized(maxsize: int = 4096):
    """`functools.lru_cache` that `forget` can empty."""
    def wrap(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached
    return wrap


def forget(lex=None) -> None:
    """Empty every `memoized` cache, and the memo dicts of ``lex`` (`Lexicons.memo`)."""
    for cached in _CACHES:
        cached.cache_clear()
    if lex is not None:
        lex.forget_memos()

"""Small helpers for claim tests: an Article from a string, and the kit's rows for it."""
from __future__ import annotations

from kit.articles.reading import Article
from kit.claims.attribution import find_attribution_claims
from kit.claims.casualties import find_casualty_claims
from kit.lexicons import load_lexicons

LEX = load_lexicons()


def article(text: str, published: str = "2024-01-05", outlet: str = "") -> Article:
    return Article("t" * 12, "t.txt", None, text, "0", published=published, outlet=outlet)


def casualties(text: str, **kw) -> list[tuple]:
    return [(c["outcome"], c["count_min"], c["count_max"]) for c in find_casualty_claims(article(text, **kw), LEX)]


def attributions(text: str, **kw) -> list[tuple]:
    return [(c["actor"], c["stance"]) for c in find_attribution_claims(article(text, **kw), LEX)]

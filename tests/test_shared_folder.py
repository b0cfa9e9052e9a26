"""Issue 18 part A: what a shared folder can do to the kit (folders, files).

The articles folder is read-only to the kit: an --out folder inside or equal to it, or an existing folder
of someone else's files, is refused with exit 2 before anything is written; a misspelled --articles
leaves the old tables as they were.
"""
import shutil
import subprocess
import sys

import pytest

from kit.errors import OutputError
from kit.paths import SEEDS
from kit.project import OUTPUT_MARKER
from kit.tables.io import check_output_folder

KIT = [sys.executable, "-m", "kit.cli"]
ONE = "Two people were killed in an air strike on Kerman on Monday, the ministry said.\n"


def kit(*args):
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, timeout=600)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "a1.txt").write_text(ONE, encoding="utf-8")
    (folder / "events.csv").write_text("my own notes, not the kit's\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["run", "report"])
@pytest.mark.parametrize("where", [".", "sub", "sub/deeper"])
def test_out_equal_to_or_inside_the_articles_folder_is_refused(articles, tmp_path, command, where):
    before = _snapshot(articles)
    out = articles if where == "." else articles / where
    done = kit(command, "--articles", articles, "--out", out, "--cache", tmp_path / "cache", "--quiet")
    assert done.returncode == 2, done.stderr
    assert "articles folder" in done.stderr and "What to do" in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(articles) == before  # events.csv untouched, no marker, no lock, no sub folder
    assert not (articles / OUTPUT_MARKER).exists() and not (articles / "sub").exists()


@pytest.mark.parametrize("command", ["run", "report"])
def test_existing_folder_that_is_not_a_kit_output_is_refused(articles, tmp_path, command):
    other = tmp_path / "colleague"
    other.mkdir()
    (other / "events.csv").write_text("a colleague's spreadsheet\n", encoding="utf-8")
    (other / ".draft.tmp").write_text("hidden work in progress\n", encoding="utf-8")
    before = _snapshot(other)
    done = kit(command, "--articles", articles, "--out", other, "--cache", tmp_path / "cache", "--quiet")
    assert done.returncode == 2, done.stderr
    assert "not a folder the kit wrote tables to" in done.stderr and str(other) in done.stderr
    assert _snapshot(other) == before


@pytest.mark.parametrize("command", ["run", "report"])
def test_misspelled_articles_folder_leaves_the_old_tables(tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    (out / OUTPUT_MARKER).touch()
    (out / "articles.csv").write_text("article_id,file\nx,a1.txt\n", encoding="utf-8")
    before = _snapshot(out)
    done = kit(command, "--articles", tmp_path / "artcles", "--out", out, "--cache", tmp_path / "cache", "--quiet")
    assert done.returncode == 2, done.stderr
    assert "artcles" in done.stderr and "does not exist" in done.stderr
    assert _snapshot(out) == before


def test_missing_folder_among_two_keeps_the_old_tables(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / OUTPUT_MARKER).touch()
    with pytest.raises(OutputError, match="tables already in it are left"):
        check_output_folder([SEEDS, tmp_path / "nope"], out)


def test_a_new_or_empty_or_kit_folder_is_accepted(tmp_path, articles):
    check_output_folder([articles], tmp_path / "new")          # created later by the run
    (tmp_path / "empty").mkdir()
    check_output_folder([articles], tmp_path / "empty")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / OUTPUT_MARKER).touch()
    (tmp_path / "old" / "report.html").write_text("x")
    check_output_folder([articles], tmp_path / "old")
    check_output_folder([articles], tmp_path / "A-out")        # a sibling whose name starts alike


def test_articles_folder_inside_the_output_is_allowed(tmp_path):
    # a kit project keeps articles/ and out/ side by side; out above the articles is not writing into them
    shutil.copytree(SEEDS, tmp_path / "proj" / "articles")
    check_output_folder([tmp_path / "proj" / "articles"], tmp_path / "proj" / "out")


def test_out_that_is_a_file_is_refused(tmp_path, articles):
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        check_output_folder([articles], tmp_path / "out")

"""Issue 18 part A: what a shared folder can do to the kit (folders, files).

The articles folder is read-only to the kit: an --out folder inside or equal to it, or an existing folder
of someone else's files, is refused with exit 2 before anything is written; a misspelled --articles
leaves the old tables as they were.
"""
import os
import shutil
import subprocess
import sys

import pytest
from pathlib import Path

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


# --------------------------------------------------------------------------- only regular files inside the folder

from kit.articles.reading import FOLLOW_SYMLINKS_ENV, load_articles  # noqa: E402


@pytest.fixture(scope="module")
def lex():
    from kit.lexicons import load_lexicons
    return load_lexicons()


def _files(result):
    return sorted(a.file for a in result.articles)


def _problem_texts(result):
    return [str(p) for p in result.problems]


def test_link_leading_outside_is_skipped_with_a_message(tmp_path, lex, monkeypatch):
    monkeypatch.delenv(FOLLOW_SYMLINKS_ENV, raising=False)
    secret = tmp_path / "secret.txt"
    secret.write_text("Five people were killed in a strike on Basra, police said.\n", encoding="utf-8")
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "a1.txt").write_text(ONE, encoding="utf-8")
    (folder / "x.txt").symlink_to(secret)
    result = load_articles([folder], lex)
    assert _files(result) == ["a1.txt"]
    assert any("x.txt" in t and "outside the articles folder" in t and "--follow-symlinks" in t
               for t in _problem_texts(result))
    assert not any("Basra" in (a.text or "") for a in result.articles)


def test_follow_symlinks_reads_the_link(tmp_path, lex, monkeypatch):
    monkeypatch.setenv(FOLLOW_SYMLINKS_ENV, "1")
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("Five people were killed in a strike on Basra, police said.\n", encoding="utf-8")
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "x.txt").symlink_to(secret)
    assert _files(load_articles([folder], lex)) == ["x.txt"]


def test_link_inside_the_folder_is_read(tmp_path, lex, monkeypatch):
    monkeypatch.delenv(FOLLOW_SYMLINKS_ENV, raising=False)
    folder = tmp_path / "A"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a1.txt").write_text(ONE, encoding="utf-8")
    (folder / "b.txt").symlink_to(folder / "sub" / "a1.txt")
    result = load_articles([folder], lex)
    assert "sub/a1.txt" in _files(result) or "b.txt" in _files(result)
    assert not any("outside" in t for t in _problem_texts(result))


def test_proc_file_reporting_size_zero_is_refused(tmp_path, lex, monkeypatch):
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc on this system")
    monkeypatch.setenv(FOLLOW_SYMLINKS_ENV, "1")  # even when links are followed
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "status.txt").symlink_to(status)
    result = load_articles([folder], lex)
    assert _files(result) == []
    assert any("status.txt" in t and "size of 0 bytes" in t for t in _problem_texts(result))


def test_pipe_is_refused_without_blocking(tmp_path, lex):
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "a1.txt").write_text(ONE, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = load_articles([folder], lex)  # would block for ever if the pipe were opened
    assert _files(result) == ["a1.txt"]
    assert any("pipe.txt" in t and "not a regular file" in t for t in _problem_texts(result))


def test_file_larger_than_the_cap_is_refused_even_if_its_size_lies(tmp_path, lex):
    from kit.articles.reading import _read_capped
    from kit.errors import ArticleError

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(ArticleError, match="larger than"):
        _read_capped(big, "big.txt", 1000)


def test_file_name_not_valid_utf8_is_read_and_reported_with_a_safe_name(tmp_path):
    import sqlite3

    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "a1.txt").write_text(ONE, encoding="utf-8")
    bad = os.fsencode(folder) + b"/bad\xff name.txt"
    with open(bad, "wb") as handle:
        handle.write(b"Three people were killed in a strike on Basra on Tuesday, police said.\n")
    out = tmp_path / "out"
    done = kit("run", "--articles", folder, "--out", out, "--cache", tmp_path / "cache", "--quiet")
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr
    assert "bad\\xff name.txt" in done.stderr and "not valid UTF-8" in done.stderr
    assert "bad\\xff name.txt" in (out / "articles.csv").read_text(encoding="utf-8")
    assert "not valid UTF-8" in (out / "problems.csv").read_text(encoding="utf-8")
    with sqlite3.connect(out / "kit.sqlite") as con:
        assert ("bad\\xff name.txt",) in con.execute("SELECT file FROM articles").fetchall()


def test_unreadable_folder_is_listed_in_the_problems(tmp_path, lex, monkeypatch):
    import kit.articles.reading as reading

    folder = tmp_path / "A"
    (folder / "locked").mkdir(parents=True)
    (folder / "a1.txt").write_text(ONE, encoding="utf-8")
    (folder / "locked").chmod(0)
    if os.geteuid() == 0:  # root may read any folder: pretend it may not
        real = reading._can_list
        monkeypatch.setattr(reading, "_can_list", lambda p: p.name != "locked" and real(p))
    try:
        result = load_articles([folder], lex)
    finally:
        (folder / "locked").chmod(0o755)
    assert _files(result) == ["a1.txt"]
    assert any("locked/" in t and "cannot be read" in t for t in _problem_texts(result))


# --------------------------------------------------------------------------- markup that is not article text

HIDDEN = "Nine soldiers were killed in Mosul on Friday, the army said."


def _read(tmp_path, lex, name, text):
    folder = tmp_path / "A"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))
    result = load_articles([folder], lex)
    return result, (result.articles[0] if result.articles else None)


@pytest.mark.parametrize("hidden", [
    f"<div hidden>{HIDDEN}</div>", f"<template><p>{HIDDEN}</p></template>", f'<p aria-hidden="true">{HIDDEN}</p>',
    f'<div style="color: red; display: none">{HIDDEN}</div>', f"<!-- {HIDDEN} -->",
    f"<div hidden><div>{HIDDEN}</div> and more</div>"])
@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_hidden_markup_is_not_analysed_text(tmp_path, lex, hidden, suffix):
    visible = ("Two people were killed in an air strike on Kerman on Monday, the ministry said. "
               "Rescue teams searched the rubble through the night, a witness told reporters.")
    if suffix == ".html":
        text = f"<html><head><title>Strike</title></head><body><article><p>{visible}</p>{hidden}<p>{visible}</p></article></body></html>"
    else:
        text = f"{visible}\n\n{hidden}\n\nThe ministry said more strikes were expected in the coming days.\n"
    _, article = _read(tmp_path, lex, "a" + suffix, text)
    assert article is not None and "Kerman" in article.text
    assert "Mosul" not in article.text


def test_visible_html_with_void_and_unclosed_tags_is_kept(tmp_path, lex):
    text = ("<html><body><article><input hidden name=q><p hidden>Note\n"
            "<p>Two people were killed in an air strike on Kerman on Monday, the ministry said.</p></article></body></html>")
    _, article = _read(tmp_path, lex, "a.html", text)
    assert article is not None and "Kerman" in article.text


def test_crlf_front_matter_is_read(tmp_path, lex):
    text = "---\r\ntitle: Strike on Kerman\r\noutlet: Example News\r\npublished: 2024-04-19\r\n---\r\n" + ONE.replace("\n", "\r\n")
    _, article = _read(tmp_path, lex, "a.md", text)
    assert article.title == "Strike on Kerman" and article.outlet == "Example News"
    assert article.published == "2024-04-19"


def test_yaml_alias_bomb_is_a_clear_per_file_error(tmp_path, lex):
    bomb = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb += ["title: x", "---", ONE]
    folder = tmp_path / "A"
    folder.mkdir()
    (folder / "bomb.md").write_text("\n".join(bomb), encoding="utf-8")
    (folder / "a1.txt").write_text(ONE.replace("Kerman", "Basra"), encoding="utf-8")
    result = load_articles([folder], lex)
    assert _files(result) == ["a1.txt"]
    assert any("bomb.md" in t and "aliases" in t for t in _problem_texts(result))


def test_overlong_front_matter_is_refused(tmp_path, lex):
    text = "---\ntitle: x\nnote: " + "y" * 70_000 + "\n---\n" + ONE
    result, article = _read(tmp_path, lex, "a.md", text)
    assert article is None and any("front matter is longer" in t for t in _problem_texts(result))


@pytest.mark.parametrize("when", ["yesterday", "3 days ago", "last Friday", "today"])
def test_relative_published_date_is_flagged_unresolved_never_the_day_of_the_run(tmp_path, lex, when):
    from datetime import date, timedelta

    _, article = _read(tmp_path, lex, "a.md", f"---\ntitle: x\npublished: {when}\n---\n{ONE}")
    today = date.today()
    assert article.published not in {(today - timedelta(days=d)).isoformat() for d in range(0, 8)}
    result = load_articles([tmp_path / "A"], lex)
    assert any("relative" in t and "unresolved" in t for t in _problem_texts(result))


# --------------------------------------------------------------------------- manifest problems, by line

def _manifest_folder(tmp_path, manifest, files=("a1.txt",)):
    folder = tmp_path / "A"
    for i, name in enumerate(files):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(ONE.replace("Two", ["Two", "Three", "Four", "Five"][i % 4]) + f"Report {i}.\n",
                                   encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


def _by_file(result):
    return {a.file: a for a in result.articles}


def test_stray_quote_in_the_manifest_is_reported_by_line(tmp_path, lex):
    folder = _manifest_folder(tmp_path, 'file,outlet\na1.txt,"Example News\nb.txt,Other Daily\nc.txt,Third Post\n',
                              files=("a1.txt", "b.txt", "c.txt"))
    result = load_articles([folder], lex)
    texts = _problem_texts(result)
    assert any("manifest.csv, line 2" in t and "not closed" in t for t in texts), texts
    assert _by_file(result)["a1.txt"].outlet != "Example News\nb.txt,Other Daily\nc.txt,Third Post"


def test_duplicate_manifest_rows_say_which_wins(tmp_path, lex):
    folder = _manifest_folder(tmp_path, "file,outlet\na1.txt,First Outlet\na1.txt,Second Outlet\n")
    result = load_articles([folder], lex)
    assert _by_file(result)["a1.txt"].outlet == "Second Outlet"
    assert any("line 3" in t and "first on line 2" in t and "is the one used" in t for t in _problem_texts(result))


def test_row_for_a_top_level_file_is_not_applied_to_a_file_in_a_subfolder(tmp_path, lex):
    folder = _manifest_folder(tmp_path, "file,outlet\na1.txt,Top Outlet\n", files=("a1.txt", "sub/a1.txt"))
    articles = _by_file(load_articles([folder], lex))
    assert articles["a1.txt"].outlet == "Top Outlet"
    assert articles["sub/a1.txt"].outlet != "Top Outlet"


def test_relative_path_in_the_manifest_matches(tmp_path, lex):
    folder = _manifest_folder(tmp_path, "file,outlet\nsub/a1.txt,Sub Outlet\n", files=("a1.txt", "sub/a1.txt"))
    articles = _by_file(load_articles([folder], lex))
    assert articles["sub/a1.txt"].outlet == "Sub Outlet" and articles["a1.txt"].outlet != "Sub Outlet"


def test_bare_name_matching_several_files_is_ambiguous(tmp_path, lex):
    folder = _manifest_folder(tmp_path, "file,outlet\na1.txt,Which Outlet\n", files=("x/a1.txt", "y/a1.txt"))
    result = load_articles([folder], lex)
    assert all(a.outlet != "Which Outlet" for a in result.articles)
    assert any("could be any of x/a1.txt, y/a1.txt" in t for t in _problem_texts(result))
    assert not any("not in the folder" in t for t in _problem_texts(result))


def test_bare_name_of_one_file_in_a_subfolder_still_matches(tmp_path, lex):
    folder = _manifest_folder(tmp_path, "file,outlet\na1.txt,Only Outlet\n", files=("sub/a1.txt",))
    result = load_articles([folder], lex)
    assert _by_file(result)["sub/a1.txt"].outlet == "Only Outlet"
    assert not any("not in the folder" in t for t in _problem_texts(result))

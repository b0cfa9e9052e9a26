"""Issue 2's bad inputs: each gets one clear message naming the file and what to do, the other
articles are still read, no input file is changed, and `kit run` exits 1 when a file was skipped.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kit.articles.reading import load_articles
from kit.lexicons import load_lexicons
from kit.pipeline.runner import run

from reliability_helpers import STORY, checksums

KIT = Path(sys.executable).with_name("kit")
GOOD = "Rockets hit the Kalsu base on Friday. Two people were killed, police said.\n"


@pytest.fixture(scope="module")
def lex():
    return load_lexicons()


def _write(folder: Path, name: str, data) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _messages(result) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in result.problems:
        found.setdefault(problem.file.split(",")[0], []).append(str(problem))
    return found


def _one(folder: Path, lex, name: str, data):
    """Load a folder holding one good article and the bad file; return (result, messages for it)."""
    _write(folder, "good.txt", GOOD)
    _write(folder, name, data)
    result = load_articles([folder], lex)
    assert [a.file for a in result.articles if a.file == "good.txt"] == ["good.txt"], "the good article was not read"
    return result, _messages(result).get(name, [])


# ----------------------------------------------------------------------------- one case each

@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \n"], ids=["empty", "only-spaces"])
def test_empty_file(tmp_path, lex, data):
    result, messages = _one(tmp_path, lex, "empty.txt", data)
    assert messages == ["SKIPPED empty.txt: the file is empty. What to do: paste the article text into it, or delete it."]
    assert result.skipped == 1


def test_binary_file(tmp_path, lex):
    data = bytes(range(256)) * 20
    result, messages = _one(tmp_path, lex, "binary.txt", data)
    assert messages == ["SKIPPED binary.txt: this is a binary file, not text. "
                        "What to do: save the article as plain text (.txt) or as a web page (.html)."]


@pytest.mark.parametrize("magic,what", [(b"%PDF-1.7\n", "a PDF"), (b"PK\x03\x04\x14\x00", "a Word/zip file"),
                                        (b"\x89PNG\r\n\x1a\n", "a PNG image")])
def test_document_saved_with_a_text_extension(tmp_path, lex, magic, what):
    _, messages = _one(tmp_path, lex, "story.txt", magic + bytes(200))
    assert messages == [f"SKIPPED story.txt: this is {what}, not text. What to do: open it, copy the article text "
                        "and save it as a .txt or .html file."]


def test_cp1252_is_read_with_a_warning(tmp_path, lex):
    raw = "Caf\u00e9 owner said the strike killed \u201ctwo\u201d men \u2013 police.\n".encode("cp1252")
    result, messages = _one(tmp_path, lex, "cp1252.txt", raw)
    assert messages == ["WARNING cp1252.txt: the text is not UTF-8; it was read as cp1252. What to do: check accents "
                        "and quotes in the output; save it as UTF-8 to silence this."]
    article = next(a for a in result.articles if a.file == "cp1252.txt")
    assert article.text == 'Caf\u00e9 owner said the strike killed "two" men \u2013 police.'
    assert "decoded_from_cp1252" in article.flags


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_byte_order_mark(tmp_path, lex, encoding):
    text = "A drone strike hit the depot in Basra. Nobody was hurt, officials said.\n"
    result, messages = _one(tmp_path, lex, "wide.txt", text.encode(encoding))
    article = next(a for a in result.articles if a.file == "wide.txt")
    assert article.text == text.strip()
    assert len(messages) == 1 and "it was read as utf-16" in messages[0]


def test_utf8_with_stray_cp1252_bytes_keeps_the_utf8(tmp_path, lex):
    raw = "\u201cTwo were killed,\u201d a caf\u00e9 owner said".encode() + b" \x96 police \x93agreed\x94.\n"
    result, messages = _one(tmp_path, lex, "mixed.txt", raw)
    article = next(a for a in result.articles if a.file == "mixed.txt")
    assert article.text == '"Two were killed," a caf\u00e9 owner said \u2013 police "agreed".'
    assert messages and "read as utf-8+cp1252" in messages[0]


def test_broken_front_matter_names_the_line(tmp_path, lex):
    data = "---\ntitle: Strike: what we know: day 2\noutlet: Reuters\n---\n" + GOOD
    result, messages = _one(tmp_path, lex, "broken.md", data)
    assert len(messages) == 1
    assert messages[0].startswith("SKIPPED broken.md, line 2: the front matter between the '---' lines is not valid YAML (")
    assert messages[0].endswith("What to do: write each field as 'key: value' and put values containing ':' in quotes.")


def test_front_matter_that_is_not_fields(tmp_path, lex):
    _, messages = _one(tmp_path, lex, "list.md", "---\n- Reuters\n- 2024-04-19\n---\n" + GOOD.replace("Two", "Three"))
    assert messages == ["SKIPPED list.md: the front matter is not a list of 'key: value' fields. What to do: write the "
                        "metadata as 'title: ...', 'outlet: ...', 'published: YYYY-MM-DD'."]


def test_unclosed_front_matter_is_read_as_text_with_a_warning(tmp_path, lex):
    result, messages = _one(tmp_path, lex, "open.md", "---\ntitle: Strike\n" + GOOD.replace("Two", "Four"))
    assert messages == ["WARNING open.md: the file starts with '---' but no closing '---' line was found, so it was "
                        "read as article text without front matter. What to do: add a line '---' after the metadata "
                        "fields, or delete the first line."]
    assert any(a.file == "open.md" for a in result.articles)


@pytest.mark.parametrize("value,problem", [("2024-13-45", "is not a real day"), ("someday soon", "could not be read")])
def test_bad_date_in_front_matter_is_a_warning_not_a_crash(tmp_path, lex, value, problem):
    data = f"---\ntitle: Strike\npublished: {value}\n---\n" + GOOD.replace("Two", "Five")
    result, messages = _one(tmp_path, lex, "dated.md", data)
    assert messages == [f"WARNING dated.md: the date {value!r} {problem}. What to do: write dates as YYYY-MM-DD, e.g. 2024-04-19."]
    article = next(a for a in result.articles if a.file == "dated.md")
    assert article.published == "" and article.title == "Strike"


def test_unknown_extension(tmp_path, lex):
    _, messages = _one(tmp_path, lex, "notes.docx", b"PK\x03\x04")
    assert messages == ["SKIPPED notes.docx: '.docx' files are not read as articles. What to do: save the article as "
                        ".txt, .md or .html (or move this file out of the folder)."]


def test_fifty_megabyte_file_is_refused_quickly(tmp_path, lex):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:  # sparse: no 50 MB written to disk
        handle.truncate(50 * 1024 * 1024)
    _write(tmp_path, "good.txt", GOOD)
    result = load_articles([tmp_path], lex)
    assert _messages(result)["big.txt"] == [
        "SKIPPED big.txt: the file is 52 MB, larger than the 5 MB an article can be. What to do: check that it is one "
        "article; split a collection into one file per article."]
    assert [a.file for a in result.articles] == ["good.txt"]


def test_missing_folder(tmp_path, lex):
    _write(tmp_path, "good.txt", GOOD)
    missing = tmp_path / "no-such-folder"
    result = load_articles([tmp_path, missing], lex)
    assert [str(p) for p in result.problems] == [
        f"SKIPPED {missing}: the articles folder does not exist. What to do: check the path (it is relative to where "
        "you run the command) or create the folder."]
    assert len(result.articles) == 1


def test_web_page_without_text(tmp_path, lex):
    _, messages = _one(tmp_path, lex, "page.html", "<html><head><title></title></head><body><script>x()</script></body></html>")
    assert len(messages) == 1 and messages[0].startswith("SKIPPED page.html: ")
    assert "What to do: " in messages[0]


# ----------------------------------------------------------------------------- all at once

def _bad_folder(root: Path) -> Path:
    folder = root / "articles"
    folder.mkdir()
    _write(folder, "good.txt", STORY)
    _write(folder, "also-good.md", "---\ntitle: Drone strike in Basra\noutlet: AFP\npublished: 2024-04-20\n---\n"
           "A drone strike hit a depot in Basra on Saturday. Nobody was hurt, officials said.\n")
    _write(folder, "empty.txt", b"")
    _write(folder, "binary.txt", bytes(range(256)) * 8)
    _write(folder, "cp1252.txt", "Caf\u00e9 owner said three men died in the strike.\n".encode("cp1252"))
    _write(folder, "wide.txt", "Four were wounded in the raid on Jurf al-Sakhar.\n".encode("utf-16"))
    _write(folder, "broken.md", "---\ntitle: A: b\n---\nText of a strike story.\n")
    _write(folder, "notes.docx", b"PK\x03\x04")
    with open(folder / "big.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return folder


SKIPPED = {"empty.txt", "binary.txt", "broken.md", "notes.docx", "big.txt"}


def test_run_reads_the_good_ones_reports_the_rest_and_changes_nothing(tmp_path):
    folder = _bad_folder(tmp_path)
    missing = tmp_path / "missing"
    before = checksums(folder)
    result = run([folder, missing], tmp_path / "out", cache_dir=tmp_path / "cache",
                 corrections_dir=tmp_path / "corrections", progress=False)
    assert checksums(folder) == before
    read = set(result.tables["articles"]["file"])
    assert read == {"articles/good.txt", "articles/also-good.md", "articles/cp1252.txt", "articles/wide.txt"}
    skipped = {p.file.split(",")[0] for p in result.problems if p.severity == "skipped"}
    assert skipped == {f"articles/{name}" for name in SKIPPED} | {str(missing)}
    problems = result.tables["problems"]
    assert (problems["fix"].str.len() > 10).all(), "every problem row says what to do"


def _kit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(KIT), "run", *args, "--quiet"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_exit_status_and_messages(tmp_path):
    folder = _bad_folder(tmp_path)
    before = checksums(folder)
    done = _kit("--articles", "articles", "--out", "out", "--cache", "cache", "--corrections", "corr", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("SKIPPED", "WARNING"))]
    for name in SKIPPED:
        assert any(line.startswith(f"SKIPPED {name}") and "What to do:" in line for line in lines), (name, lines)
    assert "5 file(s) skipped" in done.stdout
    assert checksums(folder) == before
    assert (tmp_path / "out" / "articles.csv").exists()


def test_cli_exit_status_zero_when_only_warnings(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(folder, "good.txt", STORY)
    _write(folder, "cp1252.txt", "Caf\u00e9 owner said three men died in the strike.\n".encode("cp1252"))
    done = _kit("--articles", "articles", "--out", "out", "--cache", "cache", "--corrections", "corr", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "WARNING cp1252.txt: the text is not UTF-8" in done.stderr

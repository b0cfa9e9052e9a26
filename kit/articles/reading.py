"""Read a folder of articles (.txt, .md, .html) into `Article` records.

Metadata comes, first hit wins, from YAML front matter in the file, from ``manifest.csv``
beside the files (columns: file, outlet, published, url, title, notes), or is inferred from
the text and flagged. The analysed text is the normalized body with page furniture removed
(`kit.articles.furniture`); the furniture is kept on the record. Files are only ever read.

Example:
    >>> from kit.paths import SEEDS
    >>> loaded = load_articles([SEEDS])
    >>> len(loaded.articles), loaded.articles[3].outlet
    (5, 'Sky News')
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from ..errors import ArticleError, KitError, LexiconError, Problem
from ..lexicons import Lexicons, load_lexicons, read_csv_rows, split_aliases
from ..project import OUTPUT_MARKER
from .furniture import FurnitureLine, find_furniture
from .sentences import Sentence, split_sentences
from .text import normalize

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "outlet", "published", "url", "title", "notes")
METADATA_KEYS = ("title", "outlet", "published", "url")
# Files a journalist keeps beside articles that are not articles (fetched.csv: `kit fetch`'s record of
# the pages it saved, see kit.articles.fetchlog): never read, never reported.
NOT_ARTICLES = re.compile(r"^(manifest\.csv|fetched\.csv|readme(\.\w+)?|corrections(\.\w+)?|\..*|~.*|.*~|thumbs\.db)$", re.I)
_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a Word/zip file", b"\xd0\xcf\x11\xe0": "an old Word file",
          b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


@dataclass
class Article:
    """One article as the kit analyses it. ``text`` is what every offset points into."""

    article_id: str
    file: str
    path: Path
    text: str
    sha256: str
    outlet: str = ""
    title: str = ""
    url: str = ""
    published: str = ""
    published_inferred: bool = False
    notes: str = ""
    flags: list[str] = field(default_factory=list)
    furniture: list[FurnitureLine] = field(default_factory=list)
    metadata_source: dict[str, str] = field(default_factory=dict)

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    @property
    def sentences(self) -> list[Sentence]:
        if "_sentences" not in self.__dict__:
            self.__dict__["_sentences"] = split_sentences(self.text)
        return self.__dict__["_sentences"]

    def __getstate__(self):  # memos (sentences, duplicates) are cheap to rebuild; do not pickle them
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def as_row(self) -> dict:
        return {
            "article_id": self.article_id, "file": self.file, "outlet": self.outlet, "title": self.title,
            "url": self.url, "published": self.published, "published_inferred": self.published_inferred,
            "n_words": self.n_words, "sha256": self.sha256, "flags": "; ".join(self.flags),
            "furniture": "\n".join(f.text for f in self.furniture),
            "metadata_source": "; ".join(f"{k}:{v}" for k, v in self.metadata_source.items()),
            "notes": self.notes,
        }


@dataclass
class LoadResult:
    articles: list[Article]
    problems: list[Problem]

    @property
    def skipped(self) -> int:
        return sum(p.severity == "skipped" for p in self.problems)


# --------------------------------------------------------------------------- reading bytes


def _decode(path: Path, raw: bytes, display: str) -> tuple[str, str | None]:
    """Bytes to text; returns (text, encoding used when not UTF-8)."""
    if not raw.strip():
        raise ArticleError(display, "the file is empty", "paste the article text into it, or delete it")
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise ArticleError(display, f"this is {what}, not text",
                               "open it, copy the article text and save it as a .txt or .html file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # errors="replace": a cut-off UTF-16 file (odd length) raised UnicodeDecodeError, which
        # stopped the whole run; damaged text is caught by `_looks_like_text` instead.
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in raw[:8192]:
        unmarked = _utf16_without_bom(raw)
        if unmarked:
            return unmarked
        raise ArticleError(display, "this is a binary file, not text",
                           "save the article as plain text (.txt) or as a web page (.html)")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    return _decode_legacy(raw, display)


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark (every other byte zero for Latin text), or None."""
    sample = raw[:8192]
    for encoding, zeros_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if len(sample) >= 4 and sample[zeros_at::2].count(0) >= 0.4 * (len(sample) // 2) \
                and sample[1 - zeros_at::2].count(0) == 0:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                return None
            return (text, encoding) if _looks_like_text(text) else None
    return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_byte(error: UnicodeDecodeError):
    """Codec error handler: read each byte UTF-8 rejects as Windows-1252 (Latin-1 where undefined)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


def _decode_legacy(raw: bytes, display: str) -> tuple[str, str]:
    """Text that is not valid UTF-8, in the order a newsroom's files usually are.

    1. UTF-8 with a few stray Windows-1252 bytes (text pasted from Word into a UTF-8 file):
       keep the UTF-8 and read only the stray bytes as cp1252, so curly quotes stay right.
    2. Windows-1252, when it decodes and most letters are plain ASCII (Latin-script text).
       `charset_normalizer` alone calls short English cp1252 text "cp775" (Baltic) and turns
       "Caf\xe9" into "Cafķ" (found by tests/test_bad_input.py).
    3. Otherwise `charset_normalizer`'s guess, preferring a Windows code page among equal guesses.
    """
    import codecs

    if _UTF8_MULTIBYTE.search(raw):
        codecs.register_error("kit_cp1252_byte", _cp1252_byte)
        return raw.decode("utf-8", errors="kit_cp1252_byte"), "utf-8+cp1252"
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [ch for ch in text[:20000] if ch.isalpha()]
        if letters and sum(not ch.isascii() for ch in letters) <= 0.3 * len(letters):
            return text, "cp1252"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches or matches[0].encoding is None:
        raise ArticleError(display, "the text is not UTF-8 and its encoding could not be recognised",
                           "open it in a text editor and save it again as UTF-8")
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos == least]
    best = next((m for m in calm if m.encoding.startswith("cp125")), calm[0])
    return str(best), best.encoding


_UNREADABLE = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    return len(_UNREADABLE.findall(sample)) <= max(3, len(sample) // 50)


_FRONT_MATTER = re.compile(r"^-{3,}[ \t]*$", re.M)
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_FRONT_MATTER_ALIASES = 20


def _split_front_matter(text: str, display: str) -> tuple[dict, str, int, list[Problem]]:
    """(metadata, body, number of lines the front matter took, warnings).

    Values are read as plain strings (a YAML loader without the date and number guessing), so
    ``published: 2024-13-45`` is a reported bad date, not a crash of the whole run (found by
    tests/test_bad_input.py: PyYAML raised ValueError, which nothing caught).
    """
    if not text.startswith("---"):
        return {}, text, 0, []
    import yaml

    if "\r" in text[:MAX_FRONT_MATTER_BYTES + 8]:  # Windows line endings: the closing '---' was not found
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    parts = _FRONT_MATTER.split(text, 2)
    if len(parts) < 3 or parts[0].strip():
        warning = Problem(display, "warning", "the file starts with '---' but no closing '---' line was found, "
                          "so it was read as article text without front matter",
                          "add a line '---' after the metadata fields, or delete the first line")
        return {}, text, 0, [warning]
    _, header, body = parts

    class _Strings(yaml.SafeLoader):
        """SafeLoader that keeps every scalar as the text the journalist wrote."""

    for tag in ("timestamp", "int", "float", "bool", "null"):
        _Strings.add_constructor(f"tag:yaml.org,2002:{tag}", yaml.SafeLoader.construct_scalar)
    if len(header) > MAX_FRONT_MATTER_BYTES:
        raise ArticleError(display, f"the front matter is longer than {MAX_FRONT_MATTER_BYTES // 1024} kB, so it was not read",
                           "keep only the fields title, outlet, published and url between the '---' lines")
    try:
        aliases = sum(isinstance(event, yaml.AliasEvent) for event in yaml.parse(header, Loader=_Strings))
    except yaml.YAMLError:
        aliases = 0  # reported with its line by yaml.load below
    if aliases > MAX_FRONT_MATTER_ALIASES:
        raise ArticleError(display, f"the front matter uses {aliases} YAML aliases ('*name'), more than the "
                                    f"{MAX_FRONT_MATTER_ALIASES} allowed (they can grow to gigabytes), so it was not read",
                           "write each field as plain 'key: value' text without '&' anchors and '*' aliases")
    try:
        metadata = yaml.load(header, Loader=_Strings)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{display}, line {mark.line + 1}" if mark else display  # header starts on line 1
        raise ArticleError(where, f"the front matter between the '---' lines is not valid YAML ({getattr(exc, 'problem', None) or exc})",
                           "write each field as 'key: value' and put values containing ':' in quotes") from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise ArticleError(display, f"the front matter between the '---' lines could not be read ({exc})",
                           "write each field as 'key: value' on its own line") from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ArticleError(display, "the front matter is not a list of 'key: value' fields",
                           "write the metadata as 'title: ...', 'outlet: ...', 'published: YYYY-MM-DD'")
    header_lines = header.count("\n") + 1
    return {str(k).lower(): v for k, v in metadata.items()}, body.strip("\n"), header_lines, []


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_HIDDEN_ATTRS = re.compile(
    r"""(^|\s)hidden(\s|=|$)|aria-hidden\s*=\s*["']?true|style\s*=\s*["'][^"']*display\s*:\s*none""", re.I)


def _without_hidden(markup: str) -> str:
    """``markup`` without what a reader never sees: comments, ``<template>``, elements marked ``hidden``,
    ``aria-hidden="true"`` or ``style="display:none"`` (they became claims). Linear in the text for
    elements that do not nest in themselves; a nested one is removed with its outer element."""
    return _hidden_pass(_COMMENT.sub("", markup))


def _hidden_pass(markup: str) -> str:
    """Remove each hidden element (from its opening tag to its matching close) in one left-to-right scan."""
    out, pos = [], 0
    opening = re.compile(r"<(template|[a-z][a-z0-9]*)\b([^>]*)>", re.I)
    while True:
        found = opening.search(markup, pos)
        if found is None:
            out.append(markup[pos:])
            return "".join(out)
        tag, attrs = found[1].lower(), found[2]
        if tag != "template" and not _HIDDEN_ATTRS.search(attrs):
            out.append(markup[pos:found.end()])
            pos = found.end()
            continue
        out.append(markup[pos:found.start()])
        if attrs.rstrip().endswith("/") or tag in _VOID:
            pos = found.end()
            continue
        # find the matching close tag, counting nested elements of the same name
        depth, scan = 1, found.end()
        tags = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.I)
        while depth:
            nxt = tags.search(markup, scan)
            if nxt is None:  # never closed: only the opening tag goes (the rest may be the article)
                scan = found.end()
                break
            depth += -1 if nxt[1] else 1
            scan = nxt.end()
        pos = scan


def _html_to_text(html: str, display: str) -> tuple[str, dict, list[str]]:
    """Article text, metadata and the page lines trafilatura dropped as boilerplate."""
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    everything = trafilatura.html2txt(html) or ""
    if not body:
        body = everything
    if not body.strip():
        raise ArticleError(display, "no article text was found in this web page",
                           "save the page with its text (File > Save Page As, 'Web Page, complete') or paste the text into a .txt file")
    meta = {}
    found = trafilatura.extract_metadata(html)
    if found is not None:
        meta = {"title": found.title or "", "outlet": found.sitename or "", "published": found.date or "",
                "url": found.url or ""}
    kept = set(normalize(body).split("\n"))
    dropped = [line for line in normalize(everything).split("\n") if line.strip() and line not in kept]
    return body, {k: v for k, v in meta.items() if v}, dropped


# --------------------------------------------------------------------------- metadata


def parse_date(value, display: str = "") -> str:
    """Normalize a date given by a person ('2024-04-19', 'April 19, 2024', '19/4/2024') to ISO.

    >>> parse_date("April 19, 2024")
    '2024-04-19'
    """
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        try:  # a real calendar day: '2024-13-45' is reported, not passed on to crash date arithmetic
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ArticleError(display, f"the date {text!r} is not a real day", "write dates as YYYY-MM-DD, e.g. 2024-04-19") from None
    if _RELATIVE_DATE.search(text):
        raise ArticleError(display, f"the date {text!r} is relative to a day the kit does not know, so it was left "
                                    "unresolved (never counted from the day of the run)",
                           "write the day itself as YYYY-MM-DD, e.g. 2024-04-19")
    parsed = _read_date(text)
    if not parsed:
        raise ArticleError(display, f"the date {text!r} could not be read", "write dates as YYYY-MM-DD, e.g. 2024-04-19")
    return parsed


_COMMON_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
                        "%m/%d/%Y", "%m/%d/%y")


@functools.lru_cache(maxsize=4096)
def _read_date(text: str) -> str:
    """ISO date of a date string, or "" (common spellings by strptime, the rest by dateparser)."""
    for fmt in _COMMON_DATE_FORMATS:
        try:
            return datetime.strptime(text.replace("Sept", "Sep"), fmt).date().isoformat()
        except ValueError:
            continue
    import dateparser

    # No "relative-time" or "timestamp" parser: 'yesterday' or '3 days ago' would be counted from the day
    # of the run, a wrong date that looks right (`parse_date` reports them as unresolved instead).
    settings = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "MDY",
                "PARSERS": ["custom-formats", "absolute-time", "no-spaces-time"]}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else ""


_RELATIVE_DATE = re.compile(r"\b(yesterday|today|tonight|tomorrow|ago)\b|^(last|this|next)\s+\w+$", re.I)


def read_manifest(folder: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Manifest rows keyed by file name; a broken manifest is reported, never fatal."""
    path = folder / MANIFEST
    if not path.exists():
        return {}, []
    try:
        read_csv_rows(path, ("file",))  # header, encoding and too many cells, with their messages
    except LexiconError as exc:
        return {}, [Problem(exc.where, "warning", exc.problem + "; the manifest was not used", exc.fix)]
    import csv

    problems: list[Problem] = []
    rows: dict[str, dict] = {}
    lines: dict[str, int] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if end > start or any("\n" in c or "\r" in c for c in cells):
                problems.append(Problem(f"{path}, line {start}", "warning",
                                        f"a cell runs from line {start} to line {end} (a '\"' that is not closed?), so "
                                        f"lines {start}-{end} were not used",
                                        "close the quotes, or remove the stray '\"' (write it twice inside quotes)"))
                continue
            row = {k: (v or "").strip() for k, v in zip(header, cells)}
            name = row.get("file", "").replace("\\", "/")
            name = name[2:] if name.startswith("./") else name
            if not name:
                continue
            if name in rows:
                problems.append(Problem(f"{path}, line {start}", "warning",
                                        f"{name!r} is listed again (first on line {lines[name]}); this later row, "
                                        f"line {start}, is the one used", "delete the row you do not want"))
            rows[name], lines[name] = row, start
    return rows, problems


def _manifest_rows(manifest: dict[str, dict], rels: list[str], manifest_path: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Which manifest row goes with which file (by relative path): a row names ``sub/a1.txt`` or, for a
    file at the top of the folder, ``a1.txt``; a bare name found only deeper is used when exactly one
    file has it, and reported as ambiguous (used for none) when several do."""
    found: dict[str, dict] = {}
    problems: list[Problem] = []
    by_name: dict[str, list[str]] = {}
    for rel in rels:
        by_name.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
    for key, row in manifest.items():
        if key in by_name.get(key.rsplit("/", 1)[-1], []):
            found[key] = row
            continue
        if "/" in key:
            continue  # reported as "not in the folder"
        matches = [r for r in by_name.get(key, []) if r not in manifest]
        if len(matches) == 1:
            found[matches[0]] = row
        elif len(matches) > 1:
            problems.append(Problem(manifest_path, "warning",
                                    f"the manifest row for {key!r} could be any of {', '.join(matches)}, so it was used for none",
                                    "write the file's path inside the folder in the manifest, e.g. " + matches[0]))
    return found, problems


_OUTLET_CONTEXT = re.compile(
    r"(?:the\s+(?P<a>[A-Z][\w.&' -]{1,40}?)\s+app\b|read more from\s+(?P<b>[A-Z][\w.&' -]{1,40}?)\s*:|"
    r"^(?P<c>[A-Z][\w.&' -]{1,40}?)\s+will\s+(?:provide|bring)|\((?P<d>[A-Z][\w.&' -]{1,30}?)\)\s+[-\u2014\u2013])",
    re.I | re.M)
_DATE_TEXT = re.compile(
    r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})\b")


def _outlet_from_text(text: str, furniture: list[FurnitureLine], lex: Lexicons) -> str:
    """An outlet named in the page furniture ('Install the Sky News app') or a wire dateline."""
    known = {alias.lower(): row["name"] for row in lex.rows("outlets") for alias in split_aliases(row["aliases"])}
    haystacks = [f.text for f in furniture] + text.split("\n")[:3]
    for hay in haystacks:
        for match in _OUTLET_CONTEXT.finditer(hay):
            name = next(g for g in match.groups() if g)
            if name.lower() in known:
                return known[name.lower()]
    return ""


def _dates_in_text(lines: list[str], limit: int = 10) -> list[str]:
    """The first ``limit`` dates written in the first 40 lines (bounded: a line of thousands of
    dates would otherwise call dateparser thousands of times)."""
    found, tries = [], 0
    for line in lines[:40]:
        for match in _DATE_TEXT.finditer(line):
            tries += 1
            if len(found) >= limit or tries > 4 * limit:
                return found
            try:
                found.append(parse_date(match.group(0)))
            except KitError:
                continue
    return found


def _first_title(lines: list[str]) -> str:
    """A headline-like first line, else the start of the first sentence (marked with an ellipsis)."""
    for line in lines[:5]:
        stripped = line.strip()
        if stripped and not _DATE_TEXT.fullmatch(stripped) and len(stripped.split()) <= 25:
            return stripped
    first = next((line.strip() for line in lines if line.strip()), "")
    return first if len(first) <= 100 else first[:100].rsplit(" ", 1)[0] + "\u2026"


# --------------------------------------------------------------------------- one file


def _check_size(path: Path, display: str, max_bytes: int) -> None:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a pipe, a device or a socket: opening it may block or never end
        raise ArticleError(display, "is not a regular file (a pipe, device or socket), so it is not read",
                           "save the article as an ordinary .txt, .md or .html file")
    size = info.st_size
    if size > max_bytes:
        raise ArticleError(display, f"the file is {size / 1e6:.0f} MB, larger than the {max_bytes / 1e6:.0f} MB an article can be",
                           "check that it is one article; split a collection into one file per article")


def _read_capped(path: Path, display: str, max_bytes: int) -> bytes:
    """The file's bytes, read with a cap: a size the system reports (0 for /proc files) is not trusted."""
    _check_size(path, display, max_bytes)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ArticleError(display, f"the file is larger than the {max_bytes / 1e6:.0f} MB an article can be",
                           "check that it is one article; split a collection into one file per article")
    if size == 0 and raw:
        raise ArticleError(display, "reports a size of 0 bytes but has content (a system file such as /proc, "
                                    "not an article), so it is not read",
                           "copy the article into an ordinary file")
    return raw


def read_article(path: Path, display: str, manifest_row: dict | None, lex: Lexicons,
                 max_bytes: int = MAX_ARTICLE_BYTES, raw: bytes | None = None) -> tuple[Article, list[Problem]]:
    """Read one file into an `Article`; raises `ArticleError` when the file cannot be used.

    ``raw``: the file's bytes when the caller has read them already.
    """
    problems: list[Problem] = []
    if raw is None:
        raw = _read_capped(path, display, max_bytes)
    text, encoding = _decode(path, raw, display)
    if not _looks_like_text(text):
        raise ArticleError(display, "the file does not look like text (many unreadable characters)",
                           "open it in a text editor and save the article as UTF-8 text")
    flags: list[str] = []
    if encoding:
        flags.append(f"decoded_from_{encoding}")
        problems.append(Problem(display, "warning", f"the text is not UTF-8; it was read as {encoding}",
                                "check accents and quotes in the output; save it as UTF-8 to silence this"))
    front, body, _, front_problems = _split_front_matter(text, display)
    problems += front_problems
    page_dropped: list[str] = []
    html_meta: dict = {}
    if path.suffix.lower() in HTML_SUFFIXES:
        body, html_meta, page_dropped = _html_to_text(_without_hidden(body), display)
    else:  # Markdown and text: an HTML comment or hidden block is a note to the editor, not article text
        body = _without_hidden(body) if "<" in body else body
    normalized = normalize(body)
    if not normalized:
        raise ArticleError(display, "the file has metadata but no article text", "paste the article text below the front matter")
    kept, furniture, furniture_flags = find_furniture(normalized.split("\n"), lex)
    furniture = [FurnitureLine(0, line, "html_boilerplate") for line in page_dropped] + furniture
    flags += furniture_flags
    analysed = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if not analysed:
        raise ArticleError(display, "everything in the file looks like page furniture (links, prompts, bylines)",
                           "check it is the article text; if it is, report the line the kit removed")

    meta, source = {}, {}
    manifest_row = manifest_row or {}
    for key in METADATA_KEYS:
        for origin, values in (("front_matter", front), ("manifest", manifest_row), ("html", html_meta)):
            value = values.get(key)
            if value not in (None, ""):
                meta[key], source[key] = value, origin
                break
    published, published_inferred = "", False
    if meta.get("published"):
        try:
            published = parse_date(meta["published"], display)
        except ArticleError as exc:
            problems.append(Problem.from_error(exc, "warning"))
    lines = analysed.split("\n")
    text_dates = _dates_in_text(lines)
    if not published and text_dates:
        published, published_inferred, source["published"] = text_dates[0], True, "text"
    if published and any(abs((date.fromisoformat(d) - date.fromisoformat(published)).days) > 2 for d in text_dates[:3]):
        flags.append("date_conflict")
    outlet = str(meta.get("outlet", "")).strip()
    if not outlet:
        outlet = _outlet_from_text(analysed, furniture, lex)
        if outlet:
            source["outlet"] = "text"
            flags.append("outlet_inferred")
        else:
            flags.append("outlet_unknown")
    if re.search(r"^\s*UPDATE\b", analysed, re.M) and "live_story" not in flags:
        flags.append("live_story")
    title = str(meta.get("title", "")).strip() or _first_title(lines)
    normalized_hash = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    article = Article(
        article_id=normalized_hash[:12], file=display, path=path, text=analysed,
        sha256=hashlib.sha256(raw).hexdigest(), outlet=outlet, title=title, url=str(meta.get("url", "")).strip(),
        published=published, published_inferred=published_inferred, notes=manifest_row.get("notes", ""),
        flags=flags, furniture=furniture, metadata_source=source)
    return article, problems


# --------------------------------------------------------------------------- folders


def safe_name(name: str) -> str:
    """``name`` with the bytes of a file name that are not UTF-8 (kept by Python as surrogates) shown
    as ``\\xff``: such a name can go into CSV, SQLite and messages (a UnicodeEncodeError stopped the run)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _can_list(folder: Path) -> bool:
    return os.access(folder, os.R_OK | os.X_OK)


FOLLOW_SYMLINKS_ENV = "KIT_FOLLOW_SYMLINKS"  # "1": read links that lead out of the folder (``--follow-symlinks``)


def _leads_outside(path: Path, folder: Path) -> bool:
    """True when ``path`` is (or passes through) a link whose target is outside ``folder``."""
    try:
        target, root = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return True
    return target != root and root not in target.parents


def _candidate_files(folder: Path, problems: list | None = None, follow_symlinks: bool | None = None) -> Iterable[Path]:
    """Files under ``folder``, skipping hidden folders and the kit's own output folders.

    A link leading out of ``folder`` is skipped (listed in ``problems``) unless ``follow_symlinks``
    (default: the ``KIT_FOLLOW_SYMLINKS`` environment variable, set by ``--follow-symlinks``)."""
    if follow_symlinks is None:
        follow_symlinks = os.environ.get(FOLLOW_SYMLINKS_ENV, "") == "1"
    found = sorted(folder.rglob("*"), key=lambda p: p.parts)  # Path order, without 120,000 Path comparisons
    skip = {str(p.parent / "x")[:-1] for p in found if p.name == OUTPUT_MARKER}  # "dir/" ("" for ".")
    root = len(str(folder / "x")) - 1
    for path in found:
        text = str(path)
        folders = text[root:].split(os.sep)[:-1]  # relative to ``folder`` (string work: 10,000 files)
        if any(part.startswith((".", "_")) for part in folders) or NOT_ARTICLES.match(path.name):
            continue
        if skip and any(text.startswith(parent) for parent in skip):
            continue
        if not follow_symlinks and path.is_symlink() and _leads_outside(path, folder):
            if problems is not None:
                problems.append(Problem(safe_name(text[root:].replace(os.sep, "/")), "skipped",
                                        "is a link to a file outside the articles folder, so it is not read",
                                        "copy the article itself into the folder, or run again with --follow-symlinks "
                                        "if you trust where the link leads"))
            continue
        if path.is_file():
            yield path
        elif problems is not None and path.is_dir():
            if not _can_list(path):  # its files were not listed: say so rather than skip them without a word
                problems.append(Problem(safe_name(text[root:].replace(os.sep, "/")) + "/", "skipped",
                                        "the folder cannot be read (no permission), so its articles were not read",
                                        "ask whoever shared it for read access, or copy its files into a folder you own"))
        elif problems is not None and path.exists():  # a pipe, device or socket
            problems.append(Problem(safe_name(text[root:].replace(os.sep, "/")), "skipped",
                                    "is not a regular file (a pipe, device or socket), so it is not read",
                                    "save the article as an ordinary .txt, .md or .html file"))


def _cache_key(fingerprint: str, display: str, row: dict | None, raw: bytes) -> str:
    digest = hashlib.sha256(f"{fingerprint}\0{display}\0{sorted((row or {}).items())}\0".encode("utf-8"))
    digest.update(raw)
    return digest.hexdigest()


def _progress(items: list, progress: bool, desc: str):
    if progress and len(items) > 50:
        from tqdm.auto import tqdm
        return tqdm(items, desc=desc, unit="article")
    return items


def _keyed(article: Article, warnings: list[Problem], key: str | None) -> tuple[Article, list[Problem]]:
    """Note on the article its read key and warnings (not pickled: see `Article.__getstate__`)."""
    article.__dict__.update(_read_key=key, _warnings=warnings)
    return article, warnings


def _record(article: Article, warnings: list[Problem]) -> dict:
    """What the read cache keeps of a read article: plain fields (`kit.caches.dumps`), no objects."""
    fields = {k: v for k, v in article.__dict__.items() if not k.startswith("_") and k != "path"}
    fields["furniture"] = [(f.line_no, f.text, f.reason) for f in article.furniture]
    return {"article": fields, "warnings": [w.as_row() for w in warnings]}


def _from_record(record, path: Path) -> tuple[Article, list[Problem]] | None:
    """The article and warnings `_record` kept (found again at ``path``), or None when the record is
    not one (the file is read again).

    >>> from kit.paths import SEEDS
    >>> article = load_articles([SEEDS]).articles[0]
    >>> _from_record(_record(article, []), article.path)[0] == article
    True
    """
    try:
        fields = dict(record["article"])
        fields["furniture"] = [FurnitureLine(*line) for line in fields["furniture"]]
        article = Article(path=path, **fields)
        warnings = [Problem(**row) for row in record["warnings"]]
    except (KeyError, TypeError, ValueError):
        return None
    if not all(isinstance(getattr(article, name), str) for name in ("article_id", "file", "text", "sha256")):
        return None
    return article, warnings


def _read_all(jobs, lex: Lexicons, max_bytes: int, cache, progress: bool, known=None):
    """Yield (display, (article, warnings) or the exception it raised) for each job, in order.

    With a ``cache`` (get_many/put_many/fingerprint, see `kit.pipeline.extract.ExtractionCache`), a file
    whose bytes, name, manifest row, lexicons and kit code are unchanged is not parsed again.
    ``known(key)`` may return, for such a file, a ready record (with ``article_id`` and
    ``warnings``) that is yielded instead of the article (`kit.tables.snapshot`: the last run's rows).
    """
    prepared = []
    for path, display, row in jobs:
        if cache is None:
            prepared.append((path, display, row, None, None, None))
            continue
        try:
            raw = _read_capped(path, display, max_bytes)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            prepared.append((path, display, row, None, None, exc))
            continue
        prepared.append((path, display, row, raw, _cache_key(cache.fingerprint, display, row, raw), None))
    ready = {p[4]: known(p[4]) for p in prepared if p[4]} if known is not None else {}
    hits = cache.get_many([p[4] for p in prepared if p[4] and ready.get(p[4]) is None]) if cache is not None else {}
    fresh = {}
    for path, display, row, raw, key, error in _progress(prepared, progress, "reading articles"):
        if error is not None:
            yield display, error
        elif ready.get(key) is not None:
            yield display, (ready[key], ready[key].warnings)
        elif key in hits and (record := _from_record(hits[key], path)) is not None:
            yield display, _keyed(*record, key)
        else:
            try:
                outcome = read_article(path, display, row, lex, max_bytes, raw=raw)
            except Exception as exc:  # noqa: BLE001 - reported by the caller
                yield display, exc
                continue
            if key:
                fresh[key] = _record(*outcome)
            yield display, _keyed(*outcome, key)
    if cache is not None:
        cache.put_many(fresh)


def _same_text(article: Article) -> Article:
    """``article`` (whose text another file has too) with an id of its own: the first 12 hex
    digits of the SHA-256 of its text's id and its file name, so it is stable across reruns too.

    >>> a = Article("0123456789ab", "b.txt", Path("b.txt"), "Text.", "00")
    >>> _same_text(a).article_id, a.flags
    ('7631b6d9a333', ['same_text'])
    """
    article.article_id = hashlib.sha256(f"{article.article_id}\0{article.file}".encode("utf-8")).hexdigest()[:12]
    if "same_text" not in article.flags:
        article.flags.append("same_text")
    return article


def load_articles(folders, lex: Lexicons | None = None, progress: bool = False,
                  max_bytes: int = MAX_ARTICLE_BYTES, cache=None, known=None) -> LoadResult:
    """Read every article in ``folders``; unusable files become `Problem` rows, never exceptions.

    The same text found twice (same normalized body: a wire story printed by two outlets) is kept
    twice, each with its own outlet, date and URL; the later file gets an id of its own and the flag
    ``same_text`` (`_same_text`), and `kit.sources.copies` groups the two as copies.
    ``cache`` and ``known``: see `_read_all`.
    """
    lex = lex or load_lexicons()
    folders = [Path(f) for f in ([folders] if isinstance(folders, (str, Path)) else folders)]
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    jobs = []
    for folder in folders:
        if not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "does not exist"
            problems.append(Problem(folder, "skipped", f"the articles folder {what}",
                                    "check the path (it is relative to where you run the command) or create the folder"))
            continue
        manifest, manifest_problems = read_manifest(folder)
        problems += manifest_problems
        prefix = f"{folder.name}/" if len(folders) > 1 else ""
        listed = set()
        first_job = len(jobs)
        root = len(str(folder / "x")) - 1  # paths below ``folder`` start with this many characters
        for path in _candidate_files(folder, problems):
            rel = str(path)[root:].replace(os.sep, "/")  # as path.relative_to(folder), without pathlib's cost
            display = safe_name(prefix + rel)
            if display != prefix + rel:
                problems.append(Problem(display, "warning", "the file name is not valid UTF-8 text; it is shown with "
                                        "\\x codes for the bytes that are not", "rename the file (the article is read)"))
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                problems.append(Problem(display, "skipped", f"'{path.suffix or 'no extension'}' files are not read as articles",
                                        "save the article as .txt, .md or .html (or move this file out of the folder)"))
                continue
            listed.add(rel)
            jobs.append((path, display, rel))
        rows, match_problems = _manifest_rows(manifest, [j[2] for j in jobs[first_job:]], folder / MANIFEST)
        problems += match_problems
        used = {id(r) for r in rows.values()}
        jobs[first_job:] = [(path, display, rows.get(rel)) for path, display, rel in jobs[first_job:]]
        ambiguous = {n for n in manifest if "/" not in n and n not in listed and id(manifest[n]) not in used
                     and any(r.rsplit("/", 1)[-1] == n for r in listed)}
        for name in sorted(set(manifest) - listed - ambiguous - {n for n in manifest if id(manifest[n]) in used}):
            problems.append(Problem(folder / MANIFEST, "warning", f"the manifest lists {name!r}, which is not in the folder",
                                    "fix the file name in the manifest or add the article"))
    for display, outcome in _read_all(jobs, lex, max_bytes, cache, progress, known):
        try:
            if isinstance(outcome, BaseException):
                raise outcome
            article, warnings = outcome
        except ArticleError as exc:
            problems.append(Problem.from_error(exc))
            continue
        except OSError as exc:
            problems.append(Problem(display, "skipped", f"the file could not be read ({exc.strerror or exc})",
                                    "check that it exists and that you may read it"))
            continue
        except KitError:
            raise  # a broken lexicon stops the run with its own message; it is not this file's fault
        except Exception as exc:  # noqa: BLE001 - one unreadable file must never stop the run
            problems.append(Problem(display, "skipped", f"the kit failed on this file ({type(exc).__name__}: {exc})",
                                    "this is a bug in the kit: send the file to its maintainers; "
                                    "the other articles were read"))
            continue
        problems += warnings
        if article.article_id in seen and isinstance(article, Article):  # the same text as another file's
            article = _same_text(article)
        seen[article.article_id] = display
        articles.append(article)
    return LoadResult(articles, problems)

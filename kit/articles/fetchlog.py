"""The record `kit fetch` keeps in an articles folder: ``fetched.csv``, rows added to ``manifest.csv``.

``fetched.csv`` holds one row per saved page, the proof of where and when it came from:

    file, url, final_url, fetched_at, http_status, content_type, bytes, sha256, server_date

(``sha256`` is that of the file's bytes, the same as ``articles.csv`` shows for it; ``server_date``
is the site's own ``Date`` header). ``manifest.csv`` gets a row per saved page with ``file``,
``url`` (the final address) and ``notes``, in the columns the manifest already has; a manifest
is created with the kit's columns when there is none. Rows are only ever appended: the bytes
already in either file are kept exactly (same line endings, no header rewritten), and a file
name already used or listed in the manifest is never taken.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "manifest.csv").write_text("file,outlet,url\\nmine.txt,Reuters,https://example.org/a\\n")
    >>> record = FolderRecord(folder)
    >>> record.file_of("https://EXAMPLE.org/a#comments"), record.file_of("https://example.org/b")
    ('mine.txt', '')
    >>> record.free_name("https://www.example.org/news/2024/strike-near-kerman.html")
    'example-org-news-2024-strike-near-kerman.html'
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from pathlib import Path

from ..errors import FetchError, LexiconError
from ..lexicons import read_csv_rows, read_header
from .reading import MANIFEST, MANIFEST_COLUMNS, NOT_ARTICLES

LOG = "fetched.csv"
LOG_COLUMNS = ("file", "url", "final_url", "fetched_at", "http_status", "content_type", "bytes", "sha256", "server_date")
_PAGE_SUFFIX = re.compile(r"\.(s?html?|php\d?|aspx?|jsp|cms)$", re.I)
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def page_key(url: str) -> str:
    """A link as the kit compares links: scheme and host in lower case, no ``#fragment``.

    >>> page_key("HTTPS://Example.org/Story?id=3#top")
    'https://example.org/Story?id=3'
    """
    import httpx

    try:
        return str(httpx.URL(url.strip()).copy_with(fragment=None))
    except (httpx.InvalidURL, TypeError, ValueError):
        return url.strip()


class FolderRecord:
    """What an articles folder already holds (links, files, page hashes), and how to add a page to it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.manifest = self.folder / MANIFEST
        self.log = self.folder / LOG
        self._links: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._listed: set[str] = set()
        for row in self._rows(self.manifest, ("file",), "the manifest"):
            self._listed.add(row["file"].lower())
            if row.get("url"):
                self._links.setdefault(page_key(row["url"]), row["file"])
        for row in self._rows(self.log, ("file", "url", "final_url", "sha256"), "kit fetch's record"):
            for link in (row["url"], row["final_url"]):
                if link:
                    self._links[page_key(link)] = row["file"]
            self._hashes[row["sha256"]] = row["file"]
            self._listed.add(row["file"].lower())

    def _rows(self, path: Path, required: tuple[str, ...], what: str) -> list[dict]:
        if not path.exists():
            return []
        try:
            return read_csv_rows(path, required)
        except LexiconError as exc:
            raise FetchError(exc.where, f"{exc.problem}, so kit fetch cannot add rows to {what}",
                             f"{exc.fix}, then run kit fetch again (it only ever adds rows to this file)") from None

    def file_of(self, url: str) -> str:
        """The file the folder holds for ``url`` ("" when none)."""
        return self._links.get(page_key(url), "")

    def file_with(self, body: bytes) -> str:
        """The file fetched earlier with exactly these bytes ("" when none)."""
        return self._hashes.get(hashlib.sha256(body).hexdigest(), "")

    def free_name(self, url: str) -> str:
        """A file name for the page at ``url``, from its address, that nothing in the folder uses."""
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        host = (parts.hostname or "page").removeprefix("www.")
        path = _PAGE_SUFFIX.sub("", unquote(parts.path).rstrip("/"))
        slug = re.sub(r"[^a-z0-9]+", "-", f"{host} {path}".lower()).strip("-")[:90].rstrip("-") or "page"
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
        for candidate in [slug, f"{slug}-{digest}", *(f"{slug}-{digest}-{n}" for n in range(2, 1000))]:
            name = candidate + ".html"
            if not NOT_ARTICLES.match(name) and name.lower() not in self._listed and not (self.folder / name).exists():
                return name
        raise FetchError(self.folder, f"no free file name was found for {url}", "tidy the folder up and try again")

    def save(self, response) -> str:
        """Write the page as a new read-only file, then its rows; returns the file's name."""
        name = self.free_name(response.final_url)
        _write_new(self.folder / name, response.body)
        sha256 = hashlib.sha256(response.body).hexdigest()
        _append_row(self.log, LOG_COLUMNS, {
            "file": name, "url": response.url, "final_url": response.final_url, "fetched_at": response.fetched_at,
            "http_status": response.status, "content_type": response.headers.get("content-type", ""),
            "bytes": len(response.body), "sha256": sha256, "server_date": response.headers.get("date", "")})
        _append_row(self.manifest, MANIFEST_COLUMNS, {
            "file": name, "url": response.final_url,
            "notes": f"fetched by kit fetch on {response.fetched_at} (HTTP {response.status}); proof in {LOG}"})
        self._listed.add(name.lower())
        for link in (response.url, response.final_url):
            self._links[page_key(link)] = name
        self._hashes[sha256] = name
        return name


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, never replacing a file (a hidden part-file, then a hard link)."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(part, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(part, path)  # FileExistsError if the name was taken meanwhile: nothing is replaced
    except FileExistsError:
        raise FetchError(path, "a file of this name appeared while the page was being saved",
                         "run kit fetch again (it picks another name)") from None
    except OSError:  # a file system without hard links
        with open(path, "xb") as handle:
            handle.write(data)
    finally:
        part.unlink(missing_ok=True)
    os.chmod(path, READ_ONLY)


def _append_row(path: Path, columns: tuple[str, ...], row: dict) -> None:
    """Add ``row`` at the end of the CSV ``path`` in the columns its header has (``columns`` for a new file)."""
    if not path.exists():
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
        with open(path, "x", encoding="utf-8", newline="") as handle:
            handle.write(text.getvalue())
        return
    header = read_header(path)
    raw = path.read_bytes()
    ending = "\r\n" if b"\r\n" in raw.split(b"\n", 1)[0] + b"\n" else "\n"
    text = io.StringIO()
    if raw and not raw.endswith((b"\n", b"\r")):
        text.write(ending)
    csv.DictWriter(text, fieldnames=header, extrasaction="ignore", lineterminator=ending).writerow(row)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(text.getvalue())

"""Collect articles by their links: ``kit fetch LINKS.txt --into FOLDER --user-agent "Newsroom (desk@...)"``.

Each link of the list (one a line; blank lines and ``#`` comments are ignored) is fetched once,
politely (`kit.articles.polite`: one request per second per host, robots.txt, retries, a size cap),
checked (`kit.articles.pages`: error pages, PDFs, empty, script-only and paywalled pages are
reported and skipped) and saved as the site sent it, as a new ``.html`` file that the kit never
edits again (it is made read-only). Its proof and its address go beside it
(`kit.articles.fetchlog`): a row in ``fetched.csv`` (url, final_url after redirects, fetched_at,
http_status, sha256 of the file...) and a row in ``manifest.csv`` (file, url, notes), which the
reader already understands: an HTML file cannot carry front matter. Outlet, title and date come
from the page itself when the kit reads it, as for a page saved by hand.

Nothing in the folder is overwritten: a new file always gets a free name, and rows are only
added to the two CSV files, the journalist's rows kept byte for byte. A link already in
``fetched.csv`` or in the manifest's ``url`` column is not fetched again; a skipped link is not
recorded, so the next ``kit fetch`` tries it again.

Example:
    >>> import tempfile
    >>> links = Path(tempfile.mkdtemp()) / "links.txt"
    >>> _ = links.write_text("# Kerman\\nhttps://example.org/a\\n\\n- https://example.org/b#top (AP)\\nwww.example.org/c\\n")
    >>> found, problems = read_links(links)
    >>> found
    [(2, 'https://example.org/a'), (4, 'https://example.org/b')]
    >>> problems[0].problem
    "line 5 holds no link starting with http:// or https:// ('www.example.org/c')"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FetchError, KitError, Problem
from .fetchlog import FolderRecord, page_key
from .polite import FetchFailed, PoliteClient

_LINK = re.compile(r"https?://[^\s<>\"']+", re.I)


@dataclass
class Outcome:
    """What happened to one link: ``saved`` (into ``file``), ``already`` (in the folder) or ``skipped``."""

    line: int
    url: str
    status: str
    file: str = ""
    title: str = ""
    problem: str = ""
    fix: str = ""

    def as_row(self) -> dict:
        return {"line": self.line, "url": self.url, "status": self.status, "file": self.file, "title": self.title,
                "problem": self.problem, "fix": self.fix}


@dataclass
class FetchReport:
    """Every link's `Outcome` and the problems to show (skipped links, warnings about saved pages)."""

    folder: Path
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests_sent: int = 0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def skipped(self) -> int:
        return sum(p.severity == "skipped" for p in self.problems)

    def summary(self) -> str:
        return (f"{self.count('saved')} page(s) saved into {self.folder}, {self.count('already')} already there, "
                f"{self.skipped} link(s) skipped ({self.requests_sent} request(s) sent)")

    def frame(self):
        import pandas as pd

        return pd.DataFrame([o.as_row() for o in self.outcomes], columns=list(Outcome(0, "", "").as_row()))


def read_links(path: Path) -> tuple[list[tuple[int, str]], list[Problem]]:
    """``([(line number, link)], problems)`` of a list of links: the first http(s) link of each line,
    without its ``#fragment``; a line with text but no link is a problem, never fatal."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FetchError(path, "the list of links does not exist", "check the path (it is relative to where you "
                         "run the command); write one link per line in a text file") from None
    except IsADirectoryError:
        raise FetchError(path, "is a folder, not a list of links", "give the text file that holds the links") from None
    except UnicodeDecodeError:
        raise FetchError(path, "the list of links is not UTF-8 text", "save it again as plain text (UTF-8)") from None
    links, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINK.search(stripped)
        if not match:
            problems.append(Problem(path.name, "skipped", f"line {number} holds no link starting with http:// or "
                                    f"https:// ({stripped[:80]!r})", "write one link per line, copied from the "
                                    "browser's address bar"))
            continue
        link = match.group(0).split("#", 1)[0].rstrip(".,;")
        if link.endswith(")") and "(" not in link:
            link = link[:-1]
        links.append((number, link))
    return links, problems


def _folder(into: Path) -> Path:
    from ..project import OUTPUT_MARKER

    into = Path(into)
    if into.exists() and not into.is_dir():
        raise FetchError(into, "is a file, not a folder", "give the folder that holds (or will hold) the articles")
    if (into / OUTPUT_MARKER).exists():
        raise FetchError(into, "is a folder the kit writes its tables into",
                         "fetch into the articles folder (e.g. articles/), not the output folder")
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(into, f"the folder could not be created ({exc.strerror or exc})",
                         "check the path and that you may write there") from None
    return into


def _lexicons(lex):
    if lex is not None:
        return lex
    from ..lexicons import load_lexicons
    from ..project import find_project

    return load_lexicons(extra=find_project().lexicons)


def _progress(items: list, progress: bool):
    if progress and len(items) > 1:
        from tqdm.auto import tqdm

        return tqdm(items, desc="fetching", unit="link")
    return items


def fetch_links(links_file, into, user_agent: str | None = None, *, client: PoliteClient | None = None,
                lex=None, progress: bool = False) -> FetchReport:
    """Fetch every link of ``links_file`` into the folder ``into`` (see the module docstring).

    ``client``: a `PoliteClient` to use (tests give one with a fake clock); by default one with
    ``user_agent``, which is then required (`kit.errors.FetchError` without it).
    """
    import filelock

    links_file = Path(links_file)
    own_client = client is None
    client = client or PoliteClient(user_agent=user_agent)
    links, problems = read_links(links_file)
    folder = _folder(into)
    lex = _lexicons(lex)
    report = FetchReport(folder, problems=problems)
    lock = filelock.FileLock(str(folder / ".kit-fetch.lock"))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise FetchError(folder, "another kit fetch is adding pages to this folder",
                         "wait until it has finished, then run this one again") from None
    try:
        record = FolderRecord(folder)
        tried: dict[str, int] = {}
        sent_before = client.requests_sent
        for line, url in _progress(links, progress):
            outcome = _fetch_one(client, record, lex, line, url, tried)
            report.outcomes.append(outcome)
            where = f"{links_file.name}, line {line}"
            if outcome.status == "skipped":
                report.problems.append(Problem(where, "skipped", f"{url}: {outcome.problem}", outcome.fix))
            elif outcome.problem:
                report.problems.append(Problem(outcome.file or where, "warning", outcome.problem, outcome.fix))
        report.requests_sent = client.requests_sent - sent_before
    finally:
        lock.release()
        if own_client:
            client.close()
    return report


def _fetch_one(client: PoliteClient, record: FolderRecord, lex, line: int, url: str, tried: dict) -> Outcome:
    from .pages import check_page

    key = page_key(url)
    if key in tried:
        return Outcome(line, url, "already", record.file_of(url), problem=f"listed twice (first on line {tried[key]})")
    tried[key] = line
    if record.file_of(url):
        return Outcome(line, url, "already", record.file_of(url))
    try:
        response = client.get(url)
        article, warnings = check_page(response, lex)
    except FetchFailed as exc:
        return Outcome(line, url, "skipped", problem=exc.problem, fix=exc.fix)
    same = record.file_of(response.final_url) or record.file_with(response.body)
    if same:
        return Outcome(line, url, "already", same, article.title,
                       problem=f"the link leads to a page already in the folder ({same})")
    try:
        name = record.save(response)
    except KitError as exc:
        return Outcome(line, url, "skipped", problem=exc.problem, fix=exc.fix)
    fix = "open the file and compare it with the page in a browser" if warnings else ""
    return Outcome(line, url, "saved", name, article.title, problem="; ".join(warnings), fix=fix)

"""The project folder: where a journalist's own files live, apart from the installed kit.

A project is a folder with a ``kit.toml`` file at its top (`kit init FOLDER` makes one)::

    kit.toml            which folders hold the articles (``articles = ["articles"]``)
    articles/           the articles (.txt, .md, .html) and their manifest.csv; the kit never changes them
                        (`kit fetch` only adds pages, and rows to manifest.csv and fetched.csv)
    notebooks/          the numbered notebooks, yours to edit and rerun
    data/corrections/   claims.csv and places.csv: your corrections, reapplied on every run
    data/lexicons/      rows that extend (or switch off) the kit's shipped word lists
    data/cache/         caches the kit rebuilds when needed (the geocoding cache keeps online answers)
    out/                tables and reports

The kit finds the project from the current folder upwards, so a notebook opened in
``notebooks/`` and a ``kit run`` typed at the top see the same project. With no ``kit.toml``
anywhere above, the current folder acts as one with the defaults above. The kit's own
repository is a project too: its ``kit.toml`` names ``seeds`` as the articles.

`kit init FOLDER` (`kit.new_project.init_project`) makes a new one.

Example:
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / MARKER).write_text('articles = ["reports"]')
    >>> (root / "notebooks").mkdir()
    >>> project = find_project(root / "notebooks")
    >>> project.root == root, project.articles[0].name, project.corrections.relative_to(root).as_posix()
    (True, 'reports', 'data/corrections')
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KitError
from .paths import NOTEBOOKS

MARKER = "kit.toml"
OUTPUT_MARKER = ".kit-output"  # in every folder the kit writes tables to; the article reader skips such folders

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Project:
    """A project folder and its settings (from ``kit.toml``)."""

    root: Path
    settings: dict = field(default_factory=dict)

    @property
    def articles(self) -> list[Path]:
        """The article folders named in ``kit.toml`` (default ``articles/``)."""
        return [self.root / folder for folder in self.settings.get("articles", ["articles"])]

    @property
    def corrections(self) -> Path:
        return self.root / "data" / "corrections"

    @property
    def lexicons(self) -> Path:
        return self.root / "data" / "lexicons"

    @property
    def cache(self) -> Path:
        return self.root / "data" / "cache"

    @property
    def notebooks(self) -> Path:
        """The project's notebooks, or the shipped ones when the project has none."""
        own = self.root / "notebooks"
        return own if any(own.glob("[0-9][0-9]-*.ipynb")) else NOTEBOOKS

    @property
    def out(self) -> Path:
        return self.root / "out"


def read_settings(marker: Path) -> dict:
    """The settings of a ``kit.toml``, with a clear error naming the file when it cannot be read."""
    try:
        settings = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KitError(marker, f"cannot be read as a project file ({exc})",
                       'fix it (it needs only a line such as articles = ["articles"]) or delete it') from None
    articles = settings.get("articles", ["articles"])
    if isinstance(articles, str):
        articles = [articles]
    if not isinstance(articles, list) or not all(isinstance(a, str) and a for a in articles):
        raise KitError(marker, "`articles` must be a list of folder names", 'write for example articles = ["articles"]')
    return {**settings, "articles": articles}


def find_project(start: Path | str | None = None) -> Project:
    """The project holding ``start`` (default: the current folder, or ``$KIT_PROJECT`` when set).

    >>> find_project("/").root
    PosixPath('/')
    """
    if start is None and os.environ.get("KIT_PROJECT"):
        start = os.environ["KIT_PROJECT"]
    here = Path(start or Path.cwd()).expanduser().resolve()
    for folder in (here, *here.parents):
        marker = folder / MARKER
        if marker.is_file():
            return Project(folder, read_settings(marker))
    return Project(here)

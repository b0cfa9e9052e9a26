"""One exception root for everything the kit reports to a journalist.

Every message names the file (and line or value where it helps) and says what to do.

Example:
    >>> err = ArticleError("seeds/a.txt", "the file is empty", "paste the article text into it or delete it")
    >>> str(err)
    'seeds/a.txt: the file is empty. What to do: paste the article text into it or delete it.'
"""
from __future__ import annotations


class KitError(Exception):
    """Base class: a problem the user can fix, described in plain words."""

    def __init__(self, where, problem: str, fix: str = ""):
        self.where = str(where)
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.problem}."
        if self.fix:
            text += f" What to do: {self.fix}."
        return text

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ArticleError(KitError):
    """An article file that cannot be read; the run skips it and goes on."""


class LexiconError(KitError):
    """A lexicon, gazetteer or corrections CSV that is malformed."""


class OutputLockedError(KitError):
    """Another run is writing the same output folder."""


class OutputError(KitError):
    """The output folder or a table in it cannot be written (not a folder, no permission, disk full)."""


class GeocoderError(KitError):
    """The online geocoder could not be used (configuration, not a failed lookup)."""


class FetchError(KitError):
    """`kit fetch` cannot start: no user agent, an unreadable list of links, a broken manifest.

    A link that could not be fetched is not an error: it is reported as a `Problem` and skipped.
    """


class Problem:
    """One line of the run's problem report (``problems.csv``): what went wrong where, and the fix.

    ``severity`` is ``skipped`` (the file was not used) or ``warning`` (used, but check it).

    >>> Problem.from_error(ArticleError("a.txt", "the file is empty", "delete it"), "skipped").as_row()["severity"]
    'skipped'
    """

    __slots__ = ("file", "severity", "problem", "fix")

    def __init__(self, file: str, severity: str, problem: str, fix: str = ""):
        self.file, self.severity, self.problem, self.fix = str(file), severity, problem, fix

    @classmethod
    def from_error(cls, error: KitError, severity: str = "skipped") -> "Problem":
        return cls(error.where, severity, error.problem, error.fix)

    def as_row(self) -> dict:
        return {"file": self.file, "severity": self.severity, "problem": self.problem, "fix": self.fix}

    def __str__(self) -> str:
        label = "SKIPPED" if self.severity == "skipped" else "WARNING"
        return f"{label} {KitError(self.file, self.problem, self.fix).message}"

    def __repr__(self) -> str:
        return f"Problem({self.file!r}, {self.severity!r}, {self.problem!r})"

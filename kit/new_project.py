"""`kit init FOLDER`: a new project folder with the notebooks, empty corrections and lexicon files.

See `kit.project` for what each folder is for. Nothing already in the folder is overwritten,
so running it again on a project only adds what is missing (a notebook a newer kit ships).

Example:
    >>> import tempfile
    >>> project = init_project(Path(tempfile.mkdtemp()) / "kerman")
    >>> sorted(p.name for p in project.root.iterdir())
    ['.gitignore', 'README.md', 'articles', 'data', 'jupytext.toml', 'kit.toml', 'notebooks']
    >>> sorted(p.name for p in (project.root / "data" / "corrections").iterdir())
    ['claims.csv', 'places.csv']
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import KitError
from .lexicons import write_extension_templates
from .paths import NOTEBOOKS, SEEDS
from .places.geocode import PLACE_CORRECTIONS_TEMPLATE
from .project import MARKER, Project, read_settings
from .tables.corrections import CLAIM_CORRECTIONS_TEMPLATE

JUPYTEXT_TOML = """\
# Every notebook is paired with a py:percent text file: review and diff the .py, run the .ipynb.
formats = "ipynb,py:percent"
notebook_metadata_filter = "kernelspec,jupytext,-jupytext.text_representation.jupytext_version"
cell_metadata_filter = "tags,-all"
"""

KIT_TOML = """\
# This folder is a project of the strike notebook kit (https://pypi.org/project/strike-notebook-kit/).
# The folders that hold your articles, relative to this file:
articles = ["articles"]
"""

PROJECT_README = """\
# {name}

A project of the strike notebook kit.

1. Put your articles (`.txt`, `.md`, `.html`) into `articles/`, with a `manifest.csv` beside them
   or front matter in each file for the outlet, date and URL. The kit never changes them. Or collect
   them by their links (one a line in `links.txt`):
   `kit fetch links.txt --into articles --user-agent "Newsroom name (desk@example.org)"`, which only
   adds the pages, with where and when each came from in `articles/fetched.csv`.
2. Run `kit report --articles articles --out out` for the tables and `out/report.html`,
   or open the notebooks: `jupyter lab notebooks/`.
3. Correct what the machine got wrong in `data/corrections/` (claims.csv, places.csv): every rerun applies them.
4. Teach it new words in `data/lexicons/`: a row there is added to the kit's own list of the same name;
   a row with `off` in its `switch` column switches the shipped row with the same key off.

`data/cache/` holds caches the kit rebuilds when needed, except `geocode.sqlite`: the answers of the
online geocoder, kept so that no place is asked twice. Keep that file when you share the project.
"""

GITIGNORE = "out/\ndata/cache/\n.ipynb_checkpoints/\n"


def init_project(folder: Path | str, *, example: bool = False) -> Project:
    """Make a project folder (see the module docstring); never overwrites a file already there.

    With ``example=True`` the five seed articles are copied into ``articles/`` so that every
    notebook has something to show at once.
    """
    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise KitError(root, "is a file, not a folder", "choose a new folder name")
    root.mkdir(parents=True, exist_ok=True)
    _write_new(root / MARKER, KIT_TOML)
    _write_new(root / "README.md", PROJECT_README.format(name=root.name))
    _write_new(root / ".gitignore", GITIGNORE)
    _write_new(root / "jupytext.toml", JUPYTEXT_TOML)
    (root / "articles").mkdir(exist_ok=True)
    if example:
        for path in sorted(SEEDS.iterdir()):
            if path.is_file() and not (root / "articles" / path.name).exists():
                shutil.copyfile(path, root / "articles" / path.name)
    (root / "notebooks").mkdir(exist_ok=True)
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*")):
        if path.suffix in (".ipynb", ".py") and not (root / "notebooks" / path.name).exists():
            shutil.copyfile(path, root / "notebooks" / path.name)
    project = Project(root, read_settings(root / MARKER))
    project.corrections.mkdir(parents=True, exist_ok=True)
    _write_new(project.corrections / "claims.csv", CLAIM_CORRECTIONS_TEMPLATE)
    _write_new(project.corrections / "places.csv", PLACE_CORRECTIONS_TEMPLATE)
    write_extension_templates(project.lexicons)
    return project


def _write_new(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(text, encoding="utf-8")

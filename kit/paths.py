"""Where the kit's own shipped files live, anchored on the installed package, never on the working folder.

What ships inside the package (read through `importlib.resources`): the lexicons, the gazetteer
sources and the basemap (``kit/data``), the numbered notebooks (``kit/notebooks``), the seed
articles used as an example (``kit/seeds``).
In the kit's own repository ``kit/data``, ``kit/notebooks`` and ``kit/seeds`` are links to the
top-level ``data/``, ``notebooks/`` and ``seeds/`` folders, so the files exist once.

What the journalist writes (articles, corrections, caches, output) lives in a project folder:
see `kit.project`.

Example:
    >>> (LEXICONS / "actors.csv").is_file(), (NOTEBOOKS / "01-articles.ipynb").is_file()
    (True, True)
"""
from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("kit")))
DATA = PACKAGE / "data"
LEXICONS = DATA / "lexicons"
GAZETTEER = DATA / "gazetteer"
BASEMAP = DATA / "basemap"
NOTEBOOKS = PACKAGE / "notebooks"
SEEDS = PACKAGE / "seeds"

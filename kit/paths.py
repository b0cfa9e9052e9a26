"""Where the kit's own files live, anchored on the package, never on the working directory.

Example:
    >>> from kit.paths import DATA
    >>> (DATA / "lexicons").is_dir()
    True
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LEXICONS = DATA / "lexicons"
GAZETTEER = DATA / "gazetteer"
BASEMAP = DATA / "basemap"
CORRECTIONS = DATA / "corrections"
CACHE = DATA / "cache"
NOTEBOOKS = ROOT / "notebooks"
SEEDS = ROOT / "seeds"

"""The repository's own folders, for tests (the installed kit knows only its package: `kit.paths`)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STYLES = ROOT / "tests" / "fixtures" / "styles"
GOLD = ROOT / "tests" / "gold"

"""Inputs for the reliability tests (bad files, hostile strings, a synthetic folder, checksums)."""
from __future__ import annotations

import hashlib
from pathlib import Path

# Strings that would run as code if any HTML the kit writes forgot to escape them.
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
    "\"'><svg onload=alert(1)>",
)

STORY = ("Rockets hit the Kalsu base south of Baghdad on Friday, two security sources told Reuters. "
         "Two people were killed and five were wounded, police said. "
         "The United States denied carrying out the strike.\n\n"
         "No group has claimed responsibility for the attack.\n")


def story(i: int) -> str:
    """A short, distinct article (the number makes its text, and so its id, unique)."""
    return (f"Strike number {i} hits base\n\n"
            f"Rockets hit a base near Baghdad on Friday, {i + 2} security sources told Reuters. "
            f"{i % 7 + 1} people were killed and {i % 5 + 2} were wounded, police said. "
            f"The United States denied carrying out strike number {i}.\n")


def write_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"a{i:04d}.txt"
        path.write_text(story(i), encoding="utf-8")
        paths.append(path)
    return paths


def checksums(*roots: Path) -> dict[str, str]:
    """sha256 of every file under ``roots`` (files or folders), keyed by path."""
    found = {}
    for root in roots:
        root = Path(root)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found

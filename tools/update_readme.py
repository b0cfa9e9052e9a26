#!/usr/bin/env python3
"""Regenerate the README's data dictionary from kit/schema.py (tests/test_docs.py checks it is current).

    python tools/update_readme.py          # rewrite the section in README.md
    python tools/update_readme.py --check  # exit 1 when README.md is out of date
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.schema import TABLES  # noqa: E402

START, END = "<!-- dictionary:start -->", "<!-- dictionary:end -->"
INTRO = {
    "articles": "One row per article read.",
    "places": "One row per place mention, with the geocoding chain's answer.",
    "casualty_claims": "One row per claimed count of killed or wounded (or a claim that nobody was hurt).",
    "attribution_claims": "One row per stance on who carried out an attack.",
    "events": "One row per incident, rolled up over every article that reports it.",
    "problems": "One row per file the run skipped or warns about.",
}


def dictionary() -> str:
    parts = []
    for table, cols in TABLES.items():
        parts.append(f"### `{table}.csv`\n\n{INTRO[table]}\n\n| column | type | meaning |\n|---|---|---|")
        for col in cols:
            mark = "" if col.required else " *(extra)*"
            parts.append(f"| `{col.name}` | {col.dtype} | {col.description}{mark} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def render(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{dictionary()}{END}{tail}"


if __name__ == "__main__":
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in sys.argv:
        sys.exit(0 if new == text else 1)
    path.write_text(new, encoding="utf-8")

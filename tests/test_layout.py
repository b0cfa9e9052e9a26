"""The house: steps import only from earlier steps, a lexicon row needs no code, the move changed no table."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import kit
from kit.paths import LEXICONS, PACKAGE, SEEDS
from repo import ROOT

# The method's steps in order; a module may import from its own step, an earlier one or the foundation.
STEPS = ("articles", "places", "claims", "incidents", "sources", "tables", "pipeline", "present", "bench")
FOUNDATION = {"errors", "paths", "project", "lexicons", "schema", "memos", "caches"}
ENTRY_POINTS = {"__init__", "__main__", "cli", "new_project"}


def _kit_imports(path: Path) -> set[str]:
    """The kit modules ``path`` imports (also inside functions), as dotted names under ``kit``
    (``from . import x`` gives the package's ``x``; names that are not modules count as their package)."""
    package = list(path.relative_to(PACKAGE).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif (node.module or "").split(".")[0] == "kit":
                base = []
                node = ast.ImportFrom(module=".".join(node.module.split(".")[1:]) or None, names=node.names, level=1)
            else:
                continue
            if node.module:
                found.add(".".join(base + node.module.split(".")))
            else:
                found |= {".".join(base + [alias.name]) for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name[4:] for a in node.names if a.name.startswith("kit.")}
    return found


def _step(dotted: str) -> str:
    return dotted.split(".")[0]


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_from_a_later_step(path):
    me = path.relative_to(PACKAGE).with_suffix("").parts
    if len(me) == 1 and me[0] in ENTRY_POINTS:
        return
    own = _step(".".join(me))
    for target in _kit_imports(path):
        step = _step(target)
        if step in FOUNDATION:
            continue
        if target == "__version__":  # a constant of kit/__init__.py, which any import of kit has run already
            continue
        if target == "read_tables":  # defined in kit/__init__.py, reads through the steps
            assert own not in FOUNDATION, f"foundation module {'.'.join(me)} imports kit.{target}"
            continue
        assert step in STEPS, f"{'.'.join(me)} imports {target}, which is in no step"
        if own in FOUNDATION:
            pytest.fail(f"foundation module {'.'.join(me)} imports the step {target}")
        assert STEPS.index(step) <= STEPS.index(own), f"{'.'.join(me)} (step {own}) imports {target}, a later step"


def test_every_module_is_in_a_step_or_the_foundation():
    for path in _modules():
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        assert parts[0] in STEPS or (len(parts) == 1 and parts[0] in FOUNDATION | ENTRY_POINTS), path


def test_the_import_check_sees_a_violation():
    """The check above is not vacuous: imports of every form are found, a later step among them."""
    probe = PACKAGE / "articles" / "_probe_for_test.py"
    probe.write_text("def f():\n    from ..claims.casualties import x\n"
                     "from . import sentences\nimport kit.present.show\nfrom kit.tables import io\n")
    try:
        assert _kit_imports(probe) == {"claims.casualties", "articles.sentences", "present.show", "tables"}
    finally:
        probe.unlink()


# ----------------------------------------------------------------------------- a lexicon row needs no code

STORY = """---
title: Test wire
outlet: Test Wire
published: 2024-03-01
---
An air strike liquidated five fighters near the town on Friday, officials said.
Three guards were liquidated in a second raid, a police source said.
Dozens were injured in the blast.
Hordes of people were wounded in the blast.
The drones struck a farm, killing 12 sheep and two farmers.
The Zorblax Front claimed responsibility for the attack.
Brought to you by the newsroom desk
"""
NEW_ROWS = {
    "casualty_terms.csv": "liquidated,killed,active,test row\nliquidated,killed,passive,test row\n",
    "vague_counts.csv": "hordes of,test row\n",
    "non_casualty_units.csv": "sheep,test row\n",
    "furniture.csv": '"^brought to you by the newsroom desk$",promo,,test row\n',
    "actors.csv": "Zorblax Front,Zorblax Front|ZF,,armed_group,test row\n",
}


def _tables(articles: Path, tmp_path: Path, **kwargs) -> dict:
    return kit.run([articles], None, cache_dir=tmp_path / "cache", progress=False, **kwargs).tables


def _effects(tables: dict) -> dict:
    cas, att, art = tables["casualty_claims"], tables["attribution_claims"], tables["articles"]
    return {
        "liquidated (active)": bool(((cas["count_min"] == 5) & cas["sentence"].str.contains("liquidated five")).any()),
        "liquidated (passive)": bool(((cas["count_min"] == 3) & cas["sentence"].str.startswith("Three guards")).any()),
        "hordes of": bool(cas["count_text"].str.lower().eq("hordes of").any()),
        "sheep are not people": not bool(cas["count_min"].isin([12, 14]).any()),
        "furniture line": "newsroom desk" in str(art.loc[0, "furniture"]),
        "actor": bool((att["actor"] == "Zorblax Front").any()),
    }


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "wire.txt").write_text(STORY, encoding="utf-8")
    return folder


def test_each_new_lexicon_row_takes_effect_in_a_copied_lexicon_folder(story, tmp_path):
    before = _effects(_tables(story, tmp_path / "a", lexicons_dir=LEXICONS))
    assert not any(v for k, v in before.items() if k != "sheep are not people"), before
    assert before["sheep are not people"] is False, "without the row the 12 sheep are counted among the killed"
    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, lexicons)
    for name, rows in NEW_ROWS.items():
        with open(lexicons / name, "a", encoding="utf-8") as handle:
            handle.write(rows)
    after = _effects(_tables(story, tmp_path / "b", lexicons_dir=lexicons))
    assert all(after.values()), after


def test_a_project_lexicon_row_extends_the_shipped_list(story, tmp_path, monkeypatch):
    from kit.new_project import init_project

    project = init_project(tmp_path / "project")
    for name, rows in NEW_ROWS.items():
        with open(project.lexicons / name, "a", encoding="utf-8") as handle:
            handle.write(rows.replace("test row\n", "test row,\n"))
    monkeypatch.chdir(project.root)
    after = _effects(_tables(story, tmp_path / "c"))
    assert all(after.values()), after


def test_a_project_row_switches_a_shipped_row_off(story, tmp_path, monkeypatch):
    from kit.new_project import init_project

    project = init_project(tmp_path / "project")
    before = _tables(story, tmp_path / "d")["casualty_claims"]
    assert before["count_text"].str.lower().eq("dozens").any()
    with open(project.lexicons / "vague_counts.csv", "a", encoding="utf-8") as handle:
        handle.write("dozens,,off\ndozens of,,off\n")
    monkeypatch.chdir(project.root)
    cas = _tables(story, tmp_path / "e")["casualty_claims"]
    assert not cas["count_text"].str.lower().eq("dozens").any(), cas[["count_text", "sentence"]]


# ----------------------------------------------------------------------------- the move changed no table

def test_the_seed_tables_are_those_of_the_kit_before_the_move(tmp_path):
    """The tables `python3 tasks.py report` writes for the seeds, against those written before the
    package was laid out in steps (tests/fixtures/seed-tables, from the flat kit at b683060).

    When a change of the rules changes them on purpose, refresh the fixture in the same commit
    (``kit run --articles seeds --out OUT`` and copy the five CSV files) and say so in its message.
    """
    out = tmp_path / "out"
    kit.run([SEEDS], out, cache_dir=tmp_path / "cache", progress=False)
    for name in ("articles", "places", "casualty_claims", "attribution_claims", "events"):
        expected = (ROOT / "tests" / "fixtures" / "seed-tables" / f"{name}.csv").read_text(encoding="utf-8")
        assert (out / f"{name}.csv").read_text(encoding="utf-8") == expected, name

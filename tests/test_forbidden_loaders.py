"""No code in the package can read a file in a way that runs code (issue 13).

Every Python file under ``kit/`` (the notebooks' paired scripts included) is parsed and searched
for the loaders that can execute what a file holds: pickle and its relatives, marshal, shelve,
numpy's ``allow_pickle``, pandas' pickle readers, ``eval``/``exec``, and ``yaml.load`` without a
safe loader. The search itself is tested on snippets that must be caught.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import yaml

from kit.paths import NOTEBOOKS, PACKAGE

MODULES = ("pickle", "_pickle", "cPickle", "cloudpickle", "dill", "marshal", "shelve", "joblib", "jsonpickle", "torch")
CALLS = {"eval", "exec", "read_pickle", "to_pickle", "unsafe_load", "full_load", "load_all", "unsafe_load_all"}
NAMES = {"FullLoader", "UnsafeLoader", "Loader", "CLoader", "CFullLoader", "CUnsafeLoader"}  # yaml's unsafe loaders


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def forbidden(source: str, namespace: dict | None = None) -> list[str]:
    """What in ``source`` could run code held in a file (empty when nothing).

    ``namespace``: the module's names, to check that a ``yaml.load(..., Loader=X)`` names a SafeLoader.
    """
    found, tree = [], ast.parse(source)
    safe = {"yaml.SafeLoader", "yaml.CSafeLoader"}
    for node in ast.walk(tree):  # classes of the source itself that derive from a SafeLoader
        if isinstance(node, ast.ClassDef) and any(_dotted(b) in safe for b in node.bases):
            safe.add(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in MODULES:
            found.append(f"from {node.module} import")
        elif isinstance(node, ast.ImportFrom) and node.module == "yaml":
            found += [f"from yaml import {a.name}" for a in node.names if a.name in NAMES | {"load"}]
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if name.split(".")[-1] in CALLS or name == "__import__":
                found.append(f"{name}()")
            allow = keywords.get("allow_pickle")
            if allow is not None and not (isinstance(allow, ast.Constant) and allow.value is False):
                found.append(f"{name}(allow_pickle=...)")
            if name in ("np.load", "numpy.load") and allow is None:
                found.append(f"{name}() without allow_pickle=False")
            if name == "yaml.load":
                loader = keywords.get("Loader")
                target = (namespace or {}).get(_dotted(loader)) if loader is not None else None
                if _dotted(loader) in safe:
                    target = yaml.SafeLoader
                if _dotted(loader).startswith("yaml."):
                    target = getattr(yaml, _dotted(loader)[5:], None)
                if not (isinstance(target, type) and issubclass(target, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))):
                    found.append("yaml.load() without a SafeLoader")
        elif isinstance(node, ast.Attribute) and node.attr in NAMES and _dotted(node.value) == "yaml":
            found.append(f"yaml.{node.attr}")
    return found


def _module_name(path: Path) -> str | None:
    """The module to import for its names (not the notebooks' scripts, not ``__main__``, which runs the CLI)."""
    if path.parent == NOTEBOOKS or path.name == "__main__.py":
        return None
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# the notebooks folder is a link into the package: rglob does not follow it
SOURCES = sorted(PACKAGE.rglob("*.py")) + sorted(NOTEBOOKS.glob("*.py"))


def test_every_file_of_the_package_is_searched():
    names = {p.relative_to(PACKAGE).as_posix() if p.parent != NOTEBOOKS else f"notebooks/{p.name}" for p in SOURCES}
    assert {"caches.py", "tables/snapshot.py", "places/gazetteer.py", "pipeline/extract.py",
            "articles/reading.py", "notebooks/01-articles.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name if p.parent == NOTEBOOKS else p.relative_to(PACKAGE).as_posix())
def test_no_loader_that_can_run_code(path):
    name = _module_name(path)
    namespace = vars(importlib.import_module(name)) if name else {}
    assert forbidden(path.read_text(encoding="utf-8"), namespace) == []


@pytest.mark.parametrize("snippet", [
    "import pickle", "import _pickle as p", "from pickle import loads", "import marshal", "import shelve",
    "import dill", "import cloudpickle", "from joblib import load", "import torch",
    "eval(text)", "exec(code)", "__import__('os')", "pd.read_pickle(path)", "frame.to_pickle(path)",
    "np.load(path)", "np.load(path, allow_pickle=True)", "numpy.load(path, allow_pickle=flag)",
    "pd.read_csv(path, allow_pickle=True)", "yaml.load(text)", "yaml.load(text, Loader=yaml.Loader)",
    "yaml.load(text, Loader=yaml.FullLoader)", "yaml.unsafe_load(text)", "yaml.full_load(text)",
    "from yaml import Loader", "from yaml import load", "yaml.load(text, Loader=Mine)",
])
def test_the_search_catches(snippet):
    class Mine(yaml.Loader):
        pass

    assert forbidden(snippet, {"Mine": Mine}), snippet


@pytest.mark.parametrize("snippet", [
    "np.load(path, allow_pickle=False)", "yaml.safe_load(text)", "yaml.load(text, Loader=yaml.SafeLoader)",
    "yaml.load(text, Loader=Strings)", "json.loads(text)", "frame.eval_ok = 1",
])
def test_the_search_lets_safe_readers_pass(snippet):
    class Strings(yaml.SafeLoader):
        pass

    assert forbidden(snippet, {"Strings": Strings}) == [], snippet

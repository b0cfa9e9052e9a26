"""Every example in the kit's docstrings runs and gives what it says."""
import doctest
import importlib
import pkgutil

import pytest

import kit

MODULES = sorted(m.name for m in pkgutil.walk_packages(kit.__path__, "kit.") if m.name != "kit.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failed == 0, f"{failed} docstring example(s) failed in {name}"

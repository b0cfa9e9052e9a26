"""pyproject.toml and environment.yml list the same direct dependencies."""
import re
import tomllib

import yaml

from repo import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda_side |= {_name(r) for r in dep["pip"]}
        else:
            conda_side.add(_name(dep))
    conda_side -= {"python", "pip"}
    assert pip_side == conda_side, (f"only in pyproject: {sorted(pip_side - conda_side)}; "
                                    f"only in environment.yml: {sorted(conda_side - pip_side)}")


def test_seeds_are_the_shared_seeds_unchanged():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.exists():
        import pytest
        pytest.skip("../shared/seeds is not beside this clone (it is on the project's machines and in CI)")
    for path in shared.iterdir():
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes(), path.name

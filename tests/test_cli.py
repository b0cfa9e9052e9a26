"""`kit run` from the shell: tables written, exit status says whether anything was skipped."""
import subprocess
import sys
import pandas as pd
import pytest

from kit.paths import SEEDS

KIT = [sys.executable, "-m", "kit.cli"]


def kit(*args, cwd=None):
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_run_on_seeds_writes_every_table(tmp_path):
    done = kit("run", "--articles", SEEDS, "--out", tmp_path / "out", "--cache", tmp_path / "cache", "--quiet")
    assert done.returncode == 0, done.stderr
    for name in ("articles", "places", "casualty_claims", "attribution_claims", "events", "problems"):
        assert (tmp_path / "out" / f"{name}.csv").exists(), name
    assert len(pd.read_csv(tmp_path / "out" / "articles.csv")) == 5
    assert "5 articles" in done.stdout


@pytest.mark.slow
def test_quiet_hides_even_the_first_build_of_the_world_index(tmp_path):
    """A fresh machine builds the world place index once (about 20 s): `--quiet` shows no bar for it either."""
    import os

    from kit.places.index import SHARED_ENV
    env = {k: v for k, v in os.environ.items() if k != SHARED_ENV}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A drone strike hit a depot in Kharkiv on Monday, killing two people.\n")
    done = subprocess.run([*KIT, "run", "--articles", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                           "--cache", str(tmp_path / "cache"), "--quiet"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cache" / "gazetteer.sqlite").exists()  # it was built here, by this run
    assert "%|" not in done.stderr and "world place index" not in done.stderr, done.stderr


def test_missing_folder_is_named_and_the_other_folder_still_read(tmp_path):
    done = kit("run", "--articles", SEEDS, tmp_path / "nope", "--out", tmp_path / "out", "--cache", tmp_path / "c", "--quiet")
    assert done.returncode == 1
    assert "nope" in done.stderr and "does not exist" in done.stderr
    assert len(pd.read_csv(tmp_path / "out" / "articles.csv")) == 5

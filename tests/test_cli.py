"""`kit run` from the shell: tables written, exit status says whether anything was skipped."""
import subprocess
import sys
import pandas as pd

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


def test_missing_folder_is_named_and_the_other_folder_still_read(tmp_path):
    done = kit("run", "--articles", SEEDS, tmp_path / "nope", "--out", tmp_path / "out", "--cache", tmp_path / "c", "--quiet")
    assert done.returncode == 1
    assert "nope" in done.stderr and "does not exist" in done.stderr
    assert len(pd.read_csv(tmp_path / "out" / "articles.csv")) == 5

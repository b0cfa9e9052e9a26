"""`python3 tasks.py lab` as a journalist uses it: JupyterLab starts, notebook 01 opens in a real
browser, Run All Cells runs it top to bottom without an error.

The server runs on loopback with a token this test makes, on a fresh project folder (``kit init
--example``: the numbered notebooks and the five seed articles), with Jupyter's settings and
runtime folders in the temporary folder. Debian's Chromium (/usr/bin/chromium, or $KIT_CHROMIUM)
is driven by Playwright, as in ``tests/test_report_browser.py``; every request that leaves
127.0.0.1 is aborted and counted.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import nbformat
import pytest

from kit.new_project import init_project
from repo import ROOT

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]


PROMPTS = ("Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt'))"
           ".map(e => e.textContent.trim())")


def answer_kernel_dialog(page) -> None:
    """JupyterLab sometimes asks which kernel to start although the notebook names one (when the page
    opens while the server still sets the session up): answer as a person does, with the proposed
    Python 3 kernel. Any other dialog fails the test with its text."""
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(state="visible", timeout=3000)
    except Exception:  # noqa: BLE001 - no dialog: nothing to answer
        return
    text = dialog.inner_text()
    assert "Select Kernel" in text and "Python 3" in text, f"unexpected dialog: {text}"
    dialog.locator("button", has_text=re.compile(r"^Select$")).click()
    dialog.wait_for(state="hidden", timeout=10_000)


def run_all_cells(page) -> None:
    """Run > Run All Cells, as a person does; clicked again when the kernel was not listening yet."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        answer_kernel_dialog(page)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:  # started: the first cell shows [*] or its number
            page.wait_for_function(f"() => {PROMPTS}.some(t => /^\\[(\\*|\\d+)\\]:$/.test(t))", timeout=20_000)
            return
        except PlaywrightTimeout:
            continue
    pytest.fail(f"Run All Cells did not start the notebook: prompts {page.evaluate('() => ' + PROMPTS)}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """End the process group this test started (tasks.py, jupyter lab and its kernels), by its id."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def lab(tmp_path):
    """(base url, token, project folder) of a running ``python3 tasks.py lab PROJECT``."""
    project = init_project(tmp_path / "kerman", example=True).root
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    log = open(tmp_path / "lab.log", "wb")
    process = subprocess.Popen([sys.executable, str(ROOT / "tasks.py"), "lab", str(project), "--no-browser",
                                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                                f"--IdentityProvider.token={token}"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"tasks.py lab stopped:\n{(tmp_path / 'lab.log').read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{base}/api/status", params={"token": token}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "JupyterLab did not start within 3 minutes"
            time.sleep(0.5)
        yield base, token, project
    finally:
        stop(process)
        log.close()


def test_tasks_lab_serves_the_notebooks_with_a_token(lab):
    base, token, project = lab
    assert httpx.get(f"{base}/api/contents", timeout=5).status_code == 403, "the server answers without its token"
    listing = httpx.get(f"{base}/api/contents", params={"token": token}, timeout=5).json()
    names = sorted(item["name"] for item in listing["content"])
    assert [n for n in names if n.endswith(".ipynb")] == sorted(p.name for p in (project / "notebooks").glob("*.ipynb"))
    assert "01-articles.ipynb" in names


def test_notebook_01_runs_in_the_browser(lab):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium) "
                    "or set KIT_CHROMIUM to its path")
    from playwright.sync_api import sync_playwright

    base, token, project = lab
    left = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})

        def route(r):
            if r.request.url.startswith((base, "data:", "blob:", "about:", "ws://127.0.0.1")):
                r.continue_()
            else:
                left.append(r.request.url)
                r.abort("internetdisconnected")

        context.route("**/*", route)
        page = context.new_page()
        page.goto(f"{base}/lab/tree/01-articles.ipynb?token={token}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        page.wait_for_function("() => { const s = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');"
                               " return s && s.getAttribute('data-status') === 'idle'; }", timeout=120_000)
        run_all_cells(page)
        page.wait_for_function(f"() => {PROMPTS}.every(t => /^\\[\\d+\\]:$/.test(t))", timeout=300_000)
        assert page.locator(".jp-NotebookPanel .jp-OutputArea-output").count() > 0, "no output was shown"
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save( Notebook)?$")).click()
        saved = project / "notebooks" / "01-articles.ipynb"
        deadline = time.monotonic() + 30
        while not all(c.get("execution_count") for c in nbformat.read(saved, as_version=4).cells if c.cell_type == "code"):
            assert time.monotonic() < deadline, "the notebook was not saved after File > Save"
            page.wait_for_timeout(500)  # not time.sleep: the route handler above must keep serving the save
        browser.close()
    cells = [c for c in nbformat.read(saved, as_version=4).cells if c.cell_type == "code"]
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert errors == [], errors[0].get("evalue") if errors else ""
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), "the cells did not run in order"
    shown = "\n".join(str(o.get("data", {}).get("text/html", "")) for c in cells for o in c.outputs)
    assert "5 article(s) read from 1 folder(s)." in shown
    assert "Nothing fetched: no list of links was given" in shown  # the fetch step is off unless asked
    assert (project / "out" / "notebooks" / "articles.csv").exists()
    assert left == [], f"JupyterLab asked the internet for: {left[:5]}"

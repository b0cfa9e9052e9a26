"""Article text, titles, outlets, URLs and place names that carry HTML or JavaScript are shown as
text in every HTML page the kit writes (map popups and tooltips, chart hover text, tables, the
report), never run. Checked in a real headless Chromium: no dialog opens, no injected element
(script, img onerror, svg onload, javascript: link) exists in any frame after every popup is
rendered and every chart point hovered, and no request leaves the machine.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit.paths import SEEDS
from kit.pipeline.runner import run
from kit.schema import TABLES, validate

from reliability_helpers import HOSTILE

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")

# Columns whose values are ids, numbers, vocabularies or file names the kit itself makes: left alone.
KEEP = {"claim_id", "article_id", "event_id", "file", "date", "published", "sha256", "outcome", "stance", "kind",
        "geocoder", "severity", "flags", "metadata_source"}

FIND_INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase(), value = (a.value || '').toLowerCase().replace(/\\s/g, '');
      if (name.startsWith('on') && value.includes('alert(')) bad.push('handler: ' + el.outerHTML.slice(0, 160));
      if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(name) && value.startsWith('javascript:'))
        bad.push('javascript link: ' + el.outerHTML.slice(0, 160));
    }
    if (tag === 'script' && /^\\s*alert\\(\\d\\)\\s*$/.test(el.textContent || '')) bad.push('script: ' + el.outerHTML);
  }
  return bad;
}"""

# Render every Leaflet popup and tooltip (clustered markers included) the way Leaflet does, by
# setting its HTML into the page, and hover every point of every Plotly chart.
EXERCISE = """async () => {
  let popups = 0, hovers = 0;
  if (window.L) {
    const maps = [];
    for (const key of Object.keys(window)) {
      try { if (window[key] instanceof L.Map) maps.push(window[key]); } catch (e) {}
    }
    const seen = new Set();
    const render = (layer) => {
      if (seen.has(layer)) return; seen.add(layer);
      if (typeof layer.getLayers === 'function') layer.getLayers().forEach(render);
      for (const get of ['getPopup', 'getTooltip']) {
        const holder = typeof layer[get] === 'function' ? layer[get]() : null;
        if (!holder) continue;
        let content = holder.getContent();
        if (typeof content === 'function') content = content(layer);
        const box = document.createElement('div');
        box.className = 'kit-test-rendered';
        if (typeof content === 'string') box.innerHTML = content;
        else if (content instanceof Node) box.appendChild(content.cloneNode(true));
        document.body.appendChild(box);
        popups++;
      }
    };
    for (const m of maps) { m.eachLayer(render); }
  }
  if (window.Plotly && window.Plotly.Fx) {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      (gd.calcdata || []).forEach((points, i) => {
        const n = Math.min(300, (points || []).length);
        for (let j = 0; j < n; j++) {
          const pt = points[j] || {};
          // heatmaps index points by [row, column]; other traces by number
          const spec = Array.isArray(pt.z) ? null : {curveNumber: i, pointNumber: j};
          try { if (spec) { window.Plotly.Fx.hover(gd, [spec]); hovers++; } } catch (e) {}
        }
        const z = (points && points[0] && points[0].z) || null;
        if (Array.isArray(z)) {
          for (let r = 0; r < Math.min(z.length, 60); r++) {
            for (let c = 0; c < Math.min((z[r] || []).length, 60); c++) {
              try { window.Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: [r, c]}]); hovers++; } catch (e) {}
            }
          }
        }
      });
    }
  }
  await new Promise(r => setTimeout(r, 300));
  return {popups, hovers};
}"""


def _hostile_corpus(root: Path) -> Path:
    folder = root / "articles"
    shutil.copytree(SEEDS, folder)
    for i, bad in enumerate(HOSTILE):
        quoted = bad.replace("'", "''")
        (folder / f"hostile{i}.md").write_text(
            "---\n"
            f"title: '{quoted} strike title'\n"
            f"outlet: '{quoted}'\n"
            f"url: '{'javascript:alert(1)' if i % 2 else 'https://example.invalid/' + quoted}'\n"
            f"published: 2024-04-2{i}\n"
            "---\n"
            f"Rockets hit the Kalsu base in Babil on Friday, {bad} said. "
            f"Two people were killed and {bad} five were wounded, police said. "
            f"Israel denied carrying out the strike, {bad} told Reuters. "
            f"The {bad} militia claimed responsibility for the attack on Baghdad airport.\n", encoding="utf-8")
    return folder


def _poison(tables: dict) -> dict:
    """Every free-text cell of every table also carries one hostile string (whatever the extractors found)."""
    poisoned = {}
    for name, frame in tables.items():
        frame = frame.copy()
        for col in frame.columns:
            spec = next((c for c in TABLES.get(name, ()) if c.name == col), None)
            if col in KEEP or (spec is not None and (spec.dtype != "str" or spec.allowed)):
                continue
            if spec is None and not frame[col].map(lambda v: isinstance(v, str)).any():
                continue
            frame[col] = [(f"{v} {HOSTILE[i % len(HOSTILE)]}" if isinstance(v, str) else v)
                          for i, v in enumerate(frame[col].astype(object))]
        if "url" in frame.columns:
            frame["url"] = "javascript:alert(1)"
        poisoned[name] = validate(frame, name) if name in TABLES else frame
    return poisoned


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency: pip install -e .[test]")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = _hostile_corpus(root)
    result = run([folder], root / "tables", cache_dir=root / "cache", corrections_dir=root / "corrections",
                 progress=False)
    return root, folder, _poison(result.tables)


def inspect(browser, page_path: Path) -> dict:
    """Open ``page_path``, render every popup and hover every chart point; what went wrong."""
    context = browser.new_context()
    left: list[str] = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_timeout(1500)  # the map unpacks its data asynchronously
    counts = {"popups": 0, "hovers": 0}
    injected: list[str] = []
    for frame in page.frames:
        with_counts = frame.evaluate(EXERCISE)
        counts = {k: counts[k] + with_counts[k] for k in counts}
    page.wait_for_timeout(500)
    for frame in page.frames:
        injected += frame.evaluate(FIND_INJECTED)
    context.close()
    return {"dialogs": dialogs, "injected": injected, "requests_out": left, "errors": errors, **counts}


def _assert_safe(report: dict, where: str) -> None:
    assert report["dialogs"] == [], f"{where}: a dialog opened: {report['dialogs']}"
    assert report["injected"] == [], f"{where}: injected elements: {report['injected'][:5]}"
    assert report["requests_out"] == [], f"{where}: requests left the machine: {report['requests_out'][:5]}"


def test_map_shows_hostile_text_as_text(browser, hostile_out, tmp_path):
    maps = pytest.importorskip("kit.present.maps", reason="kit/maps.py (issue 5) is not written yet")
    _, _, tables = hostile_out
    page = maps.save_map(maps.incident_map(tables), tmp_path / "map.html")
    report = inspect(browser, page)
    _assert_safe(report, "map.html")
    assert report["popups"] > 0, "no popup was rendered: the check did not reach the hostile text"


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is missing")
def test_report_pages_show_hostile_text_as_text(browser, hostile_out):
    report_mod = pytest.importorskip("kit.present.report", reason="kit/report.py (issue 6) is not written yet")
    root, folder, tables = hostile_out
    out = root / "report"
    result = report_mod.build_report([folder], out, tables=tables, cache_dir=root / "cache", progress=False)
    pages = [result.report_path, *sorted((out / "pages").glob("*.html")), *sorted(out.glob("map*.html"))]
    assert result.report_path.exists()
    hovers = popups = 0
    for page in pages:
        found = inspect(browser, page)
        _assert_safe(found, page.name)
        hovers += found["hovers"]
        popups += found["popups"]
    assert hovers > 0, "no chart point was hovered: the check did not reach the charts"
    assert popups > 0, "no map popup was rendered in the report"
    text = result.report_path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "\\u003cscript\\u003e" in text or \
        "\\\\u003cscript" in text or "&lt;img src=x onerror=alert(1)&gt;" in text, \
        "the hostile text is not shown at all (escaped) in the report"


def test_the_check_catches_unescaped_html(browser, tmp_path):
    """The check itself: a page that does render the hostile strings as HTML is caught three ways."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        "<!doctype html><html><body><div id='box'></div>"
        "<img src='https://example.invalid/pixel.png'>"
        "<script>document.getElementById('box').innerHTML = "
        + repr("".join(HOSTILE[1:]) + '<a href="javascript:alert(1)">link</a>') + ";</script>"
        "</body></html>", encoding="utf-8")
    found = inspect(browser, page)
    assert found["dialogs"], "the onerror handler should have opened a dialog"
    assert any("javascript link" in item for item in found["injected"])
    assert any("handler" in item for item in found["injected"])
    assert found["requests_out"] == ["https://example.invalid/pixel.png"]

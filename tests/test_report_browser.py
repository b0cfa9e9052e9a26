"""Each report as a person would see it: a real headless Chromium with the network cut off.

Debian's chromium (/usr/bin/chromium, or $KIT_CHROMIUM) is driven by Playwright through
``executable_path``; no browser is downloaded. Every request that is not a local file is aborted
and counted. For each page the test checks that the map's markers are there, that every chart has
drawn, that nothing was written to the console as an error, and that no request left the machine;
screenshots go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from repo import ROOT

import report_builds

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]
SCRIPT_TEXT = "<script>alert(1)</script>"

CHART_STATE = """() => Array.from(document.querySelectorAll('.kit-plotly-target')).map(el => ({
    svg: !!el.querySelector('svg.main-svg'),
    traces: (el._fullData || []).length,
    note: Array.from(el.querySelectorAll('.annotation-text')).map(a => a.textContent).join(' '),
    text: (el.textContent || '').slice(0, 200)}))"""
MAP_STATE = """() => { const m = document.querySelector('.folium-map'); if (!m) return null;
    const clusters = Array.from(document.querySelectorAll('.marker-cluster')).map(c => parseInt(c.textContent, 10) || 0);
    return {ready: m.dataset.kitReady, incidents: +m.dataset.kitIncidents, visible: +m.dataset.kitVisible,
            markers: document.querySelectorAll('.kit-marker').length, clustered: clusters.reduce((a, b) => a + b, 0),
            outlines: document.querySelectorAll('.leaflet-kitLand-pane path, .leaflet-kitLines-pane path').length}; }"""


@dataclass
class Visit:
    """What happened while a page was open."""

    page: object
    blocked: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def maps(self):
        return [f for f in self.page.frames if f.evaluate("() => !!document.querySelector('.folium-map')")]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium) "
                    "or set KIT_CHROMIUM to its path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def visit(browser, path: Path, width: int = 1280, media: str = "screen") -> Visit:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    seen = Visit(page)

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            seen.blocked.append(r.request.url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(f"page error: {e}"))
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    page.emulate_media(media=media)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.kit-plotly-target')).every(
        el => el.querySelector('.main-svg') || el.textContent.startsWith('The chart could not'))""", timeout=60_000)
    for frame in seen.maps():
        frame.wait_for_function("() => document.querySelector('.folium-map').dataset.kitReady === '1'", timeout=60_000)
    page.wait_for_timeout(300)
    return seen


def charts_drawn(seen: Visit) -> list[dict]:
    charts = seen.page.evaluate(CHART_STATE)
    for chart in charts:
        assert chart["svg"], f"a chart did not draw: {chart['text']}"
        assert chart["traces"] > 0 or "yet" in chart["note"], f"a chart is blank: {chart}"
    return charts


def check_clean(seen: Visit) -> None:
    assert seen.blocked == [], f"requests tried to leave the machine: {seen.blocked[:5]}"
    assert seen.errors == [], f"console errors: {seen.errors[:5]}"
    assert seen.dialogs == [], f"a script from an article ran: {seen.dialogs}"


def shoot(seen: Visit, artifacts: Path, name: str) -> None:
    seen.page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def built(kind: str, tmp_path_factory):
    result, _ = report_builds.build(kind, str(tmp_path_factory.getbasetemp()))
    return result


def test_seed_report_offline(browser, artifacts, tmp_path_factory):
    import pandas as pd

    result = built("seeds", tmp_path_factory)
    seen = visit(browser, result.report_path)
    check_clean(seen)
    charts = charts_drawn(seen)
    events = pd.read_csv(result.report_path.parent / "events.csv")
    shown = seen.page.inner_text("body")  # issue 16: independent sources and the grade of each incident
    for event in events.itertuples():
        assert f"independent source{'s' if event.n_sources != 1 else ''}: {event.sources}" in shown, event.event_id
        assert f"{event.grade}: {event.grade_reason}" in shown, event.event_id
    located = int(events[["lat", "lon"]].notna().all(axis=1).sum())
    [frame] = seen.maps()
    state = frame.evaluate(MAP_STATE)
    assert state["incidents"] == state["visible"] == located
    assert state["markers"] + state["clustered"] == located
    assert state["outlines"] > 10, "the offline basemap is missing"
    shoot(seen, artifacts, "report-seeds")
    if located:
        assert len(charts) >= 3
        frame.locator(".kit-marker, .marker-cluster").first.click()
        frame.wait_for_timeout(800)
        if frame.locator(".kit-marker").count():
            frame.locator(".kit-marker").first.click()
            frame.wait_for_selector(".leaflet-popup-content", timeout=5000)
            assert "\u2014" in frame.inner_text(".leaflet-popup-content")  # "— outlet, date"
        seen.page.locator("iframe").first.screenshot(path=str(artifacts / "report-seeds-map.png"))
    seen.page.context.close()


@pytest.mark.parametrize("name", ["01-articles", "02-geocoding", "03-map", "04-casualty-claims", "05-attribution-matrix"])
def test_seed_detail_pages_offline(browser, artifacts, tmp_path_factory, name):
    result = built("seeds", tmp_path_factory)
    seen = visit(browser, result.pages[name])
    check_clean(seen)
    charts_drawn(seen)
    if name == "03-map":
        [frame] = seen.maps()
        assert frame.evaluate(MAP_STATE)["ready"] == "1"
    assert seen.page.locator("nav.kit-nav a").count() == 6
    shoot(seen, artifacts, f"page-{name}")
    seen.page.context.close()


def test_fixture_report_escapes_article_text_and_switches_layers(browser, artifacts, tmp_path_factory):
    result = built("fixture", tmp_path_factory)
    seen = visit(browser, result.report_path)
    check_clean(seen)
    charts = charts_drawn(seen)
    assert len(charts) == 5  # 3 incidents with casualty claims, the toll by date, who-is-blamed (matrices are tables)
    assert seen.page.locator("table.kit-matrix").count() == 4
    text = seen.page.inner_text("main")
    assert f"Strike {SCRIPT_TEXT} near Qaim" in text  # shown as text, never run
    [frame] = seen.maps()
    state = frame.evaluate(MAP_STATE)
    assert state["incidents"] == state["visible"] == 4
    toggle = """name => { const label = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
        .find(l => l.textContent.includes(name)); label.querySelector('input').click(); }"""
    frame.evaluate(toggle, "Rudaw")  # the only outlet reporting the airport rockets
    frame.wait_for_timeout(300)
    assert frame.evaluate(MAP_STATE)["visible"] == 3
    frame.evaluate(toggle, "Drone strike on a PMF")  # one incident switched off
    frame.wait_for_timeout(300)
    assert frame.evaluate(MAP_STATE)["visible"] == 2
    frame.evaluate(toggle, "Rudaw")
    frame.evaluate(toggle, "Drone strike on a PMF")
    frame.wait_for_timeout(300)
    assert frame.evaluate(MAP_STATE)["visible"] == 4
    frame.evaluate("() => Object.values(window).find(v => v instanceof L.Map).setView([34.37, 41.09], 10)")
    frame.wait_for_timeout(500)
    frame.locator(".kit-marker").first.click()
    frame.wait_for_selector(".leaflet-popup-content", timeout=5000)
    popup = frame.inner_text(".leaflet-popup-content")
    assert SCRIPT_TEXT in popup and "<b>five</b>" in popup
    seen.page.locator("iframe").first.screenshot(path=str(artifacts / "report-fixture-map-popup.png"))
    shoot(seen, artifacts, "report-fixture")
    assert seen.dialogs == [] and seen.errors == []
    seen.page.context.close()


def test_empty_report_says_nothing_found_yet(browser, artifacts, tmp_path_factory):
    result = built("empty", tmp_path_factory)
    for path in [result.report_path, *result.pages.values()]:
        seen = visit(browser, path)
        check_clean(seen)
        charts_drawn(seen)
        for frame in seen.maps():
            state = frame.evaluate(MAP_STATE)
            assert state["incidents"] == state["markers"] == 0
            assert "No incidents with coordinates yet." in frame.inner_text(".kit-note")
        if path == result.report_path:
            assert "No incidents found yet." in seen.page.inner_text("main")
            shoot(seen, artifacts, "report-empty")
        seen.page.context.close()


def test_real_pipeline_on_a_hostile_article(browser, artifacts, tmp_path_factory):
    result = built("hostile", tmp_path_factory)
    assert result.skipped == 0, result.problems
    for path in [result.report_path, *result.pages.values()]:
        seen = visit(browser, path)
        check_clean(seen)
        charts_drawn(seen)
        assert SCRIPT_TEXT in seen.page.inner_text("main")
        shoot(seen, artifacts, f"hostile-{path.stem}")
        seen.page.context.close()


def test_a_report_about_sudan_shows_sudan_offline(browser, artifacts, tmp_path_factory):
    result = built("sudan", tmp_path_factory)
    assert result.skipped == 0, result.problems
    seen = visit(browser, result.report_path)
    check_clean(seen)
    [frame] = seen.maps()
    state = frame.evaluate(MAP_STATE)
    assert state["incidents"] >= 1 and state["outlines"] > 10
    view = frame.evaluate("""() => { const map = Object.values(window).find(v => v instanceof L.Map);
        const c = map.getCenter(); return {lat: c.lat, lon: c.lng, zoom: map.getZoom(),
        states: Array.from(document.querySelectorAll('.kit-label-admin')).map(l => l.textContent),
        countries: Array.from(document.querySelectorAll('.kit-label-country')).map(l => l.textContent)}; }""")
    assert 8 <= view["lat"] <= 23 and 21 <= view["lon"] <= 39, view  # the map opens on Sudan
    assert {"North Darfur", "Central Darfur", "Southern Darfur"} <= set(view["states"]), view["states"][:20]  # Sudan's states
    assert {"Sudan", "Chad", "Ukraine", "Brazil"} <= set(view["countries"])  # the whole world's outlines
    assert "Minas Gerais" not in view["states"]  # but only the divisions around the incidents
    frame.evaluate("() => Object.values(window).find(v => v instanceof L.Map).setZoom(7)")
    frame.wait_for_timeout(500)
    seen.page.locator("iframe").first.screenshot(path=str(artifacts / "report-sudan-map.png"))
    shoot(seen, artifacts, "report-sudan")
    seen.page.context.close()


def test_screenshots_are_kept_out_of_git():
    assert "test-artifacts/" in (ROOT / ".gitignore").read_text()


# ----------------------------------------------------------------------------- layout: screen, phone, paper

LAYOUT = """() => {
    const width = document.documentElement.clientWidth;
    const outside = e => !e.closest('.kit-plotly svg, .folium-map');
    const boxes = Array.from(document.querySelectorAll(
        'main table, main tr, main th, main td, main iframe, main img, main .kit-plotly, main .kit-note, main blockquote, main p, main h1, main h2'))
        .filter(outside).filter(e => e.getClientRects().length);
    const scrolling = Array.from(document.querySelectorAll('main *')).filter(outside).filter(e => {
        const style = getComputedStyle(e);
        return ['auto', 'scroll'].includes(style.overflowY) && e.scrollHeight > e.clientHeight + 2; });
    const headers = Array.from(document.querySelectorAll('main table.kit-table thead th'));
    const main = document.querySelector('main');
    const edge = Math.min(width, main ? main.getBoundingClientRect().right : width);  // the page's own box, not the window
    const wide = Array.from(document.querySelectorAll('main .kit-table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 2);
    return {width: width, page: document.documentElement.scrollWidth,
            beyond: boxes.filter(e => e.getBoundingClientRect().right > edge + 1)
                         .concat(wide)
                         .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 60)).slice(0, 5),
            scrollers: scrolling.map(e => e.tagName + '.' + e.className).slice(0, 5),
            headers: headers.length, hidden_headers: headers.filter(h => !h.getClientRects().length ||
                h.getBoundingClientRect().width < 4).map(h => h.textContent).slice(0, 5),
            cards: Array.from(document.querySelectorAll('main table.kit-table td')).some(td => getComputedStyle(td).display === 'block')}; }"""
A4_PX = 703  # 210 mm less 2 x 12 mm of margin (the print style sheet's @page), at 96 px per inch


def check_layout(seen: Visit) -> dict:
    state = seen.page.evaluate(LAYOUT)
    assert state["page"] <= state["width"], f"the page is wider than the window: {state}"
    assert state["beyond"] == [], f"cut off at the right edge ({state['width']} px): {state['beyond']}"
    assert state["scrollers"] == [], f"an inner scroll box hides rows: {state['scrollers']}"
    return state


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_fits_the_window_with_no_inner_scroll_box(browser, artifacts, tmp_path_factory, width):
    result = built("ukraine", tmp_path_factory)
    for path in [result.report_path, *result.pages.values()]:
        seen = visit(browser, path, width)
        check_clean(seen)
        charts_drawn(seen)
        state = check_layout(seen)
        assert state["cards"] == (width < 700)  # a phone reads each table row as a card
        if path == result.report_path:
            shoot(seen, artifacts, f"report-ukraine-{width}")
            if width < 700:  # the chart titles wrap above the charts; the two panels are stacked
                assert seen.page.locator(".kit-chart-title").count() >= 3
                [frame] = seen.maps()
                assert frame.locator(".leaflet-control-layers-expanded").count() == 0  # folded: it would cover the map
        seen.page.context.close()


def test_printing_on_a4_keeps_every_column(browser, artifacts, tmp_path_factory):
    result = built("ukraine", tmp_path_factory)
    seen = visit(browser, result.report_path, A4_PX, media="print")
    state = check_layout(seen)
    assert state["headers"] >= 9 + 5 and state["hidden_headers"] == [], state  # the overview and the sources at least
    assert not state["cards"] and seen.page.locator("nav.kit-nav").is_hidden()
    pdf = seen.page.pdf(path=str(artifacts / "report-ukraine-a4.pdf"), format="A4")
    assert pdf[:4] == b"%PDF"
    seen.page.context.close()


def test_a_report_mailed_alone_still_works(browser, artifacts, tmp_path_factory):
    import shutil

    result = built("ukraine", tmp_path_factory)
    alone = tmp_path_factory.mktemp("mailed") / "report.html"
    shutil.copy(result.report_path, alone)
    seen = visit(browser, alone)
    assert seen.blocked == [] and seen.dialogs == []
    assert all("ERR_FILE_NOT_FOUND" in e for e in seen.errors), seen.errors  # only the probe for pages/
    charts_drawn(seen)
    assert seen.page.locator("nav.kit-nav a").count() == 1  # the links to the missing pages are gone ...
    assert "came without its detail pages" in seen.page.inner_text("nav.kit-nav")  # ... and it says so
    [frame] = seen.maps()
    assert frame.evaluate(MAP_STATE)["incidents"] == 2
    seen.page.context.close()
    beside = visit(browser, result.report_path)  # with its folder: every page linked
    assert beside.page.locator("nav.kit-nav a").count() == 6 and beside.page.locator(".kit-nav-alone").is_hidden()
    beside.page.context.close()

"""Everything a report needs to work with no network: inlined JavaScript and CSS, and checks.

The JavaScript and CSS come from installed Python packages, never from a CDN and never copied
into the repository: Leaflet, jQuery and Leaflet.markercluster from the xstatic packages, plotly.js
from the plotly package. Leaflet's CSS points at images beside it (``url(images/layers.png)``);
those are turned into data URIs, otherwise an inlined stylesheet would ask for files that are not
there (measured in ../shared/research/ecosystem-probe.md, section 4).

plotly.js is 4.8 MB. Reports carry it once, gzip-compressed and base64-encoded (about 2 MB), and
unpack it in the browser with the standard ``DecompressionStream`` (Chrome/Edge 80+, Firefox 113+,
Safari 16.4+); `plotly_loader` writes that script. The figures themselves are stored as JSON in
``<script type="application/vnd.plotly.v1+json">`` blocks and drawn once plotly.js is ready.

`remote_references` finds anything in an HTML page that would make a browser fetch from the
network (``<script src>``, stylesheets, images, iframes, CSS ``url()`` and ``@import``), including
inside ``<iframe srcdoc>`` documents such as folium maps. Plain links (``<a href>``) are allowed:
they load nothing until someone clicks.

Example:
    >>> len(leaflet_js()) > 100_000 and "data:image/png;base64," in leaflet_css()
    True
    >>> remote_references('<script src="https://cdn.example.org/x.js"></script><a href="https://ok.org">ok</a>')
    ['https://cdn.example.org/x.js']
    >>> strip_mathjax('<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js"></script>')
    ''
"""
from __future__ import annotations

import base64
import gzip
import html
import re
from pathlib import Path

from ..errors import KitError

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "kit_offline"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.M)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")
# Attributes and CSS constructs that make a browser fetch something as the page loads.
_FETCHING = [
    re.compile(r"<(?:script|img|iframe|embed|source|audio|video|input|track)\b[^>]*?\bsrc\s*=\s*['\"]?\s*(https?:)?//([^'\" >]+)", re.I),
    re.compile(r"<link\b[^>]*?\bhref\s*=\s*['\"]?\s*(https?:)?//([^'\" >]+)", re.I),
    re.compile(r"<object\b[^>]*?\bdata\s*=\s*['\"]?\s*(https?:)?//([^'\" >]+)", re.I),
    re.compile(r"url\(\s*['\"]?(https?:)?//([^'\")]+)", re.I),
    re.compile(r"@import\s+['\"](https?:)?//([^'\"]+)", re.I),
    re.compile(r"(?<!@)\bimport\s*\(?\s*['\"](https?:)?//([^'\"]+)", re.I),
]
_SRCDOC = re.compile(r"srcdoc\s*=\s*(\"[^\"]*\"|'[^']*')", re.I | re.S)
_MATHJAX_TAG = re.compile(r"<script\b[^>]*\bsrc\s*=\s*['\"][^'\"]*mathjax[^'\"]*['\"][^>]*>\s*</script>", re.I)


def _xstatic_dir(module: str) -> Path:
    import importlib

    try:
        pkg = importlib.import_module(f"xstatic.pkg.{module}")
    except ImportError as exc:  # pragma: no cover - a broken install
        raise KitError(f"python package xstatic-{module.replace('_', '-')}", "is not installed",
                       "reinstall the kit: pip install -e .") from exc
    return Path(pkg.BASE_DIR)


def _read(module: str, name: str) -> str:
    text = (_xstatic_dir(module) / name).read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", text)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def leaflet_js() -> str:
    """Leaflet's minified JavaScript (xstatic-leaflet), without its source-map comment."""
    return _read("leaflet", "leaflet.js")


def leaflet_css() -> str:
    """Leaflet's CSS with its images (layer-control icon, default marker) as data URIs."""
    folder = _xstatic_dir("leaflet")
    return _CSS_URL.sub(lambda m: f"url({_data_uri(folder / m.group(2))})", _read("leaflet", "leaflet.css"))


def leaflet_icon_uris() -> dict[str, str]:
    """Leaflet's default marker images as data URIs (``iconUrl``, ``iconRetinaUrl``, ``shadowUrl``)."""
    images = _xstatic_dir("leaflet") / "images"
    return {"iconUrl": _data_uri(images / "marker-icon.png"),
            "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
            "shadowUrl": _data_uri(images / "marker-shadow.png")}


def jquery_js() -> str:
    """jQuery (xstatic-jquery); folium builds popups and tooltips with it."""
    return _read("jquery", "jquery.min.js")


def markercluster_js() -> str:
    return _read("leaflet_markercluster", "leaflet.markercluster.js")


def markercluster_css() -> str:
    return _read("leaflet_markercluster", "MarkerCluster.css") + "\n" + _read("leaflet_markercluster", "MarkerCluster.Default.css")


def plotly_js() -> str:
    """plotly.js as bundled by the installed plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def gzip_base64(data: str | bytes) -> str:
    """Compress text for a page: gzip (with a fixed timestamp, so output is reproducible) then base64."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(gzip.compress(raw, 9, mtime=0)).decode("ascii")


INFLATE_JS = """function kitInflate(b64) {
  var bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
  if (typeof DecompressionStream === "undefined") {
    return Promise.reject(new Error("This browser is too old to unpack the report (no DecompressionStream); open it in a current Chrome, Edge, Firefox or Safari."));
  }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}"""

_PLOTLY_LOADER = """<script>
window.PlotlyConfig = {MathJaxConfig: "local"};
%(inflate)s
window.kitPlotly = (function () {
  var packed = "%(packed)s";
  return kitInflate(packed).then(function (code) {
    var tag = document.createElement("script");
    tag.text = code;
    document.head.appendChild(tag);
    return window.Plotly;
  });
})();
window.kitPlotly.then(function (Plotly) {
  document.querySelectorAll(".kit-plotly").forEach(function (box) {
    var spec = JSON.parse(box.querySelector("script[type='%(mime)s']").textContent);
    var config = Object.assign({responsive: true, displaylogo: false}, spec.config || {});
    Plotly.newPlot(box.querySelector(".kit-plotly-target"), spec.data || [], spec.layout || {}, config);
  });
}).catch(function (error) {
  document.querySelectorAll(".kit-plotly-target").forEach(function (target) {
    target.textContent = "The chart could not be drawn: " + error.message;
  });
  console.warn(error);
});
</script>"""


def plotly_loader() -> str:
    """A ``<script>`` that unpacks plotly.js and draws every ``.kit-plotly`` figure on the page."""
    return _PLOTLY_LOADER % {"inflate": INFLATE_JS, "packed": gzip_base64(plotly_js()), "mime": PLOTLY_MIMETYPE}


def strip_mathjax(page: str) -> str:
    """Remove ``<script src=...mathjax...>`` tags (plotly's notebook renderer hard-codes a CDN one)."""
    return _MATHJAX_TAG.sub("", page)


def remote_references(page: str, _depth: int = 0) -> list[str]:
    """Every address the page would fetch from the network as it loads (also inside iframe srcdoc)."""
    found = []
    for pattern in _FETCHING:
        for match in pattern.finditer(page):
            found.append(f"{match.group(1) or ''}//{match.group(2)}")
    if _depth < 3:
        for match in _SRCDOC.finditer(page):
            found += remote_references(html.unescape(match.group(1)[1:-1]), _depth + 1)
    return found


def assert_offline(page: str, where) -> None:
    """Raise `KitError` naming the page when it would fetch anything from the network."""
    remote = remote_references(page)
    if remote:
        listed = ", ".join(sorted(set(remote))[:5])
        raise KitError(where, f"the page would load {len(remote)} thing(s) from the network ({listed})",
                       "report this as a bug in the kit: reports must work offline")

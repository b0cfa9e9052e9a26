"""Everything a report needs to work with no network: inlined JavaScript and CSS, and checks.

The JavaScript and CSS come from installed Python packages, never from a CDN and never copied
into the repository: Leaflet, jQuery and Leaflet.markercluster from the xstatic packages, plotly.js
from the plotly package. Leaflet's CSS points at images beside it (``url(images/layers.png)``);
those are turned into data URIs, otherwise an inlined stylesheet would ask for files that are not
there (measured in ../shared/research/ecosystem-probe.md, section 4).

plotly.js is 4.8 MB. The report carries it once, gzip-compressed and base64-encoded (about 2 MB),
so that it works alone when mailed; the detail pages share one such copy beside them
(`PLOTLY_FILE`). The browser unpacks it with the standard ``DecompressionStream`` (Chrome/Edge 80+,
Firefox 113+, Safari 16.4+); `plotly_loader` writes that script. The figures themselves are stored as JSON in
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

NARROW_PX = 640  # a chart this narrow stacks its two panels (`kit.present.charts.stack_when_narrow`)
PLOTLY_FILE = "kit-plotly.js"  # the packed plotly.js the detail pages share, beside them

_PLOTLY_LOADER = """<script>
window.PlotlyConfig = {MathJaxConfig: "local"};
%(inflate)s
window.kitPlotly = (function () {
  var packed = %(packed)s;
  if (!packed) {
    return Promise.reject(new Error("the file %(file)s, which the detail pages share, is not beside this page"));
  }
  return kitInflate(packed).then(function (code) {
    var tag = document.createElement("script");
    tag.text = code;
    document.head.appendChild(tag);
    return window.Plotly;
  });
})();
function kitChartTitle(box, layout) {
  /* the chart's title as text above it, where it wraps on a phone (plotly's own title does not) */
  var title = layout.title && (layout.title.text || (typeof layout.title === "string" ? layout.title : ""));
  if (!title) return;
  var decode = document.createElement("textarea");
  decode.innerHTML = title.replace(/<br\\s*\\/?>/gi, "\\n").replace(/<[^>]*>/g, "");
  var holder = document.createElement("div");
  holder.className = "kit-chart-title";
  holder.style.whiteSpace = "pre-line";
  holder.textContent = decode.value;
  box.insertBefore(holder, box.firstChild);
  layout.title = {text: ""};
  var margin = Object.assign({}, layout.margin || {});
  margin.t = Math.max(24, (margin.t === undefined ? 80 : margin.t) - 46);
  layout.margin = margin;
}
window.kitPlotly.then(function (Plotly) {
  document.querySelectorAll(".kit-plotly").forEach(function (box) {
    var spec = JSON.parse(box.querySelector("script[type='%(mime)s']").textContent);
    var layout = spec.layout || {};
    var target = box.querySelector(".kit-plotly-target");
    kitChartTitle(box, layout);
    if (layout.width && layout.width > box.clientWidth) { delete layout.width; }
    var narrow = layout.meta && layout.meta.kit_narrow;
    if (narrow && box.clientWidth < %(narrow_px)d) {  /* two panels one above the other on a phone */
      Object.keys(narrow).forEach(function (key) {
        layout[key] = (typeof narrow[key] === "object" && !Array.isArray(narrow[key]))
          ? Object.assign({}, layout[key] || {}, narrow[key]) : narrow[key];
      });
      target.style.height = narrow.height + "px";
    }
    var config = Object.assign({responsive: true, displaylogo: false}, spec.config || {});
    Plotly.newPlot(target, spec.data || [], layout, config);
  });
}).catch(function (error) {
  document.querySelectorAll(".kit-plotly-target").forEach(function (target) {
    target.textContent = "The chart could not be drawn: " + error.message;
  });
  console.warn(error);
});
</script>"""


def plotly_loader(shared: bool = False) -> str:
    """A ``<script>`` that unpacks plotly.js and draws every ``.kit-plotly`` figure on the page, with
    plotly.js packed inside it, or (``shared``) from `PLOTLY_FILE` beside the page (`write_plotly_file`)."""
    packed = "window.kitPlotlyPacked" if shared else '"' + gzip_base64(plotly_js()) + '"'
    head = f'<script src="{PLOTLY_FILE}"></script>' if shared else ""
    return head + _PLOTLY_LOADER % {"inflate": INFLATE_JS, "packed": packed, "mime": PLOTLY_MIMETYPE, "file": PLOTLY_FILE,
                                    "narrow_px": NARROW_PX}


def write_plotly_file(folder: Path) -> Path:
    """``folder/kit-plotly.js``: plotly.js packed once for every page of the folder (written when missing
    or from another plotly version)."""
    from ..tables.io import write_text

    text = f"window.kitPlotlyPacked = \"{gzip_base64(plotly_js())}\";\n"
    target = Path(folder) / PLOTLY_FILE
    if not target.exists() or target.stat().st_size != len(text) or target.read_text(encoding="ascii") != text:
        write_text(text, target)
    return target


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

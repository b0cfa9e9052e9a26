"""The geocoding chain: every place mention gets coordinates, or a status saying why not.

First hit wins, and the ``geocoder`` column says which step answered:

1. ``correction``: the journalist's ``corrections/places.csv`` (only ever read).
2. ``gazetteer``: the offline gazetteer, already applied by `kit.places.mentions.find_places`.
3. ``cache``: an earlier online answer kept in ``cache/geocode.sqlite`` (`kit.places.geocache`).
4. ``online``: only when asked (``offline=False``): `kit.places.online.OnlineGeocoder` (Nominatim).

A row nobody could locate has ``geocoder="unresolved"`` and a ``status``: ``no_match`` (the
gazetteer or the service knows no such place), ``service_failed`` (the service did not answer;
retried on the next run) or ``skipped_offline`` (not asked: the run was offline).

Corrections file, one row per fix (``mention,article_id,canonical,kind,lat,lon,precision_km,note``):
``article_id`` empty applies the row to that mention in every article; lat/lon may stay empty
when ``canonical`` is a gazetteer name; ``kind`` ``not_a_place`` removes the mention.

Example:
    >>> import pandas as pd, tempfile
    >>> from pathlib import Path
    >>> fixes = Path(tempfile.mkdtemp())
    >>> _ = (fixes / "places.csv").write_text("mention,article_id,canonical,kind,lat,lon,precision_km,note\\n"
    ...                                       "Kalso base,,Kalsu military base,base,32.87,44.36,2,checked\\n")
    >>> rows = pd.DataFrame([{"article_id": "a1", "file": "a.txt", "mention": "Kalso base", "geocoder": "unresolved",
    ...                       "status": "no_match", "kind": "base"}])
    >>> out, problems = resolve_places(rows, fixes, tempfile.mkdtemp())
    >>> out.loc[0, ["canonical", "geocoder", "status"]].tolist(), float(out.loc[0, "lat"]), problems
    (['Kalsu military base', 'correction', 'found'], 32.87, [])
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import KitError, LexiconError, Problem
from .gazetteer import PLACE_KINDS, fold, read_numbered_rows
from .geocache import FINAL, GeocodeCache
from .online import OnlineGeocoder

PLACE_CORRECTIONS_TEMPLATE = """\
mention,article_id,canonical,kind,lat,lon,precision_km,note
# One row per fix of places.csv. The kit only reads this file; it never writes it.
# mention: the place name as written in the article (as in places.csv; case and accents do not matter).
# article_id: leave empty to fix that name in every article; or give one article_id (from articles.csv) to fix it there only.
# canonical: the right place. If it is a gazetteer name (data/gazetteer) you may leave lat and lon empty.
# kind: country governorate region city district neighbourhood base airport facility sea or other; not_a_place removes the mention.
# lat/lon: decimal degrees (WGS84) e.g. 32.87 and 44.36; precision_km: how far the real spot may be from them.
# note: your source for the fix (a map link or a document). A row that matches no mention is reported in problems.csv.
"""  # a new project's data/corrections/places.csv

CORRECTION_COLUMNS = ("mention", "article_id", "canonical", "kind", "lat", "lon", "precision_km", "note")
STATUSES = ("found", "no_match", "service_failed", "skipped_offline")
NOT_A_PLACE = "not_a_place"
# precision when a correction gives none (km)
DEFAULT_PRECISION_KM = {"country": 300.0, "governorate": 50.0, "region": 150.0, "city": 10.0, "district": 15.0,
                        "neighbourhood": 2.0, "base": 3.0, "airport": 3.0, "facility": 2.0, "sea": 300.0,
                        "other": 10.0}
RESULT_COLUMNS = ("canonical", "kind", "country", "lat", "lon", "precision_km", "geocoder", "status", "source")

__all__ = ["resolve_places", "read_place_corrections", "OnlineGeocoder", "PlaceCorrection", "STATUSES"]


@dataclass
class PlaceCorrection:
    """One valid row of ``corrections/places.csv``."""

    where: str
    mention: str
    article_id: str
    canonical: str
    kind: str
    lat: float | None
    lon: float | None
    precision_km: float | None
    country: str
    note: str
    used: bool = False


def _float(value: str, low: float, high: float) -> float | None:
    if not value:
        return None
    number = float(value)  # ValueError is reported by the caller
    if not (low <= number <= high) or math.isnan(number):
        raise ValueError(value)
    return number


def read_place_corrections(folder) -> tuple[list[PlaceCorrection], list[Problem]]:
    """Valid corrections of ``folder/places.csv`` and a warning for each row that is not."""
    path = Path(folder) / "places.csv"
    if not path.exists():
        return [], []
    try:
        header, rows = read_numbered_rows(path)
    except LexiconError as exc:
        return [], [Problem(exc.where, "warning", exc.problem + "; no place correction was applied", exc.fix)]
    missing = [c for c in CORRECTION_COLUMNS if c not in header and c != "note"]
    if missing:
        return [], [Problem(path, "warning", f"the header lacks the column(s) {', '.join(missing)}; "
                            "no place correction was applied", f"the first line must be: {','.join(CORRECTION_COLUMNS)}")]
    memo: dict = {}

    def gazetteer():
        if "gaz" not in memo:
            from .gazetteer import load_gazetteer
            memo["gaz"] = load_gazetteer()
        return memo["gaz"]

    fixes, problems = [], []
    for line, row in rows:
        where = f"{path}, line {line}"
        try:
            fixes.append(_correction(row, where, gazetteer))
        except ValueError as err:
            problems.append(Problem(where, "warning", f"{err}; this correction was not applied", _FIX))
    return fixes, problems


_FIX = ("write the place as mention,article_id,canonical,kind,lat,lon,precision_km,note (lat/lon in decimal "
        "degrees, or empty when canonical is a gazetteer name; kind not_a_place removes the mention)")


def _correction(row: dict, where: str, gazetteer) -> PlaceCorrection:
    mention = row.get("mention", "")
    if not mention:
        raise ValueError("the mention is empty")
    kind = row.get("kind", "") or ""
    if kind and kind not in PLACE_KINDS and kind != NOT_A_PLACE:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(PLACE_KINDS)} or {NOT_A_PLACE}")
    try:
        lat, lon = _float(row.get("lat", ""), -90, 90), _float(row.get("lon", ""), -180, 180)
    except ValueError:
        raise ValueError(f"lat/lon {row.get('lat')!r}, {row.get('lon')!r} are not valid coordinates") from None
    try:
        precision = _float(row.get("precision_km", ""), 0.001, 20000)
    except ValueError:
        raise ValueError(f"precision_km {row.get('precision_km')!r} is not a positive number of km") from None
    canonical, country = row.get("canonical", "") or mention, ""
    if kind != NOT_A_PLACE:
        if (lat is None) != (lon is None):
            raise ValueError("give both lat and lon, or neither")
        if lat is None:
            entry = gazetteer().get(canonical)
            if entry is None:
                raise ValueError(f"lat/lon are empty and {canonical!r} is not a gazetteer name")
            lat, lon, country = entry.lat, entry.lon, entry.country
            kind, precision = kind or entry.kind, precision or entry.precision_km
        kind = kind or "other"
        precision = precision or DEFAULT_PRECISION_KM[kind]
    return PlaceCorrection(where, mention, row.get("article_id", ""), canonical, kind, lat, lon, precision, country,
                           row.get("note", ""))


def _apply_correction(row: dict, fix: PlaceCorrection) -> None:
    note = f": {fix.note}" if fix.note else ""
    row.update(canonical=fix.canonical, kind=fix.kind, lat=fix.lat, lon=fix.lon, precision_km=fix.precision_km,
               geocoder="correction", status="found", source=f"correction ({fix.where}){note}",
               country=fix.country or (row.get("country") if row.get("geocoder") == "gazetteer" else "") or "")


def _apply_answer(row: dict, answer: dict, geocoder: str) -> None:
    if answer["status"] != "found":
        row.update(geocoder="unresolved", status=answer["status"], lat=None, lon=None, precision_km=None,
                   canonical=row.get("canonical") or "", source=answer.get("error") or answer.get("provider") or "")
        return
    kind = row.get("kind") if row.get("kind") not in (None, "", "other") else (answer.get("kind") or "other")
    display = answer.get("canonical") or ""
    row.update(geocoder=geocoder, status="found", lat=answer["lat"], lon=answer["lon"], kind=kind,
               precision_km=answer.get("precision_km"), canonical=display.split(",")[0].strip() or row["mention"],
               country=answer.get("country") or "",
               source=f"{answer.get('provider') or 'online'} (data (c) OpenStreetMap contributors, ODbL): {display}")


def resolve_places(places: pd.DataFrame, corrections_dir, cache_dir, offline: bool = True, geocoder=None,
                   progress: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """Run the chain over ``places`` (rows of `kit.places.mentions.PlaceMention.as_row` plus ``file``).

    Returns the frame with canonical, kind, country, lat, lon, precision_km, geocoder, status and
    source filled in, and the problems to report (bad or unused corrections, failed lookups).
    """
    fixes, problems = read_place_corrections(corrections_dir)
    if places is None or places.empty:
        problems += [_unused(f) for f in fixes]
        return places if places is not None else pd.DataFrame(), problems
    frame, lookup_problems, _ = apply_chain(places, fixes, cache_dir, offline, geocoder, progress)
    problems += [_unused(f) for f in fixes if not f.used]
    return frame, problems + lookup_problems


def apply_chain(places: pd.DataFrame, fixes: list[PlaceCorrection], cache_dir, offline: bool = True,
                geocoder=None, progress: bool = False) -> tuple[pd.DataFrame, list[Problem], dict[str, set]]:
    """The chain over ``places`` with the corrections ``fixes`` (`resolve_places` without reading them).

    Returns the frame, the lookup problems, and for each article id the corrections (their
    ``where``) that matched one of its mentions; marks those corrections ``used``.
    """
    rows = places.to_dict("records")
    for row in rows:
        for column in RESULT_COLUMNS:
            value = row.get(column)
            row[column] = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
    specific = {(f.article_id, fold(f.mention)): f for f in fixes if f.article_id}
    general = {fold(f.mention): f for f in fixes if not f.article_id}
    kept, pending, used_by = [], [], {}
    for row in rows:
        key = fold(str(row.get("mention") or ""))
        fix = specific.get((row.get("article_id"), key)) or general.get(key)
        if fix is not None:
            fix.used = True
            used_by.setdefault(row.get("article_id"), set()).add(fix.where)
            if fix.kind == NOT_A_PLACE:
                continue
            _apply_correction(row, fix)
        elif not (row.get("geocoder") == "gazetteer" and row.get("status") == "found"):
            pending.append(row)
        kept.append(row)
    problems = _lookup(pending, cache_dir, offline, geocoder, progress) if pending else []
    columns = list(places.columns) + [c for c in RESULT_COLUMNS if c not in places.columns]
    return pd.DataFrame(kept, columns=columns), problems, used_by


def _unused(fix: PlaceCorrection) -> Problem:
    scope = f" in article {fix.article_id}" if fix.article_id else ""
    return Problem(fix.where, "warning", f"this correction matches no place mention {fix.mention!r}{scope} in this run",
                   "check the spelling against places.csv (the mention as written); if the kit did not find the "
                   "place at all, add it to data/gazetteer/curated.csv instead; or delete the row")


def _lookup(pending: list[dict], cache_dir, offline: bool, geocoder, progress: bool) -> list[Problem]:
    cache = GeocodeCache(cache_dir)
    known = cache.get_many(row["mention"] for row in pending)
    ask: dict[str, list[dict]] = {}
    for row in pending:
        answer = known.get(fold(row["mention"]))
        if answer is not None and answer["status"] in FINAL:
            _apply_answer(row, answer, "cache")
        elif offline:
            row.update(geocoder="unresolved", status="skipped_offline", lat=None, lon=None, precision_km=None)
        else:
            ask.setdefault(fold(row["mention"]), []).append(row)
    if not ask:
        return []
    online = _online(geocoder)
    online.check()
    queries = list(ask)
    steps = queries
    if progress and len(queries) > 20:
        from tqdm.auto import tqdm
        steps = tqdm(queries, desc="geocoding online", unit="place")
    failed: dict[str, str] = {}
    for key in steps:
        query = ask[key][0]["mention"]
        answer = online.lookup(query)
        cache.put(query, answer.status, lat=answer.lat, lon=answer.lon, kind=answer.kind,
                  precision_km=answer.precision_km, canonical=answer.canonical, country=answer.country,
                  provider=answer.provider, raw=answer.raw, error=answer.error, attempts=answer.attempts)
        for row in ask[key]:
            _apply_answer(row, vars(answer), "online")
        if answer.status == "service_failed":
            failed[query] = answer.error
    if not failed:
        return []
    reasons = sorted(set(failed.values()))
    return [Problem("online geocoder", "warning",
                    f"{len(failed)} place(s) could not be looked up ({'; '.join(reasons[:3])}): "
                    f"{', '.join(list(failed)[:10])}",
                    "nothing wrong was saved; run again later and they are asked again, or add them to "
                    "data/corrections/places.csv")]


def _online(geocoder) -> OnlineGeocoder:
    if geocoder is None:
        return OnlineGeocoder()
    if hasattr(geocoder, "lookup") and hasattr(geocoder, "check"):
        return geocoder
    if hasattr(geocoder, "geocode"):  # a geopy geocoder: wrap it for the rate limit and statuses
        return OnlineGeocoder(provider=geocoder)
    raise KitError("geocoder", f"{geocoder!r} is not a geocoder", "pass a geopy geocoder or kit.places.geocode.OnlineGeocoder")

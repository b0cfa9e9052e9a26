"""The online step of the geocoding chain: Nominatim (or any geopy geocoder), politely.

`OnlineGeocoder.lookup` asks one question and always returns an `Answer` whose ``status`` says
what happened: ``found``, ``no_match`` (the service answered: nothing), or ``service_failed``
(it did not answer usefully: timeouts, HTTP 5xx, 429, malformed JSON, dropped connections).
It never returns a bare ``None`` and never raises for a failed lookup (geopy's ``RateLimiter``
with ``swallow_exceptions`` would turn failures into "no match"; this does not).

- At most one request per ``min_delay_seconds`` (Nominatim's usage policy: 1 per second),
  measured from the start of one request to the start of the next with the injectable ``clock``.
- A failed request is retried up to ``max_retries`` times after ``2, 4, 8...`` seconds, or after
  the server's ``Retry-After``; the waits go through the injectable ``sleep``, so tests do not wait.
- After ``give_up_after`` lookups in a row have failed, or when the service refuses the kit
  (HTTP 401/403, a quota, a ``Retry-After`` longer than ``max_wait_seconds``), the remaining
  lookups are not sent (``service_failed``, with the reason) until the next run.
- The public Nominatim requires a user agent that identifies you (`kit.errors.GeocoderError`
  otherwise); queries cover the whole world (``country_codes``, ``viewbox`` narrow them when asked).

Example:
    >>> g = OnlineGeocoder(user_agent="my-newsroom-kit (desk@example.org)")
    >>> g.domain, g.country_codes[:3]
    ('nominatim.openstreetmap.org', ())
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ..errors import GeocoderError

DEFAULT_USER_AGENT = "strike-notebook-kit/0.1 (+newsroom contact: set --user-agent)"
PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
REGION_CODES = ("iq", "sy", "jo", "ir", "il", "lb", "tr", "sa", "kw", "ps", "ye", "ae", "qa", "bh", "om", "eg")
REGION_VIEWBOX = ((12.0, 25.0), (42.5, 63.5))  # (south, west), (north, east): Egypt to Iran, Yemen to Turkey
# extent of an answer by Nominatim's class/type when it gives no bounding box (km)
TYPE_PRECISION = {"country": 300.0, "state": 60.0, "county": 20.0, "city": 15.0, "town": 4.0, "village": 2.0,
                  "hamlet": 1.0, "suburb": 2.0, "neighbourhood": 1.0, "quarter": 1.0, "aerodrome": 3.0,
                  "military": 2.0, "administrative": 30.0}
TYPE_KIND = {"country": "country", "state": "governorate", "province": "governorate", "county": "district",
             "city": "city", "town": "city", "village": "city", "hamlet": "city", "suburb": "neighbourhood",
             "neighbourhood": "neighbourhood", "quarter": "neighbourhood", "aerodrome": "airport",
             "military": "base", "sea": "sea", "bay": "sea", "strait": "sea"}


@dataclass
class Answer:
    """The outcome of one online lookup."""

    status: str  # found, no_match or service_failed
    lat: float | None = None
    lon: float | None = None
    kind: str = ""
    precision_km: float | None = None
    canonical: str = ""
    country: str = ""
    raw: object = None
    error: str = ""
    attempts: int = 0
    provider: str = ""


@dataclass
class OnlineGeocoder:
    """geopy's Nominatim with a rate limit, retries, backoff and honest statuses (see module docstring)."""

    user_agent: str | None = None
    domain: str | None = None
    scheme: str = "https"
    min_delay_seconds: float = 1.0
    max_retries: int = 3
    timeout: float = 10
    clock: object = time.monotonic
    sleep: object = time.sleep
    # the whole world by default; REGION_CODES / REGION_VIEWBOX narrow it to the Middle East when asked
    country_codes: tuple[str, ...] = ()
    viewbox: tuple | None = None
    provider: object = None  # any geopy geocoder; default: Nominatim built from the fields above
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0
    give_up_after: int = 3
    requests_sent: int = field(default=0, init=False)
    _last: float | None = field(default=None, init=False, repr=False)
    _failures_in_a_row: int = field(default=0, init=False, repr=False)
    _stopped: str = field(default="", init=False, repr=False)

    def __post_init__(self):
        if self.domain is None and self.provider is None:
            self.domain = PUBLIC_NOMINATIM

    @property
    def name(self) -> str:
        if self.provider is not None and self.domain is None:
            return type(self.provider).__name__
        return f"nominatim ({self.domain})"

    def check(self) -> None:
        """Raise `GeocoderError` when the configuration may not be used (before any request)."""
        if self.domain == PUBLIC_NOMINATIM and self.provider is None and not (self.user_agent or "").strip():
            raise GeocoderError(
                "the online geocoder (the public Nominatim of OpenStreetMap)",
                "it requires a user agent that identifies you; the kit will not send requests without one",
                "pass --user-agent 'your-newsroom-kit (you@example.org)' to kit run, or "
                "OnlineGeocoder(user_agent=...) in a notebook")

    def _geopy(self):
        if self.provider is None:
            from geopy.adapters import URLLibAdapter
            from geopy.geocoders import Nominatim

            self.check()
            # the standard-library adapter makes exactly one request per call: the retries (and their
            # spacing) are this class's, never hidden inside an HTTP library
            self.provider = Nominatim(user_agent=self.user_agent or DEFAULT_USER_AGENT, domain=self.domain,
                                      scheme=self.scheme, timeout=self.timeout, adapter_factory=URLLibAdapter)
        return self.provider

    def _wait_turn(self) -> None:
        if self._last is not None:
            delay = self.min_delay_seconds - (self.clock() - self._last)
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()

    def _ask(self, query: str):
        provider = self._geopy()
        kwargs = {"exactly_one": True, "timeout": self.timeout}
        if type(provider).__name__ == "Nominatim":
            kwargs.update(addressdetails=True)
            if self.country_codes:
                kwargs["country_codes"] = list(self.country_codes)
            if self.viewbox:
                kwargs["viewbox"] = list(self.viewbox)
        self.requests_sent += 1
        return provider.geocode(query, **kwargs)

    def lookup(self, query: str) -> Answer:
        """Ask for ``query``; never raises for a failed lookup (see `Answer.status`)."""
        from geopy import exc

        if self._stopped:
            return Answer("service_failed", error=f"not sent: {self._stopped}", provider=self.name)
        error, attempts = "", 0
        for attempt in range(self.max_retries + 1):
            self._wait_turn()
            attempts += 1
            try:
                location = self._ask(query)
            except exc.GeocoderRateLimited as err:
                wait = err.retry_after if err.retry_after is not None else self.backoff_seconds * 2 ** attempt
                error = f"rate limited (HTTP 429, Retry-After {err.retry_after})"
                if wait > self.max_wait_seconds:
                    self._stopped = f"the service asked the kit to wait {wait:.0f} s"
                    break
            except (exc.GeocoderAuthenticationFailure, exc.GeocoderInsufficientPrivileges,
                    exc.GeocoderQuotaExceeded) as err:
                self._stopped = f"the service refused the kit ({type(err).__name__}: {err})"
                error = self._stopped
                break
            except exc.ConfigurationError as err:  # not a failed lookup: the set-up is wrong
                raise GeocoderError(f"the online geocoder ({self.name})", str(err),
                                    "check the domain, scheme and user agent given to OnlineGeocoder") from None
            except exc.GeocoderQueryError as err:
                error = f"the service rejected the query ({err})"
                break
            except (exc.GeocoderServiceError, OSError, ValueError) as err:
                error = f"{type(err).__name__}: {str(err)[:200]}"
                wait = self.backoff_seconds * 2 ** attempt
            else:
                self._failures_in_a_row = 0
                return self._answer(location, attempts)
            if attempt < self.max_retries:
                self.sleep(min(wait, self.max_wait_seconds))
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= self.give_up_after and not self._stopped:
            self._stopped = f"{self._failures_in_a_row} lookups in a row failed"
        return Answer("service_failed", error=error, attempts=attempts, provider=self.name)

    def _answer(self, location, attempts: int) -> Answer:
        if location is None or (isinstance(location, list) and not location):
            return Answer("no_match", attempts=attempts, provider=self.name, raw=[])
        if isinstance(location, list):
            location = location[0]
        raw = getattr(location, "raw", {}) or {}
        kind, precision = describe(raw)
        address = raw.get("address") or {}
        return Answer("found", lat=float(location.latitude), lon=float(location.longitude), kind=kind,
                      precision_km=precision, canonical=str(getattr(location, "address", "") or ""),
                      country=str(address.get("country_code", "")).upper(), raw=raw, attempts=attempts,
                      provider=self.name)


def describe(raw: dict) -> tuple[str, float]:
    """(kind, precision_km) of a Nominatim answer, from its bounding box, place_rank or class/type.

    >>> describe({"class": "place", "type": "town", "boundingbox": ["32.87", "32.91", "44.33", "44.37"]})
    ('city', 2.9)
    """
    kind = TYPE_KIND.get(str(raw.get("addresstype") or raw.get("type") or ""), "")
    if not kind and raw.get("class") == "boundary":
        kind = "governorate" if int(raw.get("place_rank") or 12) <= 8 else "district"
    precision = None
    box = raw.get("boundingbox")
    if box and len(box) == 4:
        try:
            south, north, west, east = (float(v) for v in box)
            precision = _half_diagonal_km(south, north, west, east)
        except (TypeError, ValueError):
            precision = None
    if precision is None and raw.get("place_rank") is not None:
        rank = int(raw["place_rank"])
        precision = 300.0 if rank <= 4 else 60.0 if rank <= 8 else 20.0 if rank <= 12 else 15.0 if rank <= 16 \
            else 4.0 if rank <= 18 else 2.0 if rank <= 19 else 1.0 if rank <= 20 else 0.5
    if precision is None:
        precision = TYPE_PRECISION.get(str(raw.get("type") or ""), 5.0)
    return kind, round(min(max(precision, 0.05), 3000.0), 1)


def _half_diagonal_km(south: float, north: float, west: float, east: float) -> float:
    la1, la2 = math.radians(south), math.radians(north)
    dlat, dlon = la2 - la1, math.radians(east - west)
    h = math.sin(dlat / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlon / 2) ** 2
    return 6371.0 * math.asin(math.sqrt(h))

"""Polite HTTP for `kit fetch`: one request per second per host, robots.txt, retries, a size cap.

`PoliteClient.get` returns a `Response` (the final address after redirects, the status, the
headers and the body exactly as received) or raises `FetchFailed`, which says in plain words
why the page was not fetched and what to do. On the way:

- Every request (robots.txt, each redirect, each retry) waits its turn: at most one per
  ``min_interval`` seconds per host, or the robots.txt ``Crawl-delay`` when that is longer,
  measured from the start of one request to the start of the next on the injectable ``clock``
  and ``sleep`` (tests check the spacing without waiting).
- Each host's robots.txt is read once (RFC 9309: a 4xx answer means no rules; a 5xx or no answer
  means keep off the host for this run); a page it disallows is not requested.
- 429 and 5xx answers, timeouts and dropped connections are retried (tenacity) up to
  ``max_retries`` times after 2, 4, 8 s, or after the server's ``Retry-After``; a host that asks
  for a wait longer than ``max_wait`` is left alone for the rest of the run.
- Redirects are followed here, not inside httpx, so that each hop is spaced and checked against
  its host's robots.txt; loops and chains longer than ``max_redirects`` are reported.
- A body larger than ``max_bytes`` is refused from its Content-Length or cut off while it streams;
  a page that takes longer than ``deadline`` seconds to arrive (real time) is given up.

The user agent names the newsroom (required, as for the online geocoder); the kit's own name and
version are added so that a site can address the kit in its robots.txt.

Example:
    >>> client = PoliteClient(user_agent="Example Desk (desk@example.org)")
    >>> client.headers["User-Agent"].split(" strike-notebook-kit/")[0]
    'Example Desk (desk@example.org)'
    >>> PoliteClient(user_agent="")
    Traceback (most recent call last):
    kit.errors.FetchError: kit fetch: a user agent that names your newsroom is required; the kit will not fetch pages without one. What to do: pass --user-agent 'Newsroom name (desk@example.org)' to kit fetch, or user_agent='...' in the notebook.
"""
from __future__ import annotations

import email.utils
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import FetchError
from .reading import MAX_ARTICLE_BYTES

KIT_AGENT = "strike-notebook-kit"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309, 2.5: parse at least the first 500 KiB
SAVE_BY_HAND = "open it in a browser and save the page by hand (File > Save Page As) into the articles folder"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class FetchFailed(Exception):
    """A link that was not fetched: ``problem`` and ``fix`` in plain words, ``status`` when the site answered."""

    def __init__(self, problem: str, fix: str, status: int | None = None):
        super().__init__(problem)
        self.problem, self.fix, self.status = problem, fix, status


class _Transient(Exception):
    """An answer worth asking again (429, 5xx, a timeout, a dropped connection)."""

    def __init__(self, problem: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(problem)
        self.problem, self.retry_after, self.status = problem, retry_after, status


@dataclass
class Response:
    """One fetched page: ``body`` is the bytes as received (after the transfer's compression is undone)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def check_user_agent(user_agent: str | None) -> str:
    """The user agent, stripped; `FetchError` when it is missing or cannot go into an HTTP header.

    >>> check_user_agent("  Desk (desk@example.org) ")
    'Desk (desk@example.org)'
    """
    agent = (user_agent or "").strip()
    if not agent:
        raise FetchError("kit fetch", "a user agent that names your newsroom is required; the kit will not fetch pages "
                         "without one", "pass --user-agent 'Newsroom name (desk@example.org)' to kit fetch, "
                         "or user_agent='...' in the notebook")
    if not agent.isascii() or not agent.isprintable():
        raise FetchError("kit fetch", f"the user agent {agent!r} has characters an HTTP header cannot carry",
                         "write it with plain letters (no accents, long dashes or line breaks), e.g. 'Le Monde desk (desk@example.org)'")
    return agent


@dataclass
class PoliteClient:
    """An httpx client that spaces, retries, caps and respects robots.txt (see the module docstring)."""

    user_agent: str | None
    min_interval: float = 1.0
    timeout: float = 20.0
    deadline: float = 120.0
    max_retries: int = 3
    backoff: float = 2.0
    max_wait: float = 60.0
    max_bytes: int = MAX_ARTICLE_BYTES  # the largest file the reader takes as an article
    max_redirects: int = 10
    clock: object = time.monotonic
    sleep: object = time.sleep
    now: object = utc_now
    requests_sent: int = field(default=0, init=False)
    _client: object = field(default=None, init=False, repr=False)
    _last: dict = field(default_factory=dict, init=False, repr=False)
    _robots: dict = field(default_factory=dict, init=False, repr=False)
    _stopped: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.user_agent = check_user_agent(self.user_agent)
        from .. import __version__

        self.headers = {"User-Agent": f"{self.user_agent} {KIT_AGENT}/{__version__}",
                        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}

    # ------------------------------------------------------------------ public

    def get(self, url: str) -> Response:
        """Fetch ``url`` (following redirects); raises `FetchFailed` with the reason."""
        return self._get(url, robots=True, max_bytes=self.max_bytes, truncate=False)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ redirects and robots

    def _get(self, url: str, robots: bool, max_bytes: int, truncate: bool) -> Response:
        import httpx

        current, hops = url, []
        for _ in range(self.max_redirects + 1):
            if robots:
                self._check_robots(current)
            host = _host(current)
            if host in self._stopped:
                raise FetchFailed(f"not fetched: {self._stopped[host]}", "run kit fetch again later")
            status, headers, body, fetched_at = self._request(current, max_bytes, truncate)
            location = headers.get("location")
            if status in REDIRECT_STATUSES and location:
                try:
                    target = str(httpx.URL(current).join(location).copy_with(fragment=None))
                except httpx.InvalidURL:
                    raise FetchFailed(f"the site redirects to an address that is not valid ({location[:200]!r})",
                                      SAVE_BY_HAND, status) from None
                _check_scheme(target)
                hops.append(current)
                if target in hops:
                    chain = " -> ".join(hops[hops.index(target):] + [target])
                    raise FetchFailed(f"the link redirects in a loop ({chain})",
                                      "check the link in a browser; if it opens there, " + SAVE_BY_HAND, status)
                current = target
                continue
            return Response(url, current, status, headers, body, fetched_at, hops)
        raise FetchFailed(f"the link redirects more than {self.max_redirects} times", SAVE_BY_HAND)

    def _check_robots(self, url: str) -> None:
        import httpx

        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        parser, reason = self._robots[origin]
        if parser is None:
            raise FetchFailed(f"not fetched: {reason}", "run kit fetch again later, or " + SAVE_BY_HAND)
        if not parser.can_fetch(self.headers["User-Agent"], url):
            raise FetchFailed("the site's robots.txt asks automatic tools not to fetch this page",
                              "respect it: " + SAVE_BY_HAND)

    def _read_robots(self, origin: str):
        """(parser, "") for the host's rules, or (None, reason) when the host is to be left alone."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            answer = self._get(origin + "/robots.txt", robots=False, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except FetchFailed as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.allow_all = True  # RFC 9309, 2.3.1.3: robots.txt "unavailable" means no rules
                return parser, ""
            return None, f"the site's robots.txt could not be read ({exc.problem}), so the kit keeps off the site"
        if 400 <= answer.status < 500:
            parser.allow_all = True
            return parser, ""
        if answer.status != 200:
            return None, f"the site's robots.txt answered HTTP {answer.status}, so the kit keeps off the site"
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.headers["User-Agent"])
        if delay is not None and float(delay) > self.max_wait:
            host = _host(origin)
            self._stopped[host] = f"the site's robots.txt asks for {float(delay):.0f} s between requests"
        return parser, ""

    def _interval(self, host: str) -> float:
        rules = [parser for origin, (parser, _) in self._robots.items() if parser is not None and _host(origin) == host]
        delays = [float(d) for d in (p.crawl_delay(self.headers["User-Agent"]) for p in rules) if d is not None]
        return max([self.min_interval, *delays])

    # ------------------------------------------------------------------ one request, with retries

    def _request(self, url: str, max_bytes: int, truncate: bool):
        """(status, headers, body, fetched_at) of one address, retried on transient failures."""
        import tenacity

        retrying = tenacity.Retrying(stop=self._stop, wait=self._wait, retry=tenacity.retry_if_exception_type(_Transient),
                                     sleep=self.sleep, reraise=True)
        try:
            return retrying(self._send_once, url, max_bytes, truncate)
        except _Transient as exc:
            tries = retrying.statistics.get("attempt_number", 1)
            if exc.retry_after is not None and exc.retry_after > self.max_wait:
                self._stopped[_host(url)] = f"the site asked the kit to wait {exc.retry_after:.0f} s"
                raise FetchFailed(f"{exc.problem} and asked the kit to wait {exc.retry_after:.0f} s; the other "
                                  "links to this site were not fetched either", "run kit fetch again later", exc.status) from None
            raise FetchFailed(f"{exc.problem} ({tries} tries)", "run kit fetch again later; if it keeps failing, "
                              + SAVE_BY_HAND, exc.status) from None

    def _stop(self, state) -> bool:
        error = state.outcome.exception()
        too_long = getattr(error, "retry_after", None) is not None and error.retry_after > self.max_wait
        return state.attempt_number > self.max_retries or too_long

    def _wait(self, state) -> float:
        error = state.outcome.exception()
        if getattr(error, "retry_after", None) is not None:
            return max(0.0, error.retry_after)
        return self.backoff * 2 ** (state.attempt_number - 1)

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = self._interval(host) - (self.clock() - last)
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()

    def _http(self):
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0))
            self._client = httpx.Client(headers=self.headers, timeout=timeout, follow_redirects=False)
        return self._client

    def _send_once(self, url: str, max_bytes: int, truncate: bool):
        import httpx

        _check_scheme(url)
        self._wait_turn(_host(url))
        self.requests_sent += 1
        started = time.monotonic()
        try:
            with self._http().stream("GET", url) as answer:
                fetched_at = self.now().isoformat(timespec="seconds").replace("+00:00", "Z")
                status, headers = answer.status_code, {k.lower(): v for k, v in answer.headers.items()}
                if status in RETRY_STATUSES:
                    raise _Transient(f"the site answered HTTP {status}", _retry_after(headers, self.now()), status)
                if status in REDIRECT_STATUSES:
                    return status, headers, b"", fetched_at
                declared = headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes and not truncate:
                    raise _too_large(int(declared), max_bytes, status)
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        if truncate:
                            del body[max_bytes:]
                            break
                        raise _too_large(None, max_bytes, status)
                    if time.monotonic() - started > self.deadline:
                        raise FetchFailed(f"the page took longer than {self.deadline:.0f} s to arrive",
                                          "try again later, or " + SAVE_BY_HAND, status)
                return status, headers, bytes(body), fetched_at
        except httpx.TimeoutException:
            raise _Transient(f"the site did not answer within {self.timeout:g} s") from None
        except httpx.ConnectError as exc:
            if _caused_by(exc, socket.gaierror):
                raise FetchFailed("the site's name was not found", "check the link (and that this computer is online)") from None
            raise _Transient(f"the connection to the site failed ({exc})") from None
        except httpx.DecodingError:
            raise FetchFailed("the site sent a page whose compression is broken", "try again later, or " + SAVE_BY_HAND) from None
        except httpx.TransportError as exc:
            raise _Transient(f"the connection to the site failed ({type(exc).__name__})") from None


def _host(url: str) -> str:
    import httpx

    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return ""


def _check_scheme(url: str) -> None:
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchFailed(f"this is not a valid web address ({exc})", "copy the link again from the browser's address bar") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchFailed("only http:// and https:// links can be fetched",
                          "copy the link from the browser's address bar (it starts with https://)")


def _caused_by(error: BaseException, kind: type) -> bool:
    """True when ``kind`` is in the chain of causes of ``error`` (httpx wraps httpcore wraps OSError)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _too_large(declared: int | None, max_bytes: int, status: int) -> FetchFailed:
    size = f"{declared / 1e6:.0f} MB, " if declared else ""
    return FetchFailed(f"the page is larger ({size}more than {max_bytes / 1e6:.0f} MB) than an article can be",
                       "check that the link is one article; if it is, " + SAVE_BY_HAND, status)


def _retry_after(headers: dict, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None.

    >>> _retry_after({"retry-after": "7"}, utc_now())
    7.0
    >>> _retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:30 GMT"}, datetime(2015, 10, 21, 7, 28, tzinfo=timezone.utc))
    30.0
    """
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())

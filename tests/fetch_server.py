"""A news site on loopback for the `kit fetch` tests: real pages, and the ways real sites misbehave.

`serve()` starts ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (port 0) in a thread. The same
server answers as two hosts, ``127.0.0.1`` and ``localhost``, so per-host spacing can be checked.
Every request is recorded (host, path, user agent, the fake clock's time); `FakeClock` is the
clock and sleep given to the client, so waits are recorded, never slept.

Paths: the pages of ``tests/fixtures/fetch/`` under ``/news/``; ``/gz/levant`` (gzip-compressed);
``/short/levant`` (a 301 to the Levant Daily page); ``/loop/a`` <-> ``/loop/b``; ``/slow`` (answers
after 1 s); ``/missing`` (404); ``/busy`` (429 with Retry-After: 7 once, then the page);
``/very-busy`` (429, Retry-After: 3600); ``/broken`` (500); ``/huge`` (20 MB, with Content-Length);
``/huge-stream`` (20 MB, no length); ``/report.pdf``; ``/empty``; ``/private/...`` (disallowed by
robots.txt).
"""
from __future__ import annotations

import gzip
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "fetch"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
HUGE = 20 * 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class FakeClock:
    """``clock`` and ``sleep`` for `kit.articles.polite.PoliteClient`: sleeping moves the clock."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@dataclass
class Hit:
    host: str
    path: str
    agent: str
    at: float


@dataclass
class Site:
    """What the server does; tests change ``robots`` (text, or an int status) to vary it."""

    clock: FakeClock
    robots: str | int = ROBOTS
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, host: str | None = None) -> list[str]:
        return [h.path for h in self.hits if host is None or h.host == host]

    def page(self, name: str) -> bytes:
        return (PAGES / name).read_bytes()

    def respond(self, handler: "Handler") -> None:
        host = handler.headers.get("Host", "").rsplit(":", 1)[0]
        path = handler.path
        with self.lock:
            self.hits.append(Hit(host, path, handler.headers.get("User-Agent", ""), self.clock.now))
            busy_before = sum(h.path == "/busy" for h in self.hits) - 1
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            if isinstance(self.robots, int):
                return handler.answer(self.robots, b"unavailable", "text/plain")
            return handler.answer(200, self.robots.encode(), "text/plain")
        if path.startswith("/news/") and (PAGES / path[len("/news/"):]).is_file():
            return handler.answer(200, self.page(path[len("/news/"):]), html)
        if path == "/gz/levant":
            return handler.answer(200, gzip.compress(self.page("levant-daily.html")), html, {"Content-Encoding": "gzip"})
        if path == "/short/levant":
            return handler.answer(301, b"", html, {"Location": "/news/levant-daily.html"})
        if path in ("/loop/a", "/loop/b"):
            return handler.answer(302, b"", html, {"Location": "/loop/b" if path == "/loop/a" else "/loop/a"})
        if path == "/slow":
            time.sleep(1.0)
            return handler.answer(200, self.page("levant-daily.html"), html)
        if path == "/missing":
            return handler.answer(404, b"<html><body><h1>Page not found</h1></body></html>", html)
        if path == "/busy":
            if busy_before == 0:
                return handler.answer(429, b"Too many requests", "text/plain", {"Retry-After": "7"})
            return handler.answer(200, self.page("gulf-monitor.html"), html)
        if path == "/very-busy":
            return handler.answer(429, b"Too many requests", "text/plain", {"Retry-After": "3600"})
        if path == "/broken":
            return handler.answer(500, b"<html><body>Internal Server Error</body></html>", html)
        if path in ("/huge", "/huge-stream"):
            return handler.stream_huge(with_length=path == "/huge")
        if path == "/report.pdf":
            return handler.answer(200, PDF, "application/pdf")
        if path == "/empty":
            return handler.answer(200, b"", html)
        if path.startswith("/private/"):
            return handler.answer(200, self.page("levant-daily.html"), html)
        return handler.answer(404, b"not here", "text/plain")


class Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.site.respond(self)

    def answer(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (a timeout)
            pass

    def stream_huge(self, with_length: bool) -> None:
        chunk = b"<p>" + b"The convoy was hit near the border. " * 1000 + b"</p>\n"
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if with_length:
                self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            self.wfile.write(b"<html><body>")
            sent = 12
            while sent < HUGE:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client stopped reading at its size cap
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


@contextmanager
def serve():
    """Yield ``(site, port)`` while the server runs."""
    site = Site(FakeClock())
    handler = type("SiteHandler", (Handler,), {"site": site})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site, httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()

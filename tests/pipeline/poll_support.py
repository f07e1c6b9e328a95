"""A blog on loopback for poll tests: RSS feeds and article pages with ETags and faults."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PARAGRAPH = (
    "Rugpijn is een van de meest voorkomende klachten bij volwassenen. De kinesist onderzoekt "
    "eerst hoe je beweegt, welke houdingen de pijn uitlokken en wat je dagelijks doet. "
)


@dataclass
class Entry:
    """One post in a feed."""

    guid: str
    title: str
    body: str
    link: str = ""
    published: datetime = field(default_factory=lambda: datetime(2026, 11, 1, 8, tzinfo=UTC))


def entry(number: int, body: str | None = None, link: str = "") -> Entry:
    """A realistic Dutch post numbered `number` (newer numbers are published later)."""
    text = body or "".join(f"<p>{PARAGRAPH} (deel {number}.{i})</p>" for i in range(6))
    return Entry(
        guid=f"urn:post:{number}",
        title=f"Oefeningen bij rugpijn, deel {number}",
        body=text,
        link=link or f"https://praktijk.example/blog/{number}",
        published=datetime(2026, 11, 1, 8, tzinfo=UTC) + timedelta(days=number),
    )


def rss(entries: list[Entry], title: str = "Praktijk blog") -> bytes:
    """An RSS 2.0 document of `entries`, newest first."""
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>"
        f'<guid isPermaLink="false">{escape(e.guid)}</guid>'
        f"<pubDate>{format_datetime(e.published)}</pubDate>"
        f"<description>{escape(e.body)}</description></item>"
        for e in sorted(entries, key=lambda e: e.published, reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://praktijk.example/</link>"
        f"<description>Blog</description>{items}</channel></rss>"
    ).encode()


@dataclass
class Route:
    """What one path serves: a body (with an ETag) or a fault."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: bool = True


class BlogServer:
    """A threaded HTTP server on 127.0.0.1; set routes, read what was requested."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, int]] = []  # (path, status answered)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def feed(self, path: str, entries: list[Entry], **options: object) -> str:
        """Serve `entries` as RSS at `path`; the URL."""
        self.routes[path] = Route(body=rss(entries), **options)  # type: ignore[arg-type]
        return self.url(path)

    def page(self, path: str, html: str, **options: object) -> str:
        """Serve an HTML page at `path`; the URL."""
        route = Route(body=html.encode(), content_type="text/html; charset=utf-8")
        for name, value in options.items():
            setattr(route, name, value)
        self.routes[path] = route
        return self.url(path)

    def statuses(self, path: str) -> list[int]:
        with self._lock:
            return [status for hit, status in self.hits if hit == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        route = self.routes.get(path)
        if route is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"
        time.sleep(route.delay)
        reply = {"Content-Type": route.content_type, **route.headers}
        if route.status != 200:
            return route.status, reply, route.body
        if route.etag:
            tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            reply["ETag"] = tag
            if headers.get("if-none-match") == tag:
                return 304, {"ETag": tag}, b""
        return 200, reply, route.body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        blog = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, reply, body = blog._answer(self.path, headers)
                with blog._lock:
                    blog.hits.append((self.path, status))
                try:
                    self.send_response(status)
                    for name, value in reply.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler

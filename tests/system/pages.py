"""A web site on 127.0.0.1 for the intake tests: pages and feeds written for them.

Nothing reaches the internet. Each route answers a fixed body (with an ETag and a
Last-Modified, honouring conditional GETs), a redirect, an error, or a hostile
answer: ``slow`` (a byte at a time), ``endless`` (a body that never ends), ``huge``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    behaviour: str = "plain"  # plain, slow, endless
    modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class Site:
    """A threaded HTTP server with routes that tests set and change."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.conditional: dict[str, int] = {}  # 304s answered per path
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                site._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, html: str, **kwargs) -> str:
        self.routes[path] = Route(html.encode("utf-8"), **kwargs)
        return self.url(path)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            route = self.routes.get(path)
        if route is None:
            return self._send(handler, 404, b"not here", "text/plain")
        if route.location:
            handler.send_response(route.status)
            handler.send_header("Location", route.location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if handler.headers.get("If-None-Match") == route.etag:
            with self.lock:
                self.conditional[path] = self.conditional.get(path, 0) + 1
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if route.behaviour == "endless":
            handler.send_response(200)
            handler.send_header("Content-Type", route.content_type)
            handler.end_headers()
            try:
                while True:
                    handler.wfile.write(b"<p>and more " * 1000)
                    time.sleep(0.01)
            except OSError:
                return None
        if route.behaviour == "slow":
            handler.send_response(200)
            handler.send_header("Content-Type", route.content_type)
            handler.send_header("Content-Length", str(len(route.body)))
            handler.end_headers()
            try:
                for i in range(len(route.body)):
                    handler.wfile.write(route.body[i : i + 1])
                    handler.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                return None
            return None
        headers = {"ETag": route.etag, "Last-Modified": formatdate(route.modified, usegmt=True)}
        return self._send(handler, route.status, route.body, route.content_type, headers)

    def _send(self, handler, status, body, content_type, headers=None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:
            pass


def article_page(title: str, paragraphs: list[str]) -> str:
    """A news page: navigation, the article, a footer."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright the test wire.</footer></body></html>"
    )


def rss(title: str, items: list[dict]) -> str:
    """An RSS 2.0 feed; each item a dict with title, link, guid, published (RFC 822)."""
    entries = "".join(
        "<item>"
        f"<title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid>{escape(i.get('guid', i['link']))}</guid>"
        + (f"<pubDate>{i['published']}</pubDate>" if i.get("published") else "")
        + "</item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>Test wire</description>{entries}</channel></rss>"
    )


def atom(title: str, items: list[dict]) -> str:
    """An Atom feed; each item a dict with title, link, guid, updated (ISO 8601)."""
    entries = "".join(
        "<entry>"
        f'<title>{escape(i["title"])}</title><link href="{escape(i["link"])}"/>'
        f"<id>{escape(i.get('guid', i['link']))}</id>"
        f"<updated>{i.get('updated', '2026-03-05T10:00:00Z')}</updated>"
        "</entry>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
        f"<updated>2026-03-05T10:00:00Z</updated>{entries}</feed>"
    )

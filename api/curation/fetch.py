"""Fetching a page or a feed over HTTP, bounded: time, size, redirects, addresses.

urllib3 (pinned) does the HTTP. A fetch takes at most ``seconds`` in all (a
server that sends a byte a second is cut off), reads at most ``max_bytes``
(a larger body is refused, not cut), follows at most ``redirects``
redirects, and speaks only http and https. Addresses of this machine or its
private networks (loopback, RFC 1918, link-local, …) are refused unless
``allow_private``: a token holder must not make the server read what only it
can reach.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

USER_AGENT = "briefs-intake/1.0"
CHUNK = 65536


class FetchError(Exception):
    """A page or feed that could not be fetched; ``detail`` says why."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class Limits:
    seconds: float = 15.0
    max_bytes: int = 1024 * 1024
    redirects: int = 5
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: dict) -> Limits:
        return cls(
            float(settings["FETCH_SECONDS"]),
            int(settings["FETCH_BYTES"]),
            int(settings["FETCH_REDIRECTS"]),
            bool(settings["FETCH_PRIVATE"]),
        )


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified)
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    def text(self) -> str:
        """The body decoded by its declared charset (else UTF-8), bad bytes replaced."""
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


_POOL = urllib3.PoolManager(retries=False, headers={"User-Agent": USER_AGENT})


def fetch(
    url: str,
    limits: Limits,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` within ``limits``; with ``etag``/``last_modified`` a conditional GET
    (a 304 comes back with an empty body). Raises FetchError."""
    deadline = time.monotonic() + limits.seconds
    # one connection per request: an answer left unread (an error, a body cut off at
    # the limit) is never mistaken for the start of the next one
    headers = {"Accept-Encoding": "gzip, deflate", "Connection": "close"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(limits.redirects + 1):
        check_address(url, limits.allow_private)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"{url} did not answer within {limits.seconds:g} s.")
        try:
            response = _POOL.request(
                "GET",
                url,
                headers=headers,
                redirect=False,
                preload_content=False,
                decode_content=True,
                timeout=urllib3.Timeout(connect=min(left, 10.0), read=min(left, 10.0)),
            )
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"{url} could not be fetched: {_reason(exc)}.") from exc
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{url} redirects nowhere.", response.status)
                url = urljoin(url, location)
                continue
            if response.status == 304:
                return Fetched(url, 304, b"", "", etag, last_modified)
            if response.status != 200:
                raise FetchError(f"{url} answered {response.status}.", response.status)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(
                    f"{url} is {int(declared)} bytes; at most {limits.max_bytes} are read."
                )
            body = _read(response, url, limits, deadline)
            return Fetched(
                url,
                200,
                body,
                response.headers.get("Content-Type", ""),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
        finally:
            response.close()
    raise FetchError(f"{url}: more than {limits.redirects} redirects.")


def _read(response, url: str, limits: Limits, deadline: float) -> bytes:
    parts, size = [], 0
    try:
        while chunk := response.read1(CHUNK):  # what has arrived: a slow server is timed
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(f"{url} is longer than {limits.max_bytes} bytes.")
            if time.monotonic() > deadline:
                raise FetchError(f"{url} did not arrive within {limits.seconds:g} s.")
            parts.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"{url} could not be read: {_reason(exc)}.") from exc
    return b"".join(parts)


def check_address(url: str, allow_private: bool, resolve: bool = True) -> None:
    """FetchError unless ``url`` is http(s) with a host whose every address is public.

    Without ``resolve`` (a check in a request), a name is not looked up: only a
    literal address and ``localhost`` are judged; the fetch checks the rest.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # an unbalanced [ or a port that is no number
        raise FetchError(f"{url[:200]} is not a valid URL: {exc}.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url[:200]} is not an http(s) URL.")
    if allow_private:
        return
    if not resolve:
        host = parts.hostname.lower()
        try:
            literal = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            literal = None
        if (
            host == "localhost"
            or host.endswith(".localhost")
            or (literal is not None and not literal.is_global)
        ):
            raise FetchError(
                f"{parts.hostname} is a private or local address; "
                "BRIEFS_FETCH_PRIVATE=1 allows those."
            )
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{parts.hostname} cannot be resolved: {exc}.") from exc
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global:
            raise FetchError(
                f"{parts.hostname} is a private or local address ({address}); "
                "BRIEFS_FETCH_PRIVATE=1 allows those."
            )


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return type(reason).__name__ if not str(reason) else str(reason)[:200]

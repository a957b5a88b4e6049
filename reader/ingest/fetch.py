"""Fetching a page or a feed over HTTP(S), bounded in time and size. No UI.

Every failure (no network, refused, timed out, an HTTP error, something that is not
text) is an IngestError with one line naming the URL and what to do.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from reader import __version__
from reader.errors import IngestError
from reader.ingest.sanitize import display_line
from reader.ingest.urls import DEFAULT_TIMEOUT, fetch_timeout, is_url

__all__ = ["DEFAULT_TIMEOUT", "Fetched", "fetch", "fetch_timeout", "is_url"]

MAX_FETCH_BYTES = 16 * 1024 * 1024
"""A page or feed larger than this is refused rather than read whole."""
CHUNK = 64 * 1024
TEXT_TYPES = (
    "text/",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
"""Content types worth reading; anything else (images, PDFs, archives) is refused."""


@dataclass(frozen=True)
class Fetched:
    """What a server sent: the body, its media type and charset, and the final URL."""

    url: str
    data: bytes
    media_type: str
    charset: str | None


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (never ftp:, file: and the like)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not is_url(urllib.parse.urljoin(req.full_url, newurl)):
            raise IngestError(f"{req.full_url}: redirects to {newurl}, which is not a web address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_HttpOnlyRedirects()]
    host = urllib.parse.urlsplit(url).hostname or ""
    if _is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))  # this machine is never behind a proxy
    return urllib.request.build_opener(*handlers)


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve (offline, or a typo in the address?)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused (is the server running?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "no answer in time"
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return " ".join(display_line(str(text)).split())


def _bound_next_read(response: object, seconds: float) -> None:
    """Let the next read wait at most `seconds`, so a server that sends a byte now and
    then cannot stretch a fetch past its deadline."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(0.05, seconds))


def fetch(url: str, *, timeout: float | None = None, max_bytes: int = MAX_FETCH_BYTES) -> Fetched:
    """GET `url`, or raise an IngestError naming it; never longer than `timeout` seconds
    in all (default: fetch_timeout())."""
    if not is_url(url):
        raise IngestError(f"{url}: not an http:// or https:// address")
    limit = fetch_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"presscheck/{__version__} (+terminal news reader)",
            "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
            "application/atom+xml, application/xml;q=0.9, text/*;q=0.8",
            "Accept-Encoding": "identity",
        },
    )
    try:
        with _opener(url).open(request, timeout=limit) as response:
            headers: Message = response.headers
            media_type = headers.get_content_type().lower()
            declared = headers.get("Content-Type")
            if declared and not media_type.startswith(TEXT_TYPES):
                raise IngestError(
                    f"{url}: the server sent {display_line(media_type)}, not a page or a feed; open a web page or an RSS/Atom feed"
                )
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(f"{url}: {int(length) // (1024 * 1024)} MB is over the {max_bytes // (1024 * 1024)} MB limit")
            chunks: list[bytes] = []
            size = 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                _bound_next_read(response, remaining)
                chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(f"{url}: over the {max_bytes // (1024 * 1024)} MB limit; save the page and open the file")
                chunks.append(chunk)
            charset = headers.get_content_charset()
            return Fetched(response.geturl() or url, b"".join(chunks), media_type if declared else "", charset)
    except IngestError:
        raise
    except urllib.error.HTTPError as error:
        raise IngestError(f"{url}: the server answered {error.code} {display_line(str(error.reason))}") from None
    except (TimeoutError, socket.timeout):
        raise IngestError(f"{url}: no answer within {limit:g} s; try again later, or save the page and open the file") from None
    except urllib.error.URLError as error:
        raise IngestError(f"{url}: cannot fetch it: {_reason(error)}") from None
    except (OSError, ValueError) as error:
        raise IngestError(f"{url}: cannot fetch it: {_reason(error)}") from None
    except Exception as error:  # http.client's odd replies: BadStatusLine, IncompleteRead, …
        raise IngestError(f"{url}: the server's answer is broken ({type(error).__name__})") from None

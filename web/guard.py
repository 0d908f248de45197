"""Who may talk to the page, checked before any route runs.

- Host allow-list: a DNS-rebinding page (attacker.com resolving to 127.0.0.1) reaches the
  server with its own name in `Host`; answering only the names the server is known by
  (loopback by default, `serve --allowed-host` to add) keeps it from reading the archive.
- Same origin for writes: a POST (or any other method that may change something) that the
  browser says comes from another site (`Sec-Fetch-Site`), or whose `Origin` is not this
  server, is refused. Clients that send neither (curl) still need the form's CSRF token
  (`web/csrf.py`)."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# what browsers send for a request that a page of this very origin made, or a typed URL
SAME_SITE_FETCH = {"same-origin", "none"}

BAD_HOST = ("Địa chỉ máy chủ không được phép: hãy mở trang bằng địa chỉ của máy chủ (ví dụ http://localhost). "
            "Người quản trị có thể cho phép thêm tên này bằng <code>congvan serve --allowed-host TÊN</code>.")
CROSS_SITE = "Yêu cầu đến từ một trang khác nên bị từ chối: hãy gửi biểu mẫu từ chính trang này."


_HOST = re.compile(r"(?:\[([0-9a-f:.]+)\]|([^\[\]:/@\s]+))(?::(\d{1,5}))?")


def host_name(value: str) -> str:
    """The name in a `Host` header or an origin's netloc, without port, lower case, no final dot:
    `[::1]:8000` → `::1`, `LocalHost.:80` → `localhost`; "" for anything else (`[::1].evil`)."""
    m = _HOST.fullmatch(value.strip().lower())
    if m is None:
        return ""
    return m.group(1) or m.group(2).rstrip(".")


def normalise_host(name: str) -> str:
    """An allowed host as the user typed it (`--allowed-host`), in the form `host_name` gives."""
    name = name.strip().lower()
    if ":" in name and not name.startswith("["):
        try:
            return str(ipaddress.ip_address(name))
        except ValueError:
            pass
    return host_name(name)


def allowed_hosts(extra: Iterable[str] = ()) -> frozenset[str]:
    return frozenset([*LOOPBACK_NAMES, *(normalise_host(h) for h in extra if h and h.strip())])


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback  # 127.0.0.2 and the like
    except ValueError:
        return False


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    name = host_name(header or "")
    return bool(name) and (name in allowed or _is_loopback(name))


def _endpoint(netloc: str, scheme: str) -> tuple[str, int] | None:
    """(name, port) of a netloc, the scheme's port when none is written."""
    m = _HOST.fullmatch(netloc.strip().lower())
    if m is None:
        return None
    return host_name(netloc), int(m.group(3)) if m.group(3) else (443 if scheme == "https" else 80)


def same_origin(headers: dict[str, str], allowed: frozenset[str], scheme: str = "http") -> bool:
    """True unless the browser tells us the request was made by another site: an `Origin` must
    be this very server (scheme, name and port), `Sec-Fetch-Site` same-origin (or none)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() not in SAME_SITE_FETCH:
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # no browser word either way: the CSRF token decides
    if origin.strip() == "null":
        # under this app's `Referrer-Policy: no-referrer` Chromium sends its own form's POST with
        # `Origin: null`; it is this page only when the fetch metadata says same-origin
        return fetch_site is not None and fetch_site.strip().lower() == "same-origin"
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # `null` (a sandboxed frame, a file: page) or garbage
    if parts.scheme != scheme:
        return False
    here = _endpoint(headers.get("host", ""), scheme)
    return here is not None and _endpoint(parts.netloc, parts.scheme) == here and host_allowed(parts.netloc, allowed)


class RequestGuard:
    """ASGI middleware: a 400 for an unknown Host, a 403 for a cross-site write; nothing else changes."""

    def __init__(self, app, hosts: frozenset[str] = allowed_hosts()):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # the app has no websockets; lifespan passes through
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not host_allowed(headers.get("host"), self.hosts):
            return await _refuse(send, 400, BAD_HOST)
        if scope.get("method", "GET").upper() not in SAFE_METHODS and \
                not same_origin(headers, self.hosts, scope.get("scheme", "http")):
            return await _refuse(send, 403, CROSS_SITE)
        await self.app(scope, receive, send)


async def _refuse(send, status: int, message: str) -> None:
    """A small page of its own: refused requests never reach a template or the archive. The
    connection is closed, so that a body the client is still sending is not read."""
    body = (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Bị từ chối</title>'
            f"<p>{message}</p></html>").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})

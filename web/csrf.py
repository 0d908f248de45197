"""The CSRF token of the forms that change something (the upload of `/nhap`).

Double submit, signed: the browser gets a random value in a cookie (`SameSite=Strict`,
`HttpOnly`), the form carries an HMAC of it under a key that lives only in this server
process. A POST is accepted only when the form's token matches the cookie it came with: another
site can neither read the page to learn the token nor set the cookie."""
from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "congvan_csrf"
FIELD = "csrf"
HEADER = "x-csrf-token"  # for scripts that post without the form


class CsrfTokens:
    def __init__(self, key: bytes | None = None):
        self._key = key or secrets.token_bytes(32)  # a restart invalidates open forms: they reload

    def _sign(self, cookie: str) -> str:
        return hmac.new(self._key, cookie.encode(), hashlib.sha256).hexdigest()

    def issue(self, cookie: str | None) -> tuple[str, str]:
        """(cookie value, form token): the browser's cookie is kept when it has a valid one."""
        if not cookie or len(cookie) != 43 or not cookie.replace("-", "").replace("_", "").isalnum():
            cookie = secrets.token_urlsafe(32)
        return cookie, self._sign(cookie)

    def valid(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self._sign(cookie), token.strip())

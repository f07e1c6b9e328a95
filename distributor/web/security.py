"""Protections every page gets, as one ASGI middleware in front of the app.

- Headers: a Content-Security-Policy without any script (and `frame-ancestors 'none'`),
  `Referrer-Policy: no-referrer` (tokens are in the URLs), `X-Content-Type-Options: nosniff`,
  and `Cache-Control: no-store` on pages reached by a personal token.
- HEAD is answered like GET, without the body.
- Multipart bodies are refused (415) before a byte of them is read, so nothing is spooled to disk;
  a body must announce its length (411), at most 64 KiB (413): forms are small.
- A POST to a personal page (/p/, /confirm/) whose Origin is another site is refused (403).
A logging filter masks tokens in the access log.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
TOKEN_PATH = re.compile(r"^/(u|p|confirm)/(?!resend$)")
MASKED_PATH = re.compile(r"/(u|p|confirm)/(?!resend\b)[^/?\s\"]+")
GUARDED_POSTS = re.compile(r"^/(p|confirm)/")
MAX_BODY_BYTES = 64 * 1024


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-case."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class SecurityMiddleware:
    """Adds the security headers, answers HEAD, refuses multipart and cross-site POSTs."""

    def __init__(self, app: ASGIApp, public_url: str) -> None:
        self.app = app
        self.public_origin = origin_of(public_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await self._answer(send, *refusal)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        token_page = bool(TOKEN_PATH.match(scope["path"]))

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=self._headers(message["headers"], token_page))
            elif message["type"] == "http.response.body" and head:
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_secured)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        content_type = headers.get("content-type", "").lower()
        if content_type.startswith("multipart/"):
            return 415, "multipart bodies are not accepted: send the form url-encoded"
        if scope["method"] in ("POST", "PUT", "PATCH"):
            length = headers.get("content-length", "")
            if not length.isdigit():
                return 411, "send the form with a Content-Length"
            if int(length) > MAX_BODY_BYTES:
                return 413, "this form is too large"
        guarded = scope["method"] == "POST" and GUARDED_POSTS.match(scope["path"])
        if guarded and self._cross_site(scope, headers):
            return 403, "this form was sent from another site: open the page again and retry"
        return None

    def _cross_site(self, scope: Scope, headers: dict[str, str]) -> bool:
        """A browser says the request comes from another site (Sec-Fetch-Site or Origin).

        With `Referrer-Policy: no-referrer` browsers send `Origin: null` even from our own
        pages, so "null" alone proves nothing; Sec-Fetch-Site tells the site when present.
        """
        fetch_site = headers.get("sec-fetch-site", "").lower()
        if fetch_site in ("cross-site", "same-site"):
            return True
        origin = headers.get("origin", "null").lower()
        own = {self.public_origin, f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"}
        return origin != "null" and origin not in own

    @staticmethod
    def _headers(raw: list[tuple[bytes, bytes]], token_page: bool) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in raw}
        extra = [
            (b"content-security-policy", CSP.encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
        ]
        if token_page:
            extra.append((b"cache-control", b"no-store"))
        return list(raw) + [(name, value) for name, value in extra if name not in present]

    @staticmethod
    async def _answer(send: Send, status: int, text: str) -> None:
        body = text.encode()
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"content-security-policy", CSP.encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class TokenMaskingFilter(logging.Filter):
    """Replaces the tokens in logged request paths (/u/…, /p/…, /confirm/…) by an ellipsis."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                MASKED_PATH.sub(r"/\1/…", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = MASKED_PATH.sub(r"/\1/…", record.msg)
        return True


def mask_tokens_in_access_log() -> None:
    """Install the masking filter on uvicorn's access logger (once per process)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, TokenMaskingFilter) for f in access.filters):
        access.addFilter(TokenMaskingFilter())

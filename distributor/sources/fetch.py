"""The one HTTP module of sources: a bounded, conditional GET that says what went wrong."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

import httpx

from distributor.errors import UserError
from distributor.sources.address_guard import (
    PUBLIC_ONLY,
    GuardedTransport,
    PrivateAddress,
    deadline,
    past_deadline,
)
from distributor.sources.charset import decode_body
from distributor.sources.decoding import (
    ACCEPT_ENCODING,
    BoundedDecoder,
    DecodingError,
    TooLarge,
)
from distributor.sources.links import origin

MAX_BYTES = 5_000_000
TIMEOUT = 15.0
MAX_REDIRECTS = 10


def _user_agent() -> str:
    try:
        own = version("distributor")
    except PackageNotFoundError:
        own = "dev"
    return f"distributor/{own} (blog digest for newsletters and social posts; httpx)"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class FetchResult:
    """A fetched resource: final URL, body bytes and text, and the validators for next time."""

    url: str
    status: int
    content: bytes
    text: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class FetchError(UserError):
    """A fetch that failed; `temporary` says whether retrying later may help."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        temporary: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.temporary = temporary
        self.retry_after = retry_after
        self.status = status


def make_client() -> httpx.Client:
    """An httpx client with the defaults every fetch here expects (guarded transport, UA)."""
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=5)
    return httpx.Client(
        transport=GuardedTransport(limits),
        follow_redirects=False,
        timeout=httpx.Timeout(TIMEOUT, connect=10.0),
        headers={"User-Agent": USER_AGENT},
    )


def fetch(
    url: str,
    *,
    client: httpx.Client,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    trusted_origin: str | None = None,
    as_text: bool = True,
) -> FetchResult:
    """GET `url` within one deadline of `timeout` seconds and `max_bytes` decoded bytes.

    Conditional when validators are given. Every hop off the origin of `trusted_origin` (default:
    `url` itself, the address the admin gave) must resolve to a public address (LinkRefused).
    """
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    home = origin(trusted_origin or url)
    try:
        with deadline(timeout):
            return _follow(url, client, headers, home, (max_bytes, timeout, as_text))
    except FetchError:
        raise
    except httpx.TimeoutException as exc:
        raise _timed_out(url, timeout) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise FetchError(
            f"not a valid web address: {url}", "Give a full http:// or https:// URL."
        ) from exc
    except httpx.ConnectError as exc:
        raise _connect_failed(url, exc) from exc
    except httpx.HTTPError as exc:
        raise FetchError(
            f"connection to {_host(url)} failed while fetching {url}: {exc or type(exc).__name__}",
            "Check that the site is up and try again later.",
            temporary=True,
        ) from exc


def _follow(
    url: str,
    client: httpx.Client,
    headers: dict[str, str],
    home: tuple[str, str, int] | None,
    reading: tuple[int, float, bool],
) -> FetchResult:
    """Request `url`, following redirects one hop at a time, each hop checked afresh."""
    timeout = reading[1]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if past_deadline():
            raise _timed_out(url, timeout)
        hop = origin(current)
        if hop is None and current != url:
            raise FetchError(
                f"{url} redirects to {current}, which is not an http(s) address",
                "Give the address the page finally lives at.",
            )
        public_only = hop is not None and hop != home
        try:
            with client.stream(
                "GET",
                current,
                headers=headers,
                timeout=timeout,
                extensions={PUBLIC_ONLY: public_only},
            ) as response:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    current = urljoin(str(response.url), location.strip())
                    continue
                return _read_response(response, str(response.url), *reading)
        except PrivateAddress as exc:
            raise LinkRefused(current, exc) from exc
    raise FetchError(
        f"too many redirects fetching {url} (a redirect loop?)",
        "Open the URL in a browser and use the address it finally shows.",
    )


def _read_response(
    response: httpx.Response, final_url: str, max_bytes: int, timeout: float, as_text: bool
) -> FetchResult:
    status = response.status_code
    if status == 304:
        return _result(response, final_url, b"", not_modified=True)
    if status >= 400:
        raise _status_error(response, final_url)
    try:
        decoder = BoundedDecoder(response.headers.get("Content-Encoding", ""), max_bytes)
    except DecodingError as exc:
        raise _undecodable(final_url, exc) from exc
    declared = response.headers.get("Content-Length", "")
    if not decoder.coding and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(final_url, max_bytes)
    chunks: list[bytes] = []
    received = 0
    try:
        for raw in response.iter_raw():
            received += len(raw)
            if past_deadline():
                raise _timed_out(final_url, timeout)
            if received > max_bytes:
                raise _too_large(final_url, max_bytes)
            chunks.append(decoder.feed(raw))
    except TooLarge as exc:
        raise _too_large(final_url, max_bytes) from exc
    except DecodingError as exc:
        raise _undecodable(final_url, exc) from exc
    return _result(response, final_url, b"".join(chunks), as_text=as_text)


def _result(
    response: httpx.Response,
    url: str,
    content: bytes,
    *,
    not_modified: bool = False,
    as_text: bool = True,
) -> FetchResult:
    content_type = response.headers.get("Content-Type", "")
    return FetchResult(
        url=url,
        status=response.status_code,
        content=content,
        text=decode_body(content, content_type) if as_text else "",
        content_type=content_type.split(";")[0].strip().lower(),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        not_modified=not_modified,
    )


def _status_error(response: httpx.Response, url: str) -> FetchError:
    status = response.status_code
    if status in (404, 410):
        return FetchError(
            f"not found: {url} answered HTTP {status}",
            "Check the address; the page may have moved or been removed.",
            status=status,
        )
    if status in (408, 425, 429) or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        wait = f" (the server asks to wait {retry_after:.0f} s)" if retry_after is not None else ""
        return FetchError(
            f"{_host(url)} is unavailable for now: HTTP {status} for {url}{wait}",
            "Try again later.",
            temporary=True,
            retry_after=retry_after,
            status=status,
        )
    return FetchError(
        f"{_host(url)} refused the request: HTTP {status} for {url}",
        "Check the address, and that the page is public (no login needed).",
        status=status,
    )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class LinkRefused(FetchError):
    """A link inside a source that leads to an address that is not public."""

    def __init__(self, url: str, refused: PrivateAddress) -> None:
        super().__init__(
            f"link to a private address skipped: {url} ({refused})",
            "Links found in a source are followed only to public addresses or the source's own "
            "site; the post keeps what the feed carried.",
        )
        self.url = url


def _undecodable(url: str, exc: DecodingError) -> FetchError:
    return FetchError(
        f"{url} could not be decoded: {exc}",
        "The server sends a compression this reader refuses (at most one gzip, deflate or br).",
    )


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(
        f"{url} is larger than {max_bytes // 1_000_000 or max_bytes} "
        f"{'MB' if max_bytes >= 1_000_000 else 'bytes'}: not fetched",
        "Point to the article page itself, not a download or an archive.",
    )


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(
        f"{_host(url)} did not answer within {timeout:g} s for {url}",
        "The site may be slow or down; try again later.",
        temporary=True,
    )


def _connect_failed(url: str, exc: httpx.ConnectError) -> FetchError:
    reason = str(exc)
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLError) or "SSL" in reason or "CERTIFICATE" in reason.upper():
        return FetchError(
            f"secure connection to {_host(url)} failed (TLS certificate or protocol): {reason}",
            "Check the site's certificate in a browser, or try the http:// address.",
        )
    if any(sign in reason for sign in _DNS_FAILURES):
        return FetchError(
            f"host not found: {_host(url)} (no DNS record)",
            "Check the spelling of the address and your network connection.",
            temporary=True,
        )
    return FetchError(
        f"could not connect to {_host(url)} for {url}: {reason or 'connection refused'}",
        "Check that the site is up and try again later.",
        temporary=True,
    )


_DNS_FAILURES = (
    "Name or service not known",
    "Temporary failure in name resolution",
    "No address associated with hostname",
    "nodename nor servname",
    "getaddrinfo",
)


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except (httpx.InvalidURL, TypeError):
        return url

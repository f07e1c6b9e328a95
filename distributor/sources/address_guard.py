"""Where a fetch may connect, and until when: the HTTP transport every fetch goes through.

Two connection pools: an open one for the address the admin gave (a source may sit on the local
network on purpose) and a public-only one for links found inside a source. The public-only pool
resolves the host itself, refuses when any address is not public (loopback, private, link-local,
the cloud metadata address, IPv4-mapped or NAT64 forms of those) and connects to the very
address it checked, so a DNS answer that changes between check and connect reaches nothing
internal. Every socket operation of a fetch also stops at that fetch's one deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

PUBLIC_ONLY = "distributor.public_only"  # request extension: True routes to the guarded pool
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_deadline: ContextVar[float | None] = ContextVar("distributor_fetch_deadline", default=None)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PrivateAddress(Exception):
    """A link's host resolves to an address that is not public."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}")
        self.host = host
        self.address = address


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4 inside IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address in _NAT64:
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return address.is_global and not address.is_multicast


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within this block, every connect, read and write ends `seconds` from now at the latest."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left(timeout: float | None) -> float | None:
    """The socket timeout to use now: the given one, shortened to what the deadline leaves."""
    end = _deadline.get()
    if end is None:
        return timeout
    left = max(end - time.monotonic(), 0.001)
    return left if timeout is None else min(timeout, left)


def past_deadline() -> bool:
    """True once the current fetch's deadline has passed."""
    end = _deadline.get()
    return end is not None and time.monotonic() >= end


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write stops at the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, time_left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        upgraded = self._inner.start_tls(ssl_context, server_hostname, time_left(timeout))
        return _DeadlineStream(upgraded)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks (when public-only) and connects to the checked address, in time."""

    def __init__(self, public_only: bool) -> None:
        self.public_only = public_only
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        if self.public_only:
            refused = next((a for a in addresses if not is_public(ipaddress.ip_address(a))), None)
            if refused is not None:
                raise PrivateAddress(host, refused)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._sockets.connect_tcp(
                    address, port, time_left(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to now (an IP literal resolves to itself)."""
    literal = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(literal))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(literal, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in found))


def _pool_transport(public_only: bool, limits: httpx.Limits) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(limits=limits)
    # httpx builds its httpcore pool without a way to pass a network backend: rebuild it with ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_GuardedBackend(public_only),
    )
    return transport


class GuardedTransport(httpx.BaseTransport):
    """Sends a request through the open pool, or the public-only one when it asks to be."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._open = _pool_transport(False, limits)
        self._public = _pool_transport(True, limits)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Route by the request's PUBLIC_ONLY extension."""
        pool = self._public if request.extensions.get(PUBLIC_ONLY) else self._open
        return pool.handle_request(request)

    def close(self) -> None:
        """Close both pools."""
        self._open.close()
        self._public.close()

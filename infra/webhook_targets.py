"""Where webhooks may be sent: the SSRF guard, applied when an endpoint is saved and again
before every attempt, after DNS resolution (the delivery connects to the address checked
here, never looking the name up again: DNS rebinding)."""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
RESOLVE_TIMEOUT_S = 5.0


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why (for INVALID_URL)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: what to connect to (`address`), and what to say to it (the name, for
    the Host header and TLS)."""

    scheme: str
    host: str
    port: int
    path: str  # with the query, as the URL gave them
    address: str

    @property
    def connect_url(self) -> str:
        """The URL with the checked address in place of the name."""
        literal = f"[{self.address}]" if ":" in self.address else self.address
        return f"{self.scheme}://{literal}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        default = {"https": 443, "http": 80}[self.scheme]
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


@dataclass(frozen=True)
class Parsed:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str, allow_private: bool) -> Parsed:
    """The URL's parts, or TargetRefused: https only (http too when private targets are
    allowed), a host, no credentials, no fragment."""
    if len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        raise TargetRefused("the URL is too long or holds spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("the URL cannot be parsed") from None
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise TargetRefused("the URL must start with https://")
    if not parts.hostname:
        raise TargetRefused("the URL names no host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("the URL must not hold credentials")
    if parts.fragment:
        raise TargetRefused("the URL must not have a fragment")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Parsed(parts.scheme, parts.hostname, port or default, path)


def forbidden(address: str) -> bool:
    """Loopback, private, link-local, multicast, unspecified, reserved, shared: anything not
    globally routable, IPv4-mapped IPv6 included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved


async def resolve(url: str, allow_private: bool) -> Target:
    """The URL checked, its host resolved, and every address it resolves to checked (one
    forbidden address refuses it: which one a client connects to is the resolver's choice)."""
    parsed = parse(url, allow_private)
    try:
        ipaddress.ip_address(parsed.host)
        addresses = [parsed.host]
    except ValueError:
        addresses = await _lookup(parsed.host, parsed.port)
    if not allow_private:
        refused = [a for a in addresses if forbidden(a)]
        if refused:
            raise TargetRefused(f"the host resolves to a non-public address ({refused[0]})")
    return Target(parsed.scheme, parsed.host, parsed.port, parsed.path, addresses[0])


async def _lookup(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_S
        )
    except (OSError, TimeoutError, UnicodeError):
        raise TargetRefused("the host does not resolve") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise TargetRefused("the host does not resolve")
    return addresses

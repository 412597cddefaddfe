"""Server-side request forgery: webhooks go to the public internet, never into our own network.

A URL must be ``https``; plain ``http`` only to localhost while ``DEBUG`` is on (a developer's own
receiver). Every address the host resolves to must be a public unicast address: loopback,
private, link-local, shared (CGNAT), multicast, reserved and unspecified addresses are refused,
also when hidden in an IPv6 form (IPv4-mapped, 6to4, Teredo, NAT64). Loopback is allowed only for
localhost in ``DEBUG``.

The check runs when the endpoint is registered and again before every attempt, and the
connection is then made to exactly the addresses that passed (``Target.addresses``), so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot redirect it.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURL(ValueError):
    """The URL may not receive webhooks; the message says why, for the person who gave it."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str, *, allow_loopback: bool = False) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if ip.version == 6:
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not is_public(str(embedded), allow_loopback=allow_loopback):
            return False
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_reserved or ip.is_link_local
    )


def check_url(url: str) -> Target:
    """The URL's scheme, host, port and path, with the checked addresses to connect to.

    Raises ``UnsafeURL`` with a message for the person who registered the URL.
    """
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        raise UnsafeURL(_("Enter a valid URL, starting with https://.")) from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")  # the form DNS, TLS and the Host header use
    except UnicodeError:
        host = ""
    if scheme not in ("http", "https") or not host:
        raise UnsafeURL(_("Enter a valid URL, starting with https://."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Leave user names and passwords out of the URL."))
    local = settings.DEBUG and host in LOCAL_HOSTS
    if scheme != "https" and not local:
        raise UnsafeURL(
            _("Use an https:// URL: webhooks are only sent over an encrypted connection.")
        )
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise UnsafeURL(_("The host %(host)s cannot be found.") % {"host": host})
    for address in addresses:
        if not is_public(address, allow_loopback=local):
            raise UnsafeURL(
                _(
                    "%(host)s points to %(address)s, an internal or private address. Webhooks "
                    "are only sent to public internet addresses."
                )
                % {"host": host, "address": address}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))

"""The client's address, as far as the deployment lets us know it.

``X-Forwarded-For`` is only a header: anyone can send one. It tells the truth only about the
hops our own proxies added, so it is read only when ``TRUSTED_PROXY_COUNT`` says how many trusted
proxies sit in front of the application (``deploy/nginx/eigenwijs.conf``: one). Each proxy appends
the address it saw to the header; with N trusted proxies the N-th entry from the right is the
address our outermost proxy saw, and everything to its left was written by the client. With the
default of 0 the header is ignored and ``REMOTE_ADDR``, the socket's peer, counts.

Keep the signature: the sign-in throttle (django-axes) uses ``client_ip`` too.
"""

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    """A plain IPv4 or IPv6 address, or None for anything else (ports, names, "unknown")."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address: from X-Forwarded-For only with trusted proxies, else REMOTE_ADDR."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # It did not pass all our proxies (a request straight to gunicorn, or a miscount):
        # nothing in the header is vouched for, so the socket's peer counts.
        return remote
    return _address(hops[-count]) or remote

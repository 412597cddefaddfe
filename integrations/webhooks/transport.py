"""One HTTP POST to a checked target, connected to the address that passed the SSRF check.

``http.client`` is used directly (no extra dependency): it follows no redirects and reads no
proxy settings, and its connection is pointed at the checked IP address while the Host header,
TLS server name (SNI) and certificate check still use the host name.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass
from email.message import Message

from .ssrf import Target

#: How much of the receiver's answer is kept for the delivery log.
EXCERPT_BYTES = 500


class DeliveryTimeout(Exception):
    pass


class ConnectionFailed(Exception):
    pass


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    excerpt: str


def _connection(target: Target, address: str, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(host_and_port, timeout=timeout, source_address=None):
        # Connect to the checked address, never to a fresh DNS answer for the host name.
        return socket.create_connection((address, host_and_port[1]), timeout, source_address)

    connection._create_connection = pinned
    return connection


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Response:
    """POST ``body``; the first checked address that accepts the connection gets it.

    Raises ``DeliveryTimeout`` or ``ConnectionFailed``; any HTTP status is a ``Response``.
    """
    failures = []
    for address in target.addresses:
        connection = _connection(target, address, timeout)
        try:
            try:
                connection.connect()
            except TimeoutError:
                failures.append(f"{address}: timed out while connecting")
                continue
            except OSError as error:
                failures.append(f"{address}: {error.strerror or error}")
                continue
            # Connected: from here on the request may have arrived, so no other address is tried.
            try:
                connection.request("POST", target.path, body=body, headers=headers)
                response = connection.getresponse()
                excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
            except TimeoutError:
                raise DeliveryTimeout(f"no answer within {timeout:g} s") from None
            except (OSError, http.client.HTTPException) as error:
                raise ConnectionFailed(f"{type(error).__name__}: {error}"[:300]) from None
            return Response(status=response.status, headers=response.headers, excerpt=excerpt)
        finally:
            connection.close()
    raise ConnectionFailed("; ".join(failures)[:300] or "no address to connect to")

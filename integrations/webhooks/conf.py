"""Webhook settings, read when used (never at import), with the defaults documented here."""

from django.conf import settings

DEFAULTS = {
    # Seconds to wait for the receiver to connect and to answer.
    "WEBHOOK_TIMEOUT": 10,
    # Backoff: the n-th retry waits up to BASE × 2^(n-1) seconds (full jitter), never more than MAX.
    "WEBHOOK_RETRY_BASE": 30,
    "WEBHOOK_RETRY_MAX_DELAY": 6 * 3600,
    # A delivery is retried for at least this long after it was created (or replayed).
    "WEBHOOK_RETRY_FOR": 24 * 3600,
    # A receiver's Retry-After is honoured up to this many seconds.
    "WEBHOOK_MAX_RETRY_AFTER": 24 * 3600,
    # The sweep leaves events and due deliveries this young to the normal path.
    "WEBHOOK_SWEEP_GRACE": 120,
    # After a secret is rotated, the old one still signs for this long.
    "WEBHOOK_SECRET_OVERLAP": 24 * 3600,
    "WEBHOOK_MAX_ENDPOINTS_PER_FUND": 10,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])

"""Whose data a caller may see. A fund key sees only its own fund; people see what the web shows."""

from integrations.models import FundAPIKey


def key_fund_id(request) -> int | None:
    """The fund of the calling API key, or None when a person (token or session) calls."""
    auth = getattr(request, "auth", None)
    return auth.fund_id if isinstance(auth, FundAPIKey) else None

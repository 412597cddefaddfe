"""Whose data a caller may see. A fund key sees only its own fund; people see what the web shows."""

from applications.selectors import Relationships
from integrations.models import FundAPIKey


def key_fund_id(request) -> int | None:
    """The fund of the calling API key, or None when a person (token or session) calls."""
    auth = getattr(request, "auth", None)
    return auth.fund_id if isinstance(auth, FundAPIKey) else None


def relationships_of(request) -> Relationships:
    """The caller's funds and networks, read once per request (``applications.selectors``): what
    a representation shows, such as a signatory's personal details to the fund's officers."""
    found = getattr(request, "_relationships", None)
    if found is None:
        found = request._relationships = Relationships(request.user, fund_id=key_fund_id(request))
    return found

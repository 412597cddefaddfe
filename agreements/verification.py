"""Is this file a contract Eigenwijs issued? Its SHA-256 must equal a stored contract's."""

from agreements.models import Agreement
from agreements.pdf import sha256_hex


def verify_contract(data: bytes) -> Agreement | None:
    """The executed agreement whose contract PDF has exactly these bytes, or None."""
    return (
        Agreement.objects.select_related("application")
        .filter(state=Agreement.State.EXECUTED, contract_sha256=sha256_hex(data))
        .first()
    )

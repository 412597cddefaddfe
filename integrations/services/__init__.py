from .credentials import (
    fund_key_create,
    fund_key_revoke,
    personal_token_create,
    personal_token_revoke,
)

__all__ = ["fund_key_create", "fund_key_revoke", "personal_token_create", "personal_token_revoke"]

from .credentials import (
    approve_refusal,
    fund_key_approve,
    fund_key_change,
    fund_key_create,
    fund_key_revoke,
    key_role,
    manager_refusal,
    personal_token_create,
    personal_token_revoke,
)

__all__ = [
    "approve_refusal",
    "fund_key_approve",
    "fund_key_change",
    "fund_key_create",
    "fund_key_revoke",
    "key_role",
    "manager_refusal",
    "personal_token_create",
    "personal_token_revoke",
]

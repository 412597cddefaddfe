"""Every write of the privacy app: deleting an account, a fund's retention periods."""

from .accounts import account_delete, account_delete_refusals
from .periods import fund_retention_refusal, fund_retention_set, retention_for

__all__ = [
    "account_delete",
    "account_delete_refusals",
    "fund_retention_refusal",
    "fund_retention_set",
    "retention_for",
]

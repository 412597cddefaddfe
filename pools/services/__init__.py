"""Domain actions on support pools. Every web view, admin action and API call uses these."""

from .allocations import (
    allocation_assign_provider,
    allocation_close,
    allocation_release,
    allocation_reserve,
    allocations_confirm_for,
    allocations_release_for,
)
from .deliveries import delivery_log

__all__ = [
    "allocation_assign_provider",
    "allocation_close",
    "allocation_release",
    "allocation_reserve",
    "allocations_confirm_for",
    "allocations_release_for",
    "delivery_log",
]

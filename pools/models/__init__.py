from .pool import Contribution, PoolService, Provider, ServiceType, SupportPool  # noqa: I001
from .allocation import Allocation, Delivery

__all__ = [
    "Allocation",
    "Contribution",
    "Delivery",
    "PoolService",
    "Provider",
    "ServiceType",
    "SupportPool",
]

"""The kinds of support pools offer: the defaults, and how the lower apps see them.

Funds and applications ask ``funds.service_kinds`` for the kinds a budget line may ask hours of;
``ServiceTypeKinds`` answers from ``ServiceType`` (registered in ``PoolsConfig.ready()``).
"""

from pools.models import ServiceType

DEFAULT_SERVICE_TYPES = [
    ("secretarial", "Secretariaat", "Secretarial support"),
    ("bookkeeping", "Boekhouding", "Bookkeeping"),
    ("logistics", "Logistiek", "Logistics"),
    ("communication", "Communicatie", "Communication"),
    ("legal_advice", "Juridisch advies", "Legal advice"),
    ("venue", "Ruimte en locatie", "Venue and space"),
]


def ensure_default_service_types(sender=None, using="default", **kwargs) -> None:
    """After every ``migrate`` (and every ``flush``, which tests run), the defaults exist.

    A default type that is not wanted is switched off (``active``), not deleted: deleting it only
    brings it back at the next migrate.
    """
    existing = set(ServiceType.objects.using(using).values_list("code", flat=True))
    ServiceType.objects.using(using).bulk_create(
        ServiceType(code=code, name=name, name_en=name_en, order=order)
        for order, (code, name, name_en) in enumerate(DEFAULT_SERVICE_TYPES, start=1)
        if code not in existing
    )


def _usable_code(code) -> bool:
    # PostgreSQL refuses a NUL character even in a lookup.
    return isinstance(code, str) and bool(code) and "\x00" not in code


class ServiceTypeKinds:
    """``funds.service_kinds``' provider: the service types kept in the admin."""

    def choices(self) -> list[tuple[str, str]]:
        return [(kind.code, kind.label) for kind in ServiceType.objects.filter(active=True)]

    def is_offered(self, code: str) -> bool:
        return _usable_code(code) and ServiceType.objects.filter(code=code, active=True).exists()

    def label(self, code: str) -> str | None:
        if not _usable_code(code):
            return None
        kind = ServiceType.objects.filter(code=code).first()
        return kind.label if kind else None


SERVICE_KINDS = ServiceTypeKinds()

"""The service types most networks ask for; funds add more or switch types off in the admin."""

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
    from pools.models import ServiceType

    existing = set(ServiceType.objects.using(using).values_list("code", flat=True))
    ServiceType.objects.using(using).bulk_create(
        ServiceType(code=code, name=name, name_en=name_en, order=order)
        for order, (code, name, name_en) in enumerate(DEFAULT_SERVICE_TYPES, start=1)
        if code not in existing
    )

"""Directory entries for tests, added through the service as fund staff do."""

from core.models import Province
from core.regions import sync
from directory import services
from funds.models import Theme


def province(code: str = "NL-NH") -> Province:
    """Noord-Holland unless said otherwise. The twelve come with core's migration; the flush
    after a ``transaction=True`` test removes them, so they are put back if missing."""
    if not Province.objects.exists():
        sync()
    return Province.objects.get(code=code)


def theme(name: str) -> Theme:
    return Theme.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]


def add_entry(actor, **values):
    data = {
        "name": "Buurtwerk Oost",
        "kind": "welfare",
        "offer": "Help with a plan and a budget.",
        "phone": "020 123 4567",
        **values,
    }
    return services.entry_create(actor=actor, data=data)

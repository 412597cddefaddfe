"""Regions: the twelve Dutch provinces, with a place name beside them on each record.

The list comes from pycountry (ISO 3166-2:NL, from Debian's iso-codes): the provinces only, not
the Caribbean countries and special municipalities that share the code space. No package
registry we can install from ships a trustworthy list of municipalities with CBS codes, so a
network, programme or directory entry names its province, and a place in words.
"""

import pycountry

from core.models import Province


def shipped() -> list[dict[str, str]]:
    """The provinces as pycountry has them: ``{"code": "NL-NH", "name": "Noord-Holland"}``."""
    return sorted(
        (
            {"code": division.code, "name": division.name}
            for division in pycountry.subdivisions.get(country_code="NL")
            if division.type == "Province"
        ),
        key=lambda row: row["name"],
    )


def sync(model=None) -> int:
    """Insert or rename every shipped province by its code; returns how many are shipped.

    ``model``: the historical model when a migration calls this.
    """
    model = model or Province
    rows = shipped()
    for row in rows:
        model.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    return len(rows)

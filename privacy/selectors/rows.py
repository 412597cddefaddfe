"""The shape of "My data": sections of rows, each row a dict of one record's fields."""

from dataclasses import dataclass


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict]


def rows(queryset, **fields) -> list[dict]:
    """``fields`` maps an export key to a lookup of ``values()``."""
    return [
        {key: row[lookup] for key, lookup in fields.items()}
        for row in queryset.values(*fields.values())
    ]

"""Small template helpers for the application screens."""

from django import template
from django.utils import timezone

from funds.questions import localized as localized_text

register = template.Library()


@register.filter
def localized(value) -> str:
    """A programme text in the active language: ``{"nl": ..., "en": ...}`` or a plain string."""
    return localized_text(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: for dicts keyed by question key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def age_in_days(moment) -> int | None:
    """Whole days since ``moment``."""
    if moment is None:
        return None
    return (timezone.now() - moment).days

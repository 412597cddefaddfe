"""Template helpers for the public programme pages."""

from django import template

from funds.questions import localized as localized_text

register = template.Library()


@register.filter
def localized(value) -> str:
    """A programme text in the active language: ``{"nl": ..., "en": ...}`` or a plain string."""
    return localized_text(value)

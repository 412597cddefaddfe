"""Hours in the pool screens: "12" and "1,5" rather than "12.00" and "1.50"."""

from django import template

from core.hours import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours in the active language's notation; a dash for none."""
    if value is None or value == "":
        return "–"
    return format_hours(value)

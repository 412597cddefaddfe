"""``{% load money %}`` … ``{{ amount|euros }}``: core.money.format_euros in templates."""

from django import template

from core.money import format_euros

register = template.Library()


@register.filter
def euros(value) -> str:
    return format_euros(value)

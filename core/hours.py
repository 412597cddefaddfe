"""Hours as people type them: "12", "1,5", "2.25", and as they read them back."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_HOURS = Decimal("10000")


def clean_hours(value) -> Decimal:
    """A positive number of hours with at most two decimals, or a ValidationError."""
    message = _("Enter a number of hours, for example 8 or 1,5.")
    if isinstance(value, bool) or value is None:
        raise ValidationError(message)
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(message) from None
    if not hours.is_finite():
        raise ValidationError(message)
    if hours <= 0:
        raise ValidationError(_("Enter more than zero hours."))
    if hours > MAX_HOURS:
        raise ValidationError(_("Enter at most %(max)s hours.") % {"max": MAX_HOURS})
    if hours != hours.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimals, for example 1,25."))
    return hours.quantize(Decimal("0.01"))


def format_hours(hours) -> str:
    """12 rather than 12.00, and 1,5 in Dutch: for messages, where templates can't format."""
    hours = Decimal(hours)
    places = 0 if hours == hours.to_integral_value() else 2
    text = number_format(hours, decimal_pos=places, use_l10n=True)
    return text[:-1] if places and text.endswith("0") else text

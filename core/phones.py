"""Phone numbers as people type them ("020 123 4567", "06-12345678", "+32 2 555 12 12"),
kept in one form (E.164: "+31201234567") and shown as people read them: a Dutch number in
its national form ("020 123 4567"), another country's in the international form."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: A number typed without a country code is Dutch.
DEFAULT_REGION = "NL"


def clean_phone(value, *, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, or a ValidationError that says what to type; blank stays blank."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Enter a phone number that can be called, for example 020 123 4567, "
                "06 12345678 or +32 2 555 12 12."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value) -> str:
    """How a person reads the number; a stored text that is not a number is shown as it is."""
    text = str(value or "").strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

"""Euro amounts as a reader of the active language expects them: "€ 1.000,00" in Dutch,
"€ 1,000.00" in English. Screens, contracts and the messages services raise all use this one
function, so an amount never reads "€5000.00" in a Dutch sentence."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language_bidi


def format_euros(amount) -> str:
    """ "€ 1.250,00" (Dutch) for 1250; a dash for no amount."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    text = "€\u00a0" + number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    # In a right-to-left sentence (Arabic) the amount keeps its own order: isolated left to
    # right with Unicode's isolate marks, which work in e-mails as well as on pages.
    return f"\u2066{text}\u2069" if get_language_bidi() else text

"""Euro amounts as a reader of the active language expects them: "€ 1.000,00" in Dutch,
"€ 1,000.00" in English. Screens, contracts and the messages services raise all use this one
function, so an amount never reads "€5000.00" in a Dutch sentence."""

from decimal import Decimal

from django.utils.formats import number_format


def format_euros(amount) -> str:
    """ "€ 1.250,00" (Dutch) for 1250; a dash for no amount."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return "€\u00a0" + number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)

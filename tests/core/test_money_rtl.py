"""An amount in an Arabic (right-to-left) sentence keeps its own left-to-right order."""

from django.utils import translation

from core.money import format_euros


def test_an_amount_is_isolated_left_to_right_only_in_a_right_to_left_language():
    with translation.override("ar"):
        arabic = format_euros(1250)
    with translation.override("nl"):
        dutch = format_euros(1250)
    assert dutch == "€\u00a01.250,00"
    assert arabic.startswith("\u2066") and arabic.endswith("\u2069")

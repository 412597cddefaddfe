from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from core.money import format_euros


def test_dutch_amounts_group_thousands_and_use_a_decimal_comma():
    with translation.override("nl"):
        assert format_euros(Decimal("5000")) == "€\u00a05.000,00"
        assert format_euros("1250.5") == "€\u00a01.250,50"


def test_english_amounts_use_a_decimal_point():
    with translation.override("en"):
        assert format_euros(1000) == "€\u00a01,000.00"


def test_no_amount_is_a_dash_and_the_template_filter_is_the_same_function():
    assert format_euros(None) == "–"
    with translation.override("nl"):
        rendered = Template("{% load money %}{{ amount|euros }}").render(Context({"amount": 12}))
    assert rendered == "€\u00a012,00"

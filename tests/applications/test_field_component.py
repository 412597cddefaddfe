"""The form field component marks an optional field once, also when its label already says so."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class Form(forms.Form):
    plain = forms.CharField(label="Your name", required=False)
    labelled = forms.CharField(label="Note for the history (optional)", required=False)
    needed = forms.CharField(label="Title")


def render(name: str) -> str:
    return render_to_string("components/field.html", {"field": Form()[name]})


def test_an_optional_field_gets_the_marker_once():
    assert render("plain").count("(optional)") == 1


def test_a_label_that_already_says_optional_gets_no_second_marker():
    html = render("labelled")
    assert html.count("(optional)") == 1
    assert 'class="optional"' not in html


def test_a_required_field_has_no_marker():
    assert "optional" not in render("needed")


def test_in_dutch_a_label_that_says_niet_verplicht_gets_no_second_marker():
    class DutchForm(forms.Form):
        note = forms.CharField(
            label="Notitie voor de geschiedenis (niet verplicht)", required=False
        )

    with translation.override("nl"):
        html = render_to_string("components/field.html", {"field": DutchForm()["note"]})
    assert html.count("niet verplicht") == 1

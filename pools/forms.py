"""Forms of the pool screens. They only collect input: the services check the rules.

Hours are collected as text so that the service's own messages ("Only 10 hours ... are still
available", "Use at most two decimals") reach the person, in the words the services use everywhere.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.web import add_service_errors


def _hours_field(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _provider_choices(providers) -> list[tuple]:
    return [("", _("No provider yet"))] + [(str(p.pk), str(p)) for p in providers]


class ServiceErrorsMixin:
    """Puts a service's ValidationError on the visible field it names, else on the form
    (``core.web.add_service_errors``, as a method of the pool forms)."""

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class AllocationForm(ServiceErrorsMixin, forms.Form):
    """Reserve hours of one pool's service for one in-kind need of the application."""

    need = forms.CharField(max_length=200, widget=forms.HiddenInput)
    service = forms.IntegerField(widget=forms.HiddenInput)
    hours = _hours_field(_("Hours to reserve"))
    provider = forms.ChoiceField(label=_("Provider"), required=False)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _provider_choices(providers)


class DeliveryForm(ServiceErrorsMixin, forms.Form):
    delivered_on = forms.DateField(
        label=_("Date delivered"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hours = _hours_field(_("Hours delivered"), _("For example 2 or 1,5."))
    note = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AllocationNoteForm(ServiceErrorsMixin, forms.Form):
    """Release or close: a note for the history, optional."""

    note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProviderForm(ServiceErrorsMixin, forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), required=False)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _provider_choices(providers)

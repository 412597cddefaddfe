"""Forms for creating fund API keys and personal access tokens. The services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.models import FundMembership
from integrations.models import Scope
from integrations.services.credentials import NAME_LIMIT


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_LIMIT,
        help_text=_("What uses the token, for example 'my script' or 'spreadsheet'."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=Scope.READ_WRITE,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can look, but never change anything."),
    )


class FundKeyForm(PersonalTokenForm):
    role = forms.ChoiceField(
        label=_("Acts as"),
        choices=FundMembership.Role.choices,
        initial=FundMembership.Role.OFFICER,
        widget=forms.RadioSelect,
        help_text=_(
            "The key may do what a person in this role at the fund may do: an officer reviews, "
            "a manager also awards. Choose officer unless the back office must award."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _(
            "What uses the key, for example 'CRM' or 'finance'. The history shows this name."
        )
        self.fields["scope"].initial = Scope.READ
        self.fields["scope"].help_text = _(
            "A read key can fetch applications, agreements and exports, but never change "
            "anything. Give read and write only to a system that must act."
        )


class FundKeyChangeForm(forms.Form):
    """A key's role and scope; its name and secret stay. The fund's other managers hear of it."""

    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.RadioSelect,
        help_text=_("A read key can fetch, but never change anything."),
    )
    role = forms.ChoiceField(
        label=_("Acts as"),
        choices=FundMembership.Role.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The key may do what a person in this role at the fund may do: an officer reviews, "
            "a manager also awards."
        ),
    )

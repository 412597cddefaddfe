"""Forms for the workflow actions, shared by the admin and the web screens.

They only collect input; the services validate the rules and their ValidationErrors are put
back on the form with ``core.web.add_service_errors``.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from directory.models import DirectoryEntry
from funds.models import Programme
from funds.questions import normalise_amount

from .models import NetworkMember
from .referrals import referral_check, referral_programmes


class EuroField(forms.DecimalField):
    """An amount in euros that also accepts Dutch notation: "1.250", "1.250,50", "€ 99,5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = normalise_amount(value)
        return super().to_python(value)


class InviteForm(forms.Form):
    """A coordinator invites an e-mail address; the person joins only by accepting."""

    email = forms.EmailField(label=_("E-mail address of the person you invite"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=NetworkMember.Role.choices,
        initial=NetworkMember.Role.MEMBER,
        help_text=_("Coordinators can invite people and apply for money."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the history (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestChangesForm(NoteForm):
    comment = forms.CharField(
        label=_("What should the network change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional if you already left comments on the step."),
    )


class AwardForm(NoteForm):
    amount = EuroField(label=_("Amount to award (€)"))


class DeclineForm(NoteForm):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    advice = forms.CharField(
        label=_("Advice: what could the network do now?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    # Each ticked entry becomes a referral with a copy of its contact (applications.referrals).
    entries = forms.ModelMultipleChoiceField(
        label=_("Refer to someone from the directory"),
        queryset=DirectoryEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the entries shown.")},
    )

    def __init__(self, *args, entries=None, **kwargs):
        """``entries``: the directory entries offered (``referral_entries``); none without."""
        super().__init__(*args, **kwargs)
        if entries is None:
            del self.fields["entries"]
        else:
            self.fields["entries"].queryset = entries


class ReferralForm(forms.Form):
    """One referral row. The programmes offered and every check on a filled-in row come from
    ``applications.referrals`` (``referral_programmes``, ``referral_check``), which the decline
    service and the API ask too: a bad phone number or a programme the network cannot apply to
    is refused here at the field, in the same words."""

    programme = forms.ModelChoiceField(
        label=_("Another programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Only open programmes this network can apply to."),
        error_messages={
            "invalid_choice": _("Choose one of the programmes this network can apply to.")
        },
    )
    organisation = forms.CharField(label=_("Organisation"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("For example 020 123 4567, or +32 2 555 12 12 abroad."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    # Checked (and given https:// when it has no scheme) by referrals.referral_check, as in the API.
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_("For example www.buurtwerk.nl."),
    )
    note = forms.CharField(label=_("Note"), required=False)
    add_to_directory = forms.BooleanField(
        label=_("Also add to the directory"),
        required=False,
        help_text=_(
            "Then every fund here can refer networks to them. Say in the note what they offer."
        ),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        programmes = Programme.objects.open_on().select_related("fund")
        if application is not None:
            programmes = referral_programmes(application)
        self.fields["programme"].queryset = programmes

    def clean(self):
        cleaned = super().clean()
        data = {key: value for key, value in cleaned.items() if value not in ("", None, False)}
        if self.application is None or not data or self.errors:
            return cleaned
        try:
            referral = referral_check(application=self.application, data=data)
        except ValidationError as error:
            for field, messages in getattr(error, "error_dict", {NON_FIELD_ERRORS: error}).items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            cleaned["phone"] = referral.phone  # one form: +31201234567
        return cleaned

    def referral_data(self) -> dict | None:
        """The referral as service input, or None for a row left empty."""
        data = {key: value for key, value in self.cleaned_data.items() if value}
        return data or None


ReferralFormSet = forms.formset_factory(ReferralForm, extra=2)


def decline_referrals(formset, entries=()) -> list[dict]:
    """The decline's referrals: the directory entries ticked, then the rows filled in."""
    rows = [data for form in formset.forms if (data := form.referral_data())]
    return [{"entry": entry} for entry in entries] + rows


class LeadOfficerForm(forms.Form):
    """The fund chooses its contact person for an application from the people who may be it
    (``applications.lead_officers.candidates``); the service checks the choice again."""

    officer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Lead officer"),
        empty_label=_("No lead officer"),
        error_messages={
            "invalid_choice": _("Choose someone who works for the fund of this application.")
        },
        help_text=_(
            "The network sees this person as its contact at the fund, with their work phone "
            "or e-mail address, and messages from the network go to them."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = candidates
        self.fields["officer"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )

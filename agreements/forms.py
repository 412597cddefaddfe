"""Forms of the agreement screens. They only collect input: the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Report, Signatory, Tranche
from applications.forms import EuroField
from funds.arrangements import Arrangement

#: One line in plain language per arrangement, shown when the officer chooses.
ARRANGEMENT_EXPLANATIONS = {
    Arrangement.LEGAL_ENTITY: _(
        "The network's own foundation or association signs and receives the money."
    ),
    Arrangement.COOPERATION_AGREEMENT: _(
        "A few members sign together and share the responsibility; one of them receives the money."
    ),
    Arrangement.HOST_ORGANISATION: _(
        "An organisation the network trusts receives and manages the money for the network."
    ),
    Arrangement.SUPPORT_ONLY: _(
        "No money changes hands: the fund supports with advice, space or contacts."
    ),
}


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PrepareForm(forms.Form):
    arrangement = forms.ChoiceField(
        label=_("How does the network take responsibility?"), widget=forms.RadioSelect
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].choices = [
            (code, f"{Arrangement(code).label} – {ARRANGEMENT_EXPLANATIONS[code]}")
            for code in programme.accepted_arrangements
        ]


class NeededBeforeSendingInput(forms.TextInput):
    def use_required_attribute(self, initial) -> bool:
        return False  # a draft may be saved without it: the browser must not stop that


class NeededBeforeSendingField(forms.CharField):
    """Shown as needed (no "optional" marker), yet a draft may be saved without it: the send's
    checklist (``agreements.rules``) is where it is required, so both say the same."""

    widget = NeededBeforeSendingInput

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def validate(self, value) -> None:
        """Not required for saving a draft; ``rules.sending_errors`` requires it for sending."""


#: Whose account the fund pays into, per arrangement (``rules.iban_needed`` says when).
IBAN_HELP = {
    Arrangement.LEGAL_ENTITY: _(
        "Needed before sending: the bank account of the network's foundation or association."
    ),
    Arrangement.COOPERATION_AGREEMENT: _(
        "Needed before sending: the bank account of the member who receives the money for "
        "the network."
    ),
    Arrangement.HOST_ORGANISATION: _(
        "Needed before sending: the bank account of the host organisation."
    ),
}


class AgreementForm(forms.Form):
    """The draft's editable fields; only those that matter for the arrangement are kept."""

    purpose = forms.CharField(
        label=_("Purpose: what the money is for"), widget=forms.Textarea(attrs={"rows": 3})
    )
    obligations = forms.CharField(
        label=_("Obligations of the network"), widget=forms.Textarea(attrs={"rows": 5})
    )
    final_report_due = _date_field(_("Final report due"))
    progress_report_due = _date_field(_("Progress report due"), required=False)
    payee_name = NeededBeforeSendingField(label=_("Account holder"), max_length=200)
    iban = NeededBeforeSendingField(label=_("IBAN"), max_length=42)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=8,
        required=False,
        help_text=_("The 8 digits of the Chamber of Commerce number."),
    )
    host_name = forms.CharField(label=_("Host organisation"), max_length=200, required=False)
    host_representative_name = forms.CharField(
        label=_("Host representative"), max_length=200, required=False
    )
    host_representative_email = forms.EmailField(
        label=_("Host representative e-mail"), required=False
    )

    MONEY_FIELDS = ("payee_name", "iban")
    KVK_FIELDS = ("kvk_number",)
    HOST_FIELDS = ("host_name", "host_representative_name", "host_representative_email")

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        arrangement = agreement.arrangement
        drop = []
        if not agreement.moves_money:
            drop += self.MONEY_FIELDS
        if arrangement not in (Arrangement.LEGAL_ENTITY, Arrangement.HOST_ORGANISATION):
            drop += self.KVK_FIELDS
        if arrangement != Arrangement.HOST_ORGANISATION:
            drop += self.HOST_FIELDS
        for name in drop:
            del self.fields[name]
        if "iban" in self.fields:
            help_text = IBAN_HELP.get(arrangement, "")
            self.fields["payee_name"].help_text = help_text
            self.fields["iban"].help_text = " ".join(
                [str(help_text), str(_("For example NL91 ABNA 0417 1643 00."))]
            ).strip()


class SignatoryForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Signs as"),
        # The fund's countersignature is asked by the service once the network has signed.
        choices=[("", "—"), *(c for c in Signatory.Role.choices if c[0] != Signatory.Role.FUND)],
    )
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    date_of_birth = _date_field(_("Date of birth"), required=False)
    address = forms.CharField(label=_("Home address"), max_length=300, required=False)


class TrancheForm(forms.Form):
    amount = EuroField(label=_("Amount (€)"), min_value=Decimal("0.01"))
    trigger = forms.ChoiceField(
        label=_("Becomes due"), choices=[("", "—"), *Tranche.Trigger.choices]
    )


# Distinct e-mail addresses, amounts and the IBAN are the service's rules (agreements.rules).
SignatoryFormSet = forms.formset_factory(SignatoryForm, extra=2, can_delete=True)
TrancheFormSet = forms.formset_factory(TrancheForm, extra=1, can_delete=True)


def filled_forms(formset) -> list[forms.Form]:
    """The filled-in, not deleted rows of a valid formset, in order."""
    filled = []
    for index, form in enumerate(formset.forms):
        is_new = index >= formset.initial_form_count()
        if (is_new and not form.has_changed()) or form.cleaned_data.get("DELETE"):
            continue
        filled.append(form)
    return filled


def formset_rows(formset) -> list[dict]:
    """The filled-in, not deleted rows of a valid formset, as service input."""
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in filled_forms(formset)
    ]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the history (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(NoteForm):
    """Sending: a note for the history, and a tick when the officer confirms the questions
    ``rules.sending_warnings`` asks (then the note is needed too: the service says so)."""

    confirmed = forms.BooleanField(
        label=_("I checked the questions above and send the agreement as it is."),
        required=False,
    )


class MarkPaidForm(forms.Form):
    paid_on = _date_field(_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class VerifyForm(forms.Form):
    contract = forms.FileField(
        label=_("Contract PDF"),
        help_text=_("Choose the PDF file you received. It is compared, never stored."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            result = [single_file_clean(item, initial) for item in data]
        else:
            result = [single_file_clean(data, initial)]
        return [upload for upload in result if upload]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    what_was_done = forms.CharField(
        label=_("What was done?"), widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Receipts and photos"),
        required=False,
        help_text=_("PDF, JPEG or PNG files, each up to 10 MB. You can choose several."),
    )

    def __init__(self, *args, resubmit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if resubmit:
            del self.fields["kind"]


class SpendingForm(forms.Form):
    description = forms.CharField(label=_("What was it for?"), max_length=200)
    spent = EuroField(label=_("Spent (€)"))


SpendingFormSet = forms.formset_factory(SpendingForm, extra=3)


class ReportCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the network change?"), widget=forms.Textarea(attrs={"rows": 4})
    )

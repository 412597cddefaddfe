"""Forms only shape input; the services decide (``privacy.services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.policy import SIGNATORY_DETAILS, SIGNATURE_EVIDENCE


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."), required=True
    )


class FundRetentionForm(forms.Form):
    signatory_details_months = forms.IntegerField(
        label=_("Birth date and home address of signatories (months after the agreement ends)"),
        min_value=SIGNATORY_DETAILS.minimum,
        max_value=SIGNATORY_DETAILS.maximum,
    )
    signature_evidence_months = forms.IntegerField(
        label=_("IP address and browser of signatures (months after the agreement ends)"),
        min_value=SIGNATURE_EVIDENCE.minimum,
        max_value=SIGNATURE_EVIDENCE.maximum,
    )

"""A fund's own retention periods, within the bounds of ``privacy.policy``.

A row of its own beside the fund (not a column of it): the privacy app sits above the others and
owns what it keeps. A fund without a row uses the defaults.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.policy import SIGNATORY_DETAILS, SIGNATURE_EVIDENCE


def _bounded(period):
    return [MinValueValidator(period.minimum), MaxValueValidator(period.maximum)]


class FundRetention(models.Model):
    fund = models.OneToOneField(
        "funds.Fund", on_delete=models.CASCADE, primary_key=True, related_name="retention"
    )
    signatory_details_months = models.PositiveSmallIntegerField(
        _("birth date and home address of signatories (months)"),
        default=SIGNATORY_DETAILS.default,
        validators=_bounded(SIGNATORY_DETAILS),
        help_text=_("Kept this long after the agreement ends."),
    )
    signature_evidence_months = models.PositiveSmallIntegerField(
        _("IP address and browser of signatures (months)"),
        default=SIGNATURE_EVIDENCE.default,
        validators=_bounded(SIGNATURE_EVIDENCE),
        help_text=_("Kept this long after the agreement ends."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention periods of a fund")
        verbose_name_plural = _("retention periods of funds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    signatory_details_months__gte=SIGNATORY_DETAILS.minimum,
                    signatory_details_months__lte=SIGNATORY_DETAILS.maximum,
                    signature_evidence_months__gte=SIGNATURE_EVIDENCE.minimum,
                    signature_evidence_months__lte=SIGNATURE_EVIDENCE.maximum,
                )
                & models.Q(signature_evidence_months__lte=models.F("signatory_details_months")),
                name="retention_within_bounds",
            ),
        ]

    def __str__(self) -> str:
        return str(self.fund)

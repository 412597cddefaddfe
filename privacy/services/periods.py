"""A fund's own retention periods: its managers choose them within ``privacy.policy``'s bounds."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.permissions import fund_role
from funds.models import Fund, FundMembership
from privacy.models import FundRetention


def retention_for(fund: Fund) -> FundRetention:
    """The fund's periods: its own, or the defaults (unsaved) if it never chose."""
    return FundRetention.objects.filter(fund=fund).first() or FundRetention(fund=fund)


def fund_retention_refusal(fund: Fund, user) -> str | None:
    if fund_role(fund, user) != FundMembership.Role.MANAGER:
        return _("Only a manager of the fund sets how long it keeps personal data.")
    return None


@transaction.atomic
def fund_retention_set(
    *, fund: Fund, actor, signatory_details_months: int, signature_evidence_months: int
) -> FundRetention:
    refusal = fund_retention_refusal(fund, actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    retention = FundRetention.objects.select_for_update().filter(fund=fund).first()
    retention = retention or FundRetention(fund=fund)
    retention.signatory_details_months = signatory_details_months
    retention.signature_evidence_months = signature_evidence_months
    retention.updated_by = actor
    # The bounds are field errors; the database's check constraint is the last line only.
    retention.full_clean(exclude=["fund"], validate_constraints=False)
    if signature_evidence_months > signatory_details_months:
        raise ValidationError(
            {
                "signature_evidence_months": _(
                    "Keep the IP address and browser no longer than the birth date and address."
                )
            }
        )
    retention.save()
    return retention

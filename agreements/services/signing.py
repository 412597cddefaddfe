"""Signing: each named signatory once; the last signature executes the agreement."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import notifications
from agreements.models import Agreement, Signatory, Tranche
from agreements.pdf import render_contract_pdf, sha256_hex
from agreements.signing import SigningLinkInvalid, signatory_for_token
from applications.models import Application
from applications.services.base import run_transition

from .base import lock_agreement, run


def _normalised(name: str) -> str:
    return " ".join((name or "").split()).casefold()


@transaction.atomic
def agreement_sign(
    *, token: str, typed_name: str, seen_sha256: str, ip_address: str | None, user_agent: str
) -> Signatory:
    """Record one signature. Two signatories signing at the same moment both count once:
    the agreement row is locked, so the second sees the first and the last one executes."""
    signatory = signatory_for_token(token)
    agreement = lock_agreement(signatory.agreement)
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    # Checked again under the lock: the state or the signature may have changed meanwhile.
    if agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        raise SigningLinkInvalid(_("This agreement is not open for signing."))
    if signatory.signed_at is not None:
        raise SigningLinkInvalid(_("You have already signed. Thank you!"))
    if seen_sha256 != agreement.frozen_sha256:
        raise ValidationError(
            {"seen_sha256": _("The text you saw is not the text to sign. Reload the page.")}
        )
    if _normalised(typed_name) != _normalised(signatory.name):
        raise ValidationError(
            {
                "typed_name": _("Type your full name exactly as it is written: %(name)s.")
                % {"name": signatory.name}
            }
        )
    signatory.signed_at = timezone.now()
    signatory.typed_name = " ".join(typed_name.split())
    signatory.ip_address = ip_address or None
    signatory.user_agent = (user_agent or "")[:500]
    signatory.seen_sha256 = seen_sha256
    signatory.save()
    if not agreement.signatories.filter(signed_at__isnull=True).exists():
        _execute(agreement)
    notifications.signature_recorded(signatory, agreement=agreement)
    return signatory


def _execute(agreement: Agreement) -> None:
    """Render the contract once, store it with its hash, and set the money in motion."""
    pdf = render_contract_pdf(agreement)
    agreement.contract_sha256 = sha256_hex(pdf)
    agreement.contract_pdf.save(f"contract-{agreement.pk}.pdf", ContentFile(pdf), save=False)
    run(agreement, "execute", actor=None, note=_("Signed by everyone"))
    application = Application.objects.select_for_update().get(pk=agreement.application_id)
    if application.state == Application.State.AWARDED:
        run_transition(application, "contract", actor=None, note=_("Agreement signed"))
    notifications.agreement_executed(agreement)
    for tranche in agreement.tranches.filter(trigger=Tranche.Trigger.ON_SIGNING):
        run(tranche, "make_due", actor=None)
        notifications.tranche_due(tranche)

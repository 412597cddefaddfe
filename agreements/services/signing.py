"""Signing: each named signatory of the network once, then a manager for the fund, last.

The network's last signature asks the fund to countersign (a personal link to a manager who
neither awarded nor prepared it); the fund's signature executes the agreement.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import notifications, permissions, selectors
from agreements.models import Agreement, Signatory, Tranche
from agreements.pdf import render_contract_pdf, sha256_hex
from agreements.signing import (
    SigningLinkInvalid,
    ask_countersign_refusal,
    fund_signer_refusal,
    signatory_for_token,
)
from applications.models import Application
from applications.services.base import require, run_transition
from core.exceptions import InvalidTransition

from .base import lock_agreement, run

#: Contract texts that say the agreement takes effect when everyone listed has signed, with no
#: fund signature in them: an agreement sent with such a text keeps that promise.
NETWORK_ONLY_VERSIONS = ("v1",)


def _normalised(name: str) -> str:
    return " ".join((name or "").split()).casefold()


@transaction.atomic
def agreement_sign(
    *,
    token: str,
    typed_name: str,
    seen_sha256: str,
    ip_address: str | None,
    user_agent: str,
    user=None,
) -> Signatory:
    """Record one signature. Two signatories signing at the same moment both count once:
    the agreement row is locked, so the second sees the first and the last one moves on.

    ``user`` is the signed-in person: needed only for the fund's countersignature, which is
    refused (``PermissionDenied``) to anyone but the manager it names, and to the person who
    awarded the grant or prepared the agreement."""
    signatory = signatory_for_token(token)
    agreement = lock_agreement(signatory.agreement)
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    # Checked again under the lock: the state or the signature may have changed meanwhile.
    if agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        raise SigningLinkInvalid(_("This agreement is not open for signing."))
    if signatory.signed_at is not None:
        raise SigningLinkInvalid(_("You have already signed. Thank you!"))
    signatory.agreement = agreement
    refusal = fund_signer_refusal(signatory, user)
    if refusal is not None:
        raise PermissionDenied(refusal)
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
        if agreement.signatories.filter(role=Signatory.Role.FUND).exists() or (
            agreement.template_version in NETWORK_ONLY_VERSIONS
        ):
            _execute(agreement)
        else:
            _ask_fund_to_countersign(agreement)
    notifications.signature_recorded(signatory, agreement=agreement)
    return signatory


@transaction.atomic
def agreement_request_countersignature(*, agreement: Agreement, actor) -> Signatory:
    """Ask again, when the network has signed and no manager could be asked then (a second
    manager has joined the fund since): for the fund's officers."""
    agreement = lock_agreement(agreement)
    require(permissions.agreement_officer_refusal(agreement, actor))
    refusal = ask_countersign_refusal(agreement, actor)
    if refusal is not None:
        raise InvalidTransition(refusal)
    # The unsigned link of a manager asked before dies with its row; the one chosen now (maybe
    # the same manager) gets a new link.
    agreement.signatories.filter(role=Signatory.Role.FUND, signed_at__isnull=True).delete()
    return _ask_fund_to_countersign(agreement)


def _ask_fund_to_countersign(agreement: Agreement) -> Signatory | None:
    """The network has signed: a manager who may countersign gets a personal link.

    Without such a manager (a fund whose only manager awarded the grant) the agreement waits;
    its page says why, and the fund's staff hear it."""
    manager = selectors.countersigner(agreement)
    if manager is None:
        notifications.countersigner_missing(agreement)
        return None
    signatory = Signatory.objects.create(
        agreement=agreement,
        role=Signatory.Role.FUND,
        name=manager.get_full_name() or manager.username,
        email=manager.email,
        link_nonce=secrets.token_hex(16),
        link_sent_at=timezone.now(),
    )
    notifications.send_signing_links(agreement)
    return signatory


def _execute(agreement: Agreement) -> None:
    """Render the contract once, store it with its hash, and set the money in motion."""
    pdf = render_contract_pdf(agreement)
    agreement.contract_sha256 = sha256_hex(pdf)
    agreement.contract_pdf.save(f"contract-{agreement.pk}.pdf", ContentFile(pdf), save=False)
    run(agreement, "execute", actor=None, note=_("Signed by everyone, the fund last"))
    application = Application.objects.select_for_update().get(pk=agreement.application_id)
    if application.state == Application.State.AWARDED:
        run_transition(application, "contract", actor=None, note=_("Agreement signed"))
    notifications.agreement_executed(agreement)
    for tranche in agreement.tranches.filter(trigger=Tranche.Trigger.ON_SIGNING):
        run(tranche, "make_due", actor=None)
        notifications.tranche_due(tranche)

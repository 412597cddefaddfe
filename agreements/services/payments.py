"""Marking tranches paid, with four eyes on money, and closing the application."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from agreements.models import Report, Tranche
from applications import permissions
from applications.models import Application
from applications.services.base import require, run_transition

from .base import lock_agreement, run


def _awarded_by(application: Application):
    entry = (
        StateLog.objects.for_(application).filter(transition="award").order_by("-timestamp").first()
    )
    return entry.by_id if entry else None


@transaction.atomic
def tranche_mark_paid(
    *, tranche: Tranche, actor, paid_on: datetime.date, reference: str
) -> Tranche:
    agreement = lock_agreement(tranche.agreement)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    application = agreement.application
    require(permissions.officer_refusal(application, actor))
    if application.programme.fund.four_eyes_on_payments and actor.pk in (
        agreement.prepared_by_id,
        _awarded_by(application),
    ):
        raise PermissionDenied(
            _(
                "Four eyes on money: someone other than the person who awarded the grant or "
                "prepared the agreement marks it paid."
            )
        )
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Give the payment reference from the bank.")})
    if paid_on is None:
        raise ValidationError({"paid_on": _("Give the date of payment.")})
    run(tranche, "mark_paid", actor=actor, paid_on=paid_on, reference=reference.strip())
    close_if_complete(agreement, actor=actor)
    return tranche


def close_if_complete(agreement, *, actor) -> None:
    """Accepted final report and every tranche paid: the application is done."""
    application = Application.objects.select_for_update().get(pk=agreement.application_id)
    if application.state != Application.State.CONTRACTED:
        return
    final_accepted = agreement.reports.filter(
        kind=Report.Kind.FINAL, state=Report.State.ACCEPTED
    ).exists()
    unpaid = agreement.tranches.exclude(state=Tranche.State.PAID).exists()
    if final_accepted and not unpaid:
        run_transition(
            application, "close", actor=actor, note=_("Final report accepted and all paid")
        )

"""Marking tranches paid, with four eyes on money, and closing the application."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext as _

from agreements import notifications, permissions
from agreements.models import Report, Tranche
from applications.models import Application
from applications.services.base import require, run_transition

from .base import lock_agreement, run

REFERENCE_LENGTH = Tranche._meta.get_field("payment_reference").max_length


def _as_date(value) -> datetime.date | None:
    """A date, also from its ISO text; ``None`` for anything that is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@transaction.atomic
def tranche_mark_paid(
    *, tranche: Tranche, actor, paid_on: datetime.date | None, reference: str
) -> Tranche:
    agreement = lock_agreement(tranche.agreement)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    tranche.agreement = agreement
    require(permissions.mark_paid_refusal(tranche, actor))
    reference = str(reference or "").strip()
    paid_on = _as_date(paid_on)
    errors = {}
    if not reference:
        errors["reference"] = [_("Give the payment reference from the bank.")]
    else:
        try:
            MaxLengthValidator(REFERENCE_LENGTH)(reference)
        except ValidationError as error:
            errors["reference"] = error.messages
    if paid_on is None:
        errors["paid_on"] = [_("Give the date of payment.")]
    if errors:
        raise ValidationError(errors)
    run(tranche, "mark_paid", actor=actor, paid_on=paid_on, reference=reference)
    notifications.tranche_paid(tranche, actor=actor)
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

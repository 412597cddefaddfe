"""Preparing an agreement after an award, and sending it out for signature."""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from agreements import notifications, permissions, rules
from agreements.models import Agreement, Signatory, Tranche
from agreements.pdf import sha256_hex
from agreements.text import render_agreement_html
from applications.models import Application, NetworkMember
from applications.services.base import require
from core.exceptions import InvalidTransition
from funds.arrangements import Arrangement

from .base import lock_agreement, run
from .drafts import require_draft

FIRST_TRANCHE_SHARE = Decimal("0.80")


def default_obligations(language: str) -> str:
    with override(language):
        return _(
            "The network spends the money only on the purpose and budget in this agreement. "
            "It keeps receipts, reports on what was done and what it cost by the dates below, "
            "and tells the fund at once if plans change or money is left over. Money that is "
            "not spent on the purpose is paid back."
        )


def _latest_answers(application: Application, key: str) -> dict:
    step = application.steps.filter(key=key).first()
    revision = step.latest_revision if step else None
    return revision.content if revision else {}


def _default_signatories(application: Application, arrangement: str) -> list[dict]:
    members = application.network.members.select_related("user").order_by("-role", "pk")
    people = [
        {
            "role": Signatory.Role.COORDINATOR
            if m.role == NetworkMember.Role.COORDINATOR
            else Signatory.Role.MEMBER,
            "name": m.user.get_full_name() or m.user.username,
            "email": m.user.email,
        }
        for m in members
        if m.user.email
    ]
    coordinators = [p for p in people if p["role"] == Signatory.Role.COORDINATOR][:1]
    if arrangement == Arrangement.COOPERATION_AGREEMENT:
        return people[: max(application.programme.min_signatories, 1)]
    if arrangement == Arrangement.LEGAL_ENTITY:
        return [{**p, "role": Signatory.Role.REPRESENTATIVE} for p in coordinators]
    return coordinators  # host organisation (the host is added with its details) or support only


def default_tranches(amount: Decimal) -> list[dict]:
    """80% when the agreement is signed, 20% after the final report is accepted."""
    if amount <= 0:
        return []
    first = (amount * FIRST_TRANCHE_SHARE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    tranches = [{"amount": first, "trigger": Tranche.Trigger.ON_SIGNING}]
    if amount - first > 0:
        tranches.append({"amount": amount - first, "trigger": Tranche.Trigger.FINAL_REPORT})
    return tranches


@transaction.atomic
def agreement_prepare(
    *, application: Application, actor, arrangement: str, amends: Agreement | None = None
) -> Agreement:
    """A draft agreement filled from the award and the accepted steps, for the officer to edit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(permissions.prepare_refusal(application, actor))
    if amends is None and application.state != Application.State.AWARDED:
        raise InvalidTransition(_("An agreement is prepared after the award."))
    if amends is not None and (
        amends.application_id != application.pk or amends.state != Agreement.State.EXECUTED
    ):
        raise InvalidTransition(_("Only an executed agreement of this application can be amended."))
    if application.agreements.filter(
        state__in=[Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE]
    ).exists():
        raise InvalidTransition(_("This application already has an agreement in progress."))
    if arrangement not in application.programme.accepted_arrangements:
        raise ValidationError(
            {"arrangement": _("This programme does not accept that arrangement.")}
        )
    network = application.network
    amount = Decimal("0") if arrangement == Arrangement.SUPPORT_ONLY else application.awarded_amount
    agreement = Agreement.objects.create(
        application=application,
        amends=amends,
        arrangement=arrangement,
        amount=amount,
        purpose=_latest_answers(application, "plan").get("goal") or application.title,
        budget_lines=_latest_answers(application, "budget").get("needs", []),
        obligations=default_obligations("nl"),
        final_report_due=timezone.localdate() + datetime.timedelta(days=365),
        payee_name=network.name if arrangement == Arrangement.LEGAL_ENTITY else "",
        kvk_number=network.kvk_number if arrangement == Arrangement.LEGAL_ENTITY else "",
        prepared_by=actor,
    )
    Signatory.objects.bulk_create(
        Signatory(agreement=agreement, **person)
        for person in _default_signatories(application, arrangement)
    )
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, number=number, **tranche)
        for number, tranche in enumerate(default_tranches(amount), start=1)
    )
    return agreement


def sending_errors(agreement: Agreement) -> dict[str, list[str]]:
    """Everything that must be right before anyone signs, per field (``rules``)."""
    return rules.sending_errors(agreement)


def sending_warnings(agreement: Agreement) -> dict[str, str]:
    """What the officer confirms, with a note, before sending (``rules``)."""
    return rules.sending_warnings(agreement)


@transaction.atomic
def agreement_send(
    *, agreement: Agreement, actor, note: str = "", confirmed: bool = False
) -> Agreement:
    """Freeze the text, record its hash and send every signatory a personal link.

    What must be right blocks (``rules.sending_errors``); what a person would ask about
    (``rules.sending_warnings``) needs ``confirmed`` and a note, which the history keeps with
    the questions that were confirmed."""
    agreement = require_draft(agreement, actor)
    errors = rules.sending_errors(agreement)
    if errors:
        raise ValidationError(errors)
    warnings = rules.sending_warnings(agreement)
    errors = rules.confirmation_errors(warnings, confirmed=confirmed, note=note)
    if errors:
        raise ValidationError(errors)
    if warnings:
        note = "\n".join([note.strip(), _("Confirmed before sending:"), *warnings.values()])
    if agreement.moves_money:
        agreement.iban = rules.clean_iban(agreement.iban)
    html = render_agreement_html(agreement)
    run(
        agreement,
        "send",
        actor=actor,
        note=note,
        frozen_html=html,
        frozen_sha256=sha256_hex(html.encode()),
    )
    for signatory in agreement.signatories.all():
        signatory.link_nonce = secrets.token_hex(16)
        signatory.link_sent_at = agreement.sent_at
        signatory.save(update_fields=["link_nonce", "link_sent_at"])
    notifications.send_signing_links(agreement)
    return agreement


@transaction.atomic
def agreement_cancel(*, agreement: Agreement, actor, note: str = "") -> Agreement:
    agreement = lock_agreement(agreement)
    require(permissions.agreement_officer_refusal(agreement, actor))
    return run(agreement, "cancel", actor=actor, note=note)

"""The co-drafting workflow: submit a step, review it, decide."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from applications import permissions
from applications.exceptions import InvalidTransition
from applications.models import Application, Referral, Step, StepSubmission
from funds.models import Programme
from funds.questions import validate_answers

from .base import lock_application, require, require_state, run_transition
from .drafting import comment_create


def _require_current_step(application: Application, step: Step | None) -> None:
    """Refuse an action a user took on a step that is no longer the one under review."""
    if step is not None and step.pk != application.current_step_id:
        raise InvalidTransition(
            _("This step is no longer the one under review. Reload to see the latest.")
        )


@transaction.atomic
def application_submit_step(
    *, application: Application, actor, step: Step | None = None, note: str = ""
) -> Application:
    application = lock_application(application)
    require(permissions.coordinator_refusal(application, actor))
    require_state(application, "submit_step")
    _require_current_step(application, step)
    current = application.current_step
    revision = current.latest_revision
    validate_answers(
        current.questions,
        revision.content if revision else {},
        require_complete=True,
        accepted_arrangements=application.programme.accepted_arrangements,
    )
    StepSubmission.objects.create(step=current, revision=revision, submitted_by=actor)
    return run_transition(application, "submit_step", actor=actor, note=note)


@transaction.atomic
def application_request_changes(
    *,
    application: Application,
    actor,
    step: Step | None = None,
    comment: str = "",
    question_key: str = "",
    note: str = "",
) -> Application:
    """Send the step back to the network. Needs at least one open comment saying what to change;
    ``comment`` adds one in the same transaction."""
    application = lock_application(application)
    require(permissions.officer_refusal(application, actor))
    require_state(application, "request_changes")
    _require_current_step(application, step)
    if comment.strip():
        comment_create(
            step=application.current_step, actor=actor, body=comment, question_key=question_key
        )
    if not application.current_step.comments.filter(resolved_at__isnull=True).exists():
        raise ValidationError(
            {"comment": _("Add at least one comment so the network knows what to change.")}
        )
    return run_transition(application, "request_changes", actor=actor, note=note)


@transaction.atomic
def application_accept_step(
    *, application: Application, actor, step: Step | None = None, note: str = ""
) -> Application:
    application = lock_application(application)
    require(permissions.officer_refusal(application, actor))
    require_state(application, "accept_step")
    _require_current_step(application, step)
    return run_transition(application, "accept_step", actor=actor, note=note)


@transaction.atomic
def application_decline(
    *,
    application: Application,
    actor,
    reason: str,
    advice: str,
    referrals: list[dict],
    note: str = "",
) -> Application:
    """Say no, clearly and never without advice and at least one referral.

    Each referral is a dict of Referral fields: ``programme`` (another programme) or an outside
    ``organisation``/``contact_name`` with a ``phone`` or ``email``, and an optional ``note``.
    """
    application = lock_application(application)
    require(permissions.officer_refusal(application, actor))
    require_state(application, "decline")
    errors: dict[str, list] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the application is declined.")]
    if not (advice or "").strip():
        errors["advice"] = [_("Give advice: what could the network do now?")]
    built = []
    if not referrals:
        errors["referrals"] = [
            _("Refer the network to at least one other programme or contact person.")
        ]
    for number, data in enumerate(referrals or [], start=1):
        referral = Referral(application=application, **data)
        try:
            referral.full_clean(exclude=["application"])
        except ValidationError as error:
            errors.setdefault("referrals", []).extend(
                _("Referral %(n)s: %(message)s") % {"n": number, "message": message}
                for message in error.messages
            )
        built.append(referral)
    if errors:
        raise ValidationError(errors)
    for referral in built:
        referral.save()
    return run_transition(
        application, "decline", actor=actor, note=note, reason=reason.strip(), advice=advice.strip()
    )


@transaction.atomic
def application_withdraw(*, application: Application, actor, note: str = "") -> Application:
    application = lock_application(application)
    require(permissions.coordinator_refusal(application, actor))
    require_state(application, "withdraw")
    return run_transition(application, "withdraw", actor=actor, note=note)


def programme_committed_amount(programme: Programme) -> Decimal:
    total = Application.objects.filter(
        programme=programme, state__in=Application.COMMITTED_STATES
    ).aggregate(total=Sum("awarded_amount"))["total"]
    return total or Decimal("0")


@transaction.atomic
def application_award(
    *, application: Application, actor, amount: Decimal, note: str = ""
) -> Application:
    application = lock_application(application)
    require(permissions.manager_refusal(application, actor))
    require_state(application, "award")
    # Lock the programme too: two awards at once must not both see the same remaining budget.
    # Always application first, then programme, so concurrent awards cannot deadlock.
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    amount = Decimal(amount)
    remaining = programme.budget - programme_committed_amount(programme)
    if amount <= 0:
        raise ValidationError({"amount": _("The awarded amount must be more than zero.")})
    if amount > programme.max_amount:
        raise ValidationError(
            {
                "amount": _("At most €%(max)s per application in this programme.")
                % {"max": programme.max_amount}
            }
        )
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("Only €%(remaining)s of the programme budget is left.")
                % {"remaining": remaining}
            }
        )
    return run_transition(application, "award", actor=actor, note=note, amount=amount)

"""The co-drafting workflow: submit a step, review it, decide."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from applications import permissions, signals
from applications.models import Application, Comment, Step, StepSubmission
from applications.referrals import referral_check, referral_save
from core.events import record_event
from core.exceptions import InvalidTransition
from core.money import format_euros
from funds.models import Programme
from funds.questions import validate_answers

from .base import check_length, lock_application, require, require_state, run_transition
from .drafting import comment_create

#: The longest reason or advice a decline takes (the API documents the same).
MAX_DECISION_TEXT = 5000


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
    if revision is None:
        # Only reachable when every question is optional; a submission needs a revision to show.
        raise ValidationError({"content": [_("Save your answers before submitting this step.")]})
    StepSubmission.objects.create(step=current, revision=revision, submitted_by=actor)
    if application.kept_from_fund:
        # Started from a referral: the fund sees it from now on, and its back office hears of
        # it now rather than when the network began writing.
        application.kept_from_fund = False
        application.save(update_fields=["kept_from_fund"])
        record_event("application.created", subject=application)
    record_event("step.submitted", subject=current, revision=revision.number)
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
        # Quoted in the message about the request, so it is not announced on its own.
        comment_create(
            step=application.current_step,
            actor=actor,
            body=comment,
            question_key=question_key,
            announce=False,
        )
    open_officer_comments = application.current_step.comments.filter(
        resolved_at__isnull=True, author_role=Comment.AuthorRole.OFFICER
    )
    if not open_officer_comments.exists():
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
    ``organisation``/``contact_name`` with a ``phone``, ``email`` or ``url``, and an optional
    ``note``; or an ``entry`` of the referral directory (its contact is copied). A typed-in
    contact with ``add_to_directory`` becomes a directory entry in this transaction. Each is
    checked by ``applications.referrals.referral_check``.
    """
    application = lock_application(application)
    require(permissions.officer_refusal(application, actor))
    require_state(application, "decline")
    errors: dict[str, list] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the application is declined.")]
    if not (advice or "").strip():
        errors["advice"] = [_("Give advice: what could the network do now?")]
    check_length(errors, "reason", reason, MAX_DECISION_TEXT)
    check_length(errors, "advice", advice, MAX_DECISION_TEXT)
    built = []
    if not referrals:
        errors["referrals"] = [
            _("Refer the network to at least one other programme or contact person.")
        ]
    for number, data in enumerate(referrals or [], start=1):
        try:
            referral = referral_check(application=application, data=data)
        except ValidationError as error:
            errors.setdefault("referrals", []).extend(
                _("Referral %(n)s: %(message)s") % {"n": number, "message": message}
                for message in error.messages
            )
        else:
            built.append(referral)
    if errors:
        raise ValidationError(errors)
    for referral in built:
        # A contact added to the directory on the spot is saved here, with the decline.
        referral_save(referral, actor=actor)
    run_transition(
        application, "decline", actor=actor, note=note, reason=reason.strip(), advice=advice.strip()
    )
    _ended(application, actor, "decline")
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor, note: str = "") -> Application:
    application = lock_application(application)
    require(permissions.coordinator_refusal(application, actor))
    require_state(application, "withdraw")
    run_transition(application, "withdraw", actor=actor, note=note)
    _ended(application, actor, "withdraw")
    return application


def _ended(application: Application, actor, transition: str) -> None:
    """Tell the apps built on applications, inside this transaction (pools releases hours)."""
    signals.application_ended.send(
        sender=Application, application=application, actor=actor, transition=transition
    )


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
    try:
        amount = Decimal(amount)
    except (TypeError, ArithmeticError):
        amount = Decimal("NaN")
    if not amount.is_finite():  # also keeps NaN out of the comparisons below, which would raise
        raise ValidationError({"amount": _("Enter an amount in euros.")})
    remaining = max(programme.budget - programme_committed_amount(programme), Decimal("0"))
    # Support in kind is awarded in hours, never added to the euros: an award of €0 is how a
    # fund says yes to support only, provided hours have been reserved for it.
    has_support = application.allocations.filter(state="reserved").exists()
    if amount < 0 or (amount == 0 and not has_support):
        raise ValidationError(
            {
                "amount": _(
                    "The awarded amount must be more than zero. For support only, reserve "
                    "hours from a support pool first and award €0."
                )
            }
        )
    if amount > programme.max_amount:
        raise ValidationError(
            {
                "amount": _("At most %(max)s per application in this programme.")
                % {"max": format_euros(programme.max_amount)}
            }
        )
    if amount != amount.quantize(Decimal("0.01")):
        # The column keeps cents: a third decimal would be rounded away without a word.
        raise ValidationError({"amount": _("Use at most two decimals (cents).")})
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("Only %(remaining)s of the programme budget is left.")
                % {"remaining": format_euros(remaining)}
            }
        )
    run_transition(application, "award", actor=actor, note=note, amount=amount)
    # Inside this transaction: pools confirms the reserved hours, or the award rolls back.
    signals.application_awarded.send(sender=Application, application=application, actor=actor)
    return application

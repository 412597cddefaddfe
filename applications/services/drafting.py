"""Writing a step's answers, and talking about them in comments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import notifications, permissions
from applications.models import Application, Comment, Revision, Step
from core.events import record_event
from core.exceptions import InvalidTransition
from funds.questions import validate_answers

from .base import lock_application, require

EDITABLE_STATES = (Application.State.DRAFTING, Application.State.CHANGES_REQUESTED)
MAX_COMMENT_LENGTH = 5000


@transaction.atomic
def step_save_answers(*, step: Step, actor, content: dict) -> Revision:
    """Store the answers as a new revision; saving unchanged answers adds nothing.

    Drafts may be incomplete (submitting checks completeness), but every answer given must have
    the right shape, so nothing invalid is ever stored.
    """
    application = lock_application(step.application)
    # Members and the helpers the network invited write drafts; submitting is the coordinators'.
    require(permissions.writer_refusal(application, actor))
    if application.state not in EDITABLE_STATES or application.current_step_id != step.pk:
        raise InvalidTransition(
            _("This step cannot be edited now: it is not the open step of a draft.")
        )
    step = Step.objects.get(pk=step.pk)
    cleaned = validate_answers(
        step.questions, content, accepted_arrangements=application.programme.accepted_arrangements
    )
    latest = step.latest_revision
    if latest is not None and latest.content == cleaned:
        return latest
    revision = Revision.objects.create(
        step=step, number=(latest.number + 1) if latest else 1, content=cleaned, author=actor
    )
    # Touch the application so back offices that sync by updated_since see the change.
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    return revision


def _comment_role(application: Application, actor) -> str:
    """Network members speak for the network, even if they also work at the fund; so does a
    helper the network invited (the fund cannot invite, and helping is writing with them)."""
    if permissions.writer_refusal(application, actor) is None:
        return Comment.AuthorRole.MEMBER
    require(permissions.officer_refusal(application, actor))
    return Comment.AuthorRole.OFFICER


@transaction.atomic
def comment_create(
    *, step: Step, actor, body: str, question_key: str = "", announce: bool = True
) -> Comment:
    """A comment on ``step``; the other side hears of it, in this transaction.

    ``announce=False`` when the caller's own message quotes it (requesting changes).
    """
    application = step.application
    role = _comment_role(application, actor)
    if not application.is_open:
        raise InvalidTransition(_("This application is closed: comments are no longer possible."))
    if step.status == Step.Status.LOCKED:
        raise InvalidTransition(_("This step is not open yet."))
    errors = {}
    body = (body or "").strip()
    if not body:
        errors["body"] = [_("Write a comment.")]
    elif len(body) > MAX_COMMENT_LENGTH:
        errors["body"] = [_("Keep it under %(n)s characters.") % {"n": MAX_COMMENT_LENGTH}]
    if question_key and step.question(question_key) is None:
        errors["question_key"] = [_("This step has no such question.")]
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        step=step, question_key=question_key, author=actor, author_role=role, body=body
    )
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    record_event("comment.created", subject=comment)
    if announce:
        notifications.comment_created(comment, actor=actor)
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, actor) -> Comment:
    comment = (
        Comment.objects.select_for_update().select_related("step__application").get(pk=comment.pk)
    )
    refusal = permissions.officer_refusal(comment.step.application, actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if comment.is_resolved:
        raise InvalidTransition(_("This comment is already resolved."))
    comment.resolved_at = timezone.now()
    comment.resolved_by = actor
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment

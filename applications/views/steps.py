"""A step's page: writing answers (members), reviewing them (officers), and comments."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import permissions, services
from applications.diff import answer_text, step_changes
from applications.models import Step
from applications.services.drafting import EDITABLE_STATES
from applications.step_forms import StepAnswersForm, StepRequestChangesForm
from applications.workflow import TRANSITIONS, available_transitions
from core.exceptions import InvalidTransition
from funds.questions import missing_answers

from .common import error_message, get_application, get_step

STEP_REVIEW_TRANSITIONS = ("request_changes", "accept_step", "decline")


def _roles(application, user) -> dict:
    is_member = permissions.member_refusal(application, user) is None
    return {
        "is_member": is_member,
        "is_coordinator": permissions.coordinator_refusal(application, user) is None,
        # A person in the network never reviews it, even if they work at the fund.
        "is_officer": not is_member and permissions.officer_refusal(application, user) is None,
    }


def _is_editable(application, step, roles) -> bool:
    return (
        roles["is_member"]
        and application.state in EDITABLE_STATES
        and step.pk == application.current_step_id
    )


def _comment_threads(application, step, roles) -> tuple[dict, list]:
    comments = list(step.comments.select_related("author").order_by("created_at", "pk"))
    keys = {question["key"] for question in step.questions}
    by_key: dict[str, list] = {}
    general = []
    for comment in comments:
        if comment.question_key in keys:
            by_key.setdefault(comment.question_key, []).append(comment)
        else:
            general.append(comment)
    return by_key, general


def _support_in_kind(application, step, roles, support):
    """The budget step's "Support in kind" section, for the fund's officers only."""
    if step.key != "budget" or not roles["is_officer"]:
        return None
    if support is not None:
        return support
    # Imported here: pools builds on applications, not the other way round.
    from pools.views.budget import budget_support

    return budget_support(application)


def step_context(request, application, step, form=None, support=None) -> dict:
    """Everything the step page shows. ``support``: the in-kind section, when already built."""
    roles = _roles(application, request.user)
    editable = _is_editable(application, step, roles)
    latest = step.latest_revision
    content = latest.content if latest else {}
    if form is None:
        form = StepAnswersForm(
            step,
            accepted_arrangements=application.programme.accepted_arrangements,
            initial=content,
        )
    submissions = list(step.submissions.select_related("revision").order_by("submitted_at", "pk"))
    # Members: what they changed since they last submitted. Officers: what changed between the
    # previous submission and the one under review, i.e. the answer to their request.
    member_changes = (
        step_changes(step.questions, submissions[-1].revision.content, content)
        if submissions
        else {}
    )
    review_changes = (
        step_changes(
            step.questions, submissions[-2].revision.content, submissions[-1].revision.content
        )
        if len(submissions) >= 2
        else {}
    )
    by_key, general = _comment_threads(application, step, roles)
    can_comment = (
        (roles["is_member"] or roles["is_officer"])
        and application.is_open
        and step.status != Step.Status.LOCKED
    )
    items = [
        {
            "bound": bound,
            "answer": answer_text(bound.question, content.get(bound.key)),
            "comments": by_key.get(bound.key, []),
            "change": (review_changes if roles["is_officer"] else member_changes).get(bound.key),
        }
        for bound in form.bound_questions()
    ]
    actions = []
    if roles["is_officer"] and step.pk == application.current_step_id:
        allowed = available_transitions(application, request.user)
        actions = [name for name in STEP_REVIEW_TRANSITIONS if name in allowed]
    return {
        "application": application,
        "step": step,
        "steps": application.ordered_steps(),
        "form": form,
        "items": items,
        "general_comments": general,
        "latest": latest,
        "editable": editable,
        "can_comment": can_comment,
        "missing": missing_answers(step.questions, form.content) if editable else [],
        "has_changes": bool(member_changes if roles["is_member"] else review_changes),
        "submitted_before": bool(submissions),
        "actions": actions,
        "transition_labels": TRANSITIONS,
        "request_changes_form": StepRequestChangesForm(),
        "support": _support_in_kind(application, step, roles, support),
        **roles,
    }


def _answers_form(application, step, data) -> StepAnswersForm:
    return StepAnswersForm(
        step, accepted_arrangements=application.programme.accepted_arrangements, data=data
    )


@login_required
def step_detail(request, pk, key):
    application = get_application(request, pk)
    step = get_step(application, key)
    if request.method != "POST":
        return render(
            request, "applications/step_detail.html", step_context(request, application, step)
        )

    form = _answers_form(application, step, request.POST)
    submit = request.POST.get("action") == "submit"
    here = reverse("step_detail", kwargs={"pk": application.pk, "key": step.key})
    try:
        services.step_save_answers(step=step, actor=request.user, content=form.content)
        if submit:
            services.application_submit_step(application=application, actor=request.user, step=step)
    except ValidationError as error:
        form.add_errors(error)
        context = step_context(request, application, step, form=form)
        return render(request, "applications/step_detail.html", context)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect(here)
    if submit:
        messages.success(
            request, _("The step is submitted. The fund will look at it and let you know.")
        )
        return redirect("application_detail", pk=application.pk)
    messages.success(request, _("Your answers are saved."))
    return redirect(here)


@login_required
@require_POST
def step_autosave(request, pk, key):
    """Store the typed answers as a draft revision; invalid answers are returned, not stored."""
    application = get_application(request, pk)
    step = get_step(application, key)
    form = _answers_form(application, step, request.POST)
    context = {"saved_at": None, "errors": [], "message": ""}
    status = HTTPStatus.OK
    try:
        services.step_save_answers(step=step, actor=request.user, content=form.content)
    except ValidationError as error:
        form.add_errors(error)
        labels = {bound.key: bound.label for bound in form.bound_questions()}
        context["errors"] = [
            (labels.get(key, ""), message)
            for key, messages_ in form.errors.items()
            for message in messages_
        ]
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    except PermissionDenied:
        raise
    except InvalidTransition as error:
        context["message"] = error.message
        status = HTTPStatus.CONFLICT
    else:
        context["saved_at"] = timezone.localtime()
    return render(request, "applications/_autosave_status.html", context, status=status)

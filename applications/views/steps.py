"""A step's page: writing answers (members), reviewing them (officers), and comments."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications import notifications, services
from applications.actions import APPLICATION_ACTIONS
from applications.pages import get_application, get_step, step_context
from applications.step_forms import StepAnswersForm
from core.exceptions import InvalidTransition
from core.web import error_message


def _answers_form(application, step, data) -> StepAnswersForm:
    return StepAnswersForm(
        step, accepted_arrangements=application.programme.accepted_arrangements, data=data
    )


@never_cache  # the Back button must never show a stale editable form: always ask again
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
        # Saved first, on purpose: answers are never lost because submitting is refused.
        services.step_save_answers(step=step, actor=request.user, content=form.content)
        if submit:
            APPLICATION_ACTIONS.run(
                "submit_step", application, actor=request.user, data={"step": step}
            )
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
        messages.success(request, notifications.submitted_message(application))
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

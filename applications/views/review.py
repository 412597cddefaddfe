"""Running a workflow transition from the web: one view for every action, via the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applications import permissions, services
from applications.forms import (
    AwardForm,
    DeclineForm,
    NoteForm,
    ReferralFormSet,
    add_service_errors,
    decline_referrals,
)
from applications.services.review import programme_committed_amount
from applications.step_forms import StepRequestChangesForm
from applications.workflow import TRANSITIONS
from core.exceptions import InvalidTransition

from .common import error_message, get_application

FORMS = {
    "request_changes": StepRequestChangesForm,
    "award": AwardForm,
    "decline": DeclineForm,
}
#: Who may run each transition: checked first, so an outsider's GET is refused too.
REFUSALS = {
    "submit_step": permissions.coordinator_refusal,
    "withdraw": permissions.coordinator_refusal,
    "request_changes": permissions.officer_refusal,
    "accept_step": permissions.officer_refusal,
    "decline": permissions.officer_refusal,
    "award": permissions.manager_refusal,
}
#: Transitions about the current step: the form names the step, so a stale click is refused.
STEP_TRANSITIONS = ("submit_step", "request_changes", "accept_step")

DONE = {
    "submit_step": _("The step is submitted."),
    "request_changes": _("The network is asked to make changes."),
    "accept_step": _("The step is accepted."),
    "decline": _("The application is declined. The network gets your reason, advice and referral."),
    "withdraw": _("The application is withdrawn."),
    "award": _("The application is awarded."),
}


def _run(name, application, actor, data, referrals, step):
    note = data.get("note", "")
    if name == "request_changes":
        return services.application_request_changes(
            application=application,
            actor=actor,
            step=step,
            comment=data.get("comment", ""),
            question_key=data.get("question_key", ""),
            note=note,
        )
    if name == "award":
        return services.application_award(
            application=application, actor=actor, amount=data["amount"], note=note
        )
    if name == "decline":
        return services.application_decline(
            application=application,
            actor=actor,
            reason=data["reason"],
            advice=data["advice"],
            referrals=decline_referrals(referrals),
            note=note,
        )
    action = getattr(services, f"application_{name}")
    if name in STEP_TRANSITIONS:
        return action(application=application, actor=actor, step=step, note=note)
    return action(application=application, actor=actor, note=note)


@login_required
def application_transition(request, pk, name):
    application = get_application(request, pk)
    if name not in TRANSITIONS:
        raise Http404
    refusal = REFUSALS[name](application, request.user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    data = request.POST if request.method == "POST" else None
    form = FORMS.get(name, NoteForm)(data)
    referrals = (
        ReferralFormSet(data, form_kwargs={"application": application}, prefix="referrals")
        if name == "decline"
        else None
    )
    step = None
    if name in STEP_TRANSITIONS:
        step_id = request.POST.get("step") or request.GET.get("step")
        step = application.steps.filter(pk=step_id).first() if step_id else None
        step = step or application.current_step
    if request.method == "POST" and form.is_valid() and (referrals is None or referrals.is_valid()):
        try:
            _run(name, application, request.user, form.cleaned_data, referrals, step)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("application_detail", pk=application.pk)
        else:
            messages.success(request, DONE[name])
            return redirect("application_detail", pk=application.pk)
    context = {
        "application": application,
        "name": name,
        "label": TRANSITIONS[name],
        "form": form,
        "referrals": referrals,
        "step": step,
    }
    if name == "award":
        programme = application.programme
        context["remaining"] = programme.budget - programme_committed_amount(programme)
        context["max_amount"] = programme.max_amount
    return render(request, "applications/transition.html", context)

"""Running a workflow transition from the web: one view for every action, via the registry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from applications import notifications
from applications.actions import APPLICATION_ACTIONS, action_data
from applications.forms import AwardForm, DeclineForm, NoteForm, ReferralFormSet, decline_referrals
from applications.pages import get_application, posted_step
from applications.referrals import referral_entries
from applications.services.review import programme_committed_amount
from applications.step_forms import StepRequestChangesForm
from core.web import run_action

FORMS = {
    "request_changes": StepRequestChangesForm,
    "award": AwardForm,
    "decline": DeclineForm,
}


@login_required
def application_transition(request, pk, name):
    application = get_application(request, pk)
    if name not in APPLICATION_ACTIONS:
        raise Http404
    # Who may: checked first, so an outsider's GET is refused too.
    action = APPLICATION_ACTIONS.require_allowed(name, application, request.user)
    if request.method != "POST" and (refusal := action.when(application)) is not None:
        messages.error(request, refusal)
        return redirect("application_detail", pk=application.pk)
    data = request.POST if request.method == "POST" else None
    # ?all=1 offers every directory entry, not only those for the network's region and themes;
    # the form posts back to the same address, so the choice holds.
    show_all = request.GET.get("all") == "1"
    form_kwargs = (
        {"entries": referral_entries(application, show_all=show_all)} if name == "decline" else {}
    )
    form = FORMS.get(name, NoteForm)(data, **form_kwargs)
    referrals = (
        ReferralFormSet(data, form_kwargs={"application": application}, prefix="referrals")
        if name == "decline"
        else None
    )
    step = posted_step(request, application) if "step" in action.fields else None
    if request.method == "POST" and form.is_valid() and (referrals is None or referrals.is_valid()):
        values = {**form.cleaned_data, "step": step}
        if referrals is not None:
            values["referrals"] = decline_referrals(referrals, form.cleaned_data["entries"])
        response = run_action(
            request,
            APPLICATION_ACTIONS,
            name,
            application,
            data=action_data(name, values),
            form=form,
            then=reverse("application_detail", args=[application.pk]),
            # Submitting a step says when the fund promised to answer.
            done=notifications.submitted_message(application) if name == "submit_step" else None,
        )
        if response is not None:
            return response
    context = {
        "application": application,
        "name": name,
        "label": action.label,
        "form": form,
        "referrals": referrals,
        "show_all": show_all,
        "step": step,
    }
    if name == "award":
        programme = application.programme
        context["remaining"] = programme.budget - programme_committed_amount(programme)
        context["max_amount"] = programme.max_amount
    return render(request, "applications/transition.html", context)

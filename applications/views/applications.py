"""The network's side: dashboard, starting an application, and its overview page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django_fsm_log.models import StateLog

from applications import permissions, services
from applications.actions import APPLICATION_ACTIONS, needs_form
from applications.models import Application, Network, NetworkMember
from applications.pages import get_application
from applications.panels import collect
from applications.selectors import application_list
from applications.step_forms import ApplicationStartForm
from applications.workflow import HISTORY_LABELS
from core.web import add_service_errors
from funds.models import Programme


@login_required
def dashboard(request):
    memberships = (
        NetworkMember.objects.filter(user=request.user)
        .select_related("network")
        .order_by("network__name")
    )
    applications = (
        application_list(user=request.user)
        .filter(network__members__user=request.user)
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "applications/dashboard.html",
        {
            "memberships": memberships,
            "applications": applications,
            "is_fund_staff": request.user.fund_memberships.exists(),
            "panels": collect("dashboard", request, request.user),
        },
    )


@login_required
def application_start(request, slug):
    programme = get_object_or_404(Programme.objects.select_related("fund"), slug=slug)
    networks = Network.objects.filter(
        members__user=request.user, members__role=NetworkMember.Role.COORDINATOR
    ).order_by("name")
    form = ApplicationStartForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                network=form.cleaned_data["network"],
                programme=programme,
                actor=request.user,
                title=form.cleaned_data["title"],
                requested_amount=form.cleaned_data["requested_amount"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("step_detail", pk=application.pk, key=application.current_step.key)
    return render(
        request,
        "applications/application_start.html",
        {"programme": programme, "form": form, "has_networks": networks.exists()},
    )


@login_required
def application_detail(request, pk):
    application = get_application(request, pk)
    history = StateLog.objects.for_(application).select_related("by").order_by("timestamp", "pk")
    # The buttons: exactly what the registry offers this person now, as the API lists it.
    transitions = [
        {"name": offer.name, "label": offer.label, "needs_form": needs_form(offer.name)}
        for offer in APPLICATION_ACTIONS.available(application, request.user)
    ]
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "steps": application.ordered_steps(),
            "history": [
                {"log": log, "label": HISTORY_LABELS.get(log.transition, log.transition)}
                for log in history
            ],
            "referrals": application.referrals.select_related("programme__fund"),
            "transitions": transitions,
            "is_member": permissions.member_refusal(application, request.user) is None,
            "is_declined": application.state == Application.State.DECLINED,
            # The parts of the apps built on applications: agreements, support in kind.
            "panels": collect("application_detail", request, application),
        },
    )

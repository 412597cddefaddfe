"""The network's side: dashboard, starting an application, and its overview page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django_fsm_log.models import StateLog

from applications import lead_officers, notifications, permissions, services
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
    return application_page(request, get_application(request, pk))


def application_page(request, application, *, lead_officer_form=None, status=200):
    """The application's page; ``lead_officer_form`` is the fund's choice of lead officer when
    it was posted with an error (``views.lead_officer``)."""
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
            # While a step waits for review, the network sees when the fund promised to answer.
            "reply_by": notifications.reply_promised_by(application),
            # The parts of the apps built on applications: agreements, support in kind.
            "panels": collect("application_detail", request, application),
            # The fund's contact person: the choice for the fund, the contact for the network.
            "lead_officer": lead_officers.page_context(
                request, application, form=lead_officer_form
            ),
        },
        status=status,
    )

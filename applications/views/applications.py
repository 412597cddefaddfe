"""The network's side: dashboard, starting an application, and its overview page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from applications import lead_officers, notifications, permissions, services, tasks
from applications.actions import APPLICATION_ACTIONS, needs_form
from applications.history import history
from applications.landing import landing_url
from applications.models import Application, NetworkMember
from applications.pages import get_application, step_tracker
from applications.panels import collect
from applications.selectors import own_applications
from applications.services.starting import start_choices
from applications.step_forms import ApplicationStartForm
from applications.views import helpers
from applications.views.referrals import referral_rows
from core.web import add_service_errors
from funds.eligibility import fund_contact
from funds.models import Programme

#: Actions that end the application for good: offered as a link to a page that explains them.
CONFIRM_FIRST = ("withdraw",)


@login_required
def dashboard(request):
    # Fund staff and providers who are in no network start at their own work (landing.py).
    if landing := landing_url(request.user):
        return redirect(landing)
    memberships = (
        NetworkMember.objects.filter(user=request.user)
        .select_related("network")
        .order_by("network__name")
    )
    # The networks' applications and those the person helps write (``own_applications``).
    applications = own_applications(request.user).order_by("-updated_at", "-pk")
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
    # Only networks that may apply are offered; the others are told why before any typing.
    choices = start_choices(user=request.user, programme=programme)
    form = ApplicationStartForm(request.POST or None, networks=choices.eligible)
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
        {
            "programme": programme,
            "form": form,
            "has_networks": choices.has_networks,
            "can_apply": choices.eligible.exists(),
            "refused": choices.refused,
            # Every refusal names whom to ask at the fund: nobody leaves without a phone number.
            "contact": fund_contact(programme.fund),
        },
    )


@login_required
def application_detail(request, pk):
    return application_page(request, get_application(request, pk))


def application_page(request, application, *, lead_officer_form=None, status=200):
    """The application's page; ``lead_officer_form`` is the fund's choice of lead officer when
    it was posted with an error (``views.lead_officer``)."""
    # The buttons: exactly what the registry offers this person now, as the API lists it.
    # Withdrawing ends the application for good: it is a quiet link to a page that explains it.
    offers = APPLICATION_ACTIONS.available(application, request.user)
    transitions = [
        {"name": offer.name, "label": offer.label, "needs_form": needs_form(offer.name)}
        for offer in offers
        if offer.name not in CONFIRM_FIRST
    ]
    confirm_first = [
        {"name": offer.name, "label": offer.label}
        for offer in offers
        if offer.name in CONFIRM_FIRST
    ]
    is_member = permissions.member_refusal(application, request.user) is None
    steps = application.ordered_steps()
    # While a step waits for review, the network sees when the fund promised to answer.
    reply_by = notifications.reply_promised_by(application)
    lead_officer = lead_officers.page_context(request, application, form=lead_officer_form)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "steps": steps,
            "tracker": step_tracker(application, steps),
            "history": history(application),
            # Each referral with the button "Apply here with my answers" (or why not) for the
            # network, and what became of it for the fund (``views.referrals``).
            "referrals": referral_rows(application, request.user, is_member=is_member)
            if application.state == Application.State.DECLINED
            else [],
            "transitions": transitions,
            "confirm_first": confirm_first,
            "is_member": is_member,
            "is_declined": application.state == Application.State.DECLINED,
            "reply_by": reply_by,
            # The network's task list: the next thing, open comments, the contact, the date.
            "next_task": tasks.next_task(application, request.user) if is_member else None,
            "open_comments": tasks.open_comments(application) if is_member else [],
            # The parts of the apps built on applications: agreements, support in kind.
            "panels": collect("application_detail", request, application),
            # The fund's contact person: the choice for the fund, the contact for the network.
            "lead_officer": lead_officer,
            # Who helps the network write it (coordinators), or that this person helps.
            "helping": helpers.page_context(request, application),
        },
        status=status,
    )

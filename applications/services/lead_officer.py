"""Assigning the fund's contact person for an application: its lead officer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from applications import permissions
from applications.lead_officers import lead_officer_refusal
from applications.models import Application, LeadOfficerChange
from core import people as persons
from core.events import record_event
from notifications.services import notify, people

from .base import lock_application, require


@transaction.atomic
def application_assign_lead_officer(*, application: Application, officer, actor) -> Application:
    """Make ``officer`` the lead officer of ``application`` (``None``: nobody), and log it.

    The fund's officers and managers decide this (the officer rule: never for their own
    network); ``officer`` must be able to review it too (``lead_officer_refusal``). Assigning
    the one already there changes nothing and logs nothing. The new lead officer hears of it,
    unless they assigned themselves.
    """
    application = lock_application(application)
    require(permissions.officer_refusal(application, actor))
    if officer is not None and (refusal := lead_officer_refusal(application, officer)):
        raise ValidationError({"officer": [refusal]})
    previous_id = application.lead_officer_id
    new_id = officer.pk if officer is not None else None
    if previous_id == new_id:
        return application
    application.lead_officer = officer
    # Not ``updated_at``: that is the network's last change, which the reminders about silent
    # drafts read; who leads the application for the fund is no news about the application.
    application.save(update_fields=["lead_officer"])
    LeadOfficerChange.objects.create(
        application=application, previous_id=previous_id, new=officer, changed_by=actor
    )
    record_event(
        "application.lead_officer_changed",
        subject=application,
        change="assigned" if officer is not None else "cleared",
    )
    if officer is not None and persons.person_id(actor) != officer.pk:
        notify(
            people([officer]),
            kind="application.lead_officer_assigned",
            template="applications/email/lead_officer_assigned",
            context={"application": application, "actor": actor},
            path=reverse("application_detail", args=[application.pk]) + "#lead-officer",
        )
    return application

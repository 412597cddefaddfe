"""The fund's contact person for an application: who may be it, whom the network calls, the log
of changes, and what the application page shows of them.

Assigning one is ``applications.services.application_assign_lead_officer``; this module only
reads, for that service's checks and for the application page.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from applications import permissions
from applications.forms import LeadOfficerForm
from applications.models import Application, LeadOfficerChange
from core import people
from funds.models import FundMembership

#: How many changes the application page shows the fund: the recent ones are what matters.
HISTORY_LENGTH = 5


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def lead_officer_refusal(application: Application, person) -> str | None:
    """Why ``person`` cannot lead ``application`` for the fund; ``None`` when they can.

    A lead officer reviews the application, so the officer rule applies to them as to anyone
    who reviews: they work for the programme's fund and are not in the network. A fund's API
    key acts for its maker and is nobody's contact person.
    """
    if person is None or not person.is_active:
        return _("Choose someone who works for the fund of this application.")
    if permissions.fund_role(application.programme.fund_id, person) is None:
        return _("Choose someone who works for the fund of this application.")
    if people.person_id(person) != person.pk:
        return _("An API key cannot be a contact person. Choose a person.")
    if role := permissions.conflict_role(application.network_id, person, application=application):
        if role == permissions.HELPING:
            return _(
                "This person helps write the application, so they cannot lead it (conflict of "
                "interest)."
            )
        return _(
            "This person is a member of the network, so they cannot lead its application "
            "(conflict of interest)."
        )
    return None


def current_lead_officer(application: Application):
    """The lead officer while they still may be one; ``None`` once they left the fund, closed
    their account or joined the network: then "the fund" is everyone at the fund again."""
    lead = application.lead_officer
    if lead is None or lead_officer_refusal(application, lead) is not None:
        return None
    return lead


def candidates(application: Application) -> QuerySet:
    """Everyone who may lead ``application``: the same rule as ``lead_officer_refusal``, for the
    choices of a form (three queries, whatever the fund's size)."""
    staff = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            fund_memberships__fund_id=application.programme.fund_id,
        )
        .exclude(network_memberships__network_id=application.network_id)
        .values_list("pk", flat=True)
    )
    persons = [
        pk for pk, person in zip(staff, people.person_ids(staff), strict=True) if pk == person
    ]
    return (
        get_user_model()
        .objects.filter(pk__in=persons)
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class Contact:
    """Whom the network calls or mails at the fund."""

    name: str
    phone: str = ""
    email: str = ""
    is_lead_officer: bool = False


def network_contact(application: Application) -> Contact | None:
    """The lead officer, with their work phone or else their e-mail address; without one, the
    fund's general contact. ``None`` when the fund gave no contact at all."""
    lead = current_lead_officer(application)
    if lead is not None:
        phone = (
            FundMembership.objects.filter(fund_id=application.programme.fund_id, user=lead)
            .values_list("phone", flat=True)
            .first()
        ) or ""
        return Contact(
            name=display_name(lead),
            phone=phone,
            email="" if phone else lead.email,
            is_lead_officer=True,
        )
    fund = application.programme.fund
    if not (fund.contact_name or fund.contact_phone or fund.contact_email):
        return None
    return Contact(
        name=fund.contact_name or fund.name, phone=fund.contact_phone, email=fund.contact_email
    )


def recent_changes(application: Application) -> list[LeadOfficerChange]:
    """The last changes of the lead officer, newest first, for the fund's staff."""
    changes = LeadOfficerChange.objects.filter(application=application).select_related(
        "previous", "new", "changed_by"
    )
    return list(changes[:HISTORY_LENGTH])


def page_context(request, application: Application, *, form=None) -> dict:
    """What the application page shows about the lead officer to this person.

    The fund's staff who may choose one get the form (``form``: the one posted, with its
    errors) and the recent changes; the contact is for the page to show to the network.
    """
    may_assign = permissions.officer_refusal(application, request.user) is None
    if may_assign and form is None:
        form = LeadOfficerForm(
            candidates=candidates(application), initial={"officer": application.lead_officer_id}
        )
    return {
        "contact": network_contact(application),
        "form": form if may_assign else None,
        "history": recent_changes(application) if may_assign else [],
    }

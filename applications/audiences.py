"""Who hears of what happens to an application: the two sides of the conversation.

Every app that writes messages about an application (applications, agreements, pools, the
reminders) asks here, so "the fund" and "the network" mean the same people everywhere.
"""

from django.contrib.auth import get_user_model

from applications.lead_officers import current_lead_officer
from applications.models import Application, ApplicationHelper, NetworkMember
from applications.permissions import ACTIVE_HELPER
from applications.selectors import is_shown_to_fund
from notifications.services import Recipient, people


def fund_staff(application: Application):
    """Everyone who works for the application's fund (officers and managers); nobody while the
    fund may not see the application yet (``selectors.is_shown_to_fund``)."""
    if not is_shown_to_fund(application):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(fund_memberships__fund_id=application.programme.fund_id)
        .distinct()
    )


def fund_side(application: Application, *, exclude=None) -> list[Recipient]:
    """The application's lead officer; without one (or one who may no longer lead it: see
    ``current_lead_officer``), everyone at the fund."""
    lead_officer = current_lead_officer(application) if is_shown_to_fund(application) else None
    if lead_officer is not None:
        lead = people([lead_officer], exclude=exclude)
        if lead or getattr(exclude, "pk", exclude) == lead_officer.pk:
            return lead
    return people(fund_staff(application), exclude=exclude)


def network_side(
    application: Application, *, exclude=None, coordinators_only: bool = False
) -> list[Recipient]:
    """The network's members (or only its coordinators)."""
    memberships = {"network_memberships__network": application.network_id}
    if coordinators_only:  # one filter() call: the same membership must match both
        memberships["network_memberships__role"] = NetworkMember.Role.COORDINATOR
    users = get_user_model().objects.filter(**memberships).distinct()
    return people(users, exclude=exclude)


def helpers_side(application: Application, *, exclude=None) -> list[Recipient]:
    """The people who help the network write ``application`` (accepted, not removed), while it
    is open: they hear of the fund's comments, which they may be the ones to answer."""
    if not application.is_open:
        return []
    helping = ApplicationHelper.objects.filter(ACTIVE_HELPER, application=application)
    users = get_user_model().objects.filter(pk__in=helping.values("user_id"))
    return people(users, exclude=exclude)

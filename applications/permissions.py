"""Who may do what to an application. Roles are per relationship, never per person.

Each ``*_refusal`` function returns ``None`` when the user may act, or the reason (shown to the
user) when not. The model's transitions use them as django-fsm permissions; services use the
reason in their PermissionDenied.
"""

from django.utils.translation import gettext as _

from funds.models import FundMembership

from .models import NetworkMember

CONFLICT_OF_INTEREST = _(
    "You are a member of this network, so you cannot review or decide on its application "
    "(conflict of interest)."
)


def _is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def network_role(network, user) -> str | None:
    if not _is_authenticated(user):
        return None
    return (
        NetworkMember.objects.filter(network=network, user=user).values_list("role", flat=True)
    ).first()


def fund_role(fund, user) -> str | None:
    if not _is_authenticated(user):
        return None
    return (
        FundMembership.objects.filter(fund=fund, user=user).values_list("role", flat=True)
    ).first()


def member_refusal(application, user) -> str | None:
    if network_role(application.network, user) is None:
        return _("Only members of the network can do this.")
    return None


def coordinator_refusal(application, user) -> str | None:
    if network_role(application.network, user) != NetworkMember.Role.COORDINATOR:
        return _("Only a coordinator of the network can do this.")
    return None


def officer_refusal(application, user) -> str | None:
    """Officers and managers of the programme's fund review; never for their own network."""
    if fund_role(application.programme.fund, user) is None:
        return _("Only an officer of the fund that runs this programme can do this.")
    if network_role(application.network, user) is not None:
        return CONFLICT_OF_INTEREST
    return None


def manager_refusal(application, user) -> str | None:
    if fund_role(application.programme.fund, user) != FundMembership.Role.MANAGER:
        return _("Only a manager of the fund that runs this programme can do this.")
    if network_role(application.network, user) is not None:
        return CONFLICT_OF_INTEREST
    return None


def is_coordinator(application, user) -> bool:
    return coordinator_refusal(application, user) is None


def is_officer(application, user) -> bool:
    return officer_refusal(application, user) is None


def is_manager(application, user) -> bool:
    return manager_refusal(application, user) is None

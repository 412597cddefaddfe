"""Who may do what to an application. Roles are per relationship, never per person.

Each rule is written once, as a function of the person's role in the fund and in the network
(``*_rule``). The ``*_refusal`` functions look those roles up for one application; the model's
transitions use them as django-fsm permissions and the services put their reason in a
PermissionDenied. ``applications.selectors.Relationships`` applies the same rules to roles it read
once per request, for lists that must not ask again for every row.
"""

from django.utils.translation import gettext as _

from core import people
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


# The rules, on the roles a person has towards one application (``None``: no role).


def member_rule(network_role: str | None) -> str | None:
    if network_role is None:
        return _("Only members of the network can do this.")
    return None


def coordinator_rule(network_role: str | None) -> str | None:
    if network_role != NetworkMember.Role.COORDINATOR:
        return _("Only a coordinator of the network can do this.")
    return None


def officer_rule(fund_role: str | None, network_role: str | None) -> str | None:
    """Officers and managers of the programme's fund review; never for their own network."""
    if fund_role is None:
        return _("Only an officer of the fund that runs this programme can do this.")
    if network_role is not None:
        return CONFLICT_OF_INTEREST
    return None


def manager_rule(fund_role: str | None, network_role: str | None) -> str | None:
    if fund_role != FundMembership.Role.MANAGER:
        return _("Only a manager of the fund that runs this programme can do this.")
    if network_role is not None:
        return CONFLICT_OF_INTEREST
    return None


# The rules for one application and one person.


def _fund_role(application, user) -> str | None:
    return fund_role(application.programme.fund_id, user)


def member_refusal(application, user) -> str | None:
    return member_rule(network_role(application.network_id, user))


def coordinator_refusal(application, user) -> str | None:
    return coordinator_rule(network_role(application.network_id, user))


def conflict_role(network, user) -> str | None:
    """The role in the network of the person behind ``user``: for a fund's API key, the manager
    who made it (``core.people``). A key is never a way round a conflict of interest."""
    if not _is_authenticated(user):
        return None
    person = people.person_id(user)
    if person is None:
        return None
    memberships = NetworkMember.objects.filter(network=network, user_id=person)
    return memberships.values_list("role", flat=True).first()


def officer_refusal(application, user) -> str | None:
    fund = _fund_role(application, user)
    # Without a role in the fund the network role cannot change the answer: one query saved.
    network = conflict_role(application.network_id, user) if fund is not None else None
    return officer_rule(fund, network)


def manager_refusal(application, user) -> str | None:
    fund = _fund_role(application, user)
    network = conflict_role(application.network_id, user) if fund is not None else None
    return manager_rule(fund, network)


def is_coordinator(application, user) -> bool:
    return coordinator_refusal(application, user) is None


def is_officer(application, user) -> bool:
    return officer_refusal(application, user) is None


def is_manager(application, user) -> bool:
    return manager_refusal(application, user) is None


def invitee_refusal(invitation, user) -> str | None:
    """Only the person signed in with the invited address may answer a network invitation.

    The link is a second factor, not the permission: a forwarded or leaked link does not make
    someone else a member.
    """
    if not _is_authenticated(user):
        return _("Sign in to answer this invitation.")
    if (user.email or "").strip().lower() != invitation.email.strip().lower():
        return _(
            "This invitation was sent to %(email)s. Sign in with that e-mail address to answer it."
        ) % {"email": invitation.email}
    return None

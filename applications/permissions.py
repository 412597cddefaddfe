"""Who may do what to an application. Roles are per relationship, never per person.

Each rule is written once, as a function of the person's role in the fund and in the network
(``*_rule``). The ``*_refusal`` functions look those roles up for one application; the model's
transitions use them as django-fsm permissions and the services put their reason in a
PermissionDenied. ``applications.selectors.Relationships`` applies the same rules to roles it read
once per request, for lists that must not ask again for every row.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q, Subquery
from django.utils.translation import gettext as _

from core import people
from funds.models import FundMembership

from . import models
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


def writer_rule(network_role: str | None, helping: bool) -> str | None:
    """Writing drafts and comments: the network's members, and a helper it invited."""
    if network_role is None and not helping:
        return _("Only members of the network, or a helper it invited, can do this.")
    return None


def coordinator_rule(network_role: str | None) -> str | None:
    if network_role != NetworkMember.Role.COORDINATOR:
        return _("Only a coordinator of the network can do this.")
    return None


#: In the conflict rules, the "network role" of someone who helps write the application: they
#: wrote it with the network, so they cannot review or decide on it either.
HELPING = "helping"


def _conflict(network_role: str) -> str:
    if network_role == HELPING:
        return _(
            "You help write this application, so you cannot review or decide on it (conflict "
            "of interest)."
        )
    return CONFLICT_OF_INTEREST


def officer_rule(fund_role: str | None, network_role: str | None) -> str | None:
    """Officers and managers of the programme's fund review; never for their own network, nor an
    application they help write (``HELPING``)."""
    if fund_role is None:
        return _("Only an officer of the fund that runs this programme can do this.")
    if network_role is not None:
        return _conflict(network_role)
    return None


def manager_rule(fund_role: str | None, network_role: str | None) -> str | None:
    if fund_role != FundMembership.Role.MANAGER:
        return _("Only a manager of the fund that runs this programme can do this.")
    if network_role is not None:
        return _conflict(network_role)
    return None


# The rules for one application and one person.


def _fund_role(application, user) -> str | None:
    return fund_role(application.programme.fund_id, user)


def member_refusal(application, user) -> str | None:
    return member_rule(network_role(application.network_id, user))


def coordinator_refusal(application, user) -> str | None:
    return coordinator_rule(network_role(application.network_id, user))


# Helpers: people the network invited to help write one application (``ApplicationHelper``).

#: An accepted helper nobody removed. Whether the application is still open is asked apart.
ACTIVE_HELPER = Q(accepted_at__isnull=False, removed_at__isnull=True, declined_at__isnull=True)


def is_helping(application, user) -> bool:
    """Whether ``user`` helps write ``application`` now: accepted, not removed, and the
    application still open (when it closes, the help ends with it)."""
    if not _is_authenticated(user) or not application.is_open:
        return False
    # ``models.ApplicationHelper`` at call time: the models module imports this one.
    helpers = models.ApplicationHelper.objects.filter(
        ACTIVE_HELPER, application=application, user=user
    )
    return helpers.exists()


def writer_refusal(application, user) -> str | None:
    """Who may write drafts and comment for the network: members (a helper who is also a
    member keeps member rights), and active helpers of this open application."""
    role = network_role(application.network_id, user)
    return writer_rule(role, role is None and is_helping(application, user))


def helper_manage_refusal(application, user) -> str | None:
    """Inviting helpers, and sending or withdrawing their invitations: coordinators only."""
    if coordinator_refusal(application, user) is not None:
        return _("Only a coordinator of the network can invite helpers.")
    return None


def helper_remove_refusal(helper, user) -> str | None:
    """A coordinator ends someone's help; a helper may also stop helping themselves."""
    if _is_authenticated(user) and helper.user_id == user.pk:
        return None
    if coordinator_refusal(helper.application, user) is not None:
        return _("Only a coordinator of the network can remove a helper.")
    return None


def helper_invitee_refusal(helper, user) -> str | None:
    """Only the person signed in with the invited address may answer an invitation to help (a
    forwarded link makes nobody a helper)."""
    return _address_refusal(helper.email, user)


def helper_accept_refusal(helper, user) -> str | None:
    """Accepting, besides: nobody who works for the fund that decides on the application
    (conflict of interest), and no member of the network (they write it already)."""
    refusal = helper_invitee_refusal(helper, user)
    if refusal:
        return refusal
    application = helper.application
    if fund_role(application.programme.fund_id, user) is not None:
        return _(
            "You work for the fund that decides on this application, so you cannot help write "
            "it (conflict of interest)."
        )
    if network_role(application.network_id, user) is not None:
        return _(
            "You are a member of this network already: you can write this application as a "
            "member. You can decline this invitation."
        )
    return None


def conflict_role(network, user, *, application=None) -> str | None:
    """The role in the network of the person behind ``user``: for a fund's API key, the manager
    who made it (``core.people``). A key is never a way round a conflict of interest. With
    ``application``: ``HELPING`` for someone who helps write it (and is not in the network)."""
    if not _is_authenticated(user):
        return None
    person = people.person_id(user)
    if person is None:
        return None
    memberships = NetworkMember.objects.filter(network=network, user_id=person)
    if application is None:
        return memberships.values_list("role", flat=True).first()
    # One query for both: every action a screen offers asks this.
    helping = models.ApplicationHelper.objects.filter(
        ACTIVE_HELPER, application=application, user_id=person
    )
    found = (
        get_user_model()
        .objects.filter(pk=person)
        .annotate(
            network_role=Subquery(memberships.values("role")[:1]), helps_write=Exists(helping)
        )
        .values_list("network_role", "helps_write")
        .first()
    )
    role, helps = found or (None, False)
    return role or (HELPING if helps else None)


def _staff_conflict(application, user, fund: str | None) -> str | None:
    # Without a role in the fund the network role cannot change the answer: one query saved.
    if fund is None:
        return None
    return conflict_role(application.network_id, user, application=application)


def officer_refusal(application, user) -> str | None:
    fund = _fund_role(application, user)
    return officer_rule(fund, _staff_conflict(application, user, fund))


def manager_refusal(application, user) -> str | None:
    fund = _fund_role(application, user)
    return manager_rule(fund, _staff_conflict(application, user, fund))


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
    return _address_refusal(invitation.email, user)


def _address_refusal(email: str, user) -> str | None:
    if not _is_authenticated(user):
        return _("Sign in to answer this invitation.")
    if (user.email or "").strip().lower() != email.strip().lower():
        return _(
            "This invitation was sent to %(email)s. Sign in with that e-mail address to answer it."
        ) % {"email": email}
    return None

"""Who sees which networks and applications: the one definition the screens, the admin and the API
share. Anything outside it is a 404 everywhere, also for a guessed id.

``fund_id`` is the scope of a fund's API key: it sees only its own fund's part. People (signed in
to the site, or with a personal token) pass none and see what the web shows them.
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from core import people
from funds.models import FundMembership, Programme

from . import permissions
from .models import (
    Application,
    ApplicationHelper,
    Comment,
    Network,
    NetworkInvitation,
    NetworkMember,
    Step,
)


def helped_application_ids(user) -> QuerySet:
    """The ids of the applications ``user`` helps write (accepted, not removed); whether each is
    still open is asked by the caller (``Application.OPEN_STATES``)."""
    return ApplicationHelper.objects.filter(permissions.ACTIVE_HELPER, user=user).values(
        "application_id"
    )


def application_list(*, user, helping: bool = True) -> QuerySet[Application]:
    """Applications of the user's networks and of the funds the user works for, and the open
    ones the user helps write; nothing else.

    ``helping=False`` leaves out what the user sees only as a helper: for the parts a helper
    must never see (agreements and their bank details), whatever the application's state.
    """
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    # Small id lists rather than joins: joining memberships would repeat rows (and need a
    # DISTINCT) and makes the database scan every application at scale; these stay on indexes.
    networks = NetworkMember.objects.filter(user=user).values("network_id")
    programmes = Programme.objects.filter(fund__memberships__user=user).values("pk")
    visible = Q(network_id__in=networks) | (Q(programme_id__in=programmes) & shown_to_fund())
    if helping:
        # A helper's access ends with the application: closed, it is the network's and fund's.
        helped = helped_application_ids(user)
        visible |= Q(pk__in=helped, state__in=Application.OPEN_STATES)
    return Application.objects.filter(visible).select_related(
        "network", "programme__fund", "current_step"
    )


def shown_to_fund(prefix: str = "") -> Q:
    """The applications a fund sees: all but a network's draft started from a referral ("apply
    here with my answers") before it submitted a step there (``Application.kept_from_fund``).
    Its answers were copied from another fund's application; the new fund sees nothing of it
    (pages, lists, exports, messages, events) until the network submits."""
    return Q(**{f"{prefix}kept_from_fund": False})


def is_shown_to_fund(application) -> bool:
    """``shown_to_fund`` for one application."""
    return not application.kept_from_fund


def own_applications(user) -> QuerySet[Application]:
    """A person's own work on the dashboard: their networks' applications, and the open ones
    they help write (not the funds' applications they review)."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    networks = NetworkMember.objects.filter(user=user).values("network_id")
    helped = helped_application_ids(user)
    own = Q(network_id__in=networks) | Q(pk__in=helped, state__in=Application.OPEN_STATES)
    return Application.objects.filter(own).select_related(
        "network", "programme__fund", "current_step"
    )


def application_helpers(application) -> QuerySet[ApplicationHelper]:
    """Who helps write ``application``, and the invitations nobody answered yet (pending or
    expired), newest first. For the network's coordinators: the callers check that."""
    return ApplicationHelper.objects.filter(
        application=application, declined_at__isnull=True, removed_at__isnull=True
    ).select_related("user", "invited_by")


def helper_of(application, user) -> ApplicationHelper | None:
    """``user``'s active help on ``application`` (open or not), or ``None``."""
    if user is None or not user.is_authenticated:
        return None
    helpers = ApplicationHelper.objects.filter(permissions.ACTIVE_HELPER, user=user)
    return helpers.filter(application=application).first()


def application_get(*, user, pk) -> Application:
    """One visible application; ``Application.DoesNotExist`` for anything else."""
    return application_list(user=user).get(pk=pk)


def visible_applications(
    user, *, fund_id: int | None = None, helping: bool = True
) -> QuerySet[Application]:
    """What ``application_list`` shows; a fund key (``fund_id``) only its own fund's of those."""
    applications = application_list(user=user, helping=helping)
    return applications.filter(programme__fund_id=fund_id) if fund_id else applications


def visible_networks(user, *, fund_id: int | None = None) -> QuerySet[Network]:
    """The user's own networks, and those that applied to a fund the user works for.

    A fund key (``fund_id``) sees the networks that applied to its fund.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Network.objects.none()
    # A network whose only application to the fund is a draft it keeps (``shown_to_fund``) has
    # not applied there yet; both conditions in one Q, so they hold for the same application.
    applied = shown_to_fund("applications__")
    if fund_id:
        visible = Q(applications__programme__fund_id=fund_id) & applied
    else:
        visible = Q(members__user=user) | (
            Q(applications__programme__fund__memberships__user=user) & applied
        )
    # The joins repeat a network per membership and application; the id list does not.
    return Network.objects.filter(pk__in=Network.objects.filter(visible).values("pk"))


def open_officer_comments(application) -> QuerySet[Comment]:
    """The fund's comments on ``application`` nobody resolved yet, on steps that are open to the
    network (not locked), in the order of the steps and the conversation."""
    return (
        Comment.objects.filter(
            step__application=application,
            author_role=Comment.AuthorRole.OFFICER,
            resolved_at__isnull=True,
        )
        .exclude(step__status=Step.Status.LOCKED)
        .select_related("step")
        .order_by("step__order", "created_at", "pk")
    )


def open_invitations(network) -> QuerySet[NetworkInvitation]:
    """A network's invitations nobody answered or withdrew (pending or expired), newest first.

    For its coordinators only: the callers check that. It shows what they typed, never an account.
    """
    return NetworkInvitation.objects.filter(
        network=network, accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


class Relationships:
    """A person's roles in funds and networks, read once (two queries), for pages and lists that
    ask about many applications. Its answers are ``applications.permissions``' rules applied to
    those roles; the services still check every action with ``permissions``, under the row lock.

    ``fund_id``: the fund of the calling API key, if any (``key_fund_id``).
    """

    def __init__(self, user, fund_id: int | None = None):
        self.user = user
        self.fund_id = fund_id

    @property
    def key_fund_id(self) -> int | None:
        return self.fund_id

    def _active(self) -> bool:
        return self.user is not None and self.user.is_authenticated and self.user.is_active

    @cached_property
    def fund_roles(self) -> dict[int, str]:
        if not self._active():
            return {}
        memberships = FundMembership.objects.filter(user=self.user)
        return dict(memberships.values_list("fund_id", "role"))

    @cached_property
    def network_roles(self) -> dict[int, str]:
        if not self._active():
            return {}
        memberships = NetworkMember.objects.filter(user=self.user)
        return dict(memberships.values_list("network_id", "role"))

    @property
    def fund_ids(self) -> frozenset[int]:
        return frozenset(self.fund_roles)

    @cached_property
    def conflict_network_roles(self) -> dict[int, str]:
        """The networks of the person behind the account (a key's maker): for conflicts."""
        if not self._active():
            return {}
        person = people.person_id(self.user)
        if person == self.user.pk:
            return self.network_roles
        memberships = NetworkMember.objects.filter(user_id=person) if person else None
        return dict(memberships.values_list("network_id", "role")) if memberships else {}

    @property
    def network_ids(self) -> frozenset[int]:
        return frozenset(self.network_roles)

    def _roles(self, application) -> tuple[str | None, str | None]:
        return (
            self.fund_roles.get(application.programme.fund_id),
            self.network_roles.get(application.network_id),
        )

    def is_member(self, application) -> bool:
        return permissions.member_rule(self._roles(application)[1]) is None

    def is_coordinator(self, application) -> bool:
        return permissions.coordinator_rule(self._roles(application)[1]) is None

    @cached_property
    def helped_ids(self) -> frozenset[int]:
        """The applications this person helps write (accepted, not removed): one query."""
        if not self._active():
            return frozenset()
        return frozenset(helped_application_ids(self.user).values_list("application_id", flat=True))

    def is_helper(self, application) -> bool:
        """An active helper of this open application (``permissions.is_helping``)."""
        return application.is_open and application.pk in self.helped_ids

    def is_writer(self, application) -> bool:
        """As ``permissions.writer_refusal``: members, and active helpers of an open one."""
        network_role = self._roles(application)[1]
        helping = network_role is None and self.is_helper(application)
        return permissions.writer_rule(network_role, helping) is None

    @cached_property
    def conflict_helped_ids(self) -> frozenset[int]:
        """The applications the person behind the account (a key's maker) helps write: they
        review none of those (``permissions.HELPING``)."""
        if not self._active():
            return frozenset()
        person = people.person_id(self.user)
        if person is None:
            return frozenset()
        helping = ApplicationHelper.objects.filter(permissions.ACTIVE_HELPER, user_id=person)
        return frozenset(helping.values_list("application_id", flat=True))

    def _staff_roles(self, application) -> tuple[str | None, str | None]:
        network_role = self.conflict_network_roles.get(application.network_id)
        if network_role is None and application.pk in self.conflict_helped_ids:
            network_role = permissions.HELPING
        return (self.fund_roles.get(application.programme.fund_id), network_role)

    def is_officer(self, application) -> bool:
        """As ``permissions.officer_refusal``: the fund's staff, never for their own network."""
        return permissions.officer_rule(*self._staff_roles(application)) is None

    def is_manager(self, application) -> bool:
        return permissions.manager_rule(*self._staff_roles(application)) is None

    def officer_q(self, prefix: str = "") -> Q:
        """Rows whose application (at ``prefix``) this person reviews as an officer: the same
        rule as ``is_officer``, as a query."""
        return (
            shown_to_fund(prefix)
            & Q(**{f"{prefix}programme__fund_id__in": self.fund_ids})
            & ~Q(**{f"{prefix}network_id__in": frozenset(self.conflict_network_roles)})
            & ~Q(**{f"{prefix}pk__in": self.conflict_helped_ids})
        )

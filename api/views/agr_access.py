"""Who sees which agreements, tranches, reports, pools and allocations through the API.

People see what the web screens show them: agreements through the applications they may see
(``application_list``), pools their funds contribute to (``pools_for_user``), allocations as
``pools.permissions.allocation_viewer_refusal`` allows. A fund key sees only its own fund's.
Anything else is a 404, also for a guessed id. Who may *act* is decided by the services.
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from agreements.models import Agreement, Report, Tranche
from api.scoping import key_fund_id
from applications.models import NetworkMember
from applications.selectors import application_list
from funds.models import FundMembership
from pools.models import Allocation, Contribution, SupportPool
from pools.selectors import pools_for_user


class Viewer:
    """The caller's relationships, read once per request so lists take a fixed number of queries.

    Used only to decide what to *show* (personal data of signatories, the transitions on offer);
    the services check every action again with ``applications.permissions``.
    """

    def __init__(self, request):
        self.user = request.user
        self.key_fund_id = key_fund_id(request)

    @cached_property
    def fund_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated or not self.user.is_active:
            return frozenset()
        memberships = FundMembership.objects.filter(user=self.user)
        return frozenset(memberships.values_list("fund_id", flat=True))

    @cached_property
    def network_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated or not self.user.is_active:
            return frozenset()
        memberships = NetworkMember.objects.filter(user=self.user)
        return frozenset(memberships.values_list("network_id", flat=True))

    def is_officer(self, application) -> bool:
        """As ``applications.permissions.officer_refusal``: the fund's staff, never their own."""
        return (
            application.programme.fund_id in self.fund_ids
            and application.network_id not in self.network_ids
        )

    def is_member(self, application) -> bool:
        return application.network_id in self.network_ids

    def officer_q(self, prefix: str) -> Q:
        """Rows whose application (at ``prefix``) this caller reviews as an officer."""
        return Q(**{f"{prefix}programme__fund_id__in": self.fund_ids}) & ~Q(
            **{f"{prefix}network_id__in": self.network_ids}
        )


def viewer_of(request) -> Viewer:
    viewer = getattr(request, "_agreements_viewer", None)
    if viewer is None:
        viewer = request._agreements_viewer = Viewer(request)
    return viewer


def visible_applications(request):
    applications = application_list(user=request.user)
    fund_id = key_fund_id(request)
    return applications.filter(programme__fund_id=fund_id) if fund_id else applications


def visible_agreements(request) -> QuerySet[Agreement]:
    return Agreement.objects.filter(application__in=visible_applications(request).values("pk"))


def _not_a_draft_for_others(request, prefix: str) -> Q:
    """The web shows a draft's signatories and tranches only to the fund's officers."""
    viewer = viewer_of(request)
    return ~Q(**{f"{prefix}state": Agreement.State.DRAFT}) | viewer.officer_q(
        f"{prefix}application__"
    )


def visible_tranches(request) -> QuerySet[Tranche]:
    return Tranche.objects.filter(
        Q(agreement__in=visible_agreements(request).values("pk"))
        & _not_a_draft_for_others(request, "agreement__")
    )


def visible_reports(request) -> QuerySet[Report]:
    return Report.objects.filter(agreement__in=visible_agreements(request).values("pk"))


def visible_pools(request) -> QuerySet[SupportPool]:
    pools = pools_for_user(request.user)
    fund_id = key_fund_id(request)
    if fund_id:
        pools = pools.filter(pk__in=Contribution.objects.filter(fund_id=fund_id).values("pool_id"))
    return SupportPool.objects.filter(pk__in=pools.values("pk"))


def visible_allocations(request) -> QuerySet[Allocation]:
    """As ``allocation_viewer_refusal``: the provider, the network, the fund, the pool's funds."""
    user = request.user
    if not user.is_authenticated:
        return Allocation.objects.none()
    viewer = viewer_of(request)
    pools = Contribution.objects.filter(fund_id__in=viewer.fund_ids).values("pool_id")
    visible = (
        Q(provider__user=user)
        | Q(application__network_id__in=viewer.network_ids)
        | Q(application__programme__fund_id__in=viewer.fund_ids)
        | Q(service__pool_id__in=pools)
    )
    allocations = Allocation.objects.filter(visible)
    if viewer.key_fund_id:
        own_pools = Contribution.objects.filter(fund_id=viewer.key_fund_id).values("pool_id")
        allocations = allocations.filter(
            Q(application__programme__fund_id=viewer.key_fund_id)
            | Q(service__pool_id__in=own_pools)
        )
    return allocations

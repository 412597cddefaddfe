"""What a programme's dashboard shows its fund's staff: reads only, each in a fixed number of
queries whatever the number of applications.

Who may see it is :func:`staff_programme`: the officers and managers of the programme's fund,
nobody else (a 404 for the rest, as every page outside one's scope). The figures are about the
programme as a whole, so a staff member who is also in one of its networks sees them too; what
they may *do* with that network's application is still ``applications.permissions``.

How long a review round takes is in :mod:`applications.review_rounds`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from funds.models import Programme

from .models import Application, Referral
from .referral_outcomes import with_outcome_facts
from .selectors import shown_to_fund
from .services.review import programme_committed_amount

ZERO = Decimal("0")


def staff_programme(*, user, slug: str) -> Programme:
    """The programme, if ``user`` is an officer or manager of its fund;
    ``Programme.DoesNotExist`` for anyone else, also for a slug that exists."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Programme.DoesNotExist
    # (fund, user) is unique in FundMembership, so the join cannot repeat the programme.
    return Programme.objects.select_related("fund").get(slug=slug, fund__memberships__user=user)


def state_counts(programme: Programme) -> list[tuple[str, str, int]]:
    """``(state, label, number)`` for every state, zeros included, in the workflow's order.

    One grouped query on the (programme, state) index."""
    found = dict(
        Application.objects.filter(shown_to_fund(), programme=programme)
        .order_by()
        .values_list("state")
        .annotate(total=Count("pk"))
        .values_list("state", "total")
    )
    return [(value, label, found.get(value, 0)) for value, label in Application.State.choices]


@dataclass(frozen=True)
class Budget:
    """The programme's money, in its currency.

    ``committed`` is what the award check counts against the budget
    (``programme_committed_amount``: awarded, contracted and closed); ``awarded`` is the part
    of it not yet under contract and ``contracted`` the rest. ``requested_open`` is what open
    applications ask: not a promise, only what may come.
    """

    total: Decimal
    awarded: Decimal
    contracted: Decimal
    committed: Decimal
    requested_open: Decimal

    @property
    def remaining(self) -> Decimal:
        # As application_award computes it: never below zero.
        return max(self.total - self.committed, ZERO)

    @property
    def committed_percent(self) -> int:
        if not self.total:
            return 0
        return min(round(self.committed * 100 / self.total), 100)


def budget(programme: Programme) -> Budget:
    """Two queries: the split by state, and the committed sum the award check itself uses."""
    State = Application.State
    sums = Application.objects.filter(shown_to_fund(), programme=programme).aggregate(
        awarded=Sum("awarded_amount", filter=Q(state=State.AWARDED)),
        contracted=Sum("awarded_amount", filter=Q(state__in=[State.CONTRACTED, State.CLOSED])),
        requested_open=Sum("requested_amount", filter=Q(state__in=Application.OPEN_STATES)),
    )
    return Budget(
        total=programme.budget,
        awarded=sums["awarded"] or ZERO,
        contracted=sums["contracted"] or ZERO,
        committed=programme_committed_amount(programme),
        requested_open=sums["requested_open"] or ZERO,
    )


def declines(programme: Programme) -> QuerySet[Application]:
    """The programme's declined applications, newest decision first, each with its network and
    its referrals (and the programme a referral names, and what ``referral_outcomes.outcome_of``
    reads of the applications started from it): three queries for any page of them."""
    referrals = with_outcome_facts(Referral.objects.select_related("programme")).order_by("pk")
    return (
        Application.objects.filter(programme=programme, state=Application.State.DECLINED)
        .select_related("network")
        .prefetch_related(Prefetch("referrals", queryset=referrals))
        .order_by("-decided_at", "-pk")
    )

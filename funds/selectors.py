"""Who sees which funds, programmes and fund staff behind the public catalogue: the people who work
for a fund see its back office (its programmes with their steps, its staff); nobody else does.

The catalogue itself (open programmes, for everyone) is ``funds.views``; these are the rows a
fund's officers and managers work with, for the admin and the screens above.
"""

from django.db.models import QuerySet

from .models import Fund, FundMembership, Programme


def _worked_for(user) -> QuerySet:
    """The ids of the funds ``user`` works for, as a subquery (no join, no repeated rows)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return FundMembership.objects.none().values("fund_id")
    return FundMembership.objects.filter(user=user).values("fund_id")


def staff_fund_list(user) -> QuerySet[Fund]:
    """The funds ``user`` works for, in any role."""
    return Fund.objects.filter(pk__in=_worked_for(user))


def staff_programme_list(user) -> QuerySet[Programme]:
    """The programmes of the funds ``user`` works for, open or not."""
    return Programme.objects.filter(fund_id__in=_worked_for(user))


def staff_membership_list(user) -> QuerySet[FundMembership]:
    """Who works for the funds ``user`` works for: their colleagues, and themselves."""
    return FundMembership.objects.filter(fund_id__in=_worked_for(user))

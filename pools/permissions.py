"""Who may see a pool, allocate from it and log delivered hours.

Like ``applications.permissions``: each ``*_refusal`` returns ``None`` when the user may act,
or the reason shown to them.
"""

from django.utils.translation import gettext as _

from applications import permissions as application_permissions
from funds.models import FundMembership


def _fund_ids(user) -> set[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(FundMembership.objects.filter(user=user).values_list("fund_id", flat=True))


def pool_viewer_refusal(pool, user) -> str | None:
    """Officers and managers of a contributing fund see the whole pool."""
    contributing = set(pool.contributions.values_list("fund_id", flat=True))
    if not (_fund_ids(user) & contributing):
        return _("Only officers of a fund that contributes to this pool can see it.")
    return None


def allocation_refusal(application, pool, user) -> str | None:
    """An officer of the application's fund, and that fund must contribute to the pool."""
    refusal = application_permissions.officer_refusal(application, user)
    if refusal:
        return refusal
    if not pool.contributions.filter(fund_id=application.programme.fund_id).exists():
        return _("Your fund does not contribute to this pool, so it cannot allocate from it.")
    return None


def allocation_officer_refusal(allocation, user) -> str | None:
    return application_permissions.officer_refusal(allocation.application, user)


def delivery_refusal(allocation, user) -> str | None:
    """The provider assigned to the allocation, or an officer on their behalf."""
    provider = allocation.provider
    if provider is not None and provider.user_id is not None and provider.user_id == user.pk:
        return None
    if application_permissions.officer_refusal(allocation.application, user) is None:
        return None
    return _("Only the assigned provider or an officer of the fund can log delivered hours.")


def allocation_viewer_refusal(allocation, user) -> str | None:
    """The network itself, its fund's officers, the provider and the pool's funds' officers."""
    if delivery_refusal(allocation, user) is None:
        return None
    if application_permissions.member_refusal(allocation.application, user) is None:
        return None
    if pool_viewer_refusal(allocation.service.pool, user) is None:
        return None
    return _("You cannot see this allocation.")

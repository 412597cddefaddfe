"""Who may allocate from a pool, log delivered hours and manage an allocation.

Like ``applications.permissions``: each ``*_refusal`` returns ``None`` when the user may act,
or the reason shown to them. Who may *see* a pool or an allocation is ``pools.selectors``.
"""

from django.utils.translation import gettext as _

from applications import permissions as application_permissions


def allocation_refusal(application, pool, user) -> str | None:
    """An officer of the application's fund, and that fund must contribute to the pool."""
    refusal = application_permissions.officer_refusal(application, user)
    if refusal:
        return refusal
    if not pool.contributions.filter(fund_id=application.programme.fund_id).exists():
        return _("Your fund does not contribute to this pool, so it cannot allocate from it.")
    return None


def allocation_officer_refusal(allocation, user) -> str | None:
    """Officers and managers of the application's fund manage its allocations."""
    return application_permissions.officer_refusal(allocation.application, user)


def delivery_refusal(allocation, user) -> str | None:
    """The provider assigned to the allocation, or an officer on their behalf."""
    provider = allocation.provider
    if provider is not None and provider.user_id is not None and provider.user_id == user.pk:
        return None
    if application_permissions.officer_refusal(allocation.application, user) is None:
        return None
    return _("Only the assigned provider or an officer of the fund can log delivered hours.")

"""Who may keep the referral directory: the officers and managers of any fund in this
installation. The directory is shared, so a person's role at one fund is enough to add, edit and
check every entry. Who may *see* it is ``directory.selectors``.

Like the other apps' ``*_refusal`` functions: ``None`` when the user may, else the reason shown.
"""

from django.utils.translation import gettext as _

from funds.models import FundMembership


def is_fund_staff(user) -> bool:
    """An officer or manager of at least one fund (roles are per fund, never per person)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return FundMembership.objects.filter(user=user).exists()


def keeper_refusal(user) -> str | None:
    """Add, edit or mark an entry as checked."""
    if is_fund_staff(user):
        return None
    return _("Only people who work for a fund can change the referral directory.")

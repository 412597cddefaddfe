"""Who sees which agreements, tranches, reports and attachments: one answer for web and API.

Everything is seen through the applications the person may see (``visible_applications``): their
network's, and those of the funds they work for. A draft's tranches are the fund's business
only, as the agreement page shows them. ``fund_id`` narrows it to one fund: the scope of a
fund's API key. Anything outside is a 404, also for a guessed id.
"""

from django.db.models import Q, QuerySet

from applications.models import NetworkMember
from applications.selectors import visible_applications
from funds.models import FundMembership

from . import permissions
from .models import Agreement, Report, ReportAttachment, Tranche


def _applications(user, fund_id: int | None):
    # Never through helping: a helper sees no agreement and no bank details, in any state.
    return visible_applications(user, fund_id=fund_id, helping=False).values("pk")


def agreement_list(user, *, fund_id: int | None = None) -> QuerySet[Agreement]:
    return Agreement.objects.filter(application__in=_applications(user, fund_id)).select_related(
        "application__network", "application__programme__fund"
    )


def _officer_of(user, prefix: str) -> Q:
    """Rows whose application (at ``prefix``) the user reviews as an officer of its fund."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    funds = FundMembership.objects.filter(user=user).values("fund_id")
    networks = NetworkMember.objects.filter(user=user).values("network_id")
    return Q(**{f"{prefix}programme__fund_id__in": funds}) & ~Q(
        **{f"{prefix}network_id__in": networks}
    )


def tranche_list(user, *, fund_id: int | None = None) -> QuerySet[Tranche]:
    """Tranches of visible agreements; of a draft only for the fund's officers."""
    not_a_draft = ~Q(agreement__state=Agreement.State.DRAFT)
    return Tranche.objects.filter(
        Q(agreement__application__in=_applications(user, fund_id))
        & (not_a_draft | _officer_of(user, "agreement__application__"))
    ).select_related("agreement__application__network", "agreement__application__programme__fund")


def report_list(user, *, fund_id: int | None = None) -> QuerySet[Report]:
    return Report.objects.filter(
        agreement__application__in=_applications(user, fund_id)
    ).select_related("agreement__application__network", "agreement__application__programme__fund")


def report_attachment_list(user, *, fund_id: int | None = None) -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.filter(
        report__agreement__application__in=_applications(user, fund_id)
    )


def countersigner(agreement):
    """Who signs for the fund: the application's lead officer when they are a manager who may,
    else the first manager of the fund who may (``permissions.countersign_refusal``); ``None``
    when nobody may (a fund with one manager, who awarded the grant)."""
    application = agreement.application
    managers = [
        membership.user
        for membership in FundMembership.objects.filter(
            fund_id=application.programme.fund_id,
            role=FundMembership.Role.MANAGER,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    ]
    managers.sort(key=lambda user: user.pk != application.lead_officer_id)
    for user in managers:
        if permissions.countersign_refusal(agreement, user) is None:
            return user
    return None


def network_has_signed(agreement) -> bool:
    """Out for signature, every signatory of the network has signed, the fund has not."""
    if agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        return False
    signatories = list(agreement.signatories.all())
    network = [s for s in signatories if s.role != s.Role.FUND]
    fund = [s for s in signatories if s.role == s.Role.FUND]
    return all(s.signed_at for s in network) and not any(s.signed_at for s in fund)


def waits_for_countersigner(agreement) -> bool:
    """The network has signed, and no manager of the fund was asked: nobody may (four eyes)."""
    if agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        return False
    signatories = list(agreement.signatories.all())
    return all(s.signed_at for s in signatories) and not any(
        s.role == s.Role.FUND for s in signatories
    )

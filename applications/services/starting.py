"""Starting an application: the early, clear "no" begins here."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import permissions
from applications.models import Application, Network, NetworkMember, Step
from core.events import record_event
from core.money import format_euros
from funds import eligibility
from funds.models import Programme

from .base import check_length


def network_facts(network: Network) -> eligibility.Facts:
    """What the network's record tells the rules (``funds.eligibility``): its legal form, its
    province (``None``, not known, refuses nothing) and how many people could sign: members who
    accepted their invitation and have an e-mail address (each signs with their own link).
    The amount is not known before the application is written."""
    people = (
        NetworkMember.objects.filter(network=network, user__is_active=True)
        .exclude(user__email="")
        .count()
    )
    return eligibility.Facts(
        legal_form=eligibility.LegalForm.ENTITY
        if network.has_legal_entity
        else eligibility.LegalForm.NONE,
        people=people,
        province=network.province,
    )


def eligibility_refusals(*, network: Network, programme: Programme) -> list[eligibility.Refusal]:
    """Every reason ``network`` cannot apply to ``programme`` now, each with its ``kind``."""
    return eligibility.refusals(programme, network_facts(network))


def eligibility_refusal(*, network: Network, programme: Programme) -> str | None:
    """Why ``network`` cannot apply to ``programme`` at all, whatever it writes; ``None`` if it
    can. The start page asks this before showing the form, ``application_create`` again inside
    its transaction, the referrals for the programmes they offer: the one rule
    (``funds.eligibility``), asked in every place."""
    reasons = eligibility_refusals(network=network, programme=programme)
    return " ".join(reasons) if reasons else None


@dataclass(frozen=True)
class RefusedNetwork:
    """One of a person's networks that cannot apply here: why, and where it can go instead."""

    network: Network
    reasons: list[eligibility.Refusal]
    #: Open programmes (other than this one) the network could apply to now.
    fitting: list[Programme]

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def kinds(self) -> set[str]:
        return {reason.kind for reason in self.reasons}

    @property
    def people_short(self) -> int:
        """How many more people must sign (0 when that is not the problem): the page then
        links to the network's invitations."""
        return max((reason.people_short for reason in self.reasons), default=0)


@dataclass(frozen=True)
class StartChoices:
    """The networks a person could start an application for, split by whether they may."""

    eligible: QuerySet[Network]
    #: Each of the person's networks that cannot apply here, with the reasons.
    refused: list[RefusedNetwork]

    @property
    def has_networks(self) -> bool:
        return bool(self.refused) or self.eligible.exists()


def start_choices(*, user, programme: Programme) -> StartChoices:
    """The networks ``user`` coordinates, those that may apply to ``programme`` and why the
    others may not (``funds.eligibility``), with the programmes that do fit each of those:
    what the start page offers before any typing."""
    networks = (
        Network.objects.filter(members__user=user, members__role=NetworkMember.Role.COORDINATOR)
        .select_related("province")
        .order_by("name")
    )
    eligible, refused = [], []
    for network in networks:
        facts = network_facts(network)
        reasons = eligibility.refusals(programme, facts)
        if not reasons:
            eligible.append(network.pk)
        else:
            fitting = eligibility.fitting_programmes(facts, exclude=programme)
            refused.append(RefusedNetwork(network=network, reasons=reasons, fitting=fitting))
    return StartChoices(eligible=networks.filter(pk__in=eligible), refused=refused)


@transaction.atomic
def application_create(
    *,
    network: Network,
    programme: Programme,
    actor,
    title: str,
    requested_amount: Decimal,
    referral=None,
) -> Application:
    """Start an application. ``referral``: the referral it is started from, whose programme
    then sees nothing of it until the network submits a step (``Application.kept_from_fund``)."""
    if permissions.network_role(network, actor) != NetworkMember.Role.COORDINATOR:
        raise PermissionDenied(_("Only a coordinator of the network can start an application."))
    # Serialise starts per network, so two clicks cannot open two applications to one programme.
    Network.objects.select_for_update().filter(pk=network.pk).first()
    errors: dict[str, list] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the application a short title.")]
    check_length(errors, "title", title, Application._meta.get_field("title").max_length)
    try:
        requested_amount = Decimal(requested_amount)
    except (TypeError, ArithmeticError):
        errors["requested_amount"] = [_("Enter an amount in euros.")]
    else:
        if not requested_amount.is_finite():  # NaN would raise in the comparisons below
            errors["requested_amount"] = [_("Enter an amount in euros.")]
        elif requested_amount < 0:
            errors["requested_amount"] = [_("Enter an amount of 0 or more.")]
        elif requested_amount > programme.max_amount:
            errors["requested_amount"] = [
                _("At most %(max)s per application in this programme.")
                % {"max": format_euros(programme.max_amount)}
            ]
        elif requested_amount != requested_amount.quantize(Decimal("0.01")):
            errors["requested_amount"] = [_("Use at most two decimals (cents).")]
    # Closed, legal form, too few people to sign, province: the start page's rule, asked again.
    if refusal := eligibility_refusal(network=network, programme=programme):
        errors["programme"] = [refusal]
    elif Application.objects.filter(
        network=network, programme=programme, state__in=Application.OPEN_STATES
    ).exists():
        errors["programme"] = [_("Your network already has an open application here.")]
    if errors:
        raise ValidationError(errors)

    application = Application.objects.create(
        network=network,
        programme=programme,
        title=title,
        requested_amount=requested_amount,
        created_by=actor,
        referral=referral,
        kept_from_fund=referral is not None,
    )
    now = timezone.now()
    steps = Step.objects.bulk_create(
        Step(
            application=application,
            order=order,
            key=blueprint["key"],
            title=blueprint["title"],
            intro=blueprint.get("intro", ""),
            questions=blueprint["questions"],
            status=Step.Status.OPEN if order == 1 else Step.Status.LOCKED,
            status_changed_at=now,
        )
        for order, blueprint in enumerate(programme.step_blueprints(), start=1)
    )
    application.current_step = steps[0]
    application.save(update_fields=["current_step"])
    record_event("application.created", subject=application)
    return application

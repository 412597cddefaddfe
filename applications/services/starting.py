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
from funds.models import Programme

from .base import check_length


def eligibility_refusal(*, network: Network, programme: Programme) -> str | None:
    """Why ``network`` cannot apply to ``programme`` at all, whatever it writes; ``None`` if it
    can. The start page asks this before showing the form, ``application_create`` again inside
    its transaction: the one rule, asked in both places."""
    if network.has_legal_entity or programme.accepts_informal_networks:
        return None
    return _(
        "This programme only supports foundations and associations. Look for a "
        "programme that accepts groups without one."
    )


@dataclass(frozen=True)
class StartChoices:
    """The networks a person could start an application for, split by whether they may."""

    eligible: QuerySet[Network]
    #: ``(network, reason)`` for each of the person's networks that cannot apply here.
    refused: list[tuple[Network, str]]

    @property
    def has_networks(self) -> bool:
        return bool(self.refused) or self.eligible.exists()


def start_choices(*, user, programme: Programme) -> StartChoices:
    """The networks ``user`` coordinates, those that may apply to ``programme`` and why the
    others may not (``eligibility_refusal``): what the start page offers before any typing."""
    networks = Network.objects.filter(
        members__user=user, members__role=NetworkMember.Role.COORDINATOR
    ).order_by("name")
    eligible, refused = [], []
    for network in networks:
        reason = eligibility_refusal(network=network, programme=programme)
        if reason is None:
            eligible.append(network.pk)
        else:
            refused.append((network, reason))
    return StartChoices(eligible=networks.filter(pk__in=eligible), refused=refused)


@transaction.atomic
def application_create(
    *, network: Network, programme: Programme, actor, title: str, requested_amount: Decimal
) -> Application:
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
    if not programme.is_open():
        errors["programme"] = [
            _("This programme is open from %(opens)s to %(closes)s.")
            % {"opens": programme.opens_on, "closes": programme.closes_on}
        ]
    elif refusal := eligibility_refusal(network=network, programme=programme):
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

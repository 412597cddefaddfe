"""Starting an application: the early, clear "no" begins here."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import permissions
from applications.models import Application, Network, NetworkMember, Step
from core.events import record_event
from funds.arrangements import INFORMAL_ARRANGEMENTS
from funds.models import Programme

from .base import check_length


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
                _("This programme gives at most €%(max)s.") % {"max": programme.max_amount}
            ]
        elif requested_amount != requested_amount.quantize(Decimal("0.01")):
            errors["requested_amount"] = [_("Use at most two decimals (cents).")]
    if not programme.is_open():
        errors["programme"] = [
            _("This programme is open from %(opens)s to %(closes)s.")
            % {"opens": programme.opens_on, "closes": programme.closes_on}
        ]
    elif not network.has_legal_entity and not (
        INFORMAL_ARRANGEMENTS & set(programme.accepted_arrangements)
    ):
        errors["programme"] = [
            _(
                "This programme only supports foundations and associations. Look for a "
                "programme that accepts groups without one."
            )
        ]
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

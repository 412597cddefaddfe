"""Networks and their members: start a network, change roles, leave, remove someone.

People join only by accepting an invitation (``applications.services.invitations``); nothing
here adds a member. A network always keeps a coordinator: the last one can neither step down,
nor leave, nor be removed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications import permissions
from applications.models import Network, NetworkMember


@transaction.atomic
def network_create(*, actor, name: str, **fields) -> Network:
    """Create a network; its creator becomes its first coordinator."""
    network = Network(name=(name or "").strip(), **fields)
    network.full_clean()
    network.save()
    NetworkMember.objects.create(network=network, user=actor, role=NetworkMember.Role.COORDINATOR)
    return network


#: What a coordinator may change about the network after starting it.
NETWORK_FIELDS = (
    "name",
    "description",
    "province",
    "area",
    "language",
    "legal_status",
    "kvk_number",
)


@transaction.atomic
def network_update(*, network: Network, actor, **fields) -> Network:
    """Change the network's details (its region and language too: the rules of a programme and
    the referral directory read them). Coordinators only."""
    require_coordinator(
        network, actor, _("Only a coordinator of the network can change its details.")
    )
    if set(fields) - set(NETWORK_FIELDS):
        raise ValidationError(
            _("Use only these fields: %(fields)s.") % {"fields": ", ".join(NETWORK_FIELDS)}
        )
    network = Network.objects.select_for_update().get(pk=network.pk)
    for field, value in fields.items():
        setattr(network, field, value.strip() if isinstance(value, str) else value)
    network.full_clean()
    network.save()
    return network


def require_coordinator(network: Network, actor, message: str) -> None:
    if permissions.network_role(network, actor) != NetworkMember.Role.COORDINATOR:
        raise PermissionDenied(message)


def require_role(role: str) -> None:
    if role not in NetworkMember.Role.values:
        raise ValidationError({"role": _("Choose coordinator or member.")})


def _lock_coordinators(network: Network) -> list[int]:
    """Lock the network's coordinators, so two of them stepping down or leaving at once cannot
    both win; the ids of the coordinators."""
    return list(
        NetworkMember.objects.select_for_update()
        .filter(network=network, role=NetworkMember.Role.COORDINATOR)
        .values_list("pk", flat=True)
    )


def _locked_member(network: Network, member: NetworkMember) -> NetworkMember:
    found = NetworkMember.objects.select_for_update().filter(pk=member.pk, network=network).first()
    if found is None:
        raise ValidationError(_("This person is not a member of the network."))
    return found


@transaction.atomic
def network_set_role(*, network: Network, actor, member: NetworkMember, role: str) -> NetworkMember:
    """Make a member coordinator, or a coordinator a plain member; a network keeps a coordinator."""
    require_coordinator(network, actor, _("Only a coordinator of the network can change roles."))
    require_role(role)
    coordinators = _lock_coordinators(network)
    member = _locked_member(network, member)
    if member.role == role:
        return member
    if role == NetworkMember.Role.MEMBER and coordinators == [member.pk]:
        raise ValidationError(
            {
                "role": _(
                    "A network needs at least one coordinator. Make someone else coordinator first."
                )
            }
        )
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def network_member_remove(*, network: Network, actor, member: NetworkMember) -> None:
    """A coordinator takes someone out of the network; never its last coordinator."""
    require_coordinator(network, actor, _("Only a coordinator of the network can remove members."))
    coordinators = _lock_coordinators(network)
    member = _locked_member(network, member)
    if coordinators == [member.pk]:
        raise ValidationError(
            _(
                "This is the network's last coordinator. Make someone else coordinator first, "
                "so the network keeps one."
            )
        )
    member.delete()


@transaction.atomic
def network_member_leave(*, network: Network, actor) -> None:
    """A member leaves the network; its last coordinator first hands the role to someone else."""
    refusal = permissions.member_rule(permissions.network_role(network, actor))
    if refusal:
        raise PermissionDenied(refusal)
    coordinators = _lock_coordinators(network)
    member = NetworkMember.objects.select_for_update().filter(network=network, user=actor).first()
    if member is None:  # left in another tab, a moment ago
        raise ValidationError(_("You are no longer a member of this network."))
    if coordinators == [member.pk]:
        raise ValidationError(
            _(
                "You are the last coordinator of this network. Make someone else coordinator "
                "before you leave."
            )
        )
    member.delete()

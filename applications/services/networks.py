"""Networks and their members."""

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


@transaction.atomic
def network_add_member(
    *, network: Network, actor, user, role: str = NetworkMember.Role.MEMBER
) -> NetworkMember:
    if permissions.network_role(network, actor) != NetworkMember.Role.COORDINATOR:
        raise PermissionDenied(_("Only a coordinator of the network can add members."))
    if role not in NetworkMember.Role.values:
        raise ValidationError({"role": _("Choose coordinator or member.")})
    if NetworkMember.objects.filter(network=network, user=user).exists():
        raise ValidationError({"user": _("This person is already a member of the network.")})
    return NetworkMember.objects.create(network=network, user=user, role=role)

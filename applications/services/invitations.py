"""Invitations into a network (pending until the invited person accepts).

Sign-in links (asking for one, using one) live in ``applications.services.accounts``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import invitation_links, notifications, permissions
from applications.models import Network, NetworkInvitation, NetworkMember

from .networks import require_coordinator, require_role


def _open_invitation(invitation: NetworkInvitation) -> NetworkInvitation:
    """The invitation, locked, if it can still be sent again or withdrawn."""
    locked = NetworkInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_open:
        raise ValidationError(
            _("This invitation has already been answered or withdrawn. Invite the person again.")
        )
    return locked


@transaction.atomic
def network_invite_member(
    *, network: Network, actor, email: str, role: str = NetworkMember.Role.MEMBER
) -> NetworkInvitation:
    """Invite an e-mail address into the network; it becomes a member only by accepting.

    No account is looked up for the inviter or created: the answer is the same for every
    address, and names only the address as typed. The invitee's message with the personal link
    is written in this transaction and mailed after the commit
    (``applications.notifications.invitation_sent``).
    """
    require_coordinator(network, actor, _("Only a coordinator of the network can invite members."))
    require_role(role)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    # One invitation at a time per network, so two coordinators cannot invite one address twice.
    Network.objects.select_for_update().filter(pk=network.pk).first()
    # Coordinators already see their members' addresses: saying so tells them nothing new.
    if NetworkMember.objects.filter(network=network, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the network.")})
    invitation = (
        NetworkInvitation.objects.select_for_update()
        .filter(
            network=network,
            email__iexact=email,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    if invitation is not None and not invitation.is_expired():
        raise ValidationError(
            {"email": _("This address has an open invitation already. You can send it again.")}
        )
    # An expired invitation to the same address is renewed rather than duplicated.
    invitation = invitation or NetworkInvitation(network=network)
    invitation.email, invitation.role, invitation.invited_by = email, role, actor
    invitation_links.renew(invitation)
    invitation.save()
    # A mail server that is down does not undo the invitation: the mail worker retries it.
    notifications.invitation_sent(invitation)
    return invitation


@transaction.atomic
def network_invitation_resend(*, invitation: NetworkInvitation, actor) -> NetworkInvitation:
    """Send an open invitation again: a new link, valid for another 7 days; the old link dies."""
    require_coordinator(
        invitation.network_id, actor, _("Only a coordinator of the network can resend invitations.")
    )
    invitation = _open_invitation(invitation)
    invitation_links.renew(invitation)
    invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
    notifications.invitation_sent(invitation)
    return invitation


@transaction.atomic
def network_invitation_revoke(*, invitation: NetworkInvitation, actor) -> NetworkInvitation:
    """Withdraw an open invitation: its link stops working."""
    require_coordinator(
        invitation.network_id,
        actor,
        _("Only a coordinator of the network can withdraw invitations."),
    )
    invitation = _open_invitation(invitation)
    invitation.revoked_at, invitation.revoked_by = timezone.now(), actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def _answerable(token: str, actor) -> NetworkInvitation:
    """The invitation of this link, locked, if ``actor`` is the person it was sent to."""
    invitation = invitation_links.invitation_for_token(token, for_update=True)
    refusal = permissions.invitee_refusal(invitation, actor)
    if refusal:
        raise PermissionDenied(refusal)
    return invitation


@transaction.atomic
def network_invitation_accept(*, token: str, actor) -> NetworkMember:
    """The invited person, signed in with the invited address, joins the network."""
    invitation = _answerable(token, actor)
    member = NetworkMember.objects.filter(network_id=invitation.network_id, user=actor).first()
    if member is None:
        member = NetworkMember.objects.create(
            network_id=invitation.network_id, user=actor, role=invitation.role
        )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def network_invitation_decline(*, token: str, actor) -> NetworkInvitation:
    """The invited person says no; the link stops working and nobody joins."""
    invitation = _answerable(token, actor)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation

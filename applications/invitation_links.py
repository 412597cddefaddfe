"""Personal invitation links: signed with Django's signing framework, single-use, expiring.

A link names one invitation and that invitation's current nonce. It stops working after
``max_age()`` (7 days unless NETWORK_INVITATION_MAX_AGE says otherwise), when the invitation was
answered (accepted or declined) or withdrawn, and when it was sent again (the nonce changed).
The link alone never makes anyone a member: the person must also be signed in with the invited
address (``applications.permissions.invitee_refusal``).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import NetworkInvitation

SALT = "applications.network-invitation"


def max_age() -> int:
    """How long an invitation stays valid, in seconds."""
    return int(getattr(settings, "NETWORK_INVITATION_MAX_AGE", 7 * 24 * 3600))


def renew(invitation: NetworkInvitation, *, now=None) -> None:
    """A new nonce and a new expiry, in memory: every earlier link of this invitation dies."""
    now = now or timezone.now()
    invitation.nonce = secrets.token_urlsafe(32)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(seconds=max_age())


def invitation_token(invitation: NetworkInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def invitation_url(invitation: NetworkInvitation) -> str:
    path = reverse("invitation_respond", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


def invitation_for_token(token: str, *, for_update: bool = False) -> NetworkInvitation:
    """The open invitation this link belongs to, or a ValidationError with a reason to read.

    ``for_update`` locks its row, for the services that answer it.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ValidationError(_expired_message()) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied all of it.")
        ) from None
    invitations = NetworkInvitation.objects.select_related("network", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=data.get("i")).first() if isinstance(data, dict) else None
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied all of it.")
        )
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn by the network."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.declined_at is not None:
        raise ValidationError(_("This invitation has already been declined."))
    if not invitation.nonce or not secrets.compare_digest(invitation.nonce, str(data.get("n"))):
        raise ValidationError(
            _("This invitation was sent again with a new link. Use the latest e-mail.")
        )
    if invitation.is_expired():
        raise ValidationError(_expired_message())
    return invitation


def _expired_message() -> str:
    return _("This invitation has expired. Ask the network's coordinator to send it again.")

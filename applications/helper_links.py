"""Personal links of an invitation to help write an application: as a network invitation's
(``applications.invitation_links``), signed, single-use and expiring, under a salt of their own
so one kind of link never opens the other.

A link names one ``ApplicationHelper`` and its current nonce. It stops working after
``invitation_links.max_age()``, when the invitation was answered or withdrawn, when it was sent
again (the nonce changed) and when the application is no longer open. The link alone makes
nobody a helper: the person must also be signed in with the invited address
(``applications.permissions.helper_invitee_refusal``).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.invitation_links import max_age
from applications.invitation_links import renew as _renew_invitation
from applications.models import ApplicationHelper

SALT = "applications.application-helper"


def renew(helper: ApplicationHelper, *, now=None) -> None:
    """A new nonce and a new expiry, in memory: every earlier link of this invitation dies."""
    _renew_invitation(helper, now=now)


def is_expired(helper: ApplicationHelper) -> bool:
    return helper.expires_at is not None and helper.expires_at <= timezone.now()


def is_pending(helper: ApplicationHelper) -> bool:
    """Not answered, not withdrawn and not expired: its link still works."""
    unanswered = helper.accepted_at is None and helper.declined_at is None
    return unanswered and helper.removed_at is None and not is_expired(helper)


def helper_token(helper: ApplicationHelper) -> str:
    return signing.dumps({"h": helper.pk, "n": helper.nonce}, salt=SALT, compress=True)


def helper_url(helper: ApplicationHelper) -> str:
    path = reverse("helper_respond", args=[helper_token(helper)])
    return f"{settings.SITE_URL}{path}"


def _not_valid() -> str:
    return _("This invitation link is not valid. Check that you copied all of it.")


def _expired() -> str:
    return _("This invitation has expired. Ask the network's coordinator to send it again.")


def helper_for_token(token: str, *, for_update: bool = False) -> ApplicationHelper:
    """The open invitation to help this link belongs to, or a ValidationError with a reason.

    ``for_update`` locks its row, for the services that answer it.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ValidationError(_expired()) from None
    except signing.BadSignature:
        raise ValidationError(_not_valid()) from None
    helpers = ApplicationHelper.objects.select_related(
        "application__network", "application__programme__fund", "invited_by"
    )
    if for_update:
        helpers = helpers.select_for_update(of=("self",))
    helper = helpers.filter(pk=data.get("h")).first() if isinstance(data, dict) else None
    if helper is None:
        raise ValidationError(_not_valid())
    if helper.removed_at is not None:
        raise ValidationError(_("This invitation was withdrawn by the network."))
    if helper.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if helper.declined_at is not None:
        raise ValidationError(_("This invitation has already been declined."))
    if not helper.nonce or not secrets.compare_digest(helper.nonce, str(data.get("n"))):
        raise ValidationError(
            _("This invitation was sent again with a new link. Use the latest e-mail.")
        )
    if is_expired(helper):
        raise ValidationError(_expired())
    if not helper.application.is_open:
        raise ValidationError(
            _("This application is no longer being written, so it needs no help any more.")
        )
    return helper

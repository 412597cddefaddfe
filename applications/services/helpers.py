"""Helpers: people a network invites to help write one application (a neighbourhood broker, a
welfare worker, a volunteer from another network).

A helper writes drafts, comments and reads the application; never submits, withdraws, signs or
sees an agreement (``applications.permissions``). Like a network member, a helper is invited by
e-mail address and counts only after accepting, signed in with that address. The help ends
when a coordinator removes them, when they stop themselves, or when the application is no
longer open (the selectors and ``permissions.is_helping`` ask the state every time).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import helper_links, notifications, permissions
from applications.models import Application, ApplicationHelper, NetworkMember
from core.exceptions import InvalidTransition

from .base import lock_application, require


def _require_open(application: Application) -> None:
    if not application.is_open:
        raise InvalidTransition(
            _("This application is no longer being written: it needs no helpers now.")
        )


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    return email


@transaction.atomic
def helper_invite(*, application: Application, actor, email: str) -> ApplicationHelper:
    """Invite an e-mail address to help write ``application``; it helps only by accepting.

    As a network invitation: no account is looked up for the inviter or created, and the answer
    names only the address as typed. The invitee's message is written in this transaction and
    mailed after the commit (``notifications.helper_invited``).
    """
    # The application's row lock: two coordinators cannot invite one address twice at once.
    application = lock_application(application)
    require(permissions.helper_manage_refusal(application, actor))
    _require_open(application)
    email = _clean_email(email)
    # Coordinators already see their members' addresses: saying so tells them nothing new.
    if NetworkMember.objects.filter(
        network_id=application.network_id, user__email__iexact=email
    ).exists():
        raise ValidationError(
            {"email": _("This person is a member of the network: they can write it already.")}
        )
    # One invitation or helper per address and application at a time (the model's unique
    # constraint on open rows): said here in words, before the database says it in an error.
    current = (
        ApplicationHelper.objects.select_for_update()
        .filter(
            application=application,
            email__iexact=email,
            declined_at__isnull=True,
            removed_at__isnull=True,
        )
        .first()
    )
    if current is not None and current.accepted_at is not None:
        raise ValidationError({"email": _("This person helps with this application already.")})
    if current is not None and not helper_links.is_expired(current):
        raise ValidationError(
            {"email": _("This address has an open invitation already. You can send it again.")}
        )
    # An expired invitation to the same address is renewed rather than duplicated.
    helper = current or ApplicationHelper(application=application)
    helper.email, helper.invited_by = email, actor
    helper_links.renew(helper)
    helper.save()
    notifications.helper_invited(helper)
    return helper


def _locked(helper: ApplicationHelper) -> ApplicationHelper:
    return (
        ApplicationHelper.objects.select_for_update(of=("self",))
        .select_related("application__network", "application__programme__fund", "user")
        .get(pk=helper.pk)
    )


@transaction.atomic
def helper_resend(*, helper: ApplicationHelper, actor) -> ApplicationHelper:
    """Send an unanswered invitation again: a new link, valid for another 7 days."""
    helper = _locked(helper)
    require(permissions.helper_manage_refusal(helper.application, actor))
    _require_open(helper.application)
    if helper.accepted_at or helper.declined_at or helper.removed_at:
        raise ValidationError(
            _("This invitation has already been answered or withdrawn. Invite the person again.")
        )
    helper_links.renew(helper)
    helper.save(update_fields=["nonce", "sent_at", "expires_at"])
    notifications.helper_invited(helper)
    return helper


@transaction.atomic
def helper_remove(*, helper: ApplicationHelper, actor) -> ApplicationHelper:
    """End someone's help, or withdraw an unanswered invitation to help: a coordinator does, or
    the helper themselves (they stop helping). Their earlier drafts and comments stay."""
    helper = _locked(helper)
    require(permissions.helper_remove_refusal(helper, actor))
    if helper.removed_at is not None or helper.declined_at is not None:
        raise ValidationError(_("This person no longer helps with this application."))
    helper.removed_at, helper.removed_by = timezone.now(), actor
    helper.save(update_fields=["removed_at", "removed_by"])
    return helper


def _answerable(token: str, actor) -> ApplicationHelper:
    """The invitation of this link, locked, if ``actor`` is the person it was sent to."""
    helper = helper_links.helper_for_token(token, for_update=True)
    require(permissions.helper_invitee_refusal(helper, actor))
    return helper


@transaction.atomic
def helper_accept(*, token: str, actor) -> ApplicationHelper:
    """The invited person, signed in with the invited address, starts helping; the network's
    coordinators hear of it."""
    helper = _answerable(token, actor)
    refusal = permissions.helper_accept_refusal(helper, actor)
    if refusal:
        raise PermissionDenied(refusal)
    helper.user, helper.accepted_at = actor, timezone.now()
    helper.save(update_fields=["user", "accepted_at"])
    notifications.helper_accepted(helper)
    return helper


@transaction.atomic
def helper_decline(*, token: str, actor) -> ApplicationHelper:
    """The invited person says no; the link stops working and nobody helps."""
    helper = _answerable(token, actor)
    helper.declined_at = timezone.now()
    helper.save(update_fields=["declined_at"])
    return helper

"""Inviting people into a network, changing their role, and e-mailing sign-in links.

Sign-in links are django-sesame tokens: valid for SESAME_MAX_AGE and, with SESAME_ONE_TIME, only
once. Volunteers sign in with them instead of remembering a password.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from sesame.utils import get_parameters

from applications import permissions
from applications.models import Network, NetworkMember


def sign_in_link(user, *, next_url: str = "") -> str:
    """An absolute one-time sign-in link for ``user``, optionally leading on to ``next_url``."""
    parameters = get_parameters(user)
    if next_url:
        parameters["next"] = next_url
    return f"{settings.SITE_URL}{reverse('magic_login')}?{urlencode(parameters)}"


def _link_validity_minutes() -> int:
    return int(getattr(settings, "SESAME_MAX_AGE", 300) or 300) // 60


def user_for_email(email: str):
    """The account with this e-mail address, or a new one without a password.

    Volunteers never choose a username or password: their e-mail address is their account.
    """
    User = get_user_model()
    email = email.strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User.objects.filter(username=email.lower()).first()
    if user is None:
        user = User(username=email.lower(), email=email.lower())
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def sign_in_link_send(*, email: str, next_url: str = "") -> None:
    """E-mail a sign-in link to the account with this address, creating one for a newcomer.

    Anyone can start with just an e-mail address; the account only becomes usable by clicking
    the link in that mailbox. A deactivated account gets nothing. The caller shows the same
    page either way, so nobody can find out who has an account.
    """
    email = (email or "").strip()
    validate_email(email)
    user = user_for_email(email)
    users = [user] if user.is_active else []
    for user in users:
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Hello,\n\nUse this link to sign in to Eigenwijs:\n\n%(link)s\n\n"
                "The link works once and for %(minutes)s minutes. If you did not ask for it, "
                "you can ignore this e-mail."
            ) % {"link": sign_in_link(user, next_url=next_url), "minutes": _link_validity_minutes()}
            subject = _("Your sign-in link for Eigenwijs")
        send_mail(subject, body, None, [user.email])


def _require_coordinator(network: Network, actor, message: str) -> None:
    if permissions.network_role(network, actor) != NetworkMember.Role.COORDINATOR:
        raise PermissionDenied(message)


def _require_role(role: str) -> None:
    if role not in NetworkMember.Role.values:
        raise ValidationError({"role": _("Choose coordinator or member.")})


@transaction.atomic
def network_invite_member(
    *, network: Network, actor, email: str, role: str = NetworkMember.Role.MEMBER
) -> NetworkMember:
    """Add the person with this e-mail address to the network, creating an account if needed.

    The invitee gets an e-mail with a sign-in link to the network's page after the commit.
    """
    _require_coordinator(network, actor, _("Only a coordinator of the network can invite members."))
    _require_role(role)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error

    user = user_for_email(email)
    if NetworkMember.objects.filter(network=network, user=user).exists():
        raise ValidationError({"email": _("This person is already a member of the network.")})

    member = NetworkMember.objects.create(network=network, user=user, role=role)
    transaction.on_commit(lambda: send_invitation(member_id=member.pk, actor_id=actor.pk))
    return member


def send_invitation(*, member_id: int, actor_id: int) -> None:
    member = NetworkMember.objects.select_related("network", "user").get(pk=member_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if not member.user.email or not member.user.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        inviter = (actor.get_full_name() or actor.get_username()) if actor else "Eigenwijs"
        body = _(
            "Hello,\n\n%(inviter)s added you to the network “%(network)s” on Eigenwijs, "
            "as %(role)s.\n\nUse this link to sign in and see the network:\n\n%(link)s\n\n"
            "The link works once and for %(minutes)s minutes. Has it expired? Ask for a new "
            "one here: %(request_link)s"
        ) % {
            "inviter": inviter,
            "network": member.network.name,
            "role": member.get_role_display().lower(),
            "link": sign_in_link(
                member.user, next_url=reverse("network_detail", args=[member.network_id])
            ),
            "minutes": _link_validity_minutes(),
            "request_link": f"{settings.SITE_URL}{reverse('magic_link')}",
        }
        subject = _("You were added to %(network)s on Eigenwijs") % {"network": member.network.name}
    send_mail(subject, body, None, [member.user.email])


@transaction.atomic
def network_set_role(*, network: Network, actor, member: NetworkMember, role: str) -> NetworkMember:
    """Make a member coordinator, or a coordinator a plain member; a network keeps a coordinator."""
    _require_coordinator(network, actor, _("Only a coordinator of the network can change roles."))
    _require_role(role)
    # Lock the network's coordinators, so two coordinators stepping down at once cannot both win.
    coordinators = list(
        NetworkMember.objects.select_for_update()
        .filter(network=network, role=NetworkMember.Role.COORDINATOR)
        .values_list("pk", flat=True)
    )
    member = NetworkMember.objects.select_for_update().filter(pk=member.pk, network=network).first()
    if member is None:
        raise ValidationError(_("This person is not a member of the network."))
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

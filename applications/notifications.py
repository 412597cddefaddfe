"""E-mails after a change has committed: to the other side of a workflow action, and to the
address a network invited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.invitation_links import invitation_url
from applications.models import Application, NetworkInvitation, Step

#: Transitions the network takes notify the fund; the fund's notify the network.
NETWORK_ACTIONS = {"submit_step", "withdraw"}


def recipients(application, transition_name: str, actor_id: int | None) -> list[str]:
    User = get_user_model()
    if transition_name in NETWORK_ACTIONS:
        users = User.objects.filter(fund_memberships__fund=application.programme.fund_id)
    else:
        users = User.objects.filter(network_memberships__network=application.network_id)
    users = users.filter(is_active=True).exclude(email="")
    if actor_id is not None:
        users = users.exclude(pk=actor_id)
    return sorted(set(users.values_list("email", flat=True)))


def notify_transition(
    *, application_id: int, transition_name: str, step_id: int | None, actor_id: int | None
) -> None:
    application = Application.objects.select_related(
        "network", "programme__fund", "current_step"
    ).get(pk=application_id)
    to = recipients(application, transition_name, actor_id)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "transition": transition_name,
            "step": Step.objects.filter(pk=step_id).first(),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("applications/email/transition_subject.txt", context)
        body = render_to_string("applications/email/transition_body.txt", context)
    # One message per recipient so nobody sees the others' addresses.
    send_mass_mail(
        [(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [email]) for email in to],
        fail_silently=False,
    )


def notify_invitation(*, invitation_id: int) -> None:
    """E-mail an open invitation's personal link to the address as the coordinator typed it.

    Sent the same way whether or not the address has an account: the inviter learns nothing.
    """
    invitation = (
        NetworkInvitation.objects.select_related("network", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return
    inviter = invitation.invited_by
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Hello,\n\n%(inviter)s invites you to join the network “%(network)s” on Eigenwijs, "
            "as %(role)s.\n\nOpen this link to accept or decline the invitation:\n\n%(link)s\n\n"
            "You will be asked to sign in with this e-mail address. The link works until "
            "%(expires)s. Do you not know this network? Then you can ignore this e-mail: "
            "nothing happens without your consent."
        ) % {
            "inviter": (inviter.get_full_name() or inviter.get_username())
            if inviter
            else _("A coordinator"),
            "network": invitation.network.name,
            "role": invitation.get_role_display().lower(),
            "link": invitation_url(invitation),
            "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
        }
        subject = _("Invitation to join %(network)s on Eigenwijs") % {
            "network": invitation.network.name
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])

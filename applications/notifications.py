"""E-mails to the other side after a workflow action has committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from applications.models import Application, Step

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

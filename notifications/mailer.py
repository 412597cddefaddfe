"""Sending messages: once each, retried with back-off when the mail server fails.

``deliver`` locks the message's row for as long as it talks to the mail server, so two workers
(or a worker and the sweep) never send the same message; a message is marked ``sent`` in the
same transaction. A mail server that refuses or cannot be reached leaves the message ``pending``
with the next attempt after NOTIFICATION_RETRY_BASE × 2^(attempts-1) seconds (at most
NOTIFICATION_RETRY_MAX_DELAY); after NOTIFICATION_MAX_ATTEMPTS it is ``failed`` and shown as such
in the admin. The personal link is made here, at sending time, so no usable token is stored.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import links
from notifications.models import LINK_MARK, Notification

logger = logging.getLogger(__name__)

#: What a failing mail server raises: refused, unreachable, timed out, or cut off.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def retry_delay(attempts: int) -> timedelta:
    base = int(getattr(settings, "NOTIFICATION_RETRY_BASE", 60))
    ceiling = int(getattr(settings, "NOTIFICATION_RETRY_MAX_DELAY", 6 * 3600))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 10))


def link_for(notification: Notification) -> str:
    """The link the e-mail carries: personal, signing in for the place, or plain."""
    if notification.link == Notification.Link.PERSONAL:
        made = links.personal_link(notification.link_maker, notification.link_object_id)
        if made:
            return made
    if (
        notification.link == Notification.Link.PLACE
        and notification.recipient_id
        and links.signs_in_by_link(notification.recipient)
    ):
        return links.place_url(
            notification.recipient, notification.path, notification_id=notification.pk
        )
    return f"{settings.SITE_URL}{notification.path}"


def unsubscribe_link(notification: Notification) -> str:
    if notification.required or notification.recipient_id is None:
        return ""
    return links.unsubscribe_url(notification.recipient)


def _bodies(subject: str, text: str, link: str, unsubscribe: str, language: str):
    with translation.override(language):
        context = {
            "subject": subject,
            "text": text,
            "link": link,
            "unsubscribe": unsubscribe,
            "language": language,
        }
        plain = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    return plain, html


def build_message(notification: Notification) -> EmailMultiAlternatives:
    link = link_for(notification)
    unsubscribe = unsubscribe_link(notification)
    text = notification.text.replace(LINK_MARK, link)
    plain, html = _bodies(notification.subject, text, link, unsubscribe, notification.language)
    headers = {"Message-ID": notification.message_id or make_msgid(domain="eigenwijs")}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=plain,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if notification.attachment_path:
        with default_storage.open(notification.attachment_path, "rb") as handle:
            message.attach(
                notification.attachment_name, handle.read(), notification.attachment_type
            )
    return message


def deliver(notification_id: int, *, now=None) -> str | None:
    """Send one pending message if it is due; the state it is left in (None: nothing to do)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, mail=Notification.Mail.PENDING)
            .first()
        )
        if notification is None:
            return None
        if notification.next_attempt_at and notification.next_attempt_at > now:
            return notification.mail
        try:
            message = build_message(notification)
            message.connection = get_connection(fail_silently=False)
            message.send()
        except MAIL_ERRORS as error:
            return _failed(notification, error, now)
        notification.mail = Notification.Mail.SENT
        notification.sent_at = now
        notification.attempts += 1
        notification.message_id = message.extra_headers["Message-ID"]
        notification.last_error = ""
        notification.save(update_fields=["mail", "sent_at", "attempts", "message_id", "last_error"])
        return notification.mail


def _failed(notification: Notification, error: Exception, now) -> str:
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:500]
    if notification.attempts >= max_attempts():
        notification.mail = Notification.Mail.FAILED
        notification.next_attempt_at = None
        logger.error("Gave up on notification %s: %s", notification.pk, notification.last_error)
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        logger.warning(
            "Notification %s not sent (attempt %s), retry at %s: %s",
            notification.pk,
            notification.attempts,
            notification.next_attempt_at.isoformat(),
            notification.last_error,
        )
    notification.save(update_fields=["attempts", "last_error", "mail", "next_attempt_at"])
    return notification.mail


def due(now=None):
    """The pending messages whose (next) attempt is due."""
    now = now or timezone.now()
    return Notification.objects.filter(mail=Notification.Mail.PENDING).exclude(
        next_attempt_at__gt=now
    )


def send_due(*, now=None) -> dict[str, int]:
    """Send every pending message that is due: the sweep behind the worker (and cron)."""
    counts: dict[str, int] = {}
    for pk in due(now).order_by("created_at", "pk").values_list("pk", flat=True):
        state = deliver(pk, now=now)
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts


def digest_subject(count: int) -> str:
    return _("Eigenwijs: %(count)s new messages") % {"count": count}

"""The daily e-mail for people who chose it: every message of the day in one mail.

Each entry keeps its own link to its place (signing in, as every message's link does). The
messages stay ``digest`` until the mail is sent, so a failing mail server loses nothing: the
next run sends them.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications import links
from notifications.mailer import MAIL_ERRORS, digest_subject, link_for
from notifications.models import LINK_MARK, Notification

logger = logging.getLogger(__name__)


def _send(user, notifications: list[Notification], now) -> bool:
    language = notifications[-1].language
    entries = []
    for notification in notifications:
        link = link_for(notification)
        entries.append(
            {
                "subject": notification.subject,
                "text": notification.text.replace(LINK_MARK, link),
                "link": link,
            }
        )
    unsubscribe = links.unsubscribe_url(user)
    with translation.override(language):
        subject = digest_subject(len(entries))
        context = {
            "subject": subject,
            "entries": entries,
            "unsubscribe": unsubscribe,
            "language": language,
        }
        plain = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=plain,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notifications[-1].email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=get_connection(fail_silently=False),
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Daily e-mail to user %s not sent, kept for the next run: %s", user.pk, error
        )
        return False
    return True


def send_digests(*, now=None) -> int:
    """Send each person their waiting messages in one e-mail; how many e-mails went out."""
    now = now or timezone.now()
    sent = 0
    user_ids = (
        Notification.objects.filter(mail=Notification.Mail.DIGEST, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in sorted(set(user_ids)):
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(recipient_id=user_id, mail=Notification.Mail.DIGEST, created_at__lte=now)
                .order_by("created_at", "pk")
            )
            if not waiting or not _send(waiting[0].recipient, waiting, now):
                continue
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                mail=Notification.Mail.SENT, sent_at=now
            )
            sent += 1
    return sent

"""Writing messages: in the caller's transaction, one per recipient, in the recipient's language.

Apps say what happened from their own ``notifications.py``; this module decides nothing about
who should hear of what. It knows how a message is written, stored and handed to the mailer:

    notify(people(officers, exclude=actor), kind="comment.created",
           template="applications/email/comment", context={...}, path=step_url + "#thread-q1")

``template`` names two templates: ``<template>_subject.txt`` (one line) and ``<template>.txt``
(the plain text). Both are rendered with the recipient's language active and ``recipient`` in
the context; write ``{{ link }}`` where the personal link goes. The HTML part is made from the
plain text (``notifications.mailer``), so the two never say different things.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import LINK_MARK, Notification, Preference
from notifications.tasks import enqueue_sending


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to: an account, or an address without one (a signatory, an invitee)."""

    email: str
    user: Any = None
    language: str = ""

    @property
    def name(self) -> str:
        if self.user is None:
            return ""
        return self.user.get_full_name() or ""


@dataclass(frozen=True)
class Attachment:
    """A stored file to attach: its name in the default storage, the name to show, its type."""

    path: str
    filename: str
    content_type: str = "application/pdf"


def _language(preference: Preference | None) -> str:
    return preference.language if preference is not None else settings.LANGUAGE_CODE


def people(users: Iterable, *, exclude=None) -> list[Recipient]:
    """The active accounts among ``users`` that have an address, except ``exclude`` (the actor).

    ``users`` is a queryset or a list of accounts; each is addressed in their stored language.
    """
    exclude_id = getattr(exclude, "pk", exclude)
    if hasattr(users, "model"):
        users = users.select_related("notification_preference")
    found: dict[str, Recipient] = {}
    for user in users:
        if not user.is_active or not user.email or user.pk == exclude_id:
            continue
        preference = getattr(user, "notification_preference", None)
        found.setdefault(
            user.email.lower(),
            Recipient(email=user.email, user=user, language=_language(preference)),
        )
    return list(found.values())


def address(email: str, *, language: str = "") -> Recipient:
    """An e-mail address; its account (and that account's language) when it has one."""
    User = get_user_model()
    user = (
        User.objects.select_related("notification_preference")
        .filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")
        .first()
    )
    if user is not None:
        preference = getattr(user, "notification_preference", None)
        return Recipient(email=email.strip(), user=user, language=language or _language(preference))
    return Recipient(email=email.strip(), language=language or settings.LANGUAGE_CODE)


def preference_of(user) -> Preference | None:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


def _mail_state(recipient: Recipient, required: bool) -> str:
    if required or recipient.user is None:
        return Notification.Mail.PENDING
    preference = preference_of(recipient.user)
    frequency = preference.frequency if preference else Preference.Frequency.IMMEDIATELY
    return {
        Preference.Frequency.DAILY: Notification.Mail.DIGEST,
        Preference.Frequency.NEVER: Notification.Mail.SKIPPED,
    }.get(frequency, Notification.Mail.PENDING)


#: What a person's own words may not contain: the placeholder, which would become a link.
DEFUSED_MARK = LINK_MARK.replace("[[", "[ [")


def render(template: str, context: dict, language: str) -> tuple[str, str]:
    """The subject (one line) and the plain text of a message, in ``language``.

    The template's ``{{ link }}`` is rendered as a mark nobody can guess, and only that becomes
    the placeholder: a comment that quotes "[[link]]" stays text and never a sign-in link.
    """
    mark = f"[[link-{secrets.token_hex(8)}]]"
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", {**context, "link": mark})
    text = text.replace(LINK_MARK, DEFUSED_MARK).replace(mark, LINK_MARK)
    return " ".join(subject.split())[:300], text.strip() + "\n"


def notify(
    recipients: Iterable[Recipient],
    *,
    kind: str,
    template: str,
    context: dict,
    path: str,
    required: bool = False,
    link: str = Notification.Link.PLACE,
    link_maker: str = "",
    link_object_id: int | None = None,
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Write one message per recipient in the current transaction; mail them after the commit.

    ``required`` messages (signing links, the signed contract) are sent whatever the person
    chose and carry no unsubscribe link. ``link_maker`` with ``link_object_id`` asks the app
    that registered the maker for a personal link (``notifications.links``) when the mail goes.
    """
    written = []
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.email.lower() in seen:
            continue
        seen.add(recipient.email.lower())
        subject, text = render(template, {**context, "recipient": recipient}, recipient.language)
        written.append(
            Notification(
                recipient=recipient.user,
                email=recipient.email,
                language=recipient.language,
                kind=kind,
                subject=subject,
                text=text,
                path=path,
                link=Notification.Link.PERSONAL if link_maker else link,
                link_maker=link_maker,
                link_object_id=link_object_id,
                required=required,
                attachment_path=attachment.path if attachment else "",
                attachment_name=attachment.filename if attachment else "",
                attachment_type=attachment.content_type if attachment else "",
                mail=_mail_state(recipient, required),
            )
        )
    if not written:
        return []
    for notification in written:
        notification.save()
    send_after_commit([n.pk for n in written if n.mail == Notification.Mail.PENDING])
    return written


def send_after_commit(notification_ids: list[int]) -> None:
    """Hand the messages to the task worker once the transaction that wrote them commits."""
    if not notification_ids:
        return

    def enqueue_notifications_after_commit() -> None:
        enqueue_sending(notification_ids)

    transaction.on_commit(enqueue_notifications_after_commit, robust=True)

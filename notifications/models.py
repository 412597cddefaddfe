"""What a person hears of the conversation: their preferences, and every message to them.

A ``Notification`` is written in the same transaction as the change it reports (the outbox, as
``core.Event`` is for webhooks) and sent by the task worker after the commit: a rolled-back
change leaves no message, and a message that could not be sent stays ``pending`` until it is.
Its texts are rendered when it is written, in the recipient's language, with a placeholder where
the personal link goes: the link (which signs the recipient in) is made only when the mail is
sent, so the database never holds a sign-in token.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Stands in the stored text for the personal link, which is made only when the mail is sent.
LINK_MARK = "[[link]]"


def default_language() -> str:
    """The site's language (Dutch): a callable, so settings are read when a row is made."""
    return settings.LANGUAGE_CODE


class Preference(models.Model):
    """A person's language and how often they want e-mail."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately, one e-mail per message")
        DAILY = "daily", _("Once a day, all messages in one e-mail")
        NEVER = "never", _("No e-mail (only messages I must receive, such as signing links)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=default_language
    )
    frequency = models.CharField(
        _("e-mail"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} – {self.language} – {self.frequency}"


class Notification(models.Model):
    """One message to one person: shown in their list, and e-mailed unless they chose not to."""

    class Mail(models.TextChoices):
        PENDING = "pending", _("To be sent")
        DIGEST = "digest", _("Waits for the daily e-mail")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent: the person chose no e-mail")
        FAILED = "failed", _("Not sent: the mail server kept refusing")

    class Link(models.TextChoices):
        #: A link to ``path`` that signs the recipient's account in for that place (7 days).
        PLACE = "place", _("Signs in for this place")
        #: ``path`` as it is: a page that needs no sign-in.
        PLAIN = "plain", _("Plain link")
        #: A personal link made by the app that wrote the message (a signing or invitation
        #: link), from ``link_object_id``; see ``notifications.links.register_link_maker``.
        PERSONAL = "personal", _("Personal link")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    path = models.CharField(_("place"), max_length=500)
    link = models.CharField(max_length=10, choices=Link.choices, default=Link.PLACE)
    link_maker = models.CharField(max_length=60, blank=True)
    link_object_id = models.BigIntegerField(null=True, blank=True)
    #: Signing links and contracts: sent whatever the person's preference, without unsubscribe.
    required = models.BooleanField(_("must be sent"), default=False)
    attachment_path = models.CharField(max_length=500, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=Mail.choices, default=Mail.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(mail__in=["pending", "digest"]),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderSent(models.Model):
    """A reminder that went out, so the job that sends reminders never sends one twice.

    ``key`` names the reminder and the occasion, e.g. ``report-due-14:31`` or
    ``report-late:31:2026-W49``: a weekly reminder has one key per week.
    """

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key

"""What a person does with their own messages and preferences. Each is one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, Preference
from notifications.services import send_after_commit


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_read_by_id(*, notification_id, actor) -> None:
    """Opening a message's link counts as reading it; an unknown or foreign id changes nothing."""
    if not notification_id:
        return
    Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(*, actor, language: str, frequency: str) -> Preference:
    """Store the choice; what waits for the daily e-mail follows it (skipped or sent now)."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=actor)
    preference.language = language
    preference.frequency = frequency
    preference.full_clean()
    preference.save()
    waiting = Notification.objects.filter(
        recipient=actor, mail=Notification.Mail.DIGEST, required=False
    )
    if frequency == Preference.Frequency.NEVER:
        waiting.update(mail=Notification.Mail.SKIPPED)
    elif frequency == Preference.Frequency.IMMEDIATELY:
        ids = list(waiting.values_list("pk", flat=True))
        waiting.update(mail=Notification.Mail.PENDING)
        send_after_commit(ids)
    return preference


@transaction.atomic
def unsubscribe(*, user) -> Preference:
    """No more e-mail but what a person must receive; the messages stay in their list."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.frequency = Preference.Frequency.NEVER
    preference.save(update_fields=["frequency", "updated_at"])
    # What waits for the daily e-mail is not sent either.
    Notification.objects.filter(
        recipient=user, mail=Notification.Mail.DIGEST, required=False
    ).update(mail=Notification.Mail.SKIPPED)
    return preference

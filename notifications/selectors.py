"""Who sees which messages: a person sees only their own."""

from django.db.models import QuerySet

from notifications.models import Notification


def inbox(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()

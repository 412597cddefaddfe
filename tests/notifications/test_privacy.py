"""Messages are personal data: in "My data", gone with the account, erased after a year."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification, Preference, ReminderSent
from privacy.retention import apply_retention
from privacy.selectors.personal import personal_data
from privacy.services.accounts import account_delete
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


def message(user, subject="Over uw stap", **fields):
    return Notification.objects.create(
        recipient=user,
        email=user.email,
        language="nl",
        kind="x",
        subject=subject,
        text="t",
        path="/",
        **fields,
    )


def test_my_data_lists_my_messages_and_my_choice_but_not_anyone_elses():
    user, other = UserFactory(), UserFactory()
    Preference.objects.create(user=user, frequency="daily")
    message(user)
    message(other, subject="Someone else's")
    sections = {section.key: section.rows for section in personal_data(user=user)}
    assert [row["subject"] for row in sections["notifications"]] == ["Over uw stap"]
    assert sections["notification_preference"][0]["email"] == "daily"


def test_deleting_the_account_deletes_its_messages_and_choice():
    user = UserFactory()
    Preference.objects.create(user=user)
    message(user, mail=Notification.Mail.PENDING)
    account_delete(user=user, actor=user)
    assert not Notification.objects.exists()
    assert not Preference.objects.exists()


def test_retention_erases_messages_after_a_year_but_never_one_still_to_be_sent():
    user = UserFactory()
    now = timezone.now()
    old_sent = message(user, mail=Notification.Mail.SENT)
    old_waiting = message(user, mail=Notification.Mail.DIGEST)
    recent = message(user, mail=Notification.Mail.SENT)
    Notification.objects.filter(pk__in=[old_sent.pk, old_waiting.pk]).update(
        created_at=now - timedelta(days=366)
    )
    ReminderSent.objects.create(key="old", sent_at=now - timedelta(days=366))
    ReminderSent.objects.create(key="recent", sent_at=now)
    assert apply_retention(now=now).old_messages == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_waiting.pk, recent.pk}
    assert list(ReminderSent.objects.values_list("key", flat=True)) == ["recent"]
    assert apply_retention(now=now).old_messages == 0

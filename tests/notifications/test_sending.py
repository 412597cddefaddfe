"""Messages are written with the change, sent after the commit through a real SMTP server, once,
and retried with back-off when the server fails."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import mailer
from notifications.digests import send_digests
from notifications.models import Notification, Preference
from notifications.services import Attachment, address, notify, people
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_MAIL_WORKER = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    "mail": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail"]},
}


def ping(user, template, *, what="A comment", **kwargs):
    return notify(
        people([user]),
        kind="test.ping",
        template=template,
        context={"what": what},
        path="/my/",
        **kwargs,
    )


# The worker closes the database connection after its tasks, as a long-running process must:
# these tests commit for real (a test transaction would die with the connection).
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_the_message_through_smtp_after_the_commit(
    settings, smtp_server, message_templates, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_MAIL_WORKER
    user = UserFactory(email="ans@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        [written] = ping(user, message_templates)
    assert smtp_server.messages == []  # enqueued, not sent: the worker sends
    call_command(
        "db_worker",
        "--batch",
        "--backend",
        "mail",
        "--queue-name",
        "mail",
        "--no-startup-delay",
        verbosity=0,
    )
    [received] = smtp_server.wait_for(1)
    written.refresh_from_db()
    assert written.mail == Notification.Mail.SENT and written.attempts == 1
    assert received["To"] == "ans@example.org"
    assert received["Subject"] == written.subject
    assert received["Message-ID"] == written.message_id
    plain = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "A comment happened" in plain and "A comment happened" in html
    assert "/accounts/open/?token=" in plain and "[[link]]" not in plain
    assert received["List-Unsubscribe"].strip().startswith("<http")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_rolled_back_change_writes_and_sends_nothing(
    smtp_server, message_templates, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ping(user, message_templates)
        raise RuntimeError("the change fails after the message was written")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_an_smtp_failure_is_retried_with_back_off_and_the_message_arrives_once(
    smtp_server, message_templates, django_capture_on_commit_callbacks
):
    user = UserFactory()
    smtp_server.refuse = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            [written] = ping(user, message_templates)
        written.refresh_from_db()
        assert written.mail == Notification.Mail.PENDING
        assert written.attempts == 1 and "451" in written.last_error
        assert written.next_attempt_at == start + mailer.retry_delay(1)
        assert mailer.send_due() == {}  # not due yet
    with time_machine.travel(written.next_attempt_at + timedelta(seconds=1), tick=False):
        assert mailer.send_due() == {"sent": 1}
        assert mailer.send_due() == {}  # and never again
    assert len(smtp_server.wait_for(1)) == 1
    written.refresh_from_db()
    assert written.mail == Notification.Mail.SENT and written.attempts == 2


def test_an_unreachable_server_leaves_the_message_pending_and_gives_up_after_the_last_attempt(
    settings, message_templates, django_capture_on_commit_callbacks
):
    from tests.notifications.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [written] = ping(user, message_templates)
    written.refresh_from_db()
    assert written.mail == Notification.Mail.PENDING and written.attempts == 1
    assert "Connection" in written.last_error or "refused" in written.last_error.lower()
    with time_machine.travel(written.next_attempt_at + timedelta(seconds=1), tick=False):
        assert mailer.send_due() == {"failed": 1}
    written.refresh_from_db()
    assert written.mail == Notification.Mail.FAILED and written.next_attempt_at is None


@pytest.mark.django_db(transaction=True)
def test_the_retry_is_enqueued_for_later_on_the_database_worker(
    settings, smtp_server, message_templates, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_MAIL_WORKER
    smtp_server.refuse = 1
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [written] = ping(user, message_templates)
    call_command(
        "db_worker",
        "--batch",
        "--backend",
        "mail",
        "--queue-name",
        "mail",
        "--no-startup-delay",
        verbosity=0,
    )
    written.refresh_from_db()
    assert written.attempts == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == written.next_attempt_at


def test_a_daily_person_gets_one_mail_a_day_with_every_message(
    smtp_server, message_templates, django_capture_on_commit_callbacks
):
    user = UserFactory()
    Preference.objects.create(user=user, frequency=Preference.Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        ping(user, message_templates, what="A comment")
        ping(user, message_templates, what="A decision")
    assert smtp_server.messages == []
    assert send_digests() == 1
    assert send_digests() == 0
    [digest] = smtp_server.wait_for(1)
    text = digest.get_body(("plain",)).get_content()
    assert "A comment happened" in text and "A decision happened" in text
    assert text.count("/accounts/open/?token=") == 2
    assert set(Notification.objects.values_list("mail", flat=True)) == {"sent"}


def test_no_mail_for_a_person_who_chose_none_but_what_they_must_receive_goes(
    smtp_server, message_templates, django_capture_on_commit_callbacks
):
    user = UserFactory()
    Preference.objects.create(user=user, frequency=Preference.Frequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        [skipped] = ping(user, message_templates, what="A comment")
        [required] = ping(user, message_templates, what="A contract", required=True)
    assert skipped.mail == Notification.Mail.SKIPPED
    [received] = smtp_server.wait_for(1)
    assert "A contract happened" in received.get_body(("plain",)).get_content()
    assert received["List-Unsubscribe"] is None
    required.refresh_from_db()
    assert required.mail == Notification.Mail.SENT


def test_an_attachment_travels_with_the_message(
    smtp_server, message_templates, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = default_storage.save("contracts/test.pdf", ContentFile(b"%PDF-1.7 test"))
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [address("signer@example.org")],
            kind="test.ping",
            template=message_templates,
            context={"what": "A contract"},
            path="/",
            required=True,
            attachment=Attachment(path=stored, filename="contract.pdf"),
        )
    [received] = smtp_server.wait_for(1)
    [attached] = list(received.iter_attachments())
    assert attached.get_filename() == "contract.pdf"
    assert attached.get_content() == b"%PDF-1.7 test"


def test_each_message_is_in_the_recipients_language(message_templates):
    dutch, english = UserFactory(), UserFactory()
    Preference.objects.create(user=dutch, language="nl")
    Preference.objects.create(user=english, language="en")
    written = notify(
        people([dutch, english]),
        kind="test.ping",
        template=message_templates,
        context={"what": "x"},
        path="/",
    )
    subjects = {n.recipient_id: n.subject for n in written}
    assert subjects[dutch.pk].startswith("Berichten")
    assert subjects[english.pk].startswith("Messages")


def test_the_author_and_duplicates_are_left_out(message_templates):
    author, other = UserFactory(), UserFactory()
    written = notify(
        people([author, other, other], exclude=author),
        kind="test.ping",
        template=message_templates,
        context={"what": "x"},
        path="/",
    )
    assert [n.recipient for n in written] == [other]

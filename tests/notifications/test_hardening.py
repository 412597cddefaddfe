"""What a review found, each from the side of the one who must be refused or protected."""

import datetime
import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.lead_officers import network_contact
from applications.models import Application
from funds.models import FundMembership
from notifications import links
from notifications.models import Notification, Preference
from notifications.personal import preference_update
from notifications.services import notify, people
from notifications.tasks import run_daily
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


def written(kind):
    return Notification.objects.filter(kind=kind)


def test_a_lead_officer_who_left_the_fund_hears_nothing_more_and_is_nobodys_contact(world):
    Application.objects.filter(pk=world.application.pk).update(lead_officer=world.officer)
    world.application.refresh_from_db()
    FundMembership.objects.filter(user=world.officer).delete()
    services.comment_create(
        step=world.application.current_step, actor=world.coordinator, body="Hello?"
    )
    recipients = set(written("comment.created").values_list("email", flat=True))
    assert world.officer.email not in recipients
    assert world.manager.email in recipients  # the fund's staff again
    contact = network_contact(world.application)
    assert contact is None or world.officer.get_full_name() not in contact.name


def place_token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def test_a_place_link_dies_when_the_password_changes(client):
    user = UserFactory()
    token = place_token(links.place_url(user, "/my/"))
    user.set_password("a-new-long-password")
    user.save()
    client.post(reverse("place_login"), {"token": token})
    assert "_auth_user_id" not in client.session


def test_an_admin_account_is_never_signed_in_by_a_link_in_a_mail(
    client, django_capture_on_commit_callbacks, message_templates
):
    staff = UserFactory(is_staff=True)
    token = place_token(links.place_url(staff, "/my/"))
    client.post(reverse("place_login"), {"token": token})
    assert "_auth_user_id" not in client.session
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            people([staff]),
            kind="x",
            template=message_templates,
            context={"what": "x"},
            path="/queue/",
        )
    body = mail.outbox[-1].body
    assert "/accounts/open/" not in body and "/queue/" in body


def test_words_that_look_like_the_link_placeholder_stay_words(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            step=world.application.current_step,
            actor=world.coordinator,
            body="Click [[link]] now",
        )
    [message] = [m for m in mail.outbox if world.officer.email in m.to]
    assert len(re.findall(r"https?://\S+/accounts/open/", message.body)) == 1
    assert "[ [link]]" in message.body


def test_the_mornings_reminders_are_in_the_mornings_daily_email(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    Preference.objects.create(user=user, frequency=Preference.Frequency.DAILY)

    started = timezone.now() - datetime.timedelta(minutes=1)  # the job began a minute ago
    Notification.objects.create(
        recipient=user,
        email=user.email,
        language="en",
        kind="test.reminder",
        subject="A reminder",
        text="t",
        path="/",
        mail=Notification.Mail.DIGEST,
    )  # written by the run, after it started
    result = run_daily(now=started)
    assert result["digests"] == 1
    assert set(Notification.objects.values_list("mail", flat=True)) == {"sent"}


def test_choosing_no_email_skips_what_waits_and_immediately_sends_it(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    Preference.objects.create(user=user, frequency=Preference.Frequency.DAILY)

    def waiting():
        return Notification.objects.create(
            recipient=user,
            email=user.email,
            language="en",
            kind="x",
            subject="s",
            text="t",
            path="/",
            mail=Notification.Mail.DIGEST,
        )

    first = waiting()
    preference_update(actor=user, language="en", frequency="never")
    first.refresh_from_db()
    assert first.mail == Notification.Mail.SKIPPED
    second = waiting()
    with django_capture_on_commit_callbacks(execute=True):
        preference_update(actor=user, language="en", frequency="immediately")
    second.refresh_from_db()
    assert second.mail == Notification.Mail.SENT


def test_an_invitation_in_the_list_opens_only_for_the_invited_address(client, world):
    invitation = services.network_invite_member(
        network=world.network, actor=world.coordinator, email=world.outsider.email
    )
    notice = Notification.objects.get(kind="network.invitation")
    assert notice.path == reverse("invitation_open", args=[invitation.pk])
    client.force_login(world.member)
    assert client.get(notice.path).status_code == HTTPStatus.NOT_FOUND
    client.force_login(world.outsider)
    response = client.get(notice.path)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/invitations/")


def test_a_ready_application_opens_the_award_page_only_for_a_manager(client, world):
    from tests.applications.helpers import to_ready_for_decision

    to_ready_for_decision(world)
    award = reverse("application_transition", args=[world.application.pk, "award"])
    client.force_login(world.manager)
    assert award in client.get(reverse("queue") + "?tab=decide").content.decode()
    client.force_login(world.officer)
    page = client.get(reverse("queue") + "?tab=decide").content.decode()
    assert award not in page
    assert reverse("application_detail", args=[world.application.pk]) in page


def test_a_promised_reply_time_over_120_working_days_is_refused(world):
    world.programme.reply_working_days = 121
    with pytest.raises(ValidationError) as refused:
        world.programme.full_clean()
    assert "reply_working_days" in refused.value.message_dict

"""The notification list, the unread count in the navigation, preferences, language and
unsubscribing: each only for the person it belongs to."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from notifications import links
from notifications.language import SESSION_KEY
from notifications.models import Notification, Preference
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


def message(user, subject="Nieuwe reactie", path="/my/", **fields):
    return Notification.objects.create(
        recipient=user,
        email=user.email,
        language="nl",
        kind="x",
        subject=subject,
        text="t",
        path=path,
        **fields,
    )


def test_the_list_shows_only_ones_own_messages_and_the_unread_count(client):
    user, other = UserFactory(), UserFactory()
    message(user, "For me")
    message(other, "Not for me")
    client.force_login(user)
    page = client.get(reverse("notification_list")).content.decode()
    assert "For me" in page and "Not for me" not in page
    assert 'data-nav="notifications"' in page and '<span class="badge"' in page


def test_opening_a_message_marks_it_read_and_goes_to_its_place(client):
    user = UserFactory()
    note = message(user, path="/applications/3/")
    client.force_login(user)
    response = client.get(reverse("notification_open", args=[note.pk]))
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/applications/3/"
    note.refresh_from_db()
    assert note.is_read


def test_someone_elses_message_is_not_found_and_stays_unread(client):
    user, other = UserFactory(), UserFactory()
    note = message(other)
    client.force_login(user)
    assert client.get(reverse("notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert not note.is_read


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("notification_list", "account"):
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("login"))


def test_mark_all_read_touches_only_ones_own(client):
    user, other = UserFactory(), UserFactory()
    message(user)
    theirs = message(other)
    client.force_login(user)
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_the_account_page_stores_language_and_frequency(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account"), {"language": "en", "frequency": "daily"})
    assert response.status_code == HTTPStatus.FOUND
    preference = Preference.objects.get(user=user)
    assert (preference.language, preference.frequency) == ("en", "daily")
    assert client.session[SESSION_KEY] == "en"


def test_the_account_page_refuses_a_bad_choice_per_field(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account"), {"language": "fr", "frequency": "hourly"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.context["form"].errors) == {"language", "frequency"}
    assert not Preference.objects.filter(user=user).exists()


def test_the_language_switch_stores_a_signed_in_persons_language(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Preference.objects.get(user=user).language == "en"


def test_signing_in_brings_the_stored_language_whatever_the_cookie(client):
    user = UserFactory(password="a-good-long-password")
    Preference.objects.create(user=user, language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    client.post(reverse("login"), {"username": user.username, "password": "a-good-long-password"})
    page = client.get(reverse("account"))
    assert page.content.decode().count('lang="en"') >= 1
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_first_sign_in_stores_the_language_in_use(client):
    user = UserFactory(password="a-good-long-password")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    client.post(reverse("login"), {"username": user.username, "password": "a-good-long-password"})
    assert Preference.objects.get(user=user).language == "nl"


def test_unsubscribing_asks_first_then_stops_all_but_required_mail(client):
    user = UserFactory()
    waiting = message(user, mail=Notification.Mail.DIGEST)
    url = links.unsubscribe_url(user).removeprefix(settings.SITE_URL)
    assert client.get(url).status_code == HTTPStatus.OK
    assert not Preference.objects.filter(user=user, frequency="never").exists()
    client.post(url)
    assert Preference.objects.get(user=user).frequency == Preference.Frequency.NEVER
    waiting.refresh_from_db()
    assert waiting.mail == Notification.Mail.SKIPPED


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token():
    from django.test import Client

    user = UserFactory()
    url = links.unsubscribe_url(user).removeprefix(settings.SITE_URL)
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == HTTPStatus.OK
    assert Preference.objects.get(user=user).frequency == Preference.Frequency.NEVER


def test_a_forged_unsubscribe_link_changes_nothing(client):
    user = UserFactory()
    forged = links.unsubscribe_url(user).removeprefix(settings.SITE_URL).replace(":", "x", 1)
    assert client.post(forged).status_code == HTTPStatus.BAD_REQUEST
    assert not Preference.objects.filter(user=user).exists()

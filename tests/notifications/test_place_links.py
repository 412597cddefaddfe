"""A message's link opens the exact place: one tap on Sign in, for 7 days, more than once, and
only for the person and the place it was made for."""

from datetime import timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.logmasking import mask_tokens
from notifications import links
from notifications.models import Notification
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db

PLACE = "/applications/7/steps/plan/#thread-goal"


def link_path(user, path=PLACE, **kwargs) -> str:
    parts = urlsplit(links.place_url(user, path, **kwargs))
    return f"{parts.path}?{parts.query}"


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_opening_the_link_signs_nobody_in_until_the_tap(client):
    user = UserFactory()
    response = client.get(link_path(user))
    assert response.status_code == HTTPStatus.OK
    assert signed_in_as(client) is None
    assert user.email in response.content.decode()
    assert b'name="token"' in response.content


def test_one_tap_signs_in_and_lands_on_the_exact_place(client):
    user = UserFactory()
    url = link_path(user)
    response = client.post(reverse("place_login"), {"token": token_of(url)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == PLACE
    assert signed_in_as(client) == user.pk


def test_the_link_works_more_than_once_and_survives_other_sign_ins(client):
    user = UserFactory()
    token = token_of(link_path(user))
    assert client.post(reverse("place_login"), {"token": token}).status_code == HTTPStatus.FOUND
    client.logout()
    user.last_login = timezone.now()  # another sign-in, e.g. with a one-time sign-in link
    user.save()
    assert client.post(reverse("place_login"), {"token": token})["Location"] == PLACE


def test_the_link_lasts_seven_days(client):
    user = UserFactory()
    made = timezone.now()
    with time_machine.travel(made, tick=False):
        token = token_of(link_path(user))
    with time_machine.travel(made + timedelta(days=7) - timedelta(minutes=1), tick=False):
        assert client.post(reverse("place_login"), {"token": token}).status_code == HTTPStatus.FOUND
    client.logout()
    with time_machine.travel(made + timedelta(days=7, minutes=1), tick=False):
        response = client.post(reverse("place_login"), {"token": token})
    assert response.status_code == HTTPStatus.OK
    assert "no longer works" in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "change",
    ["tampered", "other_path", "address_changed", "deactivated", "outside_path"],
)
def test_a_link_that_is_not_exactly_as_made_signs_nobody_in(client, change):
    user = UserFactory(email="ans@example.org")
    token = token_of(link_path(user))
    if change == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif change == "other_path":
        data = signing.loads(token, salt=links.SALT)
        data["p"] = "/admin/"
        token = signing.dumps(data, salt="someone-elses-salt", compress=True)
    elif change == "address_changed":
        user.email = "someone.else@example.org"
        user.save()
    elif change == "deactivated":
        user.is_active = False
        user.save()
    elif change == "outside_path":
        token = links.place_token(user, "//evil.example/steal")
    response = client.post(reverse("place_login"), {"token": token})
    assert response.status_code == HTTPStatus.OK
    assert "no longer works" in response.content.decode()
    assert signed_in_as(client) is None


def test_someone_signed_in_as_the_same_person_goes_straight_to_the_place(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(link_path(user))
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == PLACE


def test_someone_signed_in_as_another_person_must_tap_and_then_is_the_links_person(client):
    user, other = UserFactory(), UserFactory()
    client.force_login(other)
    assert client.get(link_path(user)).status_code == HTTPStatus.OK
    assert signed_in_as(client) == other.pk
    client.post(reverse("place_login"), {"token": token_of(link_path(user))})
    assert signed_in_as(client) == user.pk


def test_opening_the_link_marks_its_message_read(client):
    user = UserFactory()
    notification = Notification.objects.create(
        recipient=user,
        email=user.email,
        language="nl",
        kind="x",
        subject="s",
        text="t",
        path=PLACE,
    )
    client.post(
        reverse("place_login"),
        {"token": token_of(link_path(user, notification_id=notification.pk))},
    )
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_token_never_reaches_a_log_line():
    user = UserFactory()
    url = links.place_url(user, PLACE)
    assert urlsplit(url).query.split("=", 1)[1] not in mask_tokens(f"GET {url} HTTP/1.1")

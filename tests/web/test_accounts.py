"""Signing in with a one-time e-mail link or a password.

A link opens a page with a *Sign in* button; only that POST uses the link
(tests/web/test_sign_in_limits.py has the attacks: scanners, reuse, floods, lockouts).
"""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.AXES_ENABLED = True
    cache.clear()
    yield
    cache.clear()


def link_from(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def sign_in_with(client, link: str):
    """Open the link's page, then press its Sign in button; the POST's response."""
    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert "accounts/magic_login.html" in [t.name for t in page.templates]
    fields = {
        name: page.context[name] for name in ("sesame", "token", "next") if page.context[name]
    }
    return client.post(reverse("magic_login"), fields)


def test_login_page_offers_link_and_password(client):
    content = client.get(reverse("login")).content.decode()
    assert "Send me a sign-in link" in content
    assert 'name="password"' in content


def test_magic_link_goes_to_known_and_new_addresses_with_the_same_page(client, django_user_model):
    UserFactory(username="anna", email="Anna@Example.org")
    accounts = django_user_model.objects.count()
    known = client.post(reverse("magic_link"), {"email": "anna@example.ORG"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Anna@Example.org"]
    assert reverse("magic_login") in mail.outbox[0].body

    newcomer = client.post(reverse("magic_link"), {"email": "New.Comer@example.org"})
    assert mail.outbox[1].to == ["new.comer@example.org"]
    assert reverse("magic_login") in mail.outbox[1].body
    # Asking creates nothing: the account comes when the link is used.
    assert django_user_model.objects.count() == accounts
    assert known.status_code == newcomer.status_code == HTTPStatus.OK
    assert [t.name for t in known.templates] == [t.name for t in newcomer.templates]
    assert "Check your e-mail" in newcomer.content.decode()


def test_newcomer_signs_in_with_the_link_and_lands_on_the_dashboard(client, django_user_model):
    client.post(reverse("magic_link"), {"email": "Vera@example.org"})
    response = sign_in_with(client, link_from(mail.outbox[0]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")
    account = django_user_model.objects.get(email="vera@example.org")
    assert account.username == "vera@example.org"
    assert not account.has_usable_password()
    assert client.session["_auth_user_id"] == str(account.pk)


def test_inactive_user_gets_no_link(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = client.post(reverse("magic_link"), {"email": "gone@example.org"})
    assert response.status_code == HTTPStatus.OK
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_invalid_address_shows_field_error(client):
    response = client.post(reverse("magic_link"), {"email": "not-an-address"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["email"]
    assert mail.outbox == []


def test_magic_link_logs_in_once_and_then_shows_friendly_page(client):
    user = UserFactory(email="bram@example.org")
    client.post(reverse("magic_link"), {"email": "bram@example.org"})
    link = link_from(mail.outbox[0])

    response = sign_in_with(client, link)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    again = client.get(link)
    assert again.status_code == HTTPStatus.OK
    assert "This link has expired or was already used" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_garbage_or_missing_token_shows_friendly_page(client):
    for url in (
        reverse("magic_login"),
        reverse("magic_login") + "?sesame=garbage",
        reverse("magic_login") + "?token=garbage",
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "request a new one" in response.content.decode()
    for data in ({}, {"sesame": "garbage"}, {"token": "garbage"}):
        response = client.post(reverse("magic_login"), data)
        assert response.status_code == HTTPStatus.OK
        assert "request a new one" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_magic_link_keeps_a_safe_next_page(client):
    UserFactory(email="eva@example.org")
    client.post(reverse("magic_link"), {"email": "eva@example.org", "next": "/networks/new/"})
    assert sign_in_with(client, link_from(mail.outbox[0])).url == "/networks/new/"
    client.logout()
    # A link made before the last sign-in no longer works (one-time), so ask for the next now.
    client.post(
        reverse("magic_link"), {"email": "eva@example.org", "next": "https://evil.example/"}
    )
    assert "evil" not in sign_in_with(client, link_from(mail.outbox[1])).url
    # A next page smuggled into the POST itself is refused too.
    client.logout()
    client.post(reverse("magic_link"), {"email": "eva@example.org"})
    page = client.get(link_from(mail.outbox[2]))
    response = client.post(
        reverse("magic_login"), {"sesame": page.context["sesame"], "next": "https://evil.example/"}
    )
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_password_login_and_logout(client):
    user = UserFactory(username="chris")
    response = client.post(reverse("login"), {"username": "chris", "password": "secret-pass-123"})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)

    assert client.get(reverse("logout")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post(reverse("logout")).status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_error(client):
    UserFactory(username="chris")
    response = client.post(reverse("login"), {"username": "chris", "password": "wrong"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors()

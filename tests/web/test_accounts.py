"""Signing in with a one-time e-mail link or a password."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


def link_from(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def test_login_page_offers_link_and_password(client):
    content = client.get(reverse("login")).content.decode()
    assert "Send me a sign-in link" in content
    assert 'name="password"' in content


def test_magic_link_goes_to_known_and_new_addresses_with_the_same_page(client, django_user_model):
    UserFactory(username="anna", email="Anna@Example.org")
    known = client.post(reverse("magic_link"), {"email": "anna@example.ORG"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Anna@Example.org"]
    assert reverse("magic_login") in mail.outbox[0].body

    newcomer = client.post(reverse("magic_link"), {"email": "New.Comer@example.org"})
    assert mail.outbox[1].to == ["new.comer@example.org"]
    account = django_user_model.objects.get(email="new.comer@example.org")
    assert not account.has_usable_password()
    assert known.status_code == newcomer.status_code == HTTPStatus.OK
    assert [t.name for t in known.templates] == [t.name for t in newcomer.templates]
    assert "Check your e-mail" in newcomer.content.decode()


def test_newcomer_signs_in_with_the_link_and_lands_on_the_dashboard(client):
    client.post(reverse("magic_link"), {"email": "vera@example.org"})
    response = client.get(link_from(mail.outbox[0]), follow=True)
    assert response.wsgi_request.user.email == "vera@example.org"
    assert response.redirect_chain[-1][0] == reverse("dashboard")


def test_inactive_user_gets_no_link(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = client.post(reverse("magic_link"), {"email": "gone@example.org"})
    assert response.status_code == HTTPStatus.OK
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

    response = client.get(link)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    again = client.get(link)
    assert again.status_code == HTTPStatus.OK
    assert "This link has expired or was already used" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_garbage_or_missing_token_shows_friendly_page(client):
    for url in (reverse("magic_login"), reverse("magic_login") + "?sesame=garbage"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "request a new one" in response.content.decode()


def test_magic_link_keeps_a_safe_next_page(client):
    UserFactory(email="eva@example.org")
    client.post(reverse("magic_link"), {"email": "eva@example.org", "next": "/networks/new/"})
    assert client.get(link_from(mail.outbox[0])).url == "/networks/new/"
    client.logout()
    # A link made before the last sign-in no longer works (one-time), so ask for the next now.
    client.post(
        reverse("magic_link"), {"email": "eva@example.org", "next": "https://evil.example/"}
    )
    assert "evil" not in client.get(link_from(mail.outbox[1])).url


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

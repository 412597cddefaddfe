"""The page after asking for a sign-in link: true for a newcomer and for an account alike.

A brand-new person is not told "if this address belongs to an account", and the page still
says nothing about whether an account exists (the same words for every address).
"""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def page_text(response) -> str:
    return re.sub(r'value="[^"]{20,}"', "", response.content.decode())


def ask(client, email: str):
    return client.post(reverse("magic_link"), {"email": email})


def test_a_newcomer_reads_that_the_link_also_makes_the_account(client):
    response = ask(client, "nieuw@example.org")
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "belongs to an account" not in content
    assert "We have sent a sign-in link to nieuw@example.org" in content
    assert "New here? The same link also makes your account." in content
    # What the page says is what happened: a link went to the newcomer.
    assert mail.outbox[0].to == ["nieuw@example.org"]


def test_the_page_is_the_same_for_an_account_a_newcomer_and_a_closed_account(client):
    UserFactory(email="anna@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    pages = {
        email: page_text(ask(client, email)).replace(email, "ADDRESS")
        for email in ("anna@example.org", "nieuw@example.org", "gone@example.org")
    }
    assert len(set(pages.values())) == 1
    assert len(mail.outbox) == 2  # the closed account got nothing, and the page did not say so


@override_settings(LANGUAGE_CODE="nl")
def test_the_page_speaks_dutch_to_a_newcomer(client):
    # Passes once the lead merges the Dutch catalogue.
    content = ask(client, "nieuw@example.org").content.decode()
    assert "We hebben een inloglink gestuurd naar nieuw@example.org" in content
    assert "Bent u hier nieuw? Dan maakt dezelfde link ook uw account aan." in content
    assert "bij een account hoort" not in content

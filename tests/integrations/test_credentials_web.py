"""The screens for fund API keys and personal tokens, from the side of each user, also refused."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from funds.models import FundMembership
from integrations.models import FundAPIKey, PersonalAccessToken, Scope
from integrations.services import fund_key_create, personal_token_create
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

OK, FOUND = HTTPStatus.OK, HTTPStatus.FOUND
FORBIDDEN, NOT_FOUND = HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(secret: str, path="/api/v1/funds/"):
    return Client(HTTP_HOST="127.0.0.1").get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def key(world):
    key, secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    world.key, world.secret = key, secret
    return world


# ---------------------------------------------------------------------------------------------
# Fund keys: the manager


def test_a_manager_creates_a_key_and_sees_it_once(world):
    client = signed_in(world.manager)
    url = reverse("fund_key_create", args=[world.fund.pk])
    assert client.get(url).status_code == OK
    response = client.post(url, {"name": "Finance", "scope": "read_write", "role": "manager"})
    assert response.status_code == OK
    assert "no-store" in response["Cache-Control"]
    key = FundAPIKey.objects.get(name="Finance")
    assert (
        key.fund == world.fund and key.scope == Scope.READ_WRITE and key.created_by == world.manager
    )
    assert key.user.fund_memberships.get().role == FundMembership.Role.MANAGER
    secret = response.context["secret"]
    assert secret.startswith(key.prefix + ".") and secret in response.content.decode()
    assert api(secret).status_code == OK
    # Never again: not in the list, and not in the session.
    listing = client.get(reverse("fund_keys", args=[world.fund.pk])).content.decode()
    assert key.prefix in listing and secret not in listing
    assert secret not in str(dict(client.session))


def test_the_key_list_shows_prefix_name_scope_role_dates_and_status(key):
    api(key.secret)  # used once
    revoked, _secret = fund_key_create(fund=key.fund, actor=key.manager, name="Old", scope="read")
    client = signed_in(key.manager)
    client.post(reverse("fund_key_revoke", args=[revoked.prefix]))
    page = client.get(reverse("fund_keys", args=[key.fund.pk]))
    html = page.content.decode()
    for text in (key.key.prefix, "CRM", "Read", "Fund officer", "Revoked", "Active", "Never"):
        assert text in html, text
    listed = {k.prefix: k for k in page.context["keys"]}
    assert listed[key.key.prefix].last_used_at is not None
    assert listed[revoked.prefix].revoked


def test_a_bad_name_is_shown_on_the_form_and_creates_nothing(world):
    client = signed_in(world.manager)
    response = client.post(
        reverse("fund_key_create", args=[world.fund.pk]),
        {"name": "   ", "scope": "read", "role": "officer"},
    )
    assert response.status_code == OK
    assert response.context["form"].errors["name"]
    assert not FundAPIKey.objects.exists()


def test_a_manager_revokes_a_key_and_it_stops_working(key):
    client = signed_in(key.manager)
    url = reverse("fund_key_revoke", args=[key.key.prefix])
    confirm = client.get(url)
    assert confirm.status_code == OK and "CRM" in confirm.content.decode()
    assert api(key.secret).status_code == OK  # looking at the confirmation revokes nothing
    response = client.post(url)
    assert response.status_code == FOUND
    assert response["Location"] == reverse("fund_keys", args=[key.fund.pk])
    key.key.refresh_from_db()
    assert key.key.revoked
    assert api(key.secret).status_code == HTTPStatus.UNAUTHORIZED
    again = client.post(url, follow=True)
    assert "already revoked" in again.content.decode()


# ---------------------------------------------------------------------------------------------
# Fund keys: everyone else


def test_an_officer_sees_the_keys_but_may_not_create_or_revoke(key):
    client = signed_in(key.officer)
    page = client.get(reverse("fund_keys", args=[key.fund.pk]))
    assert page.status_code == OK
    html = page.content.decode()
    assert key.key.prefix in html
    assert reverse("fund_key_create", args=[key.fund.pk]) not in html
    assert reverse("fund_key_revoke", args=[key.key.prefix]) not in html
    create = reverse("fund_key_create", args=[key.fund.pk])
    assert client.get(create).status_code == FORBIDDEN
    assert (
        client.post(create, {"name": "Mine", "scope": "read", "role": "officer"}).status_code
        == FORBIDDEN
    )
    revoke = reverse("fund_key_revoke", args=[key.key.prefix])
    assert client.get(revoke).status_code == FORBIDDEN
    assert client.post(revoke).status_code == FORBIDDEN
    assert FundAPIKey.objects.count() == 1
    assert api(key.secret).status_code == OK


@pytest.mark.parametrize("who", ["outsider", "coordinator", "other_officer", "other_manager"])
def test_people_outside_the_fund_get_404_everywhere(key, who):
    other = {
        "other_officer": lambda: FundMembershipFactory().user,
        "other_manager": lambda: FundMembershipFactory(role=FundMembership.Role.MANAGER).user,
    }
    user = other[who]() if who in other else getattr(key, who)
    client = signed_in(user)
    for url in (
        reverse("fund_keys", args=[key.fund.pk]),
        reverse("fund_key_create", args=[key.fund.pk]),
        reverse("fund_key_revoke", args=[key.key.prefix]),
    ):
        assert client.get(url).status_code == NOT_FOUND, url
        assert (
            client.post(url, {"name": "x", "scope": "read", "role": "officer"}).status_code
            == NOT_FOUND
        )
    assert FundAPIKey.objects.count() == 1 and not FundAPIKey.objects.get().revoked


def test_anonymous_visitors_are_sent_to_sign_in(key):
    client = Client()
    for url in (
        reverse("credentials_home"),
        reverse("fund_keys", args=[key.fund.pk]),
        reverse("fund_key_create", args=[key.fund.pk]),
        reverse("fund_key_revoke", args=[key.key.prefix]),
        reverse("personal_tokens"),
        reverse("personal_token_create"),
    ):
        response = client.get(url)
        assert response.status_code == FOUND and "/login" in response["Location"], url


def test_the_home_page_lists_the_funds_one_works_for(key):
    html = signed_in(key.officer).get(reverse("credentials_home")).content.decode()
    assert reverse("fund_keys", args=[key.fund.pk]) in html
    assert reverse("personal_tokens") in html
    html = signed_in(key.coordinator).get(reverse("credentials_home")).content.decode()
    assert reverse("fund_keys", args=[key.fund.pk]) not in html
    assert reverse("personal_tokens") in html


# ---------------------------------------------------------------------------------------------
# Personal tokens


@pytest.mark.parametrize("who", ["coordinator", "member", "officer", "outsider"])
def test_anyone_signed_in_creates_a_personal_token_shown_once(world, who):
    user = getattr(world, who)
    client = signed_in(user)
    assert client.get(reverse("personal_token_create")).status_code == OK
    response = client.post(reverse("personal_token_create"), {"name": "Script", "scope": "read"})
    assert response.status_code == OK and "no-store" in response["Cache-Control"]
    token = PersonalAccessToken.objects.get(user=user)
    assert token.scope == Scope.READ
    secret = response.context["secret"]
    assert api(secret).status_code == OK
    listing = client.get(reverse("personal_tokens")).content.decode()
    assert token.prefix in listing and "Script" in listing and secret not in listing


def test_a_person_sees_and_revokes_only_their_own_tokens(world):
    mine, my_secret = personal_token_create(actor=world.coordinator, name="Mine")
    theirs, their_secret = personal_token_create(actor=world.officer, name="Theirs")
    client = signed_in(world.coordinator)
    listing = client.get(reverse("personal_tokens")).content.decode()
    assert mine.prefix in listing and theirs.prefix not in listing
    url = reverse("personal_token_revoke", args=[theirs.prefix])
    assert client.get(url).status_code == NOT_FOUND
    assert client.post(url).status_code == NOT_FOUND
    assert api(their_secret).status_code == OK
    response = client.post(reverse("personal_token_revoke", args=[mine.prefix]))
    assert response.status_code == FOUND and response["Location"] == reverse("personal_tokens")
    assert api(my_secret).status_code == HTTPStatus.UNAUTHORIZED
    assert "Revoked" in client.get(reverse("personal_tokens")).content.decode()


def test_a_token_form_without_name_creates_nothing(world):
    response = signed_in(world.member).post(
        reverse("personal_token_create"), {"name": "", "scope": "read_write"}
    )
    assert response.status_code == OK and response.context["form"].errors["name"]
    assert not PersonalAccessToken.objects.exists()


def test_a_fund_key_cannot_be_used_as_a_person_for_the_token_screens(key):
    # The key's account cannot sign in at all; even forced in, the service refuses it a token.
    client = signed_in(key.key.user)
    response = client.post(reverse("personal_token_create"), {"name": "x", "scope": "read"})
    assert response.status_code == FORBIDDEN
    assert not PersonalAccessToken.objects.exists()


def test_the_screens_follow_the_chosen_language(key):
    client = signed_in(key.manager)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("fund_keys", args=[key.fund.pk]))
    assert '<html lang="nl">' in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("fund_keys", args=[key.fund.pk]))
    assert '<html lang="en">' in page.content.decode()
    assert "API keys of" in page.content.decode()

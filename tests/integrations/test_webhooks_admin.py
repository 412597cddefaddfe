"""The admin shows keys, tokens and webhooks read-only; revoking goes through the services."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.events import record_event
from funds.models import FundMembership
from integrations.models import FundAPIKey, PersonalAccessToken, WebhookEndpoint
from integrations.services import fund_key_create, personal_token_create
from integrations.webhooks.fanout import fan_out
from tests.funds.factories import FundMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def managing_superuser(world):
    user = UserFactory(is_staff=True, is_superuser=True)
    FundMembershipFactory(fund=world.fund, user=user, role=FundMembership.Role.MANAGER)
    return user


def test_the_pages_open_and_never_show_a_secret(client, world, superuser):
    key, key_secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    token, token_secret = personal_token_create(actor=world.officer, name="Script")
    endpoint = WebhookEndpoint.objects.create(fund=world.fund, url="https://crm.example.org/")
    event = record_event("comment.created", fund=world.fund, payload={"comment_id": 1})
    fan_out(event.pk)
    delivery = endpoint.deliveries.get()
    client.force_login(superuser)
    for name, args in [
        ("admin:integrations_fundapikey_changelist", []),
        ("admin:integrations_fundapikey_change", [key.pk]),
        ("admin:integrations_personalaccesstoken_changelist", []),
        ("admin:integrations_personalaccesstoken_change", [token.pk]),
        ("admin:integrations_webhookendpoint_changelist", []),
        ("admin:integrations_webhookendpoint_change", [endpoint.pk]),
        ("admin:core_event_changelist", []),
        ("admin:core_event_change", [event.pk]),
        ("admin:integrations_webhookdelivery_changelist", []),
        ("admin:integrations_webhookdelivery_change", [delivery.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == HTTPStatus.OK, name
        # (The library's primary key, in the admin's links, holds the key's hash, not the key.)
        for secret in (key_secret, token_secret, endpoint.secret):
            assert secret not in response.text, name
    changelist = client.get(reverse("admin:integrations_fundapikey_changelist")).text
    assert key.prefix in changelist and "CRM" in changelist


def test_nothing_is_added_or_edited_in_the_admin(client, world, superuser):
    client.force_login(superuser)
    assert (
        client.get(reverse("admin:integrations_fundapikey_add")).status_code == HTTPStatus.FORBIDDEN
    )
    assert (
        client.get(reverse("admin:integrations_webhookendpoint_add")).status_code
        == HTTPStatus.FORBIDDEN
    )


def revoke(client, model: str, pks):
    return client.post(
        reverse(f"admin:integrations_{model}_changelist"),
        {"action": "revoke", "_selected_action": pks},
        follow=True,
    )


def test_a_manager_revokes_a_fund_key_through_the_service(client, world, managing_superuser):
    key, _secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    client.force_login(managing_superuser)
    revoke(client, "fundapikey", [key.pk])
    key = FundAPIKey.objects.get(pk=key.pk)
    assert key.revoked
    assert not key.user.is_active  # the service also stops the key's account


def test_a_superuser_who_is_not_a_manager_of_the_fund_is_refused(client, world, superuser):
    key, _secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    client.force_login(superuser)
    response = revoke(client, "fundapikey", [key.pk])
    assert "Only a manager" in response.text
    assert not FundAPIKey.objects.get(pk=key.pk).revoked


def test_tokens_are_revoked_by_their_owner_only(client, world, superuser):
    own, _ = personal_token_create(actor=superuser, name="Mine")
    other, _ = personal_token_create(actor=world.officer, name="Theirs")
    client.force_login(superuser)
    response = revoke(client, "personalaccesstoken", [own.pk, other.pk])
    assert PersonalAccessToken.objects.get(pk=own.pk).revoked
    assert not PersonalAccessToken.objects.get(pk=other.pk).revoked
    assert "only revoke your own" in response.text

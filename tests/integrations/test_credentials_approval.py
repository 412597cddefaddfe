"""A second manager approves a manager key, where the fund asks for it; from the refused side.

Until another manager than the one who created (or empowered) it approves it, the key does not
work: the API answers 401 and its account can do nothing. Its creator cannot approve it, nor
can an officer; someone outside the fund does not even see it (404).
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agreements import permissions as agreement_permissions
from applications.permissions import fund_role
from funds.models import FundMembership
from integrations.models import FundAPIKey, FundKeyChange, Scope
from integrations.services import fund_key_approve, fund_key_change, fund_key_create
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN
NOT_FOUND, UNAUTHORIZED = HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED
MANAGER, OFFICER = FundMembership.Role.MANAGER, FundMembership.Role.OFFICER


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(secret: str):
    return Client(HTTP_HOST="127.0.0.1").get(
        "/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


@pytest.fixture
def strict(world):
    """A fund that asks a second manager to approve manager keys, with two managers."""
    world.fund.manager_keys_need_approval = True
    world.fund.save()
    world.colleague = FundMembershipFactory(fund=world.fund, role=MANAGER).user
    return world


@pytest.fixture
def waiting(strict):
    strict.key, strict.secret = fund_key_create(
        fund=strict.fund, actor=strict.manager, name="Awards", scope=Scope.READ_WRITE, role=MANAGER
    )
    return strict


def approve_url(key) -> str:
    return reverse("fund_key_approve", args=[key.prefix])


def assert_still_waiting(w):
    w.key.refresh_from_db()
    assert w.key.pending_approval and w.key.approved_by is None
    assert not w.key.user.is_active
    assert api(w.secret).status_code == UNAUTHORIZED
    assert not w.key.changes.filter(what=FundKeyChange.What.APPROVED).exists()


def test_a_manager_key_waits_and_the_api_refuses_it(waiting):
    assert_still_waiting(waiting)
    assert not FundAPIKey.objects.get_usable_keys().filter(pk=waiting.key.pk).exists()
    # Its account can do nothing anywhere, even where a rule asks it directly.
    assert fund_role(waiting.fund, waiting.key.user) is None
    assert agreement_permissions.prepare_refusal(waiting.application, waiting.key.user)


def test_the_creator_cannot_approve_her_own_key(waiting):
    client = signed_in(waiting.manager)
    for response in (client.get(approve_url(waiting.key)), client.post(approve_url(waiting.key))):
        assert response.status_code == FORBIDDEN
        assert "another manager" in response.content.decode()
    with pytest.raises(PermissionDenied):
        fund_key_approve(key=waiting.key, actor=waiting.manager)
    assert_still_waiting(waiting)
    # Her list says another manager approves it, and offers her no approve link.
    html = client.get(reverse("fund_keys", args=[waiting.fund.pk])).content.decode()
    assert "Waiting for approval" in html and approve_url(waiting.key) not in html


def test_an_officer_cannot_approve(waiting):
    client = signed_in(waiting.officer)
    assert client.get(approve_url(waiting.key)).status_code == FORBIDDEN
    assert client.post(approve_url(waiting.key)).status_code == FORBIDDEN
    html = client.get(reverse("fund_keys", args=[waiting.fund.pk])).content.decode()
    assert "Waiting for approval" in html and approve_url(waiting.key) not in html
    with pytest.raises(PermissionDenied):
        fund_key_approve(key=waiting.key, actor=waiting.officer)
    assert_still_waiting(waiting)


def test_a_manager_of_another_fund_gets_404(waiting):
    stranger = FundMembershipFactory(role=MANAGER).user
    client = signed_in(stranger)
    assert client.get(approve_url(waiting.key)).status_code == NOT_FOUND
    assert client.post(approve_url(waiting.key)).status_code == NOT_FOUND
    with pytest.raises(PermissionDenied):
        fund_key_approve(key=waiting.key, actor=stranger)
    assert_still_waiting(waiting)


def test_the_key_itself_cannot_approve(waiting):
    other, _secret = fund_key_create(
        fund=waiting.fund, actor=waiting.colleague, name="Other", role=MANAGER
    )
    fund_key_approve(key=other, actor=waiting.manager)
    with pytest.raises(PermissionDenied) as refused:
        fund_key_approve(key=waiting.key, actor=FundAPIKey.objects.get(pk=other.pk).user)
    assert "sign in as yourself" in str(refused.value)
    assert_still_waiting(waiting)


def test_another_manager_approves_it_on_the_screen_and_it_works(waiting):
    client = signed_in(waiting.colleague)
    html = client.get(reverse("fund_keys", args=[waiting.fund.pk])).content.decode()
    assert approve_url(waiting.key) in html
    confirm = client.get(approve_url(waiting.key))
    assert confirm.status_code == OK and "Awards" in confirm.content.decode()
    assert api(waiting.secret).status_code == UNAUTHORIZED  # looking approves nothing
    response = client.post(approve_url(waiting.key))
    assert response.status_code == FOUND
    assert response["Location"] == reverse("fund_keys", args=[waiting.fund.pk])
    waiting.key.refresh_from_db()
    assert not waiting.key.pending_approval and waiting.key.approved_by == waiting.colleague
    assert waiting.key.approved_at is not None and waiting.key.user.is_active
    assert api(waiting.secret).status_code == OK
    change = FundKeyChange.objects.get(what=FundKeyChange.What.APPROVED)
    assert (change.key, change.by) == (waiting.key, waiting.colleague)
    # Approved, it is still its creator's key for four eyes.
    assert waiting.key.created_by == waiting.manager
    again = client.post(approve_url(waiting.key), follow=True)
    assert "does not wait for approval" in again.content.decode()


def test_officer_keys_and_funds_without_the_setting_need_no_approval(strict, world):
    officer_key, secret = fund_key_create(
        fund=strict.fund, actor=strict.manager, name="Reviews", scope=Scope.READ_WRITE
    )
    assert not officer_key.pending_approval and api(secret).status_code == OK
    world.fund.manager_keys_need_approval = False
    world.fund.save()
    manager_key, secret = fund_key_create(
        fund=world.fund, actor=world.manager, name="Awards", role=MANAGER
    )
    assert not manager_key.pending_approval and api(secret).status_code == OK


def test_making_a_key_a_manager_waits_for_a_manager_other_than_its_creator_and_changer(strict):
    key, secret = fund_key_create(
        fund=strict.fund, actor=strict.manager, name="CRM", scope=Scope.READ_WRITE
    )
    third = FundMembershipFactory(fund=strict.fund, role=MANAGER).user
    fund_key_change(key=key, actor=strict.colleague, role=MANAGER)
    key.refresh_from_db()
    assert key.pending_approval and api(secret).status_code == UNAUTHORIZED
    for who in (strict.colleague, strict.manager):  # who asked for it, and whose key it is
        with pytest.raises(PermissionDenied):
            fund_key_approve(key=key, actor=who)
    fund_key_approve(key=key, actor=third)
    assert api(secret).status_code == OK
    # Back to officer, or less scope as a manager: no new approval needed.
    fund_key_change(key=key, actor=strict.colleague, scope=Scope.READ)
    key.refresh_from_db()
    assert not key.pending_approval and api(secret).status_code == OK


def test_a_waiting_key_made_an_officer_works_without_approval(waiting):
    fund_key_change(key=waiting.key, actor=waiting.manager, role=OFFICER)
    waiting.key.refresh_from_db()
    assert not waiting.key.pending_approval
    assert api(waiting.secret).status_code == OK

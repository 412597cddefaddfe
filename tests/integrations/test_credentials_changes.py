"""What is done to a fund's keys is written down, and manager keys and changes are e-mailed.

The fund's other managers hear, after the commit, when a manager key is created and when a key's
role or scope changes: who, when, what. Officers and outsiders cannot change a key.
"""

from http import HTTPStatus
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.urls import reverse

from funds.models import FundMembership
from integrations.models import FundAPIKey, FundKeyChange, Scope
from integrations.services import fund_key_change, fund_key_create, fund_key_revoke, key_changes
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
)
MANAGER, OFFICER = FundMembership.Role.MANAGER, FundMembership.Role.OFFICER


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(world):
    """Besides the world's manager and officer: a colleague manager, an officer-role key's
    account (no e-mail) and a manager of another fund."""
    world.colleague = FundMembershipFactory(fund=world.fund, role=MANAGER).user
    world.stranger = FundMembershipFactory(role=MANAGER).user
    world.key, _secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    mail.outbox.clear()
    return world


def test_a_manager_key_is_logged_and_mailed_to_the_other_managers_after_commit(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        key, _secret = fund_key_create(
            fund=staff.fund, actor=staff.manager, name="Awards", role=MANAGER
        )
    # A named callable, so a robust on_commit can name it when it fails (a partial cannot).
    assert [callback.__qualname__ for callback in callbacks] == [
        "notify_after_commit.<locals>.notify_managers_of_key_change"
    ]
    change = FundKeyChange.objects.get(key=key)
    assert (change.what, change.by, change.role, change.scope) == (
        FundKeyChange.What.CREATED,
        staff.manager,
        MANAGER,
        Scope.READ,
    )
    assert change.at is not None
    assert [message.to for message in mail.outbox] == [[staff.colleague.email]]
    body = mail.outbox[0].body
    assert "Awards" in body and key.prefix in body and "Fund manager" in body
    assert staff.manager.username in body  # who
    assert reverse("fund_keys", args=[staff.fund.pk]) in body  # where to revoke it


def test_an_officer_key_is_logged_but_not_mailed(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        key, _secret = fund_key_create(fund=staff.fund, actor=staff.manager, name="Reviews")
    assert FundKeyChange.objects.filter(key=key, what=FundKeyChange.What.CREATED).exists()
    assert mail.outbox == []


def test_nothing_is_mailed_when_the_creation_rolls_back(staff, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError, match="boom"),
        transaction.atomic(),
    ):
        fund_key_create(fund=staff.fund, actor=staff.manager, name="X", role=MANAGER)
        raise RuntimeError("boom")
    assert callbacks == [] and mail.outbox == []
    assert not FundAPIKey.objects.filter(name="X").exists()


def test_changing_a_key_on_the_screen_is_logged_and_mailed(
    staff, django_capture_on_commit_callbacks
):
    client = signed_in(staff.colleague)
    url = reverse("fund_key_change", args=[staff.key.prefix])
    page = client.get(url)
    assert page.status_code == OK and "CRM" in page.content.decode()
    assert page.context["form"].initial == {"role": OFFICER, "scope": Scope.READ}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"role": MANAGER, "scope": Scope.READ_WRITE})
    assert response.status_code == FOUND
    assert response["Location"] == reverse("fund_keys", args=[staff.fund.pk])
    staff.key.refresh_from_db()
    assert staff.key.scope == Scope.READ_WRITE
    assert staff.key.user.fund_memberships.get().role == MANAGER
    change = FundKeyChange.objects.get(what=FundKeyChange.What.CHANGED)
    assert (change.by, change.previous_role, change.previous_scope, change.role, change.scope) == (
        staff.colleague,
        OFFICER,
        Scope.READ,
        MANAGER,
        Scope.READ_WRITE,
    )
    # The creator is one of the other managers; the one who changed it is not mailed.
    assert sorted(message.to[0] for message in mail.outbox) == [staff.manager.email]
    assert "changed" in mail.outbox[0].body and "Read and write" in mail.outbox[0].body
    listing = client.get(reverse("fund_keys", args=[staff.fund.pk])).content.decode()
    assert "What was done to the keys" in listing and "Changed" in listing


def test_a_change_that_changes_nothing_is_not_logged(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fund_key_change(key=staff.key, actor=staff.manager, role=OFFICER, scope=Scope.READ)
    assert not FundKeyChange.objects.filter(what=FundKeyChange.What.CHANGED).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["officer", "key_account"])
def test_officers_and_keys_cannot_change_a_key(staff, who):
    user = staff.officer if who == "officer" else FundAPIKey.objects.get(pk=staff.key.pk).user
    if who == "officer":
        client = signed_in(user)
        url = reverse("fund_key_change", args=[staff.key.prefix])
        assert client.get(url).status_code == FORBIDDEN
        assert client.post(url, {"role": MANAGER, "scope": "read_write"}).status_code == FORBIDDEN
        html = client.get(reverse("fund_keys", args=[staff.fund.pk])).content.decode()
        assert url not in html
    with pytest.raises(PermissionDenied):
        fund_key_change(key=staff.key, actor=user, role=MANAGER)
    staff.key.refresh_from_db()
    assert staff.key.user.fund_memberships.get().role == OFFICER and staff.key.scope == "read"
    assert not FundKeyChange.objects.filter(what=FundKeyChange.What.CHANGED).exists()


def test_outsiders_get_404_for_the_change_screen(staff):
    for user in (staff.stranger, staff.coordinator, staff.outsider):
        client = signed_in(user)
        url = reverse("fund_key_change", args=[staff.key.prefix])
        assert client.get(url).status_code == NOT_FOUND
        assert client.post(url, {"role": MANAGER, "scope": "read_write"}).status_code == NOT_FOUND
    assert staff.key.user.fund_memberships.get().role == OFFICER


def test_a_revoked_key_cannot_be_changed_and_the_revocation_is_logged(staff):
    fund_key_revoke(key=staff.key, actor=staff.colleague)
    assert FundKeyChange.objects.filter(
        key=staff.key, what=FundKeyChange.What.REVOKED, by=staff.colleague
    ).exists()
    response = signed_in(staff.manager).post(
        reverse("fund_key_change", args=[staff.key.prefix]),
        {"role": MANAGER, "scope": "read_write"},
        follow=True,
    )
    assert "already revoked" in response.content.decode()
    assert staff.key.user.fund_memberships.get().role == OFFICER


def test_a_failing_mail_server_does_not_undo_the_key(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(key_changes, "send_mass_mail", refuse)
    client = signed_in(staff.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("fund_key_create", args=[staff.fund.pk]),
            {"name": "Awards", "scope": "read", "role": MANAGER},
        )
    assert response.status_code == OK and response.context["secret"]
    assert FundAPIKey.objects.filter(name="Awards").exists()

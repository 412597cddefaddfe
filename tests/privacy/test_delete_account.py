"""Deleting one's account: only oneself, only by POST after a confirmation, never leaving a network
or fund without someone to act for it; a signed contract keeps the name as signed, and a key of a
deleted person writes no more."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.models import NetworkMember
from funds.models import FundMembership
from integrations.models import PersonalAccessToken, Scope
from integrations.services import fund_key_create, personal_token_create
from privacy import services
from tests.api.conftest import assert_problem, bearer
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.applications.helpers import submit_current_step
from tests.funds.factories import FundMembershipFactory
from tests.privacy.helpers import close, executed, prepared

pytestmark = pytest.mark.django_db

User = get_user_model()
COMMENT = {"step": "idea", "question_key": "why", "body": "Say more, please."}


def delete(client, user, **data):
    client.force_login(user)
    return client.post(reverse("account_delete"), {"confirm": "on", **data})


def test_get_only_shows_what_happens_and_changes_nothing(client, world):
    client.force_login(world.member)
    response = client.get(reverse("account_delete"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "What stays, and why" in page and 'method="post"' in page
    world.member.refresh_from_db()
    assert world.member.is_active and world.member.email


def test_without_the_confirmation_nothing_happens(client, world):
    client.force_login(world.member)
    response = client.post(reverse("account_delete"), {})
    assert response.status_code == HTTPStatus.OK
    assert "This field is required" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.is_active


def test_a_forged_cross_site_post_is_refused(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.member)
    response = browser.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    world.member.refresh_from_db()
    assert world.member.is_active


def test_deleting_clears_the_person_and_signs_out(client, world):
    submit_current_step(world)  # the coordinator leaves a revision and a log entry
    world.member.first_name = "Bram"
    world.member.save()
    email = world.member.email
    response = delete(client, world.member)
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == reverse("home")
    member = User.objects.get(pk=world.member.pk)
    assert member.username == f"deleted-{member.pk}"
    assert (member.first_name, member.last_name, member.email) == ("", "", "")
    assert not member.is_active and not member.has_usable_password()
    assert not NetworkMember.objects.filter(user=member).exists()
    assert not User.objects.filter(email__iexact=email).exists()
    assert client.get(reverse("my_data")).status_code == HTTPStatus.FOUND  # signed out
    assert not Client().login(username=world.member.username, password="secret-pass-123")


def test_the_transition_log_keeps_the_step_without_the_name(client, world):
    submit_current_step(world)
    world.coordinator.first_name = "Ada"
    world.coordinator.save()
    entry = StateLog.objects.for_(world.application).get(transition="submit_step")
    # A sole coordinator of a network with other members must hand over first.
    NetworkMember.objects.filter(user=world.member).update(role=NetworkMember.Role.COORDINATOR)
    delete(client, world.coordinator)
    entry.refresh_from_db()
    assert entry.by_id == world.coordinator.pk
    assert str(entry.by) == f"deleted-{world.coordinator.pk}" and entry.by.get_full_name() == ""


def test_the_last_coordinator_is_told_to_hand_over_first(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("account_delete")).content.decode()
    assert "You are the last coordinator of" in page and 'name="confirm"' not in page
    response = delete(client, world.coordinator)
    assert response.status_code == HTTPStatus.OK
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active
    assert NetworkMember.objects.filter(user=world.coordinator).exists()
    with pytest.raises(ValidationError):
        services.account_delete(user=world.coordinator, actor=world.coordinator)


def test_the_only_member_of_a_network_may_go(world):
    alone = NetworkMemberFactory(network=NetworkFactory(), role=NetworkMember.Role.COORDINATOR)
    services.account_delete(user=alone.user, actor=alone.user)
    assert not NetworkMember.objects.filter(pk=alone.pk).exists()


def test_the_last_manager_of_a_fund_is_told_to_hand_over_first(world):
    [refusal] = services.account_delete_refusals(world.manager)
    assert "last manager" in refusal
    FundMembershipFactory(fund=world.fund, role=FundMembership.Role.MANAGER)
    assert services.account_delete_refusals(world.manager) == []


def test_nobody_deletes_someone_else(world):
    with pytest.raises(PermissionDenied):
        services.account_delete(user=world.member, actor=world.coordinator)
    world.member.refresh_from_db()
    assert world.member.is_active


def test_a_signatory_of_an_unsigned_agreement_must_wait(world):
    prepared(world)
    refusals = services.account_delete_refusals(world.member)
    assert any("named to sign" in refusal for refusal in refusals)


def test_a_signed_contract_keeps_the_name_as_signed_and_nothing_more(world):
    agreement = close(world, executed(world))
    pdf, fingerprint = agreement.contract_pdf.read(), agreement.contract_sha256
    mine = agreement.signatories.get(email=world.member.email)
    theirs = agreement.signatories.get(email=world.coordinator.email)
    services.account_delete(user=world.member, actor=world.member)
    mine.refresh_from_db()
    assert (mine.name, mine.typed_name) == (world.member.username, world.member.username)
    assert mine.signed_at and mine.seen_sha256 == agreement.frozen_sha256
    assert mine.email.endswith("@example.invalid") and world.member.email not in mine.email
    assert (mine.date_of_birth, mine.address, mine.ip_address, mine.user_agent) == (
        None,
        "",
        None,
        "",
    )
    other = agreement.signatories.get(pk=theirs.pk)
    assert (other.email, other.address) == (theirs.email, theirs.address)
    agreement.refresh_from_db()
    assert agreement.contract_sha256 == fingerprint
    agreement.contract_pdf.open()
    assert agreement.contract_pdf.read() == pdf


def test_a_deleted_persons_tokens_and_keys_write_no_more(world):
    second = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.MANAGER).user
    key, key_secret = fund_key_create(
        fund=world.fund, actor=world.manager, name="CRM", scope=Scope.READ_WRITE
    )
    _token, token_secret = personal_token_create(actor=world.manager, name="Mine")
    url = f"/api/v1/applications/{world.application.pk}/comments/"
    services.account_delete(user=world.manager, actor=world.manager)

    response = bearer(key_secret).post(url, COMMENT, format="json")
    assert_problem(response, HTTPStatus.FORBIDDEN)
    assert bearer(key_secret).get("/api/v1/funds/").status_code == HTTPStatus.OK  # still reads
    key.refresh_from_db()
    assert key.scope == Scope.READ and key.created_by_id == world.manager.pk
    change = key.changes.get(what="changed")  # written down, as every change of a key
    assert (change.by_id, change.previous_scope, change.scope) == (
        world.manager.pk,
        Scope.READ_WRITE,
        Scope.READ,
    )
    assert_problem(bearer(token_secret).get("/api/v1/funds/"), HTTPStatus.UNAUTHORIZED)
    assert not PersonalAccessToken.objects.filter(user=world.manager, revoked=False).exists()
    assert FundMembership.objects.filter(fund=world.fund, user=second).exists()


def test_a_deleted_account_cannot_delete_again_or_be_used(world):
    services.account_delete(user=world.member, actor=world.member)
    world.member.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.account_delete(user=world.member, actor=world.member)

"""Four eyes on money by person, not by account: a fund key counts as the manager who made it.

The attack: a manager who may not mark a tranche paid (she awarded the grant, or prepared the
agreement) creates an API key and marks it paid with that. Each test here tries it, from her
side, and sees it refused with the four-eyes reason and the tranche unchanged.
"""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from agreements import permissions, services
from agreements.actions import TRANCHE_ACTIONS
from agreements.models import Tranche
from applications import services as application_services
from core import people
from funds.models import FundMembership
from integrations.models import FundAPIKey, Scope
from integrations.services import fund_key_create
from tests.agreements.helpers import award, prepare_cooperation, sign_all
from tests.api.conftest import assert_problem, bearer
from tests.applications.helpers import to_ready_for_decision
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

MANAGER, OFFICER = FundMembership.Role.MANAGER, FundMembership.Role.OFFICER
PAYMENT = {"name": "mark_paid", "paid_on": "2026-11-27", "reference": "BANK-42"}


def execute(world, *, preparer):
    """Prepare, send and sign the agreement of the world's awarded application."""
    agreement = services.agreement_prepare(
        application=world.application, actor=preparer, arrangement="cooperation_agreement"
    )
    agreement = services.agreement_update(
        agreement=agreement,
        actor=preparer,
        payee_name=world.coordinator.username,
        iban="NL91ABNA0417164300",
    )
    services.agreement_send(agreement=agreement, actor=preparer, note="Checked", confirmed=True)
    return sign_all(agreement)


@pytest.fixture
def executed(world):
    """Awarded by ``world.manager``, prepared by ``world.officer``, signed: tranche 1 is due."""
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    world.agreement = sign_all(agreement)
    world.tranche = world.agreement.tranches.get(number=1)
    assert world.tranche.state == Tranche.State.DUE
    return world


def key_of(world, person, *, role=MANAGER):
    key, secret = fund_key_create(
        fund=world.fund, actor=person, name="Mine", scope=Scope.READ_WRITE, role=role
    )
    return key, bearer(secret)


def pay_through_api(client, tranche):
    return client.post(f"/api/v1/tranches/{tranche.pk}/transitions/", PAYMENT, format="json")


def assert_unpaid(tranche):
    tranche.refresh_from_db()
    assert (tranche.state, tranche.paid_on, tranche.paid_by) == (Tranche.State.DUE, None, None)
    assert not StateLog.objects.for_(tranche).filter(transition="mark_paid").exists()


# ---------------------------------------------------------------------------------------------
# The attack, through the API


@pytest.mark.parametrize("role", [MANAGER, OFFICER])
def test_the_awarding_manager_cannot_pay_with_a_key_of_her_own(executed, role):
    _key, client = key_of(executed, executed.manager, role=role)
    body = assert_problem(pay_through_api(client, executed.tranche), HTTPStatus.FORBIDDEN)
    assert "four eyes" in body["detail"].lower()
    assert_unpaid(executed.tranche)
    # The key is not even offered the action.
    assert client.get(f"/api/v1/tranches/{executed.tranche.pk}/transitions/").json() == []


def test_the_preparing_manager_cannot_pay_with_a_key_of_his_own(world):
    world.application = award(world)
    preparer = FundMembershipFactory(fund=world.fund, role=MANAGER).user
    tranche = execute(world, preparer=preparer).tranches.get(number=1)
    _key, client = key_of(world, preparer)
    body = assert_problem(pay_through_api(client, tranche), HTTPStatus.FORBIDDEN)
    assert "four eyes" in body["detail"].lower()
    assert_unpaid(tranche)


def test_a_key_of_another_manager_may_pay(executed):
    treasurer = FundMembershipFactory(fund=executed.fund, role=MANAGER).user
    key, client = key_of(executed, treasurer, role=OFFICER)
    response = pay_through_api(client, executed.tranche)
    assert response.status_code == HTTPStatus.OK, response.content
    executed.tranche.refresh_from_db()
    assert executed.tranche.state == Tranche.State.PAID
    # The log keeps the key that acted; the key names the person responsible.
    entry = StateLog.objects.for_(executed.tranche).get(transition="mark_paid")
    assert entry.by == executed.tranche.paid_by == key.user
    assert people.responsible_person(entry.by) == treasurer


def test_without_four_eyes_the_awarders_key_may_pay(executed):
    executed.fund.four_eyes_on_payments = False
    executed.fund.save()
    _key, client = key_of(executed, executed.manager)
    assert pay_through_api(client, executed.tranche).status_code == HTTPStatus.OK


# ---------------------------------------------------------------------------------------------
# The stored side: an award or an agreement made through a key counts as the key's creator


def test_who_awarded_through_a_key_cannot_pay_as_herself(world):
    awarder = FundMembershipFactory(fund=world.fund, role=MANAGER).user
    key, _client = key_of(world, awarder)
    application = to_ready_for_decision(world)
    application_services.application_award(
        application=application, actor=key.user, amount=Decimal("1000")
    )
    world.application = application
    tranche = execute(world, preparer=world.officer).tranches.get(number=1)
    assert permissions.awarded_by(application) == awarder.pk
    with pytest.raises(PermissionDenied) as refused:
        services.tranche_mark_paid(
            tranche=tranche, actor=awarder, paid_on=datetime.date(2026, 11, 27), reference="X"
        )
    assert "Four eyes" in str(refused.value)
    assert_unpaid(tranche)
    # Nor through a second key of hers.
    _key, client = key_of(world, awarder, role=OFFICER)
    assert_problem(pay_through_api(client, tranche), HTTPStatus.FORBIDDEN)


def test_who_prepared_through_a_key_cannot_pay_as_herself(world):
    world.application = award(world)
    preparer = FundMembershipFactory(fund=world.fund, role=MANAGER).user
    key, _client = key_of(world, preparer, role=OFFICER)
    agreement = execute(world, preparer=key.user)
    assert agreement.prepared_by == key.user
    tranche = agreement.tranches.get(number=1)
    refusal = TRANCHE_ACTIONS.offer(TRANCHE_ACTIONS.get("mark_paid"), tranche, preparer).refusal
    assert refusal == permissions.four_eyes_message()
    with pytest.raises(PermissionDenied):
        TRANCHE_ACTIONS.run(
            "mark_paid",
            tranche,
            actor=preparer,
            data={"paid_on": datetime.date(2026, 11, 27), "reference": "X"},
        )
    assert_unpaid(tranche)


def test_a_key_whose_creator_is_gone_cannot_pay(executed):
    treasurer = FundMembershipFactory(fund=executed.fund, role=MANAGER).user
    key, client = key_of(executed, treasurer, role=OFFICER)
    FundAPIKey.objects.filter(pk=key.pk).update(created_by=None)
    body = assert_problem(pay_through_api(client, executed.tranche), HTTPStatus.FORBIDDEN)
    assert "no longer known" in body["detail"]
    assert_unpaid(executed.tranche)


# ---------------------------------------------------------------------------------------------
# core.people


def test_a_person_is_responsible_for_herself_and_a_key_for_its_creator(world):
    key, _client = key_of(world, world.manager)
    assert people.responsible_person(world.officer) == world.officer
    assert people.responsible_person(key.user) == world.manager
    assert people.responsible_person(AnonymousUser()) is None
    assert people.responsible_person(None) is None
    assert people.same_person(key.user, world.manager)
    assert not people.same_person(key.user, world.officer)
    assert people.person_ids([key.user, world.officer.pk, None]) == [
        world.manager.pk,
        world.officer.pk,
        None,
    ]


def test_the_four_eyes_check_asks_one_query_for_the_three_people(
    executed, django_assert_num_queries
):
    _key, _client = key_of(executed, executed.manager)
    agreement = executed.tranche.agreement
    agreement.application.programme.fund  # noqa: B018 - loaded before counting
    # The award in the log, and who the three accounts are.
    with django_assert_num_queries(2):
        assert permissions.four_eyes_refusal(agreement, executed.officer) is not None

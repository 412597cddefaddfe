"""Applications announces decisions to the apps built on it, inside the decision's transaction."""

from decimal import Decimal

import pytest

from applications import services
from applications.models import Application
from applications.signals import application_awarded, application_ended
from tests.applications.helpers import CONTACT_REFERRAL, bring_to_state, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    application_awarded.connect(receiver, dispatch_uid="test.awarded")
    application_ended.connect(receiver, dispatch_uid="test.ended")
    yield calls
    application_awarded.disconnect(dispatch_uid="test.awarded")
    application_ended.disconnect(dispatch_uid="test.ended")


def test_an_award_is_announced_with_the_application_and_the_actor(world, heard):
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)

    services.application_award(application=application, actor=world.manager, amount=Decimal("500"))

    assert len(heard) == 1
    assert heard[0]["application"].pk == application.pk
    assert heard[0]["application"].state == Application.State.AWARDED
    assert heard[0]["actor"] == world.manager


def test_a_decline_and_a_withdrawal_are_announced_as_ended(world, heard):
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[CONTACT_REFERRAL],
    )

    assert [(call["transition"], call["actor"]) for call in heard] == [("decline", world.officer)]


def test_withdraw_is_announced_as_ended(world, heard):
    services.application_withdraw(application=world.application, actor=world.coordinator)

    assert [call["transition"] for call in heard] == ["withdraw"]


def test_a_receiver_that_fails_rolls_the_decision_back(world):
    def refuse(sender, **kwargs):
        raise RuntimeError("the pool is gone")

    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    before = snapshot(application)
    application_awarded.connect(refuse, dispatch_uid="test.refuse")
    try:
        with pytest.raises(RuntimeError):
            services.application_award(
                application=application, actor=world.manager, amount=Decimal("500")
            )
    finally:
        application_awarded.disconnect(dispatch_uid="test.refuse")

    assert snapshot(application) == before

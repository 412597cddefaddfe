"""Two people acting on the same application at once: one wins, the other is told, nothing half-done."""

import threading

import pytest
from django.db import connection, transaction
from django_fsm_log.models import StateLog

from applications import services
from applications.models import Application, Step
from applications.services.base import run_transition
from core.exceptions import InvalidTransition
from tests.applications.helpers import CONTACT_REFERRAL, submit_current_step
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db


def step_statuses(application):
    return list(application.ordered_steps().values_list("status", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_the_same_step_at_once_accept_it_once(require_postgres, world):
    submit_current_step(world)
    second_officer = FundMembershipFactory(fund=world.fund).user
    barrier = threading.Barrier(2)
    outcomes = {}

    def accept(officer):
        try:
            application = Application.objects.get(pk=world.application.pk)
            barrier.wait(timeout=10)
            services.application_accept_step(application=application, actor=officer)
            outcomes[officer.pk] = "accepted"
        except Exception as error:  # noqa: BLE001 - the assertions below report it
            outcomes[officer.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(o,)) for o in (world.officer, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    accepted = [pk for pk, outcome in outcomes.items() if outcome == "accepted"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, InvalidTransition)]
    assert (len(accepted), len(refused)) == (1, 1), outcomes
    application = Application.objects.get(pk=world.application.pk)
    assert application.state == Application.State.DRAFTING
    assert StateLog.objects.for_(application).filter(transition="accept_step").count() == 1
    assert step_statuses(application) == [
        Step.Status.ACCEPTED,
        Step.Status.OPEN,
        Step.Status.LOCKED,
        Step.Status.LOCKED,
    ]
    assert application.current_step.order == 2


def test_a_transition_on_a_stale_copy_is_refused_and_rolled_back(world):
    submit_current_step(world)
    fresh = Application.objects.get(pk=world.application.pk)
    stale = Application.objects.get(pk=world.application.pk)
    services.application_accept_step(application=fresh, actor=world.officer)

    with pytest.raises(InvalidTransition) as refused, transaction.atomic():
        run_transition(stale, "accept_step", actor=world.manager)

    assert "same moment" in refused.value.message
    application = Application.objects.get(pk=world.application.pk)
    assert application.state == Application.State.DRAFTING
    assert application.current_step.order == 2
    entries = StateLog.objects.for_(application).filter(transition="accept_step")
    assert [entry.by for entry in entries] == [world.officer]


def test_a_stale_accept_after_a_decline_leaves_the_steps_as_the_decline_left_them(world):
    """The stale transition changes steps before the save fails; the rollback must undo them."""
    submit_current_step(world)
    stale = Application.objects.get(pk=world.application.pk)
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[CONTACT_REFERRAL],
    )
    declined_steps = step_statuses(world.application)

    with pytest.raises(InvalidTransition), transaction.atomic():
        run_transition(stale, "accept_step", actor=world.officer)

    application = Application.objects.get(pk=world.application.pk)
    assert application.state == Application.State.DECLINED
    assert (
        step_statuses(application)
        == declined_steps
        == [
            Step.Status.SUBMITTED,
            Step.Status.LOCKED,
            Step.Status.LOCKED,
            Step.Status.LOCKED,
        ]
    )
    assert application.current_step.order == 1
    assert not StateLog.objects.for_(application).filter(transition="accept_step").exists()

from decimal import Decimal
from http import HTTPStatus  # noqa: F401

import pytest
from django_fsm_log.models import StateLog

from applications import services
from applications.models import Application, Step
from notifications.models import Notification
from tests.applications.helpers import submit_current_step, to_ready_for_decision

pytestmark = pytest.mark.django_db


def test_new_application_opens_the_first_of_four_default_steps(world):
    steps = list(world.application.ordered_steps())
    assert [s.key for s in steps] == ["idea", "plan", "budget", "accountability"]
    assert [s.status for s in steps] == [Step.Status.OPEN] + [Step.Status.LOCKED] * 3
    assert world.application.current_step == steps[0]
    assert world.application.state == Application.State.DRAFTING


def test_accepting_every_step_leads_to_a_decision_and_an_award(world):
    application = to_ready_for_decision(world)
    assert application.state == Application.State.READY_FOR_DECISION
    assert set(application.steps.values_list("status", flat=True)) == {Step.Status.ACCEPTED}

    services.application_award(application=application, actor=world.manager, amount=Decimal("900"))

    application.refresh_from_db()
    assert application.state == Application.State.AWARDED
    assert application.awarded_amount == Decimal("900.00")
    transitions = list(
        StateLog.objects.for_(application)
        .order_by("timestamp", "pk")
        .values_list("transition", flat=True)
    )
    assert transitions == ["submit_step", "accept_step"] * 4 + ["award"]


def test_every_transition_is_logged_with_actor_states_and_note(world):
    submit_current_step(world)
    services.application_accept_step(
        application=world.application, actor=world.officer, note="Nice"
    )
    entry = StateLog.objects.for_(world.application).get(transition="accept_step")
    assert entry.by == world.officer
    assert (entry.source_state, entry.state) == ("step_submitted", "drafting")
    assert entry.description == "Nice"


def test_notifications_go_to_the_other_side_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_current_step(world)
    # The fund is asked to review; the network, the coordinator who submitted included, gets
    # a receipt.
    sent = {m.to[0]: m.subject for m in mailoutbox}
    to_review = Notification.objects.filter(kind="step.submitted")
    receipts = Notification.objects.filter(kind="step.submitted.receipt")
    assert sorted(n.email for n in to_review) == sorted([world.officer.email, world.manager.email])
    assert sorted(n.email for n in receipts) == sorted(
        [world.coordinator.email, world.member.email]
    )
    assert len(mailoutbox) == 4
    assert all(sent[n.email] == n.subject for n in [*to_review, *receipts])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept_step(application=world.application, actor=world.officer)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.coordinator.email, world.member.email]
    )

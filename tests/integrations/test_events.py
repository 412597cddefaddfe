"""Every domain action a back office cares about records an event, with a small stable payload."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import transaction

from agreements import services as agreement_services
from agreements.models import Report, Tranche
from applications import services
from applications.models import Application
from core.events import event_recorded, record_event, record_transition, transition_event_type
from core.models import Event
from integrations.events import EVENT_TYPES
from pools import services as pool_services
from tests.agreements.helpers import award, prepare_cooperation, sign_all
from tests.applications.helpers import (
    bring_to_state,
    fill_current_step,
    submit_current_step,
)
from tests.funds.factories import FundFactory, FundMembershipFactory
from tests.pools.helpers import budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db


def events(event_type=None):
    queryset = Event.objects.order_by("created_at")
    if event_type:
        queryset = queryset.filter(type=event_type)
    return list(queryset)


def test_starting_an_application_records_application_created(world):
    (event,) = events("application.created")
    assert event.fund_id == world.fund.pk
    assert event.payload == {
        "application_id": world.application.pk,
        "programme_id": world.programme.pk,
        "network_id": world.network.pk,
        "title": "Garden",
        "state": "drafting",
        "requested_amount": "1000.00",
        "awarded_amount": None,
        "occurred_at": event.payload["occurred_at"],
    }
    assert event.payload["occurred_at"].endswith("Z")


def test_every_application_transition_records_where_it_came_from(world):
    submit_current_step(world)
    services.application_request_changes(
        application=world.application, actor=world.officer, comment="More on the neighbours."
    )
    submit_current_step(world)
    services.application_accept_step(application=world.application, actor=world.officer)

    moves = [
        (e.payload["transition"], e.payload["previous_state"], e.payload["state"])
        for e in events("application.transitioned")
    ]
    assert moves == [
        ("submit_step", "drafting", "step_submitted"),
        ("request_changes", "step_submitted", "changes_requested"),
        ("submit_step", "changes_requested", "step_submitted"),
        ("accept_step", "step_submitted", "drafting"),
    ]
    assert all(e.payload["application_id"] == world.application.pk for e in events())


def test_award_decline_and_withdraw_are_transitions_too(world):
    bring_to_state(world, Application.State.AWARDED)
    last = events("application.transitioned")[-1]
    assert last.payload["transition"] == "award"
    assert last.payload["state"] == "awarded"
    assert last.payload["awarded_amount"] == "500.00"


def test_submitting_a_step_records_step_submitted_with_the_revision(world):
    submit_current_step(world)
    (event,) = events("step.submitted")
    step = world.application.steps.get(order=1)
    assert event.payload["step_id"] == step.pk
    assert event.payload["step_key"] == step.key
    assert event.payload["step_order"] == 1
    assert event.payload["revision"] == 1
    # The step event comes first, then the application's transition.
    types = [e.type for e in events()][-2:]
    assert types == ["step.submitted", "application.transitioned"]


def test_a_comment_records_comment_created_without_its_text(world):
    fill_current_step(world.application, world.coordinator)
    comment = services.comment_create(
        step=world.application.current_step,
        actor=world.officer,
        body="Private remark about Mrs Jansen",
    )
    (event,) = events("comment.created")
    assert event.payload["comment_id"] == comment.pk
    assert event.payload["author_role"] == "officer"
    assert "Jansen" not in json.dumps(event.payload)


def test_signing_records_agreement_executed_and_tranche_due(world):
    award(world)
    agreement = prepare_cooperation(world)
    agreement_services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    before = {e.pk for e in events()}
    agreement = sign_all(agreement)

    new = [e for e in events() if e.pk not in before]
    types = [e.type for e in new]
    assert "agreement.executed" in types
    assert "tranche.due" in types
    executed = next(e for e in new if e.type == "agreement.executed")
    assert executed.payload["agreement_id"] == agreement.pk
    assert executed.payload["contract_sha256"] == agreement.contract_sha256
    due = next(e for e in new if e.type == "tranche.due")
    tranche = agreement.tranches.get(trigger=Tranche.Trigger.ON_SIGNING)
    assert due.payload["tranche_id"] == tranche.pk
    assert due.payload["amount"] == str(tranche.amount)
    assert due.payload["state"] == "due"
    # The contract moved the application too.
    assert events("application.transitioned")[-1].payload["transition"] == "contract"
    # Nothing secret travels: no signing links, tokens or nonces.
    for event in new:
        text = json.dumps(event.payload)
        assert "nonce" not in text and "token" not in text and "/sign/" not in text


def test_reports_record_report_submitted_on_submit_and_resubmit(world):
    award(world)
    agreement = sign_all(_sent(world))
    report = agreement_services.report_submit(
        agreement=agreement, actor=world.coordinator, kind="final", what_was_done="Planted"
    )
    agreement_services.report_request_changes(report=report, actor=world.officer, comment="Costs?")
    agreement_services.report_resubmit(
        report=report, actor=world.coordinator, what_was_done="Planted, for €400"
    )
    submitted = events("report.submitted")
    assert [e.payload.get("transition") for e in submitted] == [None, "resubmit"]
    assert submitted[1].payload["previous_state"] == "changes_requested"
    assert all(e.payload["report_id"] == report.pk for e in submitted)

    agreement_services.report_accept(report=report, actor=world.officer)
    assert events("tranche.due")[-1].payload["trigger"] == "final_report"


def test_paying_a_tranche_records_tranche_paid(world):
    award(world)
    agreement = sign_all(_sent(world))
    tranche = agreement.tranches.get(trigger=Tranche.Trigger.ON_SIGNING)
    treasurer = FundMembershipFactory(fund=world.fund, role="officer").user
    agreement_services.tranche_mark_paid(
        tranche=tranche, actor=treasurer, paid_on=datetime.date(2026, 11, 28), reference="B1"
    )
    (event,) = events("tranche.paid")
    assert event.payload["paid_on"] == "2026-11-28"


def _sent(world):
    agreement = prepare_cooperation(world)
    return agreement_services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )


def test_every_allocation_change_records_allocation_changed(world):
    service, provider = pool_for(world)
    bring_to_state(world, Application.State.READY_FOR_DECISION)
    allocation = reserve(world, service, "6")
    pool_services.allocation_assign_provider(
        allocation=allocation, actor=world.officer, provider=provider
    )
    services.application_award(
        application=world.application, actor=world.manager, amount=Decimal("500")
    )
    allocation.refresh_from_db()
    pool_services.delivery_log(
        allocation=allocation,
        actor=world.officer,
        delivered_on=service.pool.starts_on,
        hours="6",
        note="Minutes of two meetings",
    )
    changes = [e.payload["change"] for e in events("allocation.changed")]
    assert changes == ["reserved", "provider_changed", "confirmed", "hours_logged", "delivered"]
    last = events("allocation.changed")[-1]
    assert last.payload["allocation_id"] == allocation.pk
    assert last.payload["pool_id"] == service.pool_id
    assert last.payload["delivered_hours"] == "6.00"
    assert last.payload["previous_state"] == "confirmed"
    assert all(e.fund_id == world.fund.pk for e in events("allocation.changed"))


def test_a_release_records_allocation_changed(world):
    service, _provider = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "3")
    pool_services.allocation_release(allocation=allocation, actor=world.officer)
    last = events("allocation.changed")[-1]
    assert (last.payload["change"], last.payload["previous_state"]) == ("released", "reserved")


def test_a_refused_action_records_nothing(world):
    count = Event.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        services.application_accept_step(application=world.application, actor=world.coordinator)
    assert Event.objects.count() == count


def test_record_event_takes_an_explicit_fund_and_payload(world):
    event = record_event("application.created", fund=world.fund, payload={"amount": Decimal("1")})
    assert event.payload["amount"] == "1.00"
    assert set(event.payload) == {"amount", "occurred_at"}


def test_the_documented_event_types_are_the_ones_recorded(world):
    assert {
        "application.created",
        "application.transitioned",
        "step.submitted",
        "comment.created",
        "agreement.executed",
        "tranche.due",
        "report.submitted",
        "allocation.changed",
    } <= set(EVENT_TYPES)


def test_an_event_written_in_a_transaction_that_rolls_back_leaves_no_row(world):
    count = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        event = record_event("comment.created", fund=world.fund, payload={"comment_id": 1})
        assert Event.objects.filter(pk=event.pk).exists()  # written in the caller's transaction
        raise RuntimeError("the change fails after the event was recorded")
    assert Event.objects.count() == count


def test_event_recorded_is_sent_with_the_row_inside_the_callers_transaction(world):
    heard = []

    def listener(sender, *, event, **kwargs):
        heard.append((event.pk, transaction.get_connection().in_atomic_block))

    event_recorded.connect(listener)
    try:
        event = record_event("comment.created", fund=world.fund.pk, payload={})
    finally:
        event_recorded.disconnect(listener)
    assert event.fund_id == world.fund.pk  # a fund or its id
    assert heard == [(event.pk, True)]


def test_an_object_no_app_has_registered_cannot_be_described():
    with pytest.raises(LookupError, match="funds.fund"):
        record_event("application.created", subject=FundFactory())


def test_only_registered_transitions_record_an_event(world):
    report = Report()
    assert transition_event_type(report, "resubmit") == "report.submitted"
    assert transition_event_type(report, "request_changes") is None  # not an event
    assert transition_event_type(Application(), "withdraw") == "application.transitioned"
    assert transition_event_type(world.fund, "close") is None  # not a registered kind
    count = Event.objects.count()
    assert record_transition(world.fund, "close") is None
    assert Event.objects.count() == count

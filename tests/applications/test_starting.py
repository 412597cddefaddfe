"""Starting an application: who may, to which programme, and with which steps."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone

from applications import services
from applications.models import Application, Network, Step
from funds.models import StepDefinition
from tests.applications.helpers import bring_to_state, user_for
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def create(world, **overrides):
    arguments = {
        "network": world.network,
        "programme": ProgrammeFactory(fund=world.fund),
        "actor": world.coordinator,
        "title": "Repair café",
        "requested_amount": Decimal("1500"),
    }
    arguments.update(overrides)
    return services.application_create(**arguments)


def assert_refused(world, fields, **overrides):
    count = Application.objects.count()
    with pytest.raises(ValidationError) as refused:
        create(world, **overrides)
    assert set(refused.value.message_dict) == fields
    assert Application.objects.count() == count
    assert Step.objects.filter(application__title="Repair café").count() == 0
    return refused.value.message_dict


def test_a_coordinator_starts_an_application_with_its_first_step_open(world):
    application = create(world, title="  Repair café  ")

    assert (application.title, application.requested_amount) == ("Repair café", Decimal("1500"))
    assert application.state == Application.State.DRAFTING
    assert application.created_by == world.coordinator
    assert application.current_step.key == "idea"
    assert application.current_step.status == Step.Status.OPEN


@pytest.mark.parametrize(
    "role", ["member", "officer", "manager", "outsider", "other_fund_officer", "anonymous"]
)
def test_only_a_coordinator_may_start_an_application(world, role):
    count = Application.objects.count()

    with pytest.raises(PermissionDenied) as refused:
        create(world, actor=user_for(world, role))

    assert "coordinator" in str(refused.value)
    assert Application.objects.count() == count


@pytest.mark.parametrize(
    ("opens_on", "closes_on"),
    [
        (TODAY - datetime.timedelta(days=30), TODAY - datetime.timedelta(days=1)),
        (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=30)),
    ],
    ids=["closed", "not-yet-open"],
)
def test_a_programme_that_is_not_open_today_is_refused(world, opens_on, closes_on):
    programme = ProgrammeFactory(opens_on=opens_on, closes_on=closes_on)

    errors = assert_refused(world, {"programme"}, programme=programme)

    # The same words as the start page and the one-minute check (funds.eligibility).
    assert formats.date_format(closes_on, "DATE_FORMAT") in errors["programme"][0]


def test_a_programme_open_until_today_is_still_open(world):
    programme = ProgrammeFactory(closes_on=TODAY)

    assert create(world, programme=programme).programme == programme


def test_an_amount_above_the_programme_maximum_is_refused(world):
    errors = assert_refused(world, {"requested_amount"}, requested_amount=Decimal("5000.01"))

    assert "€\u00a05,000.00" in errors["requested_amount"][0]


@pytest.mark.parametrize("amount", ["-1", "abc", None, "NaN", "Infinity", "12.345"])
def test_an_amount_that_is_not_a_sum_in_euros_is_refused(world, amount):
    assert_refused(world, {"requested_amount"}, requested_amount=amount)


@pytest.mark.parametrize("title", ["", "   ", None])
def test_a_blank_title_is_refused(world, title):
    assert_refused(world, {"title"}, title=title)


def test_all_field_errors_are_reported_together(world):
    assert_refused(world, {"title", "requested_amount"}, title="", requested_amount="99999")


def legal_entity_only_programme():
    return ProgrammeFactory(
        accepts_legal_entity=True,
        accepts_cooperation_agreement=False,
        accepts_host_organisation=False,
        accepts_support_only=False,
    )


@pytest.mark.parametrize("legal_status", [Network.LegalStatus.NONE, Network.LegalStatus.OTHER])
def test_a_network_without_legal_entity_cannot_apply_where_only_legal_entities_are_accepted(
    world, legal_status
):
    world.network.legal_status = legal_status
    world.network.save()

    errors = assert_refused(world, {"programme"}, programme=legal_entity_only_programme())

    assert "foundations and associations" in errors["programme"][0]


def test_a_foundation_may_apply_where_only_legal_entities_are_accepted(world):
    world.network.legal_status = Network.LegalStatus.FOUNDATION
    world.network.save()
    programme = legal_entity_only_programme()

    assert create(world, programme=programme).programme == programme


def test_a_second_open_application_to_the_same_programme_is_refused(world):
    errors = assert_refused(world, {"programme"}, programme=world.programme)

    assert "already has an open application" in errors["programme"][0]


@pytest.mark.parametrize("state", [Application.State.WITHDRAWN, Application.State.DECLINED])
def test_after_a_closed_application_the_network_may_apply_again(world, state):
    bring_to_state(world, state)

    assert create(world, programme=world.programme).state == Application.State.DRAFTING


def test_the_same_network_may_apply_to_another_programme_at_the_same_time(world):
    assert create(world).network == world.network


def quick_track(fund):
    programme = ProgrammeFactory(fund=fund, title="Quick track")
    StepDefinition.objects.create(
        programme=programme,
        order=20,
        key="spend",
        title="Spending",
        questions=[{"key": "amount", "label": {"nl": "Bedrag", "en": "Amount"}, "type": "money"}],
    )
    StepDefinition.objects.create(
        programme=programme,
        order=10,
        key="idea",
        title="Idea",
        intro="Two sentences are enough.",
        questions=[{"key": "what", "label": "What?", "type": "textarea"}],
    )
    return programme


def test_a_programme_with_its_own_steps_starts_exactly_those_steps(world):
    application = create(world, programme=quick_track(world.fund))

    steps = list(application.ordered_steps())
    assert [(s.order, s.key, s.status) for s in steps] == [
        (1, "idea", Step.Status.OPEN),
        (2, "spend", Step.Status.LOCKED),
    ]
    assert steps[0].intro == "Two sentences are enough."
    assert steps[1].display_title == "Spending"
    assert steps[1].questions == [
        {"key": "amount", "label": {"nl": "Bedrag", "en": "Amount"}, "type": "money"}
    ]
    assert application.current_step == steps[0]


def test_later_edits_to_a_programmes_steps_do_not_change_a_started_application(world):
    programme = quick_track(world.fund)
    application = create(world, programme=programme)

    definition = programme.step_definitions.get(key="idea")
    definition.questions = [{"key": "why", "label": "Why?", "type": "textarea"}]
    definition.save()

    assert application.ordered_steps().first().questions == [
        {"key": "what", "label": "What?", "type": "textarea"}
    ]


def test_a_quick_track_application_goes_through_its_two_steps_to_a_decision(world):
    application = create(world, programme=quick_track(world.fund))
    officer = world.officer
    for content in ({"what": "Repair bikes"}, {"amount": "250"}):
        application.refresh_from_db()
        services.step_save_answers(
            step=application.current_step, actor=world.member, content=content
        )
        services.application_submit_step(application=application, actor=world.coordinator)
        services.application_accept_step(application=application, actor=officer)

    application.refresh_from_db()
    assert application.state == Application.State.READY_FOR_DECISION
    assert application.current_step.latest_revision.content == {"amount": "250.00"}

"""A warm referral: "Apply here with my answers" starts an application at the programme a
decline referred to, with the Idea answers copied as the coordinator's first draft.

The service (``applications.services.referral_start``) and the declined application's page:
the button is offered exactly when the service would allow it, and every refusal is tried from
the side of the person refused."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications import services
from applications.history import history
from applications.models import Application, Referral, Revision
from applications.selectors import visible_networks
from applications.services.referral_start import (
    application_start_from_referral,
    referral_start_refusal,
)
from core.exceptions import InvalidTransition
from core.models import Event
from funds.models import FundMembership, StepDefinition
from integrations.exports.spreadsheets import application_rows
from notifications.models import Notification
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import CONTACT_REFERRAL, fill_current_step
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

IDEA = COMPLETE_ANSWERS["idea"]


def decline_with_referral(world, programme=None, *, fill: bool = True) -> Referral:
    """Write the Idea, then the fund says no and refers the network to ``programme``."""
    programme = programme or ProgrammeFactory()
    if fill:
        fill_current_step(world.application, world.coordinator)
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Try the programme of the other fund.",
        referrals=[{"programme": programme}, CONTACT_REFERRAL],
    )
    return Referral.objects.get(application=world.application, programme=programme)


def start(referral, actor, **kwargs):
    return application_start_from_referral(referral=referral, actor=actor, **kwargs)


def only_the_declined_application():
    assert Application.objects.count() == 1
    assert not Event.objects.filter(type="referral.started").exists()


# --- the service ---------------------------------------------------------------------------


def test_the_coordinator_starts_there_with_the_idea_answers_as_first_draft(world):
    referral = decline_with_referral(world)
    started = start(referral, world.coordinator)
    application = started.application
    assert application.programme == referral.programme
    assert application.network == world.network
    assert application.referral == referral
    assert application.state == Application.State.DRAFTING
    assert application.title == "Garden"
    assert application.requested_amount == Decimal("1000")
    assert application.created_by == world.coordinator
    (revision,) = Revision.objects.filter(step__application=application)
    assert revision.step == application.current_step
    assert revision.step.key == "idea"
    assert (revision.number, revision.author) == (1, world.coordinator)
    assert revision.content == IDEA
    assert (started.copied, started.left_out) == (3, 0)


def test_the_amount_is_capped_at_the_new_programmes_maximum(world):
    referral = decline_with_referral(world, ProgrammeFactory(max_amount=Decimal("750")))
    assert start(referral, world.coordinator).application.requested_amount == Decimal("750")


def test_a_title_and_amount_given_replace_the_declined_ones(world):
    referral = decline_with_referral(world)
    started = start(referral, world.coordinator, title="Garden, take two", requested_amount="600")
    assert started.application.title == "Garden, take two"
    assert started.application.requested_amount == Decimal("600")


def test_only_answers_the_new_first_step_asks_and_that_fit_it_are_copied(world):
    other = ProgrammeFactory()
    StepDefinition.objects.create(
        programme=other,
        order=1,
        key="start",
        title="Start",
        questions=[
            {"key": "what", "label": "What?", "type": "text"},
            {
                "key": "why",
                "label": "Why?",
                "type": "choice",
                "choices": [{"value": "fun", "label": "For fun"}],
            },
            {"key": "when", "label": "When?", "type": "text", "required": False},
        ],
    )
    referral = decline_with_referral(world, other)
    started = start(referral, world.coordinator)
    step = started.application.current_step
    assert step.key == "start"
    # "why" does not fit a choice and "for_whom" has no question here: left out, not refused.
    assert step.latest_revision.content == {"what": IDEA["what"]}
    assert (started.copied, started.left_out) == (1, 2)


def test_a_declined_application_without_an_idea_step_gives_its_first_steps_answers(world):
    own = ProgrammeFactory()
    StepDefinition.objects.create(
        programme=own,
        order=1,
        key="begin",
        title="Begin",
        questions=[{"key": "what", "label": "What?", "type": "textarea"}],
    )
    world.application = services.application_create(
        network=world.network,
        programme=own,
        actor=world.coordinator,
        title="Repair café",
        requested_amount="300",
    )
    services.step_save_answers(
        step=world.application.current_step,
        actor=world.member,
        content={"what": "Repair things together"},
    )
    FundMembershipFactory(fund=own.fund, user=world.officer, role=FundMembership.Role.OFFICER)
    referral = decline_with_referral(world, fill=False)
    started = start(referral, world.coordinator)
    assert started.application.current_step.latest_revision.content == {
        "what": "Repair things together"
    }


def test_nothing_written_yet_starts_an_empty_draft(world):
    referral = decline_with_referral(world, fill=False)
    started = start(referral, world.coordinator)
    assert not Revision.objects.filter(step__application=started.application).exists()
    assert started.copied == 0


def test_starting_records_an_event_for_the_referring_fund_and_a_history_line(world):
    referral = decline_with_referral(world)
    application = start(referral, world.coordinator).application
    event = Event.objects.get(type="referral.started")
    assert event.fund_id == world.fund.pk
    assert event.payload["referral_id"] == referral.pk
    assert event.payload["application_id"] == world.application.pk
    # The new fund hears of the application only when the network submits there (below).
    assert not Event.objects.filter(
        type="application.created", payload__application_id=application.pk
    )
    assert [entry.text for entry in history(application)] == [
        f"Started from a referral by {world.fund.name}"
    ]


@pytest.mark.parametrize("role", ["member", "officer", "manager", "outsider"])
def test_only_a_coordinator_of_the_network_may_start_from_a_referral(world, role):
    referral = decline_with_referral(world)
    with pytest.raises(PermissionDenied):
        start(referral, getattr(world, role))
    only_the_declined_application()


def test_a_coordinator_of_another_network_is_refused(world):
    from tests.applications.factories import NetworkMemberFactory

    referral = decline_with_referral(world)
    stranger = NetworkMemberFactory(role="coordinator").user
    with pytest.raises(PermissionDenied):
        start(referral, stranger)
    only_the_declined_application()


def test_a_referral_to_a_person_is_not_a_programme_to_apply_to(world):
    decline_with_referral(world)
    contact = Referral.objects.get(application=world.application, programme__isnull=True)
    with pytest.raises(InvalidTransition, match="get in touch with them directly"):
        start(contact, world.coordinator)
    only_the_declined_application()


def test_a_programme_that_closed_since_is_refused_with_its_dates(world):
    referral = decline_with_referral(world)
    programme = referral.programme
    programme.closes_on = programme.opens_on
    programme.save()
    with pytest.raises(InvalidTransition, match="open from"):
        start(referral, world.coordinator)
    only_the_declined_application()


def test_a_programme_the_network_may_no_longer_apply_to_is_refused_with_the_reason(world):
    referral = decline_with_referral(world)
    programme = referral.programme
    programme.accepts_cooperation_agreement = False
    programme.accepts_host_organisation = False
    programme.accepts_support_only = False
    programme.save()
    with pytest.raises(InvalidTransition, match="foundations and associations"):
        start(referral, world.coordinator)
    only_the_declined_application()


def test_an_open_application_there_is_refused_and_linked(world):
    referral = decline_with_referral(world)
    first = start(referral, world.coordinator).application
    refusal = referral_start_refusal(referral, world.coordinator)
    assert refusal.open_application == first
    with pytest.raises(InvalidTransition, match="already has an open application"):
        start(referral, world.coordinator)  # a second tap
    assert Application.objects.filter(referral=referral).count() == 1


def test_after_a_withdrawal_the_network_may_start_from_the_referral_again(world):
    referral = decline_with_referral(world)
    first = start(referral, world.coordinator).application
    services.application_withdraw(application=first, actor=world.coordinator)
    assert referral_start_refusal(referral, world.coordinator) is None
    assert start(referral, world.coordinator).application != first


def test_a_bad_title_is_refused_at_its_field_and_nothing_is_started(world):
    from django.core.exceptions import ValidationError

    referral = decline_with_referral(world)
    with pytest.raises(ValidationError) as refused:
        start(referral, world.coordinator, title="   ")
    assert "title" in refused.value.message_dict
    only_the_declined_application()


def test_the_new_fund_sees_nothing_until_the_network_submits_there(client, world):
    """The copied answers stay the network's: the new fund's officer gets a 404 on the page, the
    step and in the API until the network submits a step there; then it is an application."""
    referral = decline_with_referral(world)
    application = start(referral, world.coordinator).application
    officer = FundMembershipFactory(fund=referral.programme.fund).user
    client.force_login(officer)
    urls = (
        reverse("application_detail", args=[application.pk]),
        reverse("step_detail", args=[application.pk, "idea"]),
        f"/api/v1/applications/{application.pk}/",
    )
    for url in urls:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url

    services.application_submit_step(application=application, actor=world.coordinator)
    for url in urls:
        assert client.get(url).status_code == HTTPStatus.OK, url
    assert IDEA["what"] in client.get(urls[1]).content.decode()


def test_the_new_fund_hears_of_nothing_until_the_network_submits_there(client, world):
    """No list, export, network page, message or webhook event tells the new fund of the draft
    before the network submits: then it hears of it, as if the application started then."""
    referral = decline_with_referral(world)
    new_fund = referral.programme.fund
    officer = FundMembershipFactory(fund=new_fund).user
    application = start(referral, world.coordinator).application
    services.comment_create(step=application.current_step, actor=world.coordinator, body="Klaar?")
    client.force_login(officer)

    def fund_knows() -> dict[str, bool]:
        queue = client.get(reverse("queue"), {"state": "all"}).content.decode()
        return {
            "queue": application.title in queue,
            "export": any(row[0] == application.pk for row in application_rows(new_fund)),
            "network": visible_networks(officer).filter(pk=world.network.pk).exists(),
            "events": Event.objects.filter(fund_id=new_fund.pk)
            .exclude(type="referral.started")
            .exists(),
            "messages": Notification.objects.filter(recipient=officer).exists(),
        }

    assert not any(fund_knows().values()), fund_knows()
    services.application_submit_step(application=application, actor=world.coordinator)
    assert all(fund_knows().values()), fund_knows()
    assert set(Event.objects.filter(fund_id=new_fund.pk).values_list("type", flat=True)) >= {
        "application.created",
        "step.submitted",
    }


# --- the declined application's page -------------------------------------------------------


def page(client, world, user):
    client.force_login(user)
    response = client.get(reverse("application_detail", args=[world.application.pk]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def apply_url(referral) -> str:
    return reverse("referral_apply", args=[referral.application_id, referral.pk])


BUTTON = 'data-action="apply-from-referral"'


def test_the_coordinator_sees_the_button_and_it_starts_the_application(client, world):
    referral = decline_with_referral(world)
    assert page(client, world, world.coordinator).count(BUTTON) == 1  # not for the contact
    response = client.post(apply_url(referral), follow=True)
    application = Application.objects.get(referral=referral)
    assert response.redirect_chain == [
        (reverse("step_detail", args=[application.pk, "idea"]), HTTPStatus.FOUND)
    ]
    content = response.content.decode()
    assert "with 3 answers from your earlier application" in content
    assert IDEA["what"] in content  # the copied answers, in the form


def test_once_started_the_page_links_to_the_application_instead(client, world):
    referral = decline_with_referral(world)
    application = start(referral, world.coordinator).application
    content = page(client, world, world.coordinator)
    assert BUTTON not in content
    assert "already has an open application here" in content
    assert reverse("application_detail", args=[application.pk]) in content


def test_a_member_sees_who_can_apply_instead_of_the_button(client, world):
    decline_with_referral(world)
    content = page(client, world, world.member)
    assert BUTTON not in content
    assert "Only a coordinator of the network can do this." in content


@pytest.mark.parametrize("situation", ["open", "closed", "not_eligible", "already_open"])
def test_the_button_is_offered_exactly_when_the_service_allows_it(client, world, situation):
    referral = decline_with_referral(world)
    programme = referral.programme
    if situation == "closed":
        programme.closes_on = programme.opens_on
        programme.save()
    elif situation == "not_eligible":
        programme.accepts_cooperation_agreement = programme.accepts_host_organisation = False
        programme.save()
    elif situation == "already_open":
        start(referral, world.coordinator)
    allowed = referral_start_refusal(referral, world.coordinator) is None
    assert (BUTTON in page(client, world, world.coordinator)) is allowed
    assert allowed is (situation == "open")


def test_a_refused_start_goes_back_to_the_page_with_the_reason(client, world):
    referral = decline_with_referral(world)
    programme = referral.programme
    programme.closes_on = programme.opens_on
    programme.save()
    client.force_login(world.coordinator)
    response = client.post(apply_url(referral), follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("application_detail", args=[world.application.pk])
    )
    assert "open from" in response.content.decode()
    only_the_declined_application()


@pytest.mark.parametrize("role", ["member", "officer", "manager"])
def test_people_who_see_the_application_but_may_not_start_get_403(client, world, role):
    referral = decline_with_referral(world)
    client.force_login(getattr(world, role))
    assert client.post(apply_url(referral)).status_code == HTTPStatus.FORBIDDEN
    only_the_declined_application()


def test_an_outsider_gets_404(client, world):
    referral = decline_with_referral(world)
    client.force_login(world.outsider)
    assert client.post(apply_url(referral)).status_code == HTTPStatus.NOT_FOUND
    only_the_declined_application()


def test_a_referral_of_another_application_is_404(client, world):
    referral = decline_with_referral(world)
    other = services.application_create(
        network=world.network,
        programme=ProgrammeFactory(),
        actor=world.coordinator,
        title="Other",
        requested_amount="10",
    )
    client.force_login(world.coordinator)
    url = reverse("referral_apply", args=[other.pk, referral.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND


def test_starting_needs_a_post(client, world):
    referral = decline_with_referral(world)
    client.force_login(world.coordinator)
    assert client.get(apply_url(referral)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not StateLog.objects.filter(transition="submit_step").exists()
    only_the_declined_application()


def test_the_coordinators_next_task_is_to_apply_where_referred(world):
    from applications.tasks import next_task

    referral = decline_with_referral(world, ProgrammeFactory(title="Green streets"))
    world.application.refresh_from_db()
    task = next_task(world.application, world.coordinator)
    assert "referred you to Green streets" in task.text
    assert task.kind == "do"
    # A member cannot start there: the plain decline task.
    assert "Read why" in next_task(world.application, world.member).text
    start(referral, world.coordinator)
    assert "Read why" in next_task(world.application, world.coordinator).text

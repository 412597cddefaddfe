"""What became of a fund's referrals: per referral on the declined application's page and the
programme's dashboard, and as counts on the dashboard, in a flat number of queries."""

from decimal import Decimal
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Referral
from applications.referral_outcomes import (
    Outcome,
    ReferralCounts,
    outcome_from_states,
    outcome_of,
    programme_referral_counts,
)
from applications.services.referral_start import application_start_from_referral
from funds.models import FundMembership
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import CONTACT_REFERRAL, fill_current_step, to_ready_for_decision
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

State = Application.State


def declined_with_referral(world, programme, application=None, coordinator=None) -> Referral:
    application = application or world.application
    coordinator = coordinator or world.coordinator
    fill_current_step(application, coordinator)
    services.application_decline(
        application=application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Try the other fund.",
        referrals=[{"programme": programme}, CONTACT_REFERRAL],
    )
    return Referral.objects.get(application=application, programme=programme)


def started_from(referral, coordinator) -> Application:
    return application_start_from_referral(referral=referral, actor=coordinator).application


@pytest.fixture
def elsewhere():
    """The programme referred to, of another fund, with its own officer and manager."""
    programme = ProgrammeFactory()
    return SimpleNamespace(
        programme=programme,
        officer=FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.OFFICER).user,
        manager=FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.MANAGER).user,
    )


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("states", "outcome"),
    [
        ([], Outcome.NONE),
        ([State.DRAFTING], Outcome.STARTED),
        ([State.STEP_SUBMITTED], Outcome.STARTED),
        ([State.AWARDED], Outcome.AWARDED),
        ([State.CONTRACTED], Outcome.AWARDED),
        ([State.CLOSED], Outcome.AWARDED),
        ([State.DECLINED], Outcome.DECLINED),
        ([State.WITHDRAWN], Outcome.WITHDRAWN),
        ([State.WITHDRAWN, State.DRAFTING], Outcome.STARTED),
        ([State.DECLINED, State.WITHDRAWN], Outcome.WITHDRAWN),
        ([State.AWARDED, State.DRAFTING], Outcome.AWARDED),
    ],
)
def test_the_outcome_follows_the_applications_started_from_the_referral(states, outcome):
    assert outcome_from_states(states) == outcome


def test_a_referral_follows_its_application_from_started_to_awarded(world, elsewhere):
    referral = declined_with_referral(world, elsewhere.programme)
    assert outcome_of(referral) == Outcome.NONE
    there = started_from(referral, world.coordinator)
    assert outcome_of(referral) == Outcome.STARTED
    to_ready_for_decision(
        SimpleNamespace(application=there, coordinator=world.coordinator, officer=elsewhere.officer)
    )
    services.application_award(application=there, actor=elsewhere.manager, amount=Decimal("500"))
    assert outcome_of(referral) == Outcome.AWARDED


def test_a_referral_whose_application_is_declined_there_says_so(world, elsewhere):
    referral = declined_with_referral(world, elsewhere.programme)
    there = started_from(referral, world.coordinator)
    services.application_decline(
        application=there,
        actor=elsewhere.officer,
        reason="Budget is spent.",
        advice="Ask again next year.",
        referrals=[CONTACT_REFERRAL],
    )
    assert outcome_of(referral) == Outcome.DECLINED


def test_a_contact_outside_eigenwijs_has_no_outcome(world, elsewhere):
    declined_with_referral(world, elsewhere.programme)
    contact = Referral.objects.get(programme__isnull=True)
    assert outcome_of(contact) == Outcome.NONE


# --- counts --------------------------------------------------------------------------------


def another_declined(world, title):
    network = NetworkMemberFactory(role="coordinator")
    application = services.application_create(
        network=network.network,
        programme=world.programme,
        actor=network.user,
        title=title,
        requested_amount="100",
    )
    return application, network.user


def test_the_programme_counts_its_referrals_and_what_became_of_them(world, elsewhere):
    referral = declined_with_referral(world, elsewhere.programme)
    there = started_from(referral, world.coordinator)
    services.application_withdraw(application=there, actor=world.coordinator)
    second, coordinator = another_declined(world, "Second")
    started_from(
        declined_with_referral(world, elsewhere.programme, second, coordinator), coordinator
    )
    third, coordinator = another_declined(world, "Third")
    declined_with_referral(world, ProgrammeFactory(), third, coordinator)
    assert programme_referral_counts(world.programme) == ReferralCounts(
        made=3, started=2, awarded=0, declined=0, withdrawn=1
    )
    assert programme_referral_counts(elsewhere.programme) == ReferralCounts()


# --- pages ---------------------------------------------------------------------------------


def dashboard(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("programme_dashboard", args=[world.programme.slug]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_dashboard_shows_the_counts_and_the_outcome_per_referral(client, world, elsewhere):
    referral = declined_with_referral(world, elsewhere.programme)
    started_from(referral, world.coordinator)
    content = dashboard(client, world)
    assert "Referrals to programmes in Eigenwijs: 1 made, 1 started, 0 awarded, 0 declined." in (
        " ".join(content.split())
    )
    assert 'data-outcome="started"' in content
    assert content.count("data-outcome=") == 1  # the contact has none


def test_a_dashboard_without_referrals_to_programmes_shows_no_counts(client, world):
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="No.",
        advice="Call them.",
        referrals=[CONTACT_REFERRAL],
    )
    assert "data-referral-counts" not in dashboard(client, world)


def test_the_dashboards_queries_do_not_grow_with_referrals_and_their_applications(
    client, world, elsewhere, django_assert_max_num_queries
):
    started_from(declined_with_referral(world, elsewhere.programme), world.coordinator)
    client.force_login(world.officer)
    url = reverse("programme_dashboard", args=[world.programme.slug])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == HTTPStatus.OK
    for number in range(4):
        application, coordinator = another_declined(world, f"More {number}")
        referral = declined_with_referral(world, elsewhere.programme, application, coordinator)
        if number % 2:
            started_from(referral, coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = client.get(url).content.decode()
    assert content.count('data-outcome="started"') == 3
    assert content.count('data-outcome="none"') == 2


def test_the_referring_fund_sees_the_outcome_on_the_declined_application(client, world, elsewhere):
    referral = declined_with_referral(world, elsewhere.programme)
    client.force_login(world.officer)
    url = reverse("application_detail", args=[world.application.pk])
    assert 'data-outcome="none"' in client.get(url).content.decode()
    started_from(referral, world.coordinator)
    content = client.get(url).content.decode()
    assert 'data-outcome="started"' in content
    assert 'data-action="apply-from-referral"' not in content


def test_the_network_sees_no_outcome_but_the_button(client, world, elsewhere):
    declined_with_referral(world, elsewhere.programme)
    client.force_login(world.coordinator)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert b"data-outcome=" not in content
    assert b'data-action="apply-from-referral"' in content

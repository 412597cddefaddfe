"""The history speaks of events, with names: one sentence per transition."""

import pytest

from applications import services
from applications.history import SENTENCES, history, person_name, sentence
from applications.models import Application
from integrations.services import fund_key_create
from tests.applications.helpers import bring_to_state, submit_current_step
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_transition_has_its_sentence():
    assert sentence("submit_step", person="Anna Smit", step="Idea") == (
        "Anna Smit submitted the step Idea"
    )
    assert sentence("request_changes", person="Fenna de Vries", step="Plan") == (
        "Fenna de Vries asked for changes to the step Plan"
    )
    assert sentence("accept_step", person="Fenna de Vries", step="Plan") == (
        "Fenna de Vries accepted the step Plan"
    )
    assert sentence("award", person="Mia", step="") == "Mia awarded the application"
    assert sentence("decline", person="Mia") == "Mia declined the application"
    assert sentence("withdraw", person="Anna Smit") == "Anna Smit withdrew the application"
    assert set(SENTENCES) >= {"contract", "close"}


def test_a_person_is_named_by_full_name_then_user_name_never_by_e_mail():
    assert person_name(UserFactory(first_name="Anna", last_name="Smit")) == "Anna Smit"
    # A fund's staff account without a name must not show its address to volunteers.
    assert person_name(UserFactory(username="officer7", email="o.seven@fund.example")) == (
        "officer7"
    )
    assert person_name(UserFactory(username="bare", email="")) == "bare"
    assert person_name(None) == "Eigenwijs (automatic)"


def test_the_history_names_people_and_the_step_each_event_was_about(world):
    world.coordinator.first_name, world.coordinator.last_name = "Anna", "Smit"
    world.coordinator.save()
    world.officer.first_name, world.officer.last_name = "Fenna", "de Vries"
    world.officer.save()
    submit_current_step(world)
    services.application_request_changes(
        application=world.application, actor=world.officer, comment="Say more."
    )
    submit_current_step(world)
    services.application_accept_step(application=world.application, actor=world.officer)
    submit_current_step(world)

    texts = [entry.text for entry in history(world.application)]

    assert texts == [
        "Anna Smit submitted the step Idea",
        "Fenna de Vries asked for changes to the step Idea",
        "Anna Smit submitted the step Idea",
        "Fenna de Vries accepted the step Idea",
        "Anna Smit submitted the step Plan",
    ]


def test_an_api_key_is_named_by_its_name(world):
    key, _secret = fund_key_create(
        fund=world.fund, actor=world.manager, name="Back office", scope="read_write"
    )
    application = bring_to_state(world, Application.State.DRAFTING)
    services.application_decline(
        application=application,
        actor=key.user,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[{"organisation": "Buurtwerk", "phone": "020 123 4567"}],
    )
    [entry] = history(application)
    assert entry.text.startswith("Back office")
    assert entry.text.endswith("declined the application")

"""The one registry of application actions: what it offers, and that django-fsm agrees with it.

``APPLICATION_ACTIONS.available`` is what the page's buttons, the admin and the API list show; the
model's django-fsm ``permission=`` and conditions must give the same answer for people, in every
state and for every role, so nothing that asks either can disagree.
"""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from applications.actions import APPLICATION_ACTIONS, needs_form
from applications.models import Application, NetworkMember
from applications.permissions import (
    coordinator_refusal,
    manager_refusal,
    member_refusal,
    officer_refusal,
)
from applications.selectors import Relationships
from applications.workflow import HISTORY_LABELS
from core.actions import READ_ONLY
from funds.models import FundMembership
from tests.applications.helpers import (
    ROLES,
    bring_to_state,
    dual_role_user,
    fill_current_step,
    snapshot,
    user_for,
)

pytestmark = pytest.mark.django_db

S = Application.State
EVERYONE = (*ROLES, "network_officer", "network_manager")
READ_ONLY_KEY = SimpleNamespace(read_only=True)
WRITE_KEY = SimpleNamespace(read_only=False)


def _person(world, role):
    if role == "network_officer":
        return dual_role_user(
            world, fund_role=FundMembership.Role.OFFICER, network_role=NetworkMember.Role.MEMBER
        )
    if role == "network_manager":
        return dual_role_user(
            world,
            fund_role=FundMembership.Role.MANAGER,
            network_role=NetworkMember.Role.COORDINATOR,
        )
    return user_for(world, role)


def _in_state(world, state):
    if state == "filled":  # drafting, with every answer of the step given
        fill_current_step(world.application, world.coordinator)
        world.application.refresh_from_db()
        return world.application
    return bring_to_state(world, state)


def _names(offers) -> list[str]:
    return [offer.name for offer in offers]


@pytest.mark.parametrize("state", ["filled", *S.values])
def test_available_is_what_django_fsm_offers_every_role_in_every_state(world, state):
    application = _in_state(world, state)
    for role in EVERYONE:
        user = _person(world, role)
        fsm_names = {t.name for t in application.get_available_user_state_transitions(user)}

        offered = _names(APPLICATION_ACTIONS.available(application, user))

        assert set(offered) == fsm_names, (state, role)
        assert offered == sorted(offered, key=list(APPLICATION_ACTIONS.actions).index)


def test_the_agreements_transitions_are_offered_to_nobody(world):
    application = bring_to_state(world, S.AWARDED)
    for role in EVERYONE:
        user = _person(world, role)
        assert not list(application.get_available_user_state_transitions(user))


@pytest.mark.parametrize("state", [S.DRAFTING, S.STEP_SUBMITTED, S.READY_FOR_DECISION])
@pytest.mark.parametrize("role", ["coordinator", "officer", "manager"])
def test_a_read_only_key_is_offered_nothing(world, state, role):
    application = bring_to_state(world, state)
    user = user_for(world, role)

    assert APPLICATION_ACTIONS.available(application, user, credential=READ_ONLY_KEY) == []
    refusals = {
        o.refusal for o in APPLICATION_ACTIONS.offered(application, user, credential=READ_ONLY_KEY)
    }
    assert refusals == {str(READ_ONLY)}
    assert _names(APPLICATION_ACTIONS.available(application, user, credential=WRITE_KEY)) == (
        _names(APPLICATION_ACTIONS.available(application, user))
    )


def test_a_read_only_key_cannot_run_anything_and_nothing_changes(world):
    application = bring_to_state(world, S.STEP_SUBMITTED)
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        APPLICATION_ACTIONS.run(
            "accept_step", application, actor=world.officer, credential=READ_ONLY_KEY
        )

    assert snapshot(application) == before


def test_offered_says_why_submit_is_not_possible_while_the_step_misses_answers(world):
    offer = APPLICATION_ACTIONS.offer(
        APPLICATION_ACTIONS.get("submit_step"), world.application, world.coordinator
    )

    assert not offer.available and offer.conflict
    assert "misses answers" in offer.refusal


def test_offered_separates_who_from_when(world):
    offers = {o.name: o for o in APPLICATION_ACTIONS.offered(world.application, world.member)}

    assert offers["withdraw"].refusal == coordinator_refusal(world.application, world.member)
    assert not offers["withdraw"].conflict
    offers = {o.name: o for o in APPLICATION_ACTIONS.offered(world.application, world.officer)}
    assert offers["accept_step"].conflict  # an officer, but nothing is submitted
    assert "Drafting" in offers["accept_step"].refusal


def test_run_refuses_a_person_before_the_service_reads_the_input(world):
    application = bring_to_state(world, S.READY_FOR_DECISION)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as refused:
        # No amount at all: the person is refused first, not the payload.
        APPLICATION_ACTIONS.run("award", application, actor=world.officer, data={})

    assert "manager" in str(refused.value)
    assert snapshot(application) == before


def test_run_performs_the_action_through_its_service(world):
    application = bring_to_state(world, S.STEP_SUBMITTED)

    APPLICATION_ACTIONS.run(
        "request_changes",
        application,
        actor=world.officer,
        data={"step": application.current_step, "comment": "Which street?", "question_key": "what"},
    )

    application.refresh_from_db()
    assert application.state == S.CHANGES_REQUESTED
    assert application.current_step.comments.get().question_key == "what"


def test_forms_are_asked_only_for_actions_with_more_than_a_note():
    assert [a.name for a in APPLICATION_ACTIONS if needs_form(a.name)] == [
        "request_changes",
        "award",
        "decline",
    ]


def test_history_labels_are_the_action_labels_and_the_agreements_two():
    assert set(HISTORY_LABELS) == {*APPLICATION_ACTIONS.actions, "contract", "close"}
    assert HISTORY_LABELS["award"] == APPLICATION_ACTIONS.get("award").label


# The caller's relationships, read once per request, answer as the permissions do.


@pytest.mark.parametrize("role", EVERYONE)
def test_relationships_answer_as_the_permissions(world, role):
    user = _person(world, role)
    application = world.application
    relationships = Relationships(user)

    assert relationships.is_member(application) == (member_refusal(application, user) is None)
    assert relationships.is_coordinator(application) == (
        coordinator_refusal(application, user) is None
    )
    assert relationships.is_officer(application) == (officer_refusal(application, user) is None)
    assert relationships.is_manager(application) == (manager_refusal(application, user) is None)
    reviewed = Application.objects.filter(relationships.officer_q(), pk=application.pk).exists()
    assert reviewed == relationships.is_officer(application)

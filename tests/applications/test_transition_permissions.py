"""Who may run which transition in which state: every role, every state, for every transition.

Each refusal must leave the application exactly as it was: same state, same steps, no log entry.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from applications import services
from applications.actions import APPLICATION_ACTIONS
from applications.models import Application, NetworkMember
from applications.permissions import CONFLICT_OF_INTEREST
from core.exceptions import InvalidTransition
from funds.models import FundMembership
from tests.applications.helpers import (
    CONTACT_REFERRAL,
    ROLES,
    bring_to_state,
    dual_role_user,
    fill_current_step,
    snapshot,
    user_for,
)

pytestmark = pytest.mark.django_db

S = Application.State
OPEN = [S.DRAFTING, S.STEP_SUBMITTED, S.CHANGES_REQUESTED, S.READY_FOR_DECISION]


def _payload(name):
    return {
        "request_changes": {"comment": "Who else lives on the street?"},
        "decline": {
            "reason": "Outside our region.",
            "advice": "Ask the district fund.",
            "referrals": [CONTACT_REFERRAL],
        },
        "award": {"amount": Decimal("750")},
    }.get(name, {})


#: transition -> (service, roles that may run it, source states, the word its refusal names)
TRANSITIONS = {
    "submit_step": (
        services.application_submit_step,
        ["coordinator"],
        [S.DRAFTING, S.CHANGES_REQUESTED],
        "coordinator",
    ),
    "request_changes": (
        services.application_request_changes,
        ["officer", "manager"],
        [S.STEP_SUBMITTED],
        "officer",
    ),
    "accept_step": (
        services.application_accept_step,
        ["officer", "manager"],
        [S.STEP_SUBMITTED],
        "officer",
    ),
    "decline": (services.application_decline, ["officer", "manager"], OPEN, "officer"),
    "withdraw": (services.application_withdraw, ["coordinator"], OPEN, "coordinator"),
    "award": (services.application_award, ["manager"], [S.READY_FOR_DECISION], "manager"),
}

EXPECTED_TARGET = {
    "submit_step": S.STEP_SUBMITTED,
    "request_changes": S.CHANGES_REQUESTED,
    "accept_step": S.DRAFTING,  # the first of four steps: the next one opens
    "decline": S.DECLINED,
    "withdraw": S.WITHDRAWN,
    "award": S.AWARDED,
}

ALLOWED_CASES = [
    (name, role, state)
    for name, (_, roles, sources, _word) in TRANSITIONS.items()
    for role in roles
    for state in sources
]
REFUSED_ROLE_CASES = [
    (name, role, state)
    for name, (_, roles, sources, _word) in TRANSITIONS.items()
    for role in ROLES
    if role not in roles
    for state in sources
]
WRONG_STATE_CASES = [
    (name, role, state)
    for name, (_, roles, sources, _word) in TRANSITIONS.items()
    for role in roles
    for state in S.values
    if state not in sources
]


def _prepare(world, name, state):
    """The application in ``state``; a drafting step is complete so that only the role matters."""
    application = bring_to_state(world, state)
    if name == "submit_step" and state == S.DRAFTING:
        fill_current_step(application, world.coordinator)
    return application


def available_transitions(application, user) -> list[str]:
    return [offer.name for offer in APPLICATION_ACTIONS.available(application, user)]


def _case_id(case):
    return "-".join(case)


@pytest.mark.parametrize(
    ("name", "role", "state"), ALLOWED_CASES, ids=[_case_id(c) for c in ALLOWED_CASES]
)
def test_the_allowed_role_runs_the_transition_in_its_source_state(world, name, role, state):
    application = _prepare(world, name, state)
    service = TRANSITIONS[name][0]
    actor = user_for(world, role)

    service(application=application, actor=actor, **_payload(name))

    application.refresh_from_db()
    assert application.state == EXPECTED_TARGET[name]
    entry = StateLog.objects.for_(application).latest("timestamp", "pk")
    assert (entry.transition, entry.source_state, entry.by) == (name, state, actor)


@pytest.mark.parametrize(
    ("name", "role", "state"), REFUSED_ROLE_CASES, ids=[_case_id(c) for c in REFUSED_ROLE_CASES]
)
def test_every_other_role_is_refused_with_a_reason_and_nothing_changes(world, name, role, state):
    application = _prepare(world, name, state)
    service, _roles, _sources, word = TRANSITIONS[name]
    actor = user_for(world, role)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as refused:
        service(application=application, actor=actor, **_payload(name))

    assert word in str(refused.value).lower()
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("name", "role", "state"), WRONG_STATE_CASES, ids=[_case_id(c) for c in WRONG_STATE_CASES]
)
def test_the_allowed_role_in_a_wrong_state_gets_invalid_transition(world, name, role, state):
    application = _prepare(world, name, state)
    service = TRANSITIONS[name][0]
    before = snapshot(application)

    with pytest.raises(InvalidTransition) as refused:
        service(application=application, actor=user_for(world, role), **_payload(name))

    assert refused.value.message
    assert snapshot(application) == before


def test_a_refusal_for_a_stale_copy_still_reads_the_current_state(world):
    """The service re-reads the row: acting on an old copy is judged on the state in the database."""
    stale = Application.objects.get(pk=world.application.pk)
    bring_to_state(world, S.WITHDRAWN)
    before = snapshot(world.application)

    with pytest.raises(InvalidTransition):
        services.application_decline(application=stale, actor=world.officer, **_payload("decline"))

    assert snapshot(world.application) == before


# Conflict of interest: reviewing or deciding on the application of one's own network.

CONFLICT_CASES = [
    ("request_changes", S.STEP_SUBMITTED, FundMembership.Role.OFFICER),
    ("request_changes", S.STEP_SUBMITTED, FundMembership.Role.MANAGER),
    ("accept_step", S.STEP_SUBMITTED, FundMembership.Role.OFFICER),
    ("accept_step", S.STEP_SUBMITTED, FundMembership.Role.MANAGER),
    ("decline", S.DRAFTING, FundMembership.Role.OFFICER),
    ("decline", S.READY_FOR_DECISION, FundMembership.Role.MANAGER),
    ("award", S.READY_FOR_DECISION, FundMembership.Role.MANAGER),
]


@pytest.mark.parametrize("network_role", NetworkMember.Role.values)
@pytest.mark.parametrize(("name", "state", "fund_role"), CONFLICT_CASES)
def test_fund_staff_in_the_applying_network_are_refused_for_conflict_of_interest(
    world, name, state, fund_role, network_role
):
    application = bring_to_state(world, state)
    actor = dual_role_user(world, fund_role=fund_role, network_role=network_role)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as refused:
        TRANSITIONS[name][0](application=application, actor=actor, **_payload(name))

    assert "conflict of interest" in str(refused.value)
    assert str(refused.value) == str(CONFLICT_OF_INTEREST)
    assert snapshot(application) == before


def test_a_coordinator_who_also_works_at_the_fund_may_still_act_for_the_network(world):
    actor = dual_role_user(
        world, fund_role=FundMembership.Role.MANAGER, network_role=NetworkMember.Role.COORDINATOR
    )
    fill_current_step(world.application, actor)

    services.application_submit_step(application=world.application, actor=actor)

    world.application.refresh_from_db()
    assert world.application.state == S.STEP_SUBMITTED


def test_an_inactive_officer_is_refused(world):
    application = bring_to_state(world, S.STEP_SUBMITTED)
    world.officer.is_active = False
    world.officer.save()
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        services.application_accept_step(application=application, actor=world.officer)

    assert snapshot(application) == before


# What the workflow offers each person now (buttons, admin, API).


def test_submit_is_not_offered_while_the_step_misses_answers(world):
    services.step_save_answers(
        step=world.application.current_step, actor=world.member, content={"what": "A garden"}
    )
    world.application.refresh_from_db()

    assert available_transitions(world.application, world.coordinator) == ["withdraw"]


def test_submit_is_offered_to_the_coordinator_once_the_step_is_complete(world):
    fill_current_step(world.application, world.member)

    assert available_transitions(world.application, world.coordinator) == [
        "submit_step",
        "withdraw",
    ]
    assert available_transitions(world.application, world.member) == []


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        (S.DRAFTING, "officer", ["decline"]),
        (S.STEP_SUBMITTED, "officer", ["request_changes", "accept_step", "decline"]),
        (S.STEP_SUBMITTED, "manager", ["request_changes", "accept_step", "decline"]),
        (S.STEP_SUBMITTED, "coordinator", ["withdraw"]),
        (S.STEP_SUBMITTED, "member", []),
        (S.CHANGES_REQUESTED, "coordinator", ["submit_step", "withdraw"]),
        (S.READY_FOR_DECISION, "officer", ["decline"]),
        (S.READY_FOR_DECISION, "manager", ["award", "decline"]),
        (S.READY_FOR_DECISION, "other_fund_manager", []),
        (S.READY_FOR_DECISION, "outsider", []),
        (S.AWARDED, "manager", []),
        (S.AWARDED, "coordinator", []),
        (S.DECLINED, "officer", []),
        (S.WITHDRAWN, "coordinator", []),
    ],
)
def test_available_transitions_follow_role_and_state(world, state, role, expected):
    application = bring_to_state(world, state)

    assert available_transitions(application, user_for(world, role)) == expected


@pytest.mark.parametrize("state", [S.STEP_SUBMITTED, S.READY_FOR_DECISION])
def test_nothing_is_offered_to_an_anonymous_visitor(world, state):
    application = bring_to_state(world, state)

    assert available_transitions(application, AnonymousUser()) == []


def test_nothing_is_offered_to_fund_staff_in_the_applying_network(world):
    application = bring_to_state(world, S.READY_FOR_DECISION)
    actor = dual_role_user(
        world, fund_role=FundMembership.Role.MANAGER, network_role=NetworkMember.Role.MEMBER
    )

    assert available_transitions(application, actor) == []

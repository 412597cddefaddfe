"""``pools.actions``: what each person may do to an allocation in each state, in one place.

The registry's answer is checked against a table written by hand, against django-fsm's own
``get_available_user_state_transitions`` (the model's ``permission=``), and for API keys.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.actions import READ_ONLY
from integrations.models import Scope
from integrations.services import fund_key_create
from pools.actions import ALLOCATION_ACTIONS, TRANSITIONS
from pools.models import Allocation

from .helpers import STATES, allocation_in, person

pytestmark = pytest.mark.django_db

State = Allocation.State
#: Transitions that follow the award and the last delivered hour: nobody takes them by hand.
AUTOMATIC = {"confirm", "complete"}
#: What the fund's officers and managers may do in each state.
FUND = {
    State.RESERVED: {"assign_provider", "release"},
    State.CONFIRMED: {"assign_provider", "log_delivery", "close", "release"},
    State.DELIVERED: {"close"},
    State.CLOSED: set(),
    State.RELEASED: set(),
}
#: What everyone else may do; the provider only logs hours, while the support is confirmed.
EXPECTED = {
    "officer": FUND,
    "manager": FUND,
    "provider": {
        state: {"log_delivery"} if state == State.CONFIRMED else set() for state in STATES
    },
    "coordinator": {state: set() for state in STATES},
    "member": {state: set() for state in STATES},
    "pool_officer": {state: set() for state in STATES},  # of another fund in the same pool
    "outsider": {state: set() for state in STATES},
}


def names(offers) -> set[str]:
    return {offer.name for offer in offers}


@pytest.mark.parametrize("state", STATES)
def test_each_role_is_offered_what_the_table_says(world, state):
    allocation = allocation_in(world, state)

    for role, expected in EXPECTED.items():
        offered = ALLOCATION_ACTIONS.available(allocation, person(world, role))
        assert names(offered) == expected[state], role


@pytest.mark.parametrize("state", STATES)
def test_django_fsm_agrees_with_the_registry_for_every_role(world, state):
    allocation = allocation_in(world, state)

    for role in EXPECTED:
        user = person(world, role)
        by_fsm = {t.name for t in allocation.get_available_user_state_transitions(user)}
        by_registry = names(ALLOCATION_ACTIONS.available(allocation, user)) & set(TRANSITIONS)
        assert by_fsm == by_registry, role


@pytest.mark.parametrize("state", STATES)
def test_every_refusal_says_why_and_whether_it_is_the_moment(world, state):
    allocation = allocation_in(world, state)

    for offer in ALLOCATION_ACTIONS.offered(allocation, world.officer):
        assert offer.available == (offer.name in FUND[state]), offer.name
        if not offer.available:
            assert offer.refusal
        # The fund's officer is refused only by the state, except for what nobody does by hand.
        assert offer.conflict == (not offer.available and offer.name not in AUTOMATIC)


def test_nobody_confirms_or_completes_by_hand(world):
    allocation = allocation_in(world, State.RESERVED)

    for name in sorted(AUTOMATIC):
        with pytest.raises(PermissionDenied):
            ALLOCATION_ACTIONS.run(name, allocation, actor=world.officer)
    allocation.refresh_from_db()
    assert allocation.state == State.RESERVED


def test_a_read_only_key_is_offered_nothing_and_runs_nothing(world):
    allocation = allocation_in(world, State.CONFIRMED)
    read_key, _ = fund_key_create(fund=world.fund, actor=world.manager, name="Read")
    write_key, _ = fund_key_create(
        fund=world.fund, actor=world.manager, name="Write", scope=Scope.READ_WRITE
    )

    assert ALLOCATION_ACTIONS.available(allocation, read_key.user, credential=read_key) == []
    refusals = {
        o.refusal
        for o in ALLOCATION_ACTIONS.offered(allocation, read_key.user, credential=read_key)
    }
    assert refusals == {str(READ_ONLY)}
    with pytest.raises(PermissionDenied):
        ALLOCATION_ACTIONS.run(
            "release", allocation, actor=read_key.user, data={}, credential=read_key
        )
    # The key's account is an officer of the fund: with a read-write key it may act.
    offered = ALLOCATION_ACTIONS.available(allocation, write_key.user, credential=write_key)
    assert names(offered) == FUND[State.CONFIRMED]
    allocation.refresh_from_db()
    assert allocation.state == State.CONFIRMED


def test_running_an_action_goes_through_the_service(world):
    allocation = allocation_in(world, State.CONFIRMED)

    ALLOCATION_ACTIONS.run(
        "log_delivery",
        allocation,
        actor=world.provider.user,
        data={"delivered_on": timezone.localdate(), "hours": "10", "note": "All minutes"},
    )

    allocation.refresh_from_db()
    assert (allocation.state, allocation.delivered_hours) == (State.DELIVERED, 10)
    with pytest.raises(PermissionDenied):
        ALLOCATION_ACTIONS.run("close", allocation, actor=world.provider.user)
    ALLOCATION_ACTIONS.run("close", allocation, actor=world.officer, data={"note": "Done"})
    allocation.refresh_from_db()
    assert allocation.state == State.CLOSED

"""One answer to "what may this person do to this application now", in every state.

The application page's buttons, the API's transitions list, ``APPLICATION_ACTIONS.available``
and django-fsm agree for every state and every caller (``tests/parity.py``); the admin's
change page offers the same as the registry to the fund staff who may use the admin.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.actions import APPLICATION_ACTIONS
from applications.models import Application, NetworkMember
from funds.models import FundMembership
from tests.applications.helpers import bring_to_state, dual_role_user
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory
from tests.parity import check, fund_keys, person, web_actions, who

pytestmark = pytest.mark.django_db

#: Who is offered what in each state, written out as a person would check it: never a member
#: who is not the coordinator, an officer of the network itself, another fund, an outsider or a
#: read-only key; only a manager awards.
EXPECTED = {
    # The open step is still empty, so nobody may submit it yet; a "no" can come at any step.
    Application.State.DRAFTING: {
        "decline": {"officer", "manager", "write_key"},
        "withdraw": {"coordinator"},
    },
    Application.State.STEP_SUBMITTED: {
        "request_changes": {"officer", "manager", "write_key"},
        "accept_step": {"officer", "manager", "write_key"},
        "decline": {"officer", "manager", "write_key"},
        "withdraw": {"coordinator"},
    },
    Application.State.CHANGES_REQUESTED: {
        "submit_step": {"coordinator"},
        "decline": {"officer", "manager", "write_key"},
        "withdraw": {"coordinator"},
    },
    Application.State.READY_FOR_DECISION: {
        "award": {"manager"},
        "decline": {"officer", "manager", "write_key"},
        "withdraw": {"coordinator"},
    },
    Application.State.AWARDED: {},
    Application.State.DECLINED: {},
    Application.State.WITHDRAWN: {},
    Application.State.CONTRACTED: {},
    Application.State.CLOSED: {},
}


@pytest.fixture
def callers(world):
    other_fund = ProgrammeFactory().fund
    people = {
        "member": world.member,
        "coordinator": world.coordinator,
        "officer": world.officer,
        "manager": world.manager,
        "conflicted_officer": dual_role_user(
            world, fund_role=FundMembership.Role.OFFICER, network_role=NetworkMember.Role.MEMBER
        ),
        "other_fund_manager": FundMembershipFactory(
            fund=other_fund, role=FundMembership.Role.MANAGER
        ).user,
        "outsider": UserFactory(),
    }
    return {
        **{role: person(user) for role, user in people.items()},
        **fund_keys(world.fund, actor=world.manager),
    }


@pytest.mark.parametrize("state", list(EXPECTED))
def test_page_api_registry_and_fsm_agree_for_every_caller(world, callers, state):
    application = bring_to_state(world, state)

    offered = check(
        application,
        APPLICATION_ACTIONS,
        callers,
        page=reverse("application_detail", args=[application.pk]),
        api=f"/api/v1/applications/{application.pk}/transitions/",
    )

    for name in APPLICATION_ACTIONS.actions:
        assert who(offered, name) == EXPECTED[state].get(name, set()), (state, name)


def test_a_step_that_misses_answers_is_not_offered_for_submission(world, callers):
    # The open step is empty in the world: submit is refused by "when", for everyone.
    application = bring_to_state(world, Application.State.DRAFTING)
    offer = next(
        o
        for o in APPLICATION_ACTIONS.offered(application, world.coordinator)
        if o.name == "submit_step"
    )
    assert offer.conflict and "misses answers" in offer.refusal
    assert {name for name, _ in web_actions(callers["coordinator"], _page(application))} == {
        "withdraw"
    }


def test_the_admin_offers_what_the_registry_offers(world):
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    page = reverse("admin:applications_application_change", args=[application.pk])
    view = Permission.objects.get(codename="view_application")
    for user in (world.officer, world.manager):
        user.is_staff = True
        user.save()
        user.user_permissions.add(view)
        caller = person(user)
        expected = {o.name for o in APPLICATION_ACTIONS.available(application, user)}
        assert {name for name, _ in web_actions(caller, page)} == expected, user
    assert expected == {"award", "decline"}  # the manager's


def _page(application) -> str:
    return reverse("application_detail", args=[application.pk])

"""A fund's key counts as the person who made it: it is no way round a conflict of interest.

A manager who is also a member of a network may not decide on its application; a key she made
may not either (``applications.permissions.conflict_role``, ``core.people``).
"""

from http import HTTPStatus

import pytest

from applications.actions import APPLICATION_ACTIONS
from applications.models import Application, NetworkMember
from funds.models import FundMembership
from integrations.models import Scope
from integrations.services import fund_key_create
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import bring_to_state
from tests.parity import bearer

pytestmark = pytest.mark.django_db


def _key_of(world, maker):
    key, secret = fund_key_create(
        fund=world.fund,
        actor=maker,
        name="Back office",
        scope=Scope.READ_WRITE,
        role=FundMembership.Role.MANAGER,
    )
    return key, bearer(secret)


def test_a_key_made_by_a_member_of_the_network_may_not_decide_on_its_application(world):
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    NetworkMemberFactory(network=world.network, user=world.manager, role=NetworkMember.Role.MEMBER)
    key, api = _key_of(world, world.manager)

    offered = APPLICATION_ACTIONS.available(application, key.user, credential=key)
    listed = api.get(f"/api/v1/applications/{application.pk}/transitions/")
    refused = api.post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"name": "award", "amount": "500"},
        format="json",
    )

    assert offered == [] and listed.json() == []
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "conflict of interest" in refused.json()["detail"]
    application.refresh_from_db()
    assert application.state == Application.State.READY_FOR_DECISION


def test_a_key_made_by_a_manager_outside_the_network_decides(world):
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    key, api = _key_of(world, world.manager)

    response = api.post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"name": "award", "amount": "500"},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK, response.content
    application.refresh_from_db()
    assert application.state == Application.State.AWARDED

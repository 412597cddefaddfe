"""Callers of the API in every role, for the permission matrices.

``api_world`` extends the ``world`` fixture (one fund, its programme, a network with an
application) with a second fund and network, and one authenticated APIClient per role:

    anonymous, other_member (a member of another network), coordinator, other_officer (an
    officer of another fund), officer, manager, read_key and write_key (the fund's API keys)

Keys and tokens are real (created by the integrations services) and sent as
``Authorization: Bearer <secret>``; people use personal access tokens the same way. The roles and
the answers the matrices expect of them are defined once, in tests/api/roles.py (``ROLES`` is
importable from here too).
"""

import pytest
from rest_framework.test import APIClient

from funds.models import FundMembership
from integrations.models import Scope
from integrations.services import fund_key_create, personal_token_create
from tests.api.roles import ROLES
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory


def bearer(secret: str) -> APIClient:
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def token_client(user) -> APIClient:
    _token, secret = personal_token_create(actor=user, name="tests")
    return bearer(secret)


@pytest.fixture
def api_world(world):
    w = world
    w.other_programme = ProgrammeFactory()
    w.other_fund = w.other_programme.fund
    w.other_officer = FundMembershipFactory(
        fund=w.other_fund, role=FundMembership.Role.OFFICER
    ).user
    w.other_member = NetworkMemberFactory(role="coordinator").user
    w.read_key, read_secret = fund_key_create(
        fund=w.fund, actor=w.manager, name="Read", scope=Scope.READ
    )
    w.write_key, write_secret = fund_key_create(
        fund=w.fund, actor=w.manager, name="Write", scope=Scope.READ_WRITE
    )
    w.clients = {
        "anonymous": APIClient(HTTP_HOST="127.0.0.1"),
        "other_member": token_client(w.other_member),
        "coordinator": token_client(w.coordinator),
        "other_officer": token_client(w.other_officer),
        "officer": token_client(w.officer),
        "manager": token_client(w.manager),
        "read_key": bearer(read_secret),
        "write_key": bearer(write_secret),
    }
    assert tuple(w.clients) == ROLES  # the matrices' callers (tests/api/roles.py)
    return w


def assert_problem(response, status: int, *, field: str | None = None) -> dict:
    """The response is an RFC 9457 problem with this status (and an error on ``field``)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and "type" in body and "detail" in body
    if field is not None:
        assert field in body.get("errors", {}), body
    return body

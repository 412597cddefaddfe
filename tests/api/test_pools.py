"""/api/v1/support-pools/: the pools a caller's fund contributes to, and their utilisation."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import Fund, FundMembership
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import FUND, ROLES, read_status
from tests.funds.factories import FundMembershipFactory
from tests.pools.factories import ContributionFactory, PoolServiceFactory, service_type
from tests.pools.helpers import pool_for
from tests.pools.scenario import build_scenario

pytestmark = pytest.mark.django_db

OK, NOT_FOUND, UNAUTHORIZED = HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED
#: Who sees a pool the world's fund contributes to: its staff and keys, no one else.
POOL_VIEWERS = FUND


def pool_status(role: str) -> int:
    return read_status(role, POOL_VIEWERS)


def test_list_detail_and_utilisation_matrix(api_world):
    service, _provider = pool_for(api_world)
    pool = service.pool
    for role in ROLES:
        client = api_world.clients[role]
        response = client.get("/api/v1/support-pools/")
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
        else:
            ids = [row["id"] for row in response.json()["results"]]
            assert ids == ([pool.pk] if role in POOL_VIEWERS else []), role
        for suffix in ("", "utilisation/"):
            response = client.get(f"/api/v1/support-pools/{pool.pk}/{suffix}")
            assert response.status_code == pool_status(role), (role, suffix)


def test_another_funds_officer_sees_the_pool_once_their_fund_contributes(api_world):
    service, _provider = pool_for(api_world)
    client = api_world.clients["other_officer"]
    assert_problem(client.get(f"/api/v1/support-pools/{service.pool_id}/"), NOT_FOUND)
    ContributionFactory(pool=service.pool, fund=api_world.other_fund)
    assert client.get(f"/api/v1/support-pools/{service.pool_id}/").status_code == OK


def test_detail_shows_services_contributions_and_providers(api_world):
    service, provider = pool_for(api_world, capacity="40", rate=Decimal("35"))
    body = api_world.clients["read_key"].get(f"/api/v1/support-pools/{service.pool_id}/").json()
    assert body["is_open"] is True and body["slug"] == service.pool.slug
    assert body["services"] == [
        {
            "id": service.pk,
            "service_type": "secretarial",
            "label": body["services"][0]["label"],
            "capacity_hours": "40.00",
        }
    ]
    assert body["contributions"][0]["fund"] == api_world.fund.slug
    assert body["contributions"][0]["hours"] == "100.00"
    assert body["providers"] == [
        {
            "id": provider.pk,
            "name": provider.name,
            "organisation": "",
            "service_type": "secretarial",
            "hourly_rate": "35.00",
            "active": True,
        }
    ]


def _fund_a_client():
    pool = build_scenario()
    fund_a = Fund.objects.get(name="Fund A")
    officer = FundMembershipFactory(fund=fund_a, role=FundMembership.Role.OFFICER).user
    return pool, token_client(officer)


def hours(line) -> tuple:
    return tuple(
        line[key]
        for key in (
            "capacity_hours",
            "reserved_hours",
            "confirmed_hours",
            "delivered_hours",
            "remaining_hours",
        )
    )


def test_utilisation_figures_of_the_scenario(db):
    pool, client = _fund_a_client()
    body = client.get(f"/api/v1/support-pools/{pool.pk}/utilisation/").json()
    assert body["pool"] == pool.pk

    services = {line["service_type"]: line for line in body["services"]}
    secretarial, bookkeeping = services["secretarial"], services["bookkeeping"]
    assert hours(secretarial) == ("100.00", "20.00", "20.00", "25.00", "35.00")
    assert hours(bookkeeping) == ("50.00", "0.00", "0.00", "6.00", "44.00")
    # The money value is kept apart from the hours, and only where a rate is known.
    assert secretarial["money_value"] == {
        "delivered_eur": "1000.00",
        "delivered_hours_without_rate": "0.00",
    }
    assert bookkeeping["money_value"] == {
        "delivered_eur": "0.00",
        "delivered_hours_without_rate": "6.00",
    }

    funds = {line["label"]: line for line in body["funds"]}
    a, b = funds["Fund A"], funds["Fund B"]
    assert (a["contributed_hours"], a["contributed_euros"], a["share_percent"]) == (
        "300.00",
        "2000.00",
        "75.0",
    )
    assert hours(a) == (None, "20.00", "20.00", "16.00", None)
    assert a["money_value"]["delivered_eur"] == "400.00"
    assert hours(b)[1:4] == ("0.00", "0.00", "15.00") and b["share_percent"] == "25.0"

    networks = {line["label"]: line for line in body["networks"]}
    assert hours(networks["Network 1"])[1:4] == ("20.00", "0.00", "4.00")
    assert hours(networks["Network 2"])[1:4] == ("0.00", "20.00", "12.00")
    assert hours(networks["Network 3"])[1:4] == ("0.00", "0.00", "15.00")

    assert hours(body["total"]) == ("150.00", "20.00", "20.00", "31.00", "79.00")
    assert body["total"]["money_value"]["delivered_eur"] == "1000.00"


def test_utilisation_takes_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    pool, client = _fund_a_client()
    path = f"/api/v1/support-pools/{pool.pk}/utilisation/"
    client.get(path)
    with django_assert_max_num_queries(14):
        assert client.get(path).status_code == OK


def test_list_takes_a_fixed_number_of_queries(api_world):
    service, _provider = pool_for(api_world)
    client = api_world.clients["officer"]
    client.get("/api/v1/support-pools/")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/support-pools/").status_code == OK
        return len(context.captured_queries)

    one = count()
    for code in ("bookkeeping",):
        PoolServiceFactory(pool=service.pool, service_type=service_type(code))
    for _ in range(3):
        other = pool_for(api_world)[0]
        ContributionFactory(pool=other.pool)
    assert count() == one

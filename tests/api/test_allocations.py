"""/api/v1/allocations/: reserve pool hours within capacity, log delivery, release, close."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pools.models import Allocation
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import OFFICER_WRITE, READERS, ROLES
from tests.funds.factories import UserFactory
from tests.pools.helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db

OK, CREATED, BAD = HTTPStatus.OK, HTTPStatus.CREATED, HTTPStatus.BAD_REQUEST
FORBIDDEN, NOT_FOUND = HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
CONFLICT, UNAUTHORIZED = HTTPStatus.CONFLICT, HTTPStatus.UNAUTHORIZED

# Who may read an allocation of the world's application: its network and its fund (READERS), and
# the pool's funds. Officers' writes: OFFICER_WRITE. Both in tests/api/roles.py.
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def pooled(api_world):
    """The fund contributes to a pool with 40 secretarial hours."""
    api_world.service, api_world.provider = pool_for(api_world, capacity="40")
    return api_world


@pytest.fixture
def open_window(pooled):
    """... and the budget is submitted, so hours can be reserved."""
    budget_submitted(pooled)
    return pooled


def url(allocation, suffix="") -> str:
    return f"/api/v1/allocations/{allocation.pk}/{suffix}"


def reservation(w, hours="10", **fields) -> dict:
    return {
        "application": w.application.pk,
        "service": w.service.pk,
        "hours": hours,
        "need": "Minutes of our meetings",
        **fields,
    }


def transition(client, allocation, name, **payload):
    return client.post(url(allocation, "transitions/"), {"name": name, **payload}, format="json")


# ---------------------------------------------------------------------------------------------
# Reserving


@pytest.mark.parametrize("role", ROLES)
def test_reserve_matrix(open_window, role):
    w = open_window
    response = w.clients[role].post("/api/v1/allocations/", reservation(w), format="json")
    expected = {
        "anonymous": UNAUTHORIZED,
        "other_member": BAD,  # the application is outside their scope: it "does not exist"
        "coordinator": FORBIDDEN,
        "other_officer": BAD,
        "officer": CREATED,
        "manager": CREATED,
        "read_key": FORBIDDEN,
        "write_key": CREATED,
    }[role]
    if expected == CREATED:
        assert response.status_code == CREATED, response.content
        allocation = Allocation.objects.get()
        body = response.json()
        assert body["id"] == allocation.pk and response["Location"].endswith(url(allocation))
        assert (body["hours"], body["state"], body["pool"]) == (
            "10.00",
            "reserved",
            w.service.pool_id,
        )
        assert body["service_type"] == "secretarial" and body["network"] == w.network.pk
    else:
        assert_problem(response, expected, field="application" if expected == BAD else None)
        assert not Allocation.objects.exists()


def test_reserve_within_and_beyond_capacity(open_window):
    w = open_window
    client = w.clients["officer"]
    assert (
        client.post("/api/v1/allocations/", reservation(w, "30"), format="json").status_code == 201
    )
    response = client.post("/api/v1/allocations/", reservation(w, "10.5"), format="json")
    body = assert_problem(response, BAD, field="hours")
    assert "Only 10 hours" in body["errors"]["hours"][0]
    # Exactly what is left is fine.
    assert (
        client.post("/api/v1/allocations/", reservation(w, "10"), format="json").status_code == 201
    )
    body = assert_problem(
        client.post("/api/v1/allocations/", reservation(w, "1"), format="json"), BAD, field="hours"
    )
    assert "Only 0 hours" in body["errors"]["hours"][0]
    assert Allocation.objects.count() == 2


def test_reserve_input_errors(open_window):
    w = open_window
    client = w.clients["officer"]
    for hours in ("0", "-2", "abc", "1.234"):
        response = client.post("/api/v1/allocations/", reservation(w, hours), format="json")
        assert_problem(response, BAD, field="hours")
    response = client.post("/api/v1/allocations/", reservation(w, need=" "), format="json")
    assert_problem(response, BAD, field="need")
    body = reservation(w)
    del body["service"]
    assert_problem(client.post("/api/v1/allocations/", body, format="json"), BAD, field="service")
    stranger = pool_for(w, code="bookkeeping")[1]  # a provider of another pool and service
    response = client.post(
        "/api/v1/allocations/", reservation(w, provider=stranger.pk), format="json"
    )
    assert_problem(response, BAD, field="provider")
    assert not Allocation.objects.exists()


def test_reserve_by_pool_and_service_type(open_window):
    w = open_window
    client = w.clients["write_key"]
    body = reservation(w, pool=w.service.pool_id, service_type="secretarial")
    del body["service"]
    response = client.post("/api/v1/allocations/", body, format="json")
    assert response.status_code == CREATED and response.json()["service"] == w.service.pk
    body["service_type"] = "bookkeeping"  # not offered by this pool
    response = client.post("/api/v1/allocations/", body, format="json")
    assert_problem(response, BAD, field="service_type")


def test_reserve_before_the_budget_is_a_conflict(api_world):
    api_world.service, _ = pool_for(api_world)
    response = api_world.clients["officer"].post(
        "/api/v1/allocations/", reservation(api_world), format="json"
    )
    assert_problem(response, CONFLICT)


def test_a_retried_reservation_reserves_once(open_window):
    w = open_window
    client = w.clients["write_key"]
    first = client.post(
        "/api/v1/allocations/", reservation(w, "30"), format="json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    again = client.post(
        "/api/v1/allocations/", reservation(w, "30"), format="json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Allocation.objects.count() == 1
    # The same key for another request is refused rather than replayed.
    other = client.post(
        "/api/v1/allocations/", reservation(w, "5"), format="json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    assert_problem(other, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert Allocation.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Reading


def test_list_and_detail_matrix(open_window):
    w = open_window
    allocation = reserve(w, w.service, "10")
    for role in ROLES:
        client = w.clients[role]
        response = client.get("/api/v1/allocations/")
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
            continue
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([allocation.pk] if role in READERS else []), role
        expected = OK if role in READERS else NOT_FOUND
        assert client.get(url(allocation)).status_code == expected, role
        assert client.get(url(allocation, "transitions/")).status_code == expected, role


def test_filters(open_window):
    w = open_window
    allocation = reserve(w, w.service, "10")
    client = w.clients["read_key"]

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/allocations/?{query}").json()["results"]]

    assert ids(f"pool={w.service.pool_id}") == [allocation.pk]
    assert ids(f"pool={w.service.pool_id + 100}") == []
    assert ids(f"application={w.application.pk}") == [allocation.pk]
    assert ids("state=reserved") == [allocation.pk] and ids("state=confirmed") == []


def test_the_pools_other_funds_and_the_provider_see_the_allocation(open_window):
    from tests.pools.factories import ContributionFactory

    w = open_window
    allocation = reserve(w, w.service, "10")
    ContributionFactory(pool=w.service.pool, fund=w.other_fund)
    assert w.clients["other_officer"].get(url(allocation)).status_code == OK
    # ... but cannot act on another fund's application.
    assert_problem(transition(w.clients["other_officer"], allocation, "release"), FORBIDDEN)
    w.provider.user = UserFactory()
    w.provider.save()
    allocation.provider = w.provider
    allocation.save()
    assert token_client(w.provider.user).get(url(allocation)).status_code == OK


def test_list_takes_a_fixed_number_of_queries(pooled, django_assert_max_num_queries):
    w = pooled
    allocation = awarded_with(w, w.service, "20", provider=w.provider)
    client = w.clients["coordinator"]
    client.get("/api/v1/allocations/")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/allocations/").status_code == OK
        return len(context.captured_queries)

    one = count()
    for _ in range(4):
        transition(w.clients["officer"], allocation, "log_delivery", **_delivery("1"))
        reserve(w, w.service, "1", provider=w.provider)
    assert count() == one
    with django_assert_max_num_queries(10):
        client.get(url(allocation))


# ---------------------------------------------------------------------------------------------
# Transitions


@pytest.mark.parametrize("role", ROLES)
def test_release_matrix(open_window, role):
    w = open_window
    allocation = reserve(w, w.service, "10")
    response = transition(w.clients[role], allocation, "release", note="Not needed")
    expected = OFFICER_WRITE[role]
    allocation.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK and allocation.state == "released"
    else:
        assert_problem(response, expected)
        assert allocation.state == "reserved"


def _delivery(hours, **fields) -> dict:
    return {"delivered_on": YESTERDAY, "hours": hours, "note": "Minutes written", **fields}


@pytest.mark.parametrize("role", ROLES)
def test_log_delivery_matrix(pooled, role):
    w = pooled
    allocation = awarded_with(w, w.service, "10", provider=w.provider)
    response = transition(w.clients[role], allocation, "log_delivery", **_delivery("4"))
    expected = OFFICER_WRITE[role]
    allocation.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK, response.content
        assert allocation.delivered_hours == Decimal("4")
        assert [d["hours"] for d in response.json()["deliveries"]] == ["4.00"]
    else:
        assert_problem(response, expected)
        assert allocation.delivered_hours == 0 and not allocation.deliveries.exists()


def test_delivery_logging_limits(pooled):
    w = pooled
    allocation = awarded_with(w, w.service, "10", provider=w.provider)
    client = w.clients["write_key"]
    assert transition(client, allocation, "log_delivery", **_delivery("4")).status_code == OK
    body = assert_problem(
        transition(client, allocation, "log_delivery", **_delivery("7")), BAD, field="hours"
    )
    assert "Only 6 hours" in body["errors"]["hours"][0]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = transition(
        client, allocation, "log_delivery", **_delivery("1", delivered_on=tomorrow)
    )
    assert_problem(response, BAD, field="delivered_on")
    response = transition(client, allocation, "log_delivery", **_delivery("1", note=""))
    assert_problem(response, BAD, field="note")
    response = transition(client, allocation, "log_delivery", delivered_on=YESTERDAY, note="x")
    assert_problem(response, BAD, field="hours")
    response = transition(client, allocation, "log_delivery", **_delivery("6"))
    assert response.json()["state"] == "delivered" and response.json()["remaining_hours"] == "0.00"
    # Nothing left to log: not possible in this state.
    assert_problem(transition(client, allocation, "log_delivery", **_delivery("1")), CONFLICT)
    assert [t["name"] for t in client.get(url(allocation, "transitions/")).json()] == ["close"]
    response = transition(client, allocation, "close", note="Done")
    assert response.status_code == OK and response.json()["state"] == "closed"
    assert client.get(url(allocation, "transitions/")).json() == []


def test_the_provider_logs_their_own_hours(pooled):
    w = pooled
    w.provider.user = UserFactory()
    w.provider.save()
    allocation = awarded_with(w, w.service, "10", provider=w.provider)
    client = token_client(w.provider.user)
    assert [t["name"] for t in client.get(url(allocation, "transitions/")).json()] == [
        "log_delivery"
    ]
    assert transition(client, allocation, "log_delivery", **_delivery("2")).status_code == OK
    assert_problem(transition(client, allocation, "close"), FORBIDDEN)


def test_assign_provider(open_window):
    w = open_window
    allocation = reserve(w, w.service, "10")
    client = w.clients["officer"]
    offered = [t["name"] for t in client.get(url(allocation, "transitions/")).json()]
    assert offered == ["assign_provider", "release"]
    assert_problem(transition(client, allocation, "assign_provider"), BAD, field="provider")
    stranger = pool_for(w, code="bookkeeping")[1]
    response = transition(client, allocation, "assign_provider", provider=stranger.pk)
    assert_problem(response, BAD, field="provider")
    response = transition(client, allocation, "assign_provider", provider=w.provider.pk)
    assert response.status_code == OK and response.json()["provider"] == w.provider.pk
    response = transition(client, allocation, "assign_provider", provider=None)
    assert response.status_code == OK and response.json()["provider"] is None
    assert_problem(transition(w.clients["coordinator"], allocation, "assign_provider"), 403)


def test_state_conflicts(open_window):
    w = open_window
    allocation = reserve(w, w.service, "10")
    client = w.clients["officer"]
    assert_problem(transition(client, allocation, "close"), CONFLICT)
    assert_problem(transition(client, allocation, "log_delivery", **_delivery("1")), CONFLICT)
    assert_problem(transition(client, allocation, "fly"), BAD, field="name")
    assert transition(client, allocation, "release").status_code == OK
    assert_problem(transition(client, allocation, "release"), CONFLICT)
    assert_problem(transition(client, allocation, "assign_provider", provider=None), CONFLICT)
    allocation.refresh_from_db()
    assert allocation.state == "released"

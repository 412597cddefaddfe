"""/api/v1/tranches/: what is due and paid, and marking a tranche paid with four eyes on money."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Tranche
from funds.models import FundMembership
from integrations.models import Scope
from integrations.services import fund_key_create
from tests.api.conftest import assert_problem, bearer, token_client
from tests.api.roles import ROLES, read_status
from tests.api.test_agreements import draft, executed
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

OK, BAD, FORBIDDEN = HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN
NOT_FOUND, CONFLICT, UNAUTHORIZED = (
    HTTPStatus.NOT_FOUND,
    HTTPStatus.CONFLICT,
    HTTPStatus.UNAUTHORIZED,
)
PAYMENT = {"name": "mark_paid", "paid_on": "2026-11-27", "reference": "BANK-42"}


def url(tranche, suffix="") -> str:
    return f"/api/v1/tranches/{tranche.pk}/{suffix}"


def finance_key(w):
    """A read-write key made by a manager who neither awarded nor prepared. api_world's keys
    were made by the manager who awarded, so four eyes on money count them as her."""
    treasurer = FundMembershipFactory(fund=w.fund, role=FundMembership.Role.MANAGER).user
    _key, secret = fund_key_create(
        fund=w.fund, actor=treasurer, name="Finance", scope=Scope.READ_WRITE
    )
    return bearer(secret)


def test_list_and_detail_matrix(api_world):
    agreement = executed(api_world)
    first, second = agreement.tranches.order_by("number")
    for role in ROLES:
        client = api_world.clients[role]
        response = client.get("/api/v1/tranches/")
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
        else:
            ids = sorted(row["id"] for row in response.json()["results"])
            expected = [first.pk, second.pk] if read_status(role) == OK else []
            assert ids == expected, role
        assert client.get(url(first)).status_code == read_status(role), role


def test_detail_shows_the_payment(api_world):
    agreement = executed(api_world)
    first = agreement.tranches.get(number=1)
    body = api_world.clients["read_key"].get(url(first)).json()
    assert body == {
        "id": first.pk,
        "agreement": agreement.pk,
        "fund": api_world.fund.slug,
        "number": 1,
        "amount": "800.00",
        "trigger": "on_signing",
        "state": "due",
        "due_at": body["due_at"],
        "paid_on": None,
        "payment_reference": "",
    }
    assert body["due_at"]


def test_a_drafts_tranches_are_only_for_the_fund(api_world):
    draft(api_world)
    for role, count in (("coordinator", 0), ("officer", 2), ("read_key", 2)):
        assert len(api_world.clients[role].get("/api/v1/tranches/").json()["results"]) == count


def test_filters(api_world):
    agreement = executed(api_world)
    client = api_world.clients["write_key"]

    def numbers(query):
        rows = client.get(f"/api/v1/tranches/?{query}").json()["results"]
        return sorted(row["number"] for row in rows)

    assert numbers("state=due") == [1] and numbers("state=planned") == [2]
    assert numbers(f"agreement={agreement.pk}") == [1, 2]
    assert numbers(f"agreement={agreement.pk + 1}") == []
    assert numbers(f"fund={api_world.fund.slug}") == [1, 2]
    assert numbers(f"fund={api_world.other_fund.slug}") == []


@pytest.mark.parametrize("role", ROLES)
def test_mark_paid_matrix(api_world, role):
    agreement = executed(api_world)
    first = agreement.tranches.get(number=1)
    response = api_world.clients[role].post(url(first, "transitions/"), PAYMENT, format="json")
    expected = {
        "anonymous": UNAUTHORIZED,
        "other_member": NOT_FOUND,
        "coordinator": FORBIDDEN,
        "other_officer": NOT_FOUND,
        # Four eyes on money: the officer prepared the agreement, the manager awarded it.
        "officer": FORBIDDEN,
        "manager": FORBIDDEN,
        "read_key": FORBIDDEN,
        # Made by the manager who awarded: the key counts as her (a key of someone else: OK).
        "write_key": FORBIDDEN,
    }[role]
    first.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK, response.content
        assert response.json()["state"] == first.state == "paid"
        assert (first.paid_on.isoformat(), first.payment_reference) == ("2026-11-27", "BANK-42")
    else:
        assert_problem(response, expected)
        assert first.state == "due" and first.paid_on is None


def test_four_eyes_refusal_says_why_and_offers_nothing(api_world):
    agreement = executed(api_world)
    first = agreement.tranches.get(number=1)
    officer = api_world.clients["officer"]
    assert officer.get(url(first, "transitions/")).json() == []
    body = assert_problem(officer.post(url(first, "transitions/"), PAYMENT, format="json"), 403)
    assert "four eyes" in body["detail"].lower()

    treasurer = FundMembershipFactory(fund=api_world.fund, role=FundMembership.Role.OFFICER).user
    client = token_client(treasurer)
    offered = client.get(url(first, "transitions/")).json()
    assert offered == [
        {"name": "mark_paid", "label": offered[0]["label"], "fields": ["paid_on", "reference"]}
    ]
    assert client.post(url(first, "transitions/"), PAYMENT, format="json").status_code == OK


def test_a_refused_caller_is_403_before_the_payload_is_read(api_world):
    first = executed(api_world).tranches.get(number=1)
    garbage = {"name": "mark_paid", "paid_on": "someday", "reference": ["not", "text"]}
    for role in ("coordinator", "officer", "read_key", "write_key"):
        response = api_world.clients[role].post(url(first, "transitions/"), garbage, format="json")
        assert_problem(response, FORBIDDEN)
    response = finance_key(api_world).post(url(first, "transitions/"), garbage, format="json")
    assert_problem(response, BAD, field="paid_on")


def test_without_four_eyes_the_preparing_officer_may_mark_paid(api_world):
    api_world.fund.four_eyes_on_payments = False
    api_world.fund.save()
    first = executed(api_world).tranches.get(number=1)
    officer = api_world.clients["officer"]
    assert [t["name"] for t in officer.get(url(first, "transitions/")).json()] == ["mark_paid"]
    assert officer.post(url(first, "transitions/"), PAYMENT, format="json").status_code == OK


def test_payment_needs_a_date_and_a_reference_and_a_due_tranche(api_world):
    agreement = executed(api_world)
    first, second = agreement.tranches.order_by("number")
    client = finance_key(api_world)
    path = url(first, "transitions/")
    response = client.post(path, {**PAYMENT, "reference": " "}, format="json")
    assert_problem(response, BAD, field="reference")
    response = client.post(path, {"name": "mark_paid", "reference": "X"}, format="json")
    assert_problem(response, BAD, field="paid_on")
    response = client.post(path, {**PAYMENT, "paid_on": "yesterday"}, format="json")
    assert_problem(response, BAD, field="paid_on")
    assert_problem(client.post(path, {**PAYMENT, "name": "pay"}, format="json"), BAD, field="name")
    # The second tranche waits for the final report: not due, so not payable.
    assert_problem(client.post(url(second, "transitions/"), PAYMENT, format="json"), CONFLICT)
    assert client.get(url(second, "transitions/")).json() == []
    assert set(agreement.tranches.values_list("state", flat=True)) == {"due", "planned"}


def test_paying_twice_is_a_conflict_and_a_retry_with_the_same_key_is_not(api_world):
    first = executed(api_world).tranches.get(number=1)
    client = finance_key(api_world)
    path = url(first, "transitions/")
    one = client.post(path, PAYMENT, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    retry = client.post(path, PAYMENT, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert one.status_code == retry.status_code == OK and retry["Idempotent-Replayed"] == "true"
    assert_problem(client.post(path, PAYMENT, format="json"), CONFLICT)


def test_list_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    agreement = executed(api_world)
    client = api_world.clients["coordinator"]
    client.get("/api/v1/tranches/")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/tranches/").status_code == OK
        return len(context.captured_queries)

    two = count()
    for number in range(3, 9):
        Tranche.objects.create(agreement=agreement, number=number, amount=1, trigger="on_signing")
    assert count() == two
    with django_assert_max_num_queries(10):
        client.get(url(agreement.tranches.first()))

"""/api/v1/applications/: who sees and starts what, filters, cursor pages and query counts.

Matrices: every endpoint × the eight callers of ``api_world``. Writes get a fresh world per
caller (parametrised tests), so each one meets the same state.
"""

import datetime
from http import HTTPStatus
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application
from tests.api.conftest import assert_problem
from tests.api.roles import ROLES, read_status
from tests.applications.helpers import bring_to_state, start_application
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

OK, CREATED = HTTPStatus.OK, HTTPStatus.CREATED
BAD, FORBIDDEN, NOT_FOUND = HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
UNAUTHORIZED = HTTPStatus.UNAUTHORIZED
URL = "/api/v1/applications/"

# Who sees the world's application: its network and its fund, people and keys (READERS,
# read_status: tests/api/roles.py).


def ids(response) -> list[int]:
    assert response.status_code == OK, response.content
    return [row["id"] for row in response.json()["results"]]


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_what_each_caller_may_see(api_world, role):
    w = api_world
    other_application, _ = start_application(w.other_programme)
    response = w.clients[role].get(URL)
    if role == "anonymous":
        assert_problem(response, UNAUTHORIZED)
        return
    expected = {
        "other_member": set(),
        "coordinator": {w.application.pk},
        "other_officer": {other_application.pk},
        "officer": {w.application.pk},
        "manager": {w.application.pk},
        "read_key": {w.application.pk},
        "write_key": {w.application.pk},
    }[role]
    assert set(ids(response)) == expected


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_matrix(api_world, role):
    response = api_world.clients[role].get(f"{URL}{api_world.application.pk}/")
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    body = response.json()
    assert body["id"] == api_world.application.pk
    assert body["state"] == "drafting"
    assert body["fund"] == api_world.fund.slug
    assert body["programme"] == api_world.programme.slug
    assert [step["key"] for step in body["steps"]] == ["idea", "plan", "budget", "accountability"]
    assert body["current_step"] == "idea"
    assert body["decline"] is None and body["awarded_amount"] is None


def test_a_key_never_sees_another_funds_application(api_world):
    w = api_world
    other_application, _ = start_application(w.other_programme)
    for role in ("read_key", "write_key", "officer", "manager"):
        response = w.clients[role].get(f"{URL}{other_application.pk}/")
        assert_problem(response, NOT_FOUND)


PEOPLE = ("other_member", "coordinator", "other_officer", "officer", "manager")


@pytest.mark.parametrize("role", PEOPLE)
def test_the_web_page_and_the_api_agree_on_who_sees_an_application(api_world, client, role):
    from django.urls import reverse

    w = api_world
    client.force_login(getattr(w, role))

    web = client.get(reverse("application_detail", args=[w.application.pk]))
    api = w.clients[role].get(f"{URL}{w.application.pk}/")

    assert web.status_code == api.status_code == read_status(role)


def test_malformed_and_huge_ids_are_404(api_world):
    client = api_world.clients["write_key"]
    assert client.get(f"{URL}abc/").status_code == NOT_FOUND
    assert_problem(client.get(f"{URL}99999999999999999999999/"), NOT_FOUND)


def test_declined_application_shows_reason_advice_and_referrals(api_world):
    w = api_world
    bring_to_state(w, Application.State.DECLINED)
    body = w.clients["coordinator"].get(f"{URL}{w.application.pk}/").json()
    assert body["state"] == "declined"
    assert body["decline"]["reason"] == "Outside our region."
    assert body["decline"]["advice"] == "Ask the district fund."
    assert body["decline"]["referrals"] == [
        {
            "programme": None,
            "organisation": "Buurtwerk Oost",
            "contact_name": "Anna de Vries",
            "phone": "+31201234567",
            "email": "",
            "url": "",
            "note": "Helps groups without a foundation.",
        }
    ]


def test_awarded_application_shows_the_amount(api_world):
    w = api_world
    bring_to_state(w, Application.State.AWARDED)
    body = w.clients["read_key"].get(f"{URL}{w.application.pk}/").json()
    assert body["state"] == "awarded"
    assert body["awarded_amount"] == "500.00"
    assert body["decided_at"] is not None


# ---------------------------------------------------------------------------------------------
# Starting an application

CREATE_STATUS = {
    "anonymous": UNAUTHORIZED,
    "other_member": BAD,  # not one of their networks: the network field is refused
    "coordinator": CREATED,
    "other_officer": BAD,
    "officer": FORBIDDEN,  # sees the network, but only its coordinators may start
    "manager": FORBIDDEN,
    "read_key": FORBIDDEN,
    "write_key": FORBIDDEN,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(api_world, role):
    w = api_world
    programme = ProgrammeFactory(fund=w.fund)
    before = Application.objects.count()
    response = w.clients[role].post(
        URL,
        {
            "network": w.network.pk,
            "programme": programme.slug,
            "title": "Repair café",
            "requested_amount": "750.00",
        },
        format="json",
    )
    expected = CREATE_STATUS[role]
    if expected != CREATED:
        assert_problem(response, expected, field="network" if expected == BAD else None)
        assert Application.objects.count() == before
        return
    assert response.status_code == CREATED, response.content
    body = response.json()
    assert response["Location"].endswith(f"{URL}{body['id']}/")
    created = Application.objects.get(pk=body["id"])
    assert created.network == w.network and created.programme == programme
    assert created.created_by == w.coordinator
    assert body["state"] == "drafting" and body["current_step"] == "idea"
    assert body["requested_amount"] == "750.00"


def test_create_takes_a_programme_by_id(api_world):
    w = api_world
    programme = ProgrammeFactory(fund=w.fund)
    response = w.clients["coordinator"].post(
        URL,
        {
            "network": w.network.pk,
            "programme": programme.pk,
            "title": "Repair café",
            "requested_amount": "10",
        },
        format="json",
    )
    assert response.status_code == CREATED, response.content
    assert response.json()["programme"] == programme.slug


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"programme": "no-such-programme"}, "programme"),
        ({"requested_amount": "lots"}, "requested_amount"),
        ({"requested_amount": "99999"}, "requested_amount"),  # over the programme's maximum
        ({"title": ""}, "title"),
        ({"network": 0}, "network"),
    ],
)
def test_create_refuses_bad_input_with_field_errors(api_world, change, field):
    w = api_world
    programme = ProgrammeFactory(fund=w.fund)
    data = {
        "network": w.network.pk,
        "programme": programme.slug,
        "title": "Repair café",
        "requested_amount": "10",
        **change,
    }
    response = w.clients["coordinator"].post(URL, data, format="json")
    assert_problem(response, BAD, field=field)


def test_a_second_open_application_to_the_same_programme_is_refused(api_world):
    w = api_world
    response = w.clients["coordinator"].post(
        URL,
        {
            "network": w.network.pk,
            "programme": w.programme.slug,
            "title": "Again",
            "requested_amount": "10",
        },
        format="json",
    )
    assert_problem(response, BAD, field="programme")


def test_create_is_idempotent_with_a_key(api_world):
    w = api_world
    programme = ProgrammeFactory(fund=w.fund)
    client = w.clients["coordinator"]
    data = {
        "network": w.network.pk,
        "programme": programme.slug,
        "title": "Once",
        "requested_amount": "10",
    }
    first = client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    again = client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Application.objects.filter(programme=programme).count() == 1


# ---------------------------------------------------------------------------------------------
# Filters


@pytest.fixture
def many(api_world):
    """Applications in two programmes of the fund and one of another fund."""
    w = api_world
    w.second_programme = ProgrammeFactory(fund=w.fund)
    w.in_second = [start_application(w.second_programme)[0] for _ in range(3)]
    withdrawn, coordinator = start_application(w.programme)
    services.application_withdraw(application=withdrawn, actor=coordinator)
    w.withdrawn = withdrawn
    w.elsewhere = start_application(w.other_programme)[0]
    return w


def test_filter_by_state(many):
    w = many
    client = w.clients["write_key"]
    assert ids(client.get(URL, {"state": "withdrawn"})) == [w.withdrawn.pk]
    both = ids(client.get(f"{URL}?state=withdrawn&state=drafting"))
    assert set(both) == {w.withdrawn.pk, w.application.pk, *(a.pk for a in w.in_second)}
    assert_problem(client.get(URL, {"state": "sleeping"}), BAD, field="state")


def test_filter_by_programme_slug_or_id(many):
    w = many
    client = w.clients["officer"]
    expected = {a.pk for a in w.in_second}
    assert set(ids(client.get(URL, {"programme": w.second_programme.slug}))) == expected
    assert set(ids(client.get(URL, {"programme": str(w.second_programme.pk)}))) == expected
    assert ids(client.get(URL, {"programme": "nothing-here"})) == []


def test_filter_by_fund_stays_within_what_the_caller_sees(many):
    w = many
    client = w.clients["read_key"]
    mine = ids(client.get(URL, {"fund": w.fund.slug}))
    assert set(mine) == {w.application.pk, w.withdrawn.pk, *(a.pk for a in w.in_second)}
    assert ids(client.get(URL, {"fund": w.other_fund.slug})) == []


def test_updated_since_returns_what_changed_at_or_after_the_moment(many):
    w = many
    client = w.clients["write_key"]
    long_ago = timezone.now() - datetime.timedelta(days=10)
    Application.objects.update(updated_at=long_ago)
    since = timezone.now() - datetime.timedelta(days=1)
    assert ids(client.get(URL, {"updated_since": since.isoformat()})) == []
    # A comment is a change a back office wants to see.
    step = w.application.current_step
    services.comment_create(step=step, actor=w.officer, body="Nice idea.")
    assert ids(client.get(URL, {"updated_since": since.isoformat()})) == [w.application.pk]
    # So is a saved answer.
    other = w.in_second[0]
    services.step_save_answers(
        step=other.current_step,
        actor=other.network.members.get().user,
        content={"what": "Tools"},
    )
    changed = ids(client.get(URL, {"updated_since": since.isoformat()}))
    assert changed == [other.pk, w.application.pk]  # newest change first
    z_form = since.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert set(ids(client.get(URL, {"updated_since": z_form}))) == {other.pk, w.application.pk}


def test_updated_since_must_be_a_datetime(api_world):
    response = api_world.clients["write_key"].get(URL, {"updated_since": "yesterday"})
    assert_problem(response, BAD, field="updated_since")


# ---------------------------------------------------------------------------------------------
# Cursor pages


def walk(client, url, params) -> list[int]:
    seen, pages = [], 0
    response = client.get(url, params)
    while True:
        body = response.json()
        assert response.status_code == OK, body
        seen += [row["id"] for row in body["results"]]
        pages += 1
        assert pages < 50
        if not body["next"]:
            return seen
        query = parse_qs(urlparse(body["next"]).query)
        response = client.get(url, {key: values for key, values in query.items()})


def test_cursor_pages_are_complete_and_in_a_stable_order_even_with_equal_timestamps(api_world):
    w = api_world
    for _ in range(6):
        start_application(w.programme)
    # Several rows changed at the very same moment: pk breaks the tie.
    same = timezone.now() - datetime.timedelta(hours=1)
    Application.objects.filter(pk__lte=Application.objects.order_by("pk")[3].pk).update(
        updated_at=same
    )
    expected = list(Application.objects.order_by("-updated_at", "-pk").values_list("pk", flat=True))
    assert len(expected) == 7
    client = w.clients["read_key"]
    assert walk(client, URL, {"page_size": 2}) == expected
    assert walk(client, URL, {"page_size": 3}) == expected


def test_a_new_application_between_pages_neither_repeats_nor_skips_rows(api_world):
    w = api_world
    for _ in range(4):
        start_application(w.programme)
    before = list(Application.objects.order_by("-updated_at", "-pk").values_list("pk", flat=True))
    client = w.clients["officer"]
    first = client.get(URL, {"page_size": 2}).json()
    newcomer, _ = start_application(w.programme)
    seen = [row["id"] for row in first["results"]]
    query = parse_qs(urlparse(first["next"]).query)
    response = client.get(URL, query)
    while True:
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = client.get(URL, parse_qs(urlparse(body["next"]).query))
    assert seen == before
    assert newcomer.pk not in seen


def test_a_tampered_cursor_is_refused(api_world):
    response = api_world.clients["officer"].get(URL, {"cursor": "not-a-cursor"})
    assert_problem(response, NOT_FOUND)


# ---------------------------------------------------------------------------------------------
# Query counts


def _count(client, url) -> int:
    client.get(url)  # warm up: the key's last-used time is written once a minute
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == OK, response.content
    return len(context.captured_queries)


def test_list_and_detail_take_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    client = w.clients["write_key"]
    list_one = _count(client, URL)
    detail_one = _count(client, f"{URL}{w.application.pk}/")
    for _ in range(8):
        application, coordinator = start_application(w.programme)
        services.application_decline(
            application=application,
            actor=w.officer,
            reason="No",
            advice="Try the district fund",
            referrals=[
                {"organisation": "Buurtwerk", "phone": "020 1234567"},
                {"programme": ProgrammeFactory().pk},
            ],
        )
    bring_to_state(w, Application.State.DECLINED)
    with django_assert_max_num_queries(list_one):
        response = client.get(URL)
    assert len(response.json()["results"]) == 9
    with django_assert_max_num_queries(detail_one):
        client.get(f"{URL}{w.application.pk}/")


# ---------------------------------------------------------------------------------------------
# Read keys write nothing


def test_read_key_gets_403_on_every_application_write(api_world):
    w = api_world
    client = w.clients["read_key"]
    app = w.application.pk
    writes = [
        ("post", URL, {"network": w.network.pk, "programme": w.programme.slug}),
        ("post", f"{URL}{app}/transitions/", {"name": "decline"}),
        ("post", f"{URL}{app}/comments/", {"step": "idea", "body": "Hi"}),
        ("put", f"{URL}{app}/steps/idea/", {"content": {}}),
        ("patch", f"{URL}{app}/steps/idea/", {"content": {}}),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data, format="json", HTTP_IF_MATCH='"empty"')
        assert_problem(response, FORBIDDEN)
    assert w.application.steps.get(key="idea").revisions.count() == 0

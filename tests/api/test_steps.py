"""/api/v1/applications/{id}/steps/: reading a step, and writing it safely with ETag/If-Match."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Application, Revision
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import COORDINATOR_WRITE, ROLES, read_status
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import bring_to_state

pytestmark = pytest.mark.django_db

OK, BAD, FORBIDDEN = HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN
NOT_FOUND, CONFLICT, UNAUTHORIZED = HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, 401
PRECONDITION_FAILED, PRECONDITION_REQUIRED = 412, 428

#: Writing answers: the network's members only.
WRITE_STATUS = COORDINATOR_WRITE


def steps_url(application, key="") -> str:
    return f"/api/v1/applications/{application.pk}/steps/" + (f"{key}/" if key else "")


def revisions(application) -> int:
    return Revision.objects.filter(step__application=application).count()


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api_world, role):
    response = api_world.clients[role].get(steps_url(api_world.application))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    rows = response.json()
    assert [row["key"] for row in rows] == ["idea", "plan", "budget", "accountability"]
    assert [row["status"] for row in rows] == ["open", "locked", "locked", "locked"]
    assert [row["is_current"] for row in rows] == [True, False, False, False]


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_matrix(api_world, role):
    w = api_world
    services.step_save_answers(
        step=w.application.current_step, actor=w.member, content={"what": "A garden"}
    )
    response = w.clients[role].get(steps_url(w.application, "idea"))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    body = response.json()
    revision = Revision.objects.get(step__application=w.application)
    assert body["content"] == {"what": "A garden"}
    assert body["latest_revision"]["id"] == revision.pk
    assert body["latest_revision"]["number"] == 1
    assert body["latest_revision"]["author"] == w.member.username
    assert response["ETag"] == body["etag"] == f'"rev-{revision.pk}"'
    assert [q["key"] for q in body["questions"]] == ["what", "why", "for_whom"]
    assert body["missing"] == ["why", "for_whom"]
    assert body["status"] == "open"


def test_an_unknown_step_is_404(api_world):
    response = api_world.clients["coordinator"].get(steps_url(api_world.application, "nope"))
    assert_problem(response, NOT_FOUND)


def test_a_step_without_answers_has_the_empty_etag(api_world):
    response = api_world.clients["officer"].get(steps_url(api_world.application, "plan"))
    assert response["ETag"] == '"empty"'
    assert response.json()["content"] == {} and response.json()["latest_revision"] is None


# ---------------------------------------------------------------------------------------------
# Writing


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_write_matrix(api_world, role, method):
    w = api_world
    client = w.clients[role]
    response = getattr(client, method)(
        steps_url(w.application, "idea"),
        {"content": {"what": "A garden"}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    if WRITE_STATUS[role] != OK:
        assert_problem(response, WRITE_STATUS[role])
        assert revisions(w.application) == 0
        return
    assert response.status_code == OK, response.content
    revision = Revision.objects.get(step__application=w.application)
    assert revision.content == {"what": "A garden"} and revision.author == w.coordinator
    assert response["ETag"] == f'"rev-{revision.pk}"' == response.json()["etag"]


def test_a_plain_member_may_write_too(api_world):
    w = api_world
    response = token_client(w.member).put(
        steps_url(w.application, "idea"),
        {"content": {"what": "Benches"}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    assert response.status_code == OK, response.content


def test_if_match_is_required(api_world):
    w = api_world
    for method in ("put", "patch"):
        response = getattr(w.clients["coordinator"], method)(
            steps_url(w.application, "idea"), {"content": {"what": "x"}}, format="json"
        )
        assert_problem(response, PRECONDITION_REQUIRED)
    assert revisions(w.application) == 0


def test_a_stale_etag_is_refused_and_nothing_is_overwritten(api_world):
    w = api_world
    alice, bob = w.clients["coordinator"], token_client(w.member)
    url = steps_url(w.application, "idea")
    etag = alice.get(url)["ETag"]
    assert bob.get(url)["ETag"] == etag
    first = alice.put(url, {"content": {"what": "Alice's"}}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == OK
    assert first["ETag"] != etag
    late = bob.put(url, {"content": {"what": "Bob's"}}, format="json", HTTP_IF_MATCH=etag)
    assert_problem(late, PRECONDITION_FAILED)
    late_patch = bob.patch(url, {"content": {"why": "Bob"}}, format="json", HTTP_IF_MATCH=etag)
    assert_problem(late_patch, PRECONDITION_FAILED)
    assert revisions(w.application) == 1
    assert alice.get(url).json()["content"] == {"what": "Alice's"}
    # Bob reads again and may save on top.
    fresh = bob.get(url)["ETag"]
    assert fresh == first["ETag"]
    ok = bob.patch(url, {"content": {"why": "Bob"}}, format="json", HTTP_IF_MATCH=fresh)
    assert ok.status_code == OK
    assert ok.json()["content"] == {"what": "Alice's", "why": "Bob"}


@pytest.mark.parametrize("header", ['W/"empty"', "*", "empty", '"rev-999999"'])
def test_only_the_exact_strong_etag_matches(api_world, header):
    w = api_world
    response = w.clients["coordinator"].put(
        steps_url(w.application, "idea"),
        {"content": {"what": "x"}},
        format="json",
        HTTP_IF_MATCH=header,
    )
    assert_problem(response, PRECONDITION_FAILED)


def test_a_list_of_etags_matches_when_one_is_current(api_world):
    w = api_world
    response = w.clients["coordinator"].put(
        steps_url(w.application, "idea"),
        {"content": {"what": "x"}},
        format="json",
        HTTP_IF_MATCH='"rev-1234", "empty"',
    )
    assert response.status_code == OK


def test_put_replaces_and_patch_merges(api_world):
    w = api_world
    client, url = w.clients["coordinator"], steps_url(w.application, "idea")
    etag = client.put(
        url, {"content": {"what": "A", "why": "B"}}, format="json", HTTP_IF_MATCH='"empty"'
    )["ETag"]
    patched = client.patch(url, {"content": {"for_whom": "C"}}, format="json", HTTP_IF_MATCH=etag)
    assert patched.json()["content"] == {"what": "A", "why": "B", "for_whom": "C"}
    cleared = client.patch(
        url, {"content": {"why": None}}, format="json", HTTP_IF_MATCH=patched["ETag"]
    )
    assert cleared.json()["content"] == {"what": "A", "for_whom": "C"}
    replaced = client.put(
        url, {"content": {"why": "Only"}}, format="json", HTTP_IF_MATCH=cleared["ETag"]
    )
    assert replaced.json()["content"] == {"why": "Only"}
    assert replaced.json()["latest_revision"]["number"] == 4


def test_saving_the_same_answers_adds_no_revision_and_keeps_the_etag(api_world):
    w = api_world
    client, url = w.clients["coordinator"], steps_url(w.application, "idea")
    first = client.put(url, {"content": {"what": "A"}}, format="json", HTTP_IF_MATCH='"empty"')
    same = client.put(url, {"content": {"what": "A"}}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert same.status_code == OK and same["ETag"] == first["ETag"]
    assert revisions(w.application) == 1


def test_bad_answers_are_400_keyed_by_question(api_world):
    w = api_world
    client, url = w.clients["coordinator"], steps_url(w.application, "idea")
    response = client.put(
        url,
        {"content": {"what": 42, "nope": "x", "why": "x" * 10_001}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    body = assert_problem(response, BAD)
    assert set(body["errors"]) == {"what", "nope", "why"}
    assert_problem(
        client.put(url, {"content": "text"}, format="json", HTTP_IF_MATCH='"empty"'),
        BAD,
        field="content",
    )
    assert_problem(
        client.put(url, {}, format="json", HTTP_IF_MATCH='"empty"'), BAD, field="content"
    )
    assert revisions(w.application) == 0


def test_budget_lines_are_checked_per_line(api_world):
    from tests.applications.helpers import advance_to_step

    w = api_world
    advance_to_step(w, "budget")
    client, url = w.clients["coordinator"], steps_url(w.application, "budget")
    etag = client.get(url)["ETag"]
    response = client.put(
        url,
        {"content": {"needs": [{"description": "Seeds", "amount": "ten"}]}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert_problem(response, BAD, field="needs")
    ok = client.put(url, {"content": COMPLETE_ANSWERS["budget"]}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == OK and ok.json()["missing"] == []


def test_a_step_that_is_not_open_for_editing_is_409(api_world):
    w = api_world
    bring_to_state(w, Application.State.STEP_SUBMITTED)
    client = w.clients["coordinator"]
    url = steps_url(w.application, "idea")
    etag = client.get(url)["ETag"]
    before = revisions(w.application)
    response = client.put(url, {"content": {"what": "late"}}, format="json", HTTP_IF_MATCH=etag)
    assert_problem(response, CONFLICT)
    locked = client.put(
        steps_url(w.application, "plan"),
        {"content": {"goal": "x"}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    assert_problem(locked, CONFLICT)
    assert revisions(w.application) == before


# ---------------------------------------------------------------------------------------------
# Query counts


def test_steps_take_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    client = w.clients["write_key"]
    step = w.application.current_step
    services.step_save_answers(step=step, actor=w.coordinator, content={"what": "first"})
    urls = [steps_url(w.application), steps_url(w.application, "idea")]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        counts.append(len(context.captured_queries))
    for number in range(12):
        services.step_save_answers(step=step, actor=w.coordinator, content={"what": f"v{number}"})
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = w.clients["write_key"].get(url)
        assert response.status_code == OK


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_one_wins_the_other_gets_412(require_postgres, api_world):
    import threading

    from django.db import connection as db_connection

    w = api_world
    url = steps_url(w.application, "idea")
    editors = [w.clients["coordinator"], token_client(w.member)]
    barrier = threading.Barrier(2)
    codes = []

    def save(client, text):
        try:
            barrier.wait(timeout=10)
            response = client.put(
                url, {"content": {"what": text}}, format="json", HTTP_IF_MATCH='"empty"'
            )
            codes.append(response.status_code)
        finally:
            db_connection.close()

    threads = [
        threading.Thread(target=save, args=(client, f"Editor {n}"))
        for n, client in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [OK, PRECONDITION_FAILED]
    assert revisions(w.application) == 1

"""/api/v1/applications/{id}/revisions/ and the field-level diff between two of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Revision
from tests.api.conftest import assert_problem
from tests.api.roles import ROLES, read_status
from tests.applications.helpers import advance_to_step, start_application

pytestmark = pytest.mark.django_db

OK, BAD, NOT_FOUND, UNAUTHORIZED = 200, 400, 404, 401


def url(application, suffix="") -> str:
    return f"/api/v1/applications/{application.pk}/revisions/{suffix}"


@pytest.fixture
def edited(api_world):
    """Two revisions of the idea step by the coordinator, one of the plan step."""
    w = api_world
    step = w.application.current_step
    w.first = services.step_save_answers(
        step=step, actor=w.coordinator, content={"what": "A garden", "why": "No green"}
    )
    w.second = services.step_save_answers(
        step=step,
        actor=w.member,
        content={"what": "A shared garden", "why": "No green", "for_whom": "Neighbours"},
    )
    return w


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(edited, role):
    w = edited
    response = w.clients[role].get(url(w.application))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [w.second.pk, w.first.pk]  # newest first
    assert rows[0]["step"] == "idea" and rows[0]["number"] == 2
    assert rows[0]["author"] == w.member.username
    assert rows[1]["content"] == {"what": "A garden", "why": "No green"}


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_matrix(edited, role):
    w = edited
    response = w.clients[role].get(url(w.application, f"{w.first.pk}/"))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    assert response.json()["number"] == 1


def test_revisions_of_another_application_are_not_found_here(edited):
    w = edited
    other, coordinator = start_application(w.programme)
    foreign = services.step_save_answers(
        step=other.current_step, actor=coordinator, content={"what": "x"}
    )
    response = w.clients["officer"].get(url(w.application, f"{foreign.pk}/"))
    assert_problem(response, NOT_FOUND)


def test_filter_by_step(edited):
    w = edited
    advance_to_step(w, "plan")
    plan = services.step_save_answers(
        step=w.application.steps.get(key="plan"), actor=w.coordinator, content={"goal": "Grow"}
    )
    client = w.clients["read_key"]
    rows = client.get(url(w.application), {"step": "plan"}).json()["results"]
    assert [row["id"] for row in rows] == [plan.pk]
    idea = client.get(url(w.application), {"step": "idea"}).json()["results"]
    assert w.first.pk in [row["id"] for row in idea] and plan.pk not in [row["id"] for row in idea]


@pytest.mark.parametrize("role", ROLES)
def test_diff_matrix_and_content(edited, role):
    w = edited
    response = w.clients[role].get(
        url(w.application, "diff/"), {"from": w.first.pk, "to": w.second.pk}
    )
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    body = response.json()
    assert body["step"] == "idea"
    assert body["from_revision"]["id"] == w.first.pk and body["to_revision"]["id"] == w.second.pk
    assert body["changed"] == ["what", "for_whom"]
    by_key = {row["key"]: row for row in body["questions"]}
    assert by_key["what"] == {
        "key": "what",
        "label": "What do you want to do?",
        "old": "A garden",
        "new": "A shared garden",
        "old_value": "A garden",
        "new_value": "A shared garden",
        "changed": True,
    }
    assert by_key["why"]["changed"] is False and by_key["why"]["old"] == "No green"
    assert by_key["for_whom"]["old"] == "" and by_key["for_whom"]["old_value"] is None
    assert by_key["for_whom"]["changed"] is True


def test_diff_shows_money_and_lines_as_text(api_world):
    w = api_world
    step = advance_to_step(w, "budget")
    old = services.step_save_answers(
        step=step,
        actor=w.coordinator,
        content={"needs": [{"description": "Seeds", "amount": "350"}]},
    )
    new = services.step_save_answers(
        step=step,
        actor=w.coordinator,
        content={"needs": [{"description": "Seeds", "amount": "400"}]},
    )
    body = (
        w.clients["officer"].get(url(w.application, "diff/"), {"from": old.pk, "to": new.pk}).json()
    )
    needs = next(row for row in body["questions"] if row["key"] == "needs")
    assert needs["changed"] is True
    assert needs["old"] == "Seeds: €\u00a0350.00" and needs["new"] == "Seeds: €\u00a0400.00"
    assert body["changed"] == ["needs"]


def test_diff_of_a_revision_with_itself_changes_nothing(edited):
    w = edited
    body = (
        w.clients["officer"]
        .get(url(w.application, "diff/"), {"from": w.second.pk, "to": w.second.pk})
        .json()
    )
    assert body["changed"] == [] and not any(row["changed"] for row in body["questions"])


def test_diff_needs_two_revisions_of_the_same_step_of_this_application(edited):
    w = edited
    client = w.clients["officer"]
    advance_to_step(w, "plan")
    plan = services.step_save_answers(
        step=w.application.steps.get(key="plan"), actor=w.coordinator, content={"goal": "Grow"}
    )
    other, coordinator = start_application(w.programme)
    foreign = services.step_save_answers(
        step=other.current_step, actor=coordinator, content={"what": "x"}
    )
    diff = url(w.application, "diff/")
    assert_problem(client.get(diff, {"from": w.first.pk, "to": plan.pk}), BAD, field="to")
    assert_problem(client.get(diff, {"from": foreign.pk, "to": w.first.pk}), BAD, field="from")
    assert_problem(client.get(diff, {"from": w.first.pk}), BAD, field="to")
    assert_problem(client.get(diff, {"from": "x", "to": w.first.pk}), BAD, field="from")
    assert_problem(client.get(diff, {"from": 0, "to": w.first.pk}), BAD, field="from")
    assert_problem(client.get(diff, {"from": 10**30, "to": w.first.pk}), BAD, field="from")


def test_revision_list_takes_a_fixed_number_of_queries(edited, django_assert_max_num_queries):
    w = edited
    client = w.clients["write_key"]
    client.get(url(w.application))
    with CaptureQueriesContext(connection) as few:
        client.get(url(w.application))
    step = w.application.current_step
    for number in range(10):
        services.step_save_answers(step=step, actor=w.member, content={"what": f"v{number}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(w.application))
    assert len(response.json()["results"]) == 12
    assert Revision.objects.count() == 12

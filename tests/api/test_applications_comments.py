"""/api/v1/applications/{id}/comments/ and /history/: talking about steps, and the log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from applications import services
from applications.models import Application, Comment
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import COORDINATORS, OFFICER_WRITE, OFFICERS, ROLES, read_status, write_status
from tests.applications.helpers import bring_to_state, submit_current_step

pytestmark = pytest.mark.django_db

OK, CREATED, BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 201, 400, 403, 404, 409
UNAUTHORIZED = 401
#: Commenting: the network's members and the fund's officers (a write key acts as an officer).
COMMENT_STATUS = {role: write_status(role, COORDINATORS | OFFICERS, ok=CREATED) for role in ROLES}
#: Resolving: the fund's officers only.
RESOLVE_STATUS = OFFICER_WRITE


def url(application, suffix="") -> str:
    return f"/api/v1/applications/{application.pk}/{suffix}"


def comments(application) -> int:
    return Comment.objects.filter(step__application=application).count()


# ---------------------------------------------------------------------------------------------
# Comments


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(api_world, role):
    w = api_world
    step = w.application.current_step
    services.comment_create(step=step, actor=w.officer, body="Which square?", question_key="what")
    services.comment_create(step=step, actor=w.coordinator, body="The market square.")
    response = w.clients[role].get(url(w.application, "comments/"))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    rows = response.json()["results"]
    assert [row["body"] for row in rows] == ["Which square?", "The market square."]
    assert rows[0]["step"] == "idea" and rows[0]["question_key"] == "what"
    assert rows[0]["author_role"] == "officer" and rows[1]["author_role"] == "member"
    assert rows[0]["author"] == w.officer.username and rows[0]["resolved_at"] is None


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(api_world, role):
    w = api_world
    response = w.clients[role].post(
        url(w.application, "comments/"),
        {"step": "idea", "question_key": "why", "body": "Say more, please."},
        format="json",
    )
    if COMMENT_STATUS[role] != CREATED:
        assert_problem(response, COMMENT_STATUS[role])
        assert comments(w.application) == 0
        return
    assert response.status_code == CREATED, response.content
    body = response.json()
    comment = Comment.objects.get()
    assert body["id"] == comment.pk and comment.question_key == "why"
    assert response["Location"].endswith(url(w.application, f"comments/{comment.pk}/"))
    assert body["author_role"] == ("member" if role == "coordinator" else "officer")
    if role == "write_key":
        assert body["author"] == "Write"  # the key's name, not its account's
    assert w.clients[role].get(response["Location"]).json() == body


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_matrix(api_world, role):
    w = api_world
    comment = services.comment_create(
        step=w.application.current_step, actor=w.coordinator, body="We meet on Tuesdays."
    )
    response = w.clients[role].get(url(w.application, f"comments/{comment.pk}/"))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    assert response.json()["body"] == "We meet on Tuesdays."


def test_a_comment_of_another_application_is_not_found_here(api_world):
    from tests.applications.helpers import start_application

    w = api_world
    other, coordinator = start_application(w.programme)
    foreign = services.comment_create(step=other.current_step, actor=coordinator, body="Hi")
    assert_problem(
        w.clients["officer"].get(url(w.application, f"comments/{foreign.pk}/")), NOT_FOUND
    )
    resolve = w.clients["officer"].post(url(w.application, f"comments/{foreign.pk}/resolve/"))
    assert_problem(resolve, NOT_FOUND)
    foreign.refresh_from_db()
    assert foreign.resolved_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"step": "nope", "body": "x"}, "step"),
        ({"step": "idea", "question_key": "nope", "body": "x"}, "question_key"),
        ({"step": "idea", "body": "   "}, "body"),
        ({"step": "idea"}, "body"),
        ({"body": "x"}, "step"),
    ],
)
def test_create_refuses_bad_input(api_world, data, field):
    w = api_world
    response = w.clients["officer"].post(url(w.application, "comments/"), data, format="json")
    assert_problem(response, BAD, field=field)
    assert comments(w.application) == 0


def test_comments_on_a_locked_step_or_a_closed_application_are_409(api_world):
    w = api_world
    client = w.clients["officer"]
    locked = client.post(
        url(w.application, "comments/"), {"step": "plan", "body": "Early"}, format="json"
    )
    assert_problem(locked, CONFLICT)
    bring_to_state(w, Application.State.WITHDRAWN)
    closed = client.post(
        url(w.application, "comments/"), {"step": "idea", "body": "Late"}, format="json"
    )
    assert_problem(closed, CONFLICT)
    assert comments(w.application) == 0


def test_filter_by_step_and_question(api_world):
    w = api_world
    idea = w.application.current_step
    services.comment_create(step=idea, actor=w.officer, body="On what", question_key="what")
    services.comment_create(step=idea, actor=w.officer, body="General")
    submit_current_step(w)
    services.application_accept_step(application=w.application, actor=w.officer)
    plan = w.application.steps.get(key="plan")
    services.comment_create(step=plan, actor=w.officer, body="On goal", question_key="goal")
    client = w.clients["read_key"]
    bodies = lambda params: [  # noqa: E731
        row["body"] for row in client.get(url(w.application, "comments/"), params).json()["results"]
    ]
    assert bodies({"step": "idea"}) == ["On what", "General"]
    assert bodies({"step": "plan"}) == ["On goal"]
    assert bodies({"question_key": "what"}) == ["On what"]
    assert bodies({"step": "idea", "question_key": ""}) == ["On what", "General"]
    assert bodies({}) == ["On what", "General", "On goal"]


@pytest.mark.parametrize("role", ROLES)
def test_resolve_matrix(api_world, role):
    w = api_world
    comment = services.comment_create(
        step=w.application.current_step, actor=w.officer, body="Which square?"
    )
    response = w.clients[role].post(url(w.application, f"comments/{comment.pk}/resolve/"))
    comment.refresh_from_db()
    if RESOLVE_STATUS[role] != OK:
        assert_problem(response, RESOLVE_STATUS[role])
        assert comment.resolved_at is None
        return
    assert response.status_code == OK, response.content
    assert response.json()["resolved_at"] is not None and comment.resolved_at is not None
    assert_problem(
        w.clients[role].post(url(w.application, f"comments/{comment.pk}/resolve/")), CONFLICT
    )


def test_a_retried_comment_post_comments_once(api_world):
    w = api_world
    client = w.clients["write_key"]
    data = {"step": "idea", "body": "Only once"}
    first = client.post(
        url(w.application, "comments/"), data, format="json", HTTP_IDEMPOTENCY_KEY="c-1"
    )
    again = client.post(
        url(w.application, "comments/"), data, format="json", HTTP_IDEMPOTENCY_KEY="c-1"
    )
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert comments(w.application) == 1
    other = client.post(
        url(w.application, "comments/"),
        {"step": "idea", "body": "Something else"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="c-1",
    )
    assert_problem(other, 422)
    assert comments(w.application) == 1


def test_comment_list_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    step = w.application.current_step
    first = services.comment_create(step=step, actor=w.officer, body="First")
    services.comment_resolve(comment=first, actor=w.write_key.user)
    client = w.clients["read_key"]
    client.get(url(w.application, "comments/"))
    with CaptureQueriesContext(connection) as few:
        client.get(url(w.application, "comments/"))
    for number in range(10):
        author = (w.officer, w.coordinator, w.member, w.write_key.user)[number % 4]
        comment = services.comment_create(step=step, actor=author, body=f"Comment {number}")
        if number % 3 == 0:
            services.comment_resolve(comment=comment, actor=w.manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(w.application, "comments/"))
    assert len(response.json()["results"]) == 11


# ---------------------------------------------------------------------------------------------
# History


@pytest.mark.parametrize("role", ROLES)
def test_history_matrix_and_entries(api_world, role):
    w = api_world
    submit_current_step(w)
    services.application_request_changes(
        application=w.application, actor=w.officer, comment="More, please.", note="Be specific"
    )
    response = w.clients[role].get(url(w.application, "history/"))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    rows = response.json()["results"]
    assert [(row["transition"], row["source"], row["target"]) for row in rows] == [
        ("submit_step", "drafting", "step_submitted"),
        ("request_changes", "step_submitted", "changes_requested"),
    ]
    assert rows[0]["by"] == w.coordinator.username
    assert rows[1]["by"] == w.officer.username and rows[1]["description"] == "Be specific"
    assert rows[1]["label"] == "Request changes"
    assert all(row["timestamp"] for row in rows)


def test_history_names_a_key_by_its_name(api_world):
    w = api_world
    submit_current_step(w)
    response = w.clients["write_key"].post(
        url(w.application, "transitions/"), {"name": "accept_step"}, format="json"
    )
    assert response.status_code == OK, response.content
    rows = w.clients["coordinator"].get(url(w.application, "history/")).json()["results"]
    assert rows[-1]["transition"] == "accept_step"
    assert rows[-1]["by"] == "Write" and rows[-1]["by_name"] == "Write"


def test_history_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    submit_current_step(w)
    client = w.clients["manager"]
    client.get(url(w.application, "history/"))
    with CaptureQueriesContext(connection) as few:
        client.get(url(w.application, "history/"))
    services.application_accept_step(application=w.application, actor=w.write_key.user)
    for _ in range(2):
        submit_current_step(w)
        services.application_accept_step(application=w.application, actor=w.officer)
    assert StateLog.objects.for_(w.application).count() == 6
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(w.application, "history/"))
    assert len(response.json()["results"]) == 6


def test_a_member_sees_the_history_too(api_world):
    w = api_world
    submit_current_step(w)
    response = token_client(w.member).get(url(w.application, "history/"))
    assert [row["transition"] for row in response.json()["results"]] == ["submit_step"]

"""/api/v1/applications/{id}/transitions/: what each caller may run, and running every one.

For every transition: the allowed path, the refusal for every other caller (403, or 404 outside
their scope) and in every other state (409), bad payloads (400), and "state unchanged after a
refusal" (django-fsm-2's own test pattern), with ``snapshot`` from the workflow helpers.
"""

from decimal import Decimal

import pytest
from django_fsm_log.models import StateLog

from applications import services
from applications.models import Application, Comment, Referral
from tests.api.conftest import assert_problem
from tests.api.roles import COORDINATORS, MANAGERS, OFFICERS, ROLES, write_status
from tests.applications.helpers import (
    CONTACT_REFERRAL,
    bring_to_state,
    fill_current_step,
    snapshot,
    submit_current_step,
)
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

OK, BAD, FORBIDDEN, NOT_FOUND, CONFLICT, UNAUTHORIZED = 200, 400, 403, 404, 409, 401
S = Application.State

DECLINE = {
    "name": "decline",
    "reason": "Outside our region.",
    "advice": "Ask the district fund.",
    "referrals": [CONTACT_REFERRAL],
}
#: Each transition: the state it starts from, a valid payload, the state it leads to.
CASES = {
    "submit_step": ("filled", {"name": "submit_step"}, S.STEP_SUBMITTED),
    "request_changes": (
        S.STEP_SUBMITTED,
        {"name": "request_changes", "comment": "Name the square.", "question_key": "what"},
        S.CHANGES_REQUESTED,
    ),
    "accept_step": (S.STEP_SUBMITTED, {"name": "accept_step", "note": "Clear"}, S.DRAFTING),
    "decline": (S.DRAFTING, DECLINE, S.DECLINED),
    "withdraw": (S.DRAFTING, {"name": "withdraw"}, S.WITHDRAWN),
    "award": (S.READY_FOR_DECISION, {"name": "award", "amount": "750.00"}, S.AWARDED),
}
# Who may run each transition (a fund's write key acts as its officer: tests/api/roles.py).
WHO_MAY = {
    "submit_step": COORDINATORS,
    "withdraw": COORDINATORS,
    "request_changes": OFFICERS,
    "accept_step": OFFICERS,
    "decline": OFFICERS,
    "award": MANAGERS,
}


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/transitions/"


def prepare(w, state):
    if state == "filled":
        fill_current_step(w.application, w.coordinator)
        w.application.refresh_from_db()
        return w.application
    return bring_to_state(w, state)


def expected_status(role: str, name: str) -> int:
    return write_status(role, WHO_MAY[name])


# ---------------------------------------------------------------------------------------------
# What may I run now?


@pytest.mark.parametrize("role", ROLES)
def test_get_lists_what_each_caller_may_run_in_drafting(api_world, role):
    w = api_world
    fill_current_step(w.application, w.coordinator)
    response = w.clients[role].get(url(w.application))
    if role in ("anonymous", "other_member", "other_officer"):
        assert_problem(response, UNAUTHORIZED if role == "anonymous" else NOT_FOUND)
        return
    assert response.status_code == OK
    names = [option["name"] for option in response.json()]
    assert (
        names
        == {
            "coordinator": ["submit_step", "withdraw"],
            "officer": ["decline"],
            "manager": ["decline"],
            "read_key": [],  # a read-only key may run nothing
            "write_key": ["decline"],
        }[role]
    )


def test_get_describes_the_payload_of_each_transition(api_world):
    w = api_world
    bring_to_state(w, S.READY_FOR_DECISION)
    options = {o["name"]: o for o in w.clients["manager"].get(url(w.application)).json()}
    assert set(options) == {"award", "decline"}
    assert options["award"]["label"] == "Award"
    assert options["award"]["fields"] == ["note", "amount"]
    assert options["award"]["required"] == ["amount"]
    assert set(options["decline"]["required"]) == {"reason", "advice", "referrals"}


@pytest.mark.parametrize("name", list(CASES))
def test_each_transition_takes_what_the_registry_says_and_the_schema_documents(name):
    from api.applications.serializers.transitions import payload_fields
    from applications.actions import APPLICATION_ACTIONS

    action = APPLICATION_ACTIONS.get(name)
    assert (list(action.fields), list(action.required)) == payload_fields(name)


@pytest.mark.parametrize("role", ["coordinator", "officer", "manager", "read_key", "write_key"])
@pytest.mark.parametrize("state", [S.STEP_SUBMITTED, S.READY_FOR_DECISION])
def test_the_list_is_what_the_registry_offers_with_the_callers_credential(api_world, role, state):
    from applications.actions import APPLICATION_ACTIONS

    w = api_world
    application = bring_to_state(w, state)
    user = {"read_key": w.read_key.user, "write_key": w.write_key.user}.get(role) or getattr(
        w, role
    )
    credential = {"read_key": w.read_key, "write_key": w.write_key}.get(role)

    listed = [o["name"] for o in w.clients[role].get(url(application)).json()]

    offered = APPLICATION_ACTIONS.available(application, user, credential=credential)
    assert listed == [offer.name for offer in offered]
    if role == "read_key":
        assert listed == []


def test_an_incomplete_step_is_not_offered_for_submission(api_world):
    options = api_world.clients["coordinator"].get(url(api_world.application)).json()
    assert [o["name"] for o in options] == ["withdraw"]


def test_officers_are_offered_the_review_of_a_submitted_step(api_world):
    w = api_world
    submit_current_step(w)
    names = [o["name"] for o in w.clients["officer"].get(url(w.application)).json()]
    assert names == ["request_changes", "accept_step", "decline"]
    assert [o["name"] for o in w.clients["coordinator"].get(url(w.application)).json()] == [
        "withdraw"
    ]


# ---------------------------------------------------------------------------------------------
# Running: every transition × every caller, from the state where it is possible


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
def test_transition_matrix(api_world, name, role):
    w = api_world
    start, payload, target = CASES[name]
    application = prepare(w, start)
    before = snapshot(application)
    response = w.clients[role].post(url(application), payload, format="json")
    expected = expected_status(role, name)
    if expected != OK:
        assert_problem(response, expected)
        assert snapshot(application) == before
        return
    assert response.status_code == OK, response.content
    body = response.json()
    application.refresh_from_db()
    assert application.state == target == body["state"]
    log = StateLog.objects.for_(application).latest("pk")
    assert log.transition == name and log.source_state == before["state"]


def test_submit_then_review_then_award_the_whole_way(api_world):
    w = api_world
    app = w.application
    coordinator, officer, manager = (w.clients[r] for r in ("coordinator", "officer", "manager"))
    for number in range(app.steps.count()):
        fill_current_step(app, w.coordinator)
        body = coordinator.post(url(app), {"name": "submit_step"}, format="json").json()
        assert body["state"] == "step_submitted"
        step = body["current_step"]
        body = officer.post(url(app), {"name": "accept_step", "step": step}, format="json").json()
        assert body["steps"][number]["status"] == "accepted"
    assert body["state"] == "ready_for_decision"
    body = manager.post(url(app), {"name": "award", "amount": "1000.00"}, format="json").json()
    assert body["state"] == "awarded" and body["awarded_amount"] == "1000.00"


def test_request_changes_adds_the_comment_and_the_network_can_submit_again(api_world):
    w = api_world
    submit_current_step(w)
    response = w.clients["officer"].post(
        url(w.application),
        {"name": "request_changes", "comment": "Which square?", "question_key": "what"},
        format="json",
    )
    assert response.json()["state"] == "changes_requested"
    comment = Comment.objects.get()
    assert comment.question_key == "what" and comment.author == w.officer
    again = w.clients["coordinator"].post(
        url(w.application), {"name": "submit_step"}, format="json"
    )
    assert again.json()["state"] == "step_submitted"


def test_request_changes_without_a_new_comment_uses_the_open_ones(api_world):
    w = api_world
    submit_current_step(w)
    services.comment_create(step=w.application.current_step, actor=w.officer, body="Which?")
    response = w.clients["write_key"].post(
        url(w.application), {"name": "request_changes"}, format="json"
    )
    assert response.status_code == OK and response.json()["state"] == "changes_requested"


def test_decline_returns_reason_advice_and_referrals(api_world):
    w = api_world
    other = ProgrammeFactory()
    payload = {
        **DECLINE,
        "note": "Board decision",
        "referrals": [
            {"programme": other.slug, "note": "Their call is open"},
            {"contact_name": "Piet", "email": "piet@example.org"},
        ],
    }
    response = w.clients["officer"].post(url(w.application), payload, format="json")
    assert response.status_code == OK, response.content
    decline = response.json()["decline"]
    assert decline["reason"] == "Outside our region." and decline["advice"]
    assert [r["programme"] for r in decline["referrals"]] == [other.slug, None]
    assert decline["referrals"][1]["email"] == "piet@example.org"
    assert StateLog.objects.for_(w.application).get().description == "Board decision"


def test_decline_takes_a_programme_by_id(api_world):
    w = api_world
    other = ProgrammeFactory()
    payload = {**DECLINE, "referrals": [{"programme": other.pk}]}
    response = w.clients["write_key"].post(url(w.application), payload, format="json")
    assert response.status_code == OK, response.content
    assert Referral.objects.get().programme == other


def test_award_stores_the_exact_amount(api_world):
    w = api_world
    bring_to_state(w, S.READY_FOR_DECISION)
    response = w.clients["manager"].post(
        url(w.application), {"name": "award", "amount": "1234.56"}, format="json"
    )
    assert response.json()["awarded_amount"] == "1234.56"
    w.application.refresh_from_db()
    assert w.application.awarded_amount == Decimal("1234.56")


# ---------------------------------------------------------------------------------------------
# Not possible in this state: 409, and nothing changes

WRONG_STATE = [
    ("coordinator", S.STEP_SUBMITTED, {"name": "submit_step"}),
    ("officer", S.DRAFTING, {"name": "accept_step"}),
    ("officer", S.DRAFTING, {"name": "request_changes", "comment": "x"}),
    ("manager", S.DRAFTING, {"name": "award", "amount": "100"}),
    ("officer", S.AWARDED, DECLINE),
    ("coordinator", S.WITHDRAWN, {"name": "withdraw"}),
    ("coordinator", S.DECLINED, {"name": "withdraw"}),
    ("write_key", S.READY_FOR_DECISION, {"name": "accept_step"}),
]


@pytest.mark.parametrize(("role", "state", "payload"), WRONG_STATE)
def test_a_transition_the_state_does_not_allow_is_409(api_world, role, state, payload):
    w = api_world
    application = bring_to_state(w, state)
    before = snapshot(application)
    response = w.clients[role].post(url(application), payload, format="json")
    assert_problem(response, CONFLICT)
    assert snapshot(application) == before


def test_acting_on_a_step_that_is_no_longer_current_is_409(api_world):
    w = api_world
    submit_current_step(w)
    before = snapshot(w.application)
    response = w.clients["officer"].post(
        url(w.application), {"name": "accept_step", "step": "plan"}, format="json"
    )
    assert_problem(response, CONFLICT)
    assert snapshot(w.application) == before


def test_a_second_identical_accept_without_a_key_is_409(api_world):
    """Two officers press "accept" on the same step: the second loses, nothing runs twice."""
    w = api_world
    submit_current_step(w)
    first = w.clients["officer"].post(
        url(w.application), {"name": "accept_step", "step": "idea"}, format="json"
    )
    assert first.status_code == OK
    before = snapshot(w.application)
    late = w.clients["manager"].post(
        url(w.application), {"name": "accept_step", "step": "idea"}, format="json"
    )
    assert_problem(late, CONFLICT)
    assert snapshot(w.application) == before


# ---------------------------------------------------------------------------------------------
# Bad payloads: 400 with field errors, and nothing changes

BAD_PAYLOADS = [
    ("officer", S.DRAFTING, {"name": "fly"}, "name"),
    ("officer", S.DRAFTING, {}, "name"),
    ("officer", S.DRAFTING, {"name": "decline", "reason": "x", "advice": "y"}, "referrals"),
    ("officer", S.DRAFTING, {**DECLINE, "referrals": []}, "referrals"),
    ("officer", S.DRAFTING, {**DECLINE, "referrals": [{}]}, "referrals"),
    ("officer", S.DRAFTING, {**DECLINE, "referrals": [{"email": "nope"}]}, "referrals[0].email"),
    (
        "officer",
        S.DRAFTING,
        {**DECLINE, "referrals": [{"programme": "none"}]},
        "referrals[0].programme",
    ),
    ("officer", S.DRAFTING, {**DECLINE, "referrals": "Piet"}, "referrals"),
    ("officer", S.DRAFTING, {**DECLINE, "reason": ""}, "reason"),
    ("officer", S.DRAFTING, {**DECLINE, "advice": "  "}, "advice"),
    ("manager", S.READY_FOR_DECISION, {"name": "award"}, "amount"),
    ("manager", S.READY_FOR_DECISION, {"name": "award", "amount": "lots"}, "amount"),
    ("manager", S.READY_FOR_DECISION, {"name": "award", "amount": "10.005"}, "amount"),
    ("manager", S.READY_FOR_DECISION, {"name": "award", "amount": "-5"}, "amount"),
    ("manager", S.READY_FOR_DECISION, {"name": "award", "amount": "6000"}, "amount"),
    ("officer", S.STEP_SUBMITTED, {"name": "request_changes"}, "comment"),
    (
        "officer",
        S.STEP_SUBMITTED,
        {"name": "request_changes", "comment": "x", "question_key": "nope"},
        "question_key",
    ),
    ("officer", S.STEP_SUBMITTED, {"name": "accept_step", "step": "nope"}, "step"),
    ("coordinator", S.DRAFTING, {"name": "submit_step"}, "what"),  # the step is incomplete
]


@pytest.mark.parametrize(("role", "state", "payload", "field"), BAD_PAYLOADS)
def test_a_bad_payload_is_400_on_its_field(api_world, role, state, payload, field):
    w = api_world
    application = bring_to_state(w, state)
    before = snapshot(application)
    response = w.clients[role].post(url(application), payload, format="json")
    assert_problem(response, BAD, field=field)
    assert snapshot(application) == before


def test_a_body_that_is_not_an_object_is_400(api_world):
    w = api_world
    response = w.clients["officer"].post(url(w.application), ["decline"], format="json")
    assert_problem(response, BAD)


def test_a_role_that_may_not_gets_403_before_its_payload_is_read(api_world):
    w = api_world
    before = snapshot(w.application)
    response = w.clients["coordinator"].post(url(w.application), {"name": "decline"}, format="json")
    assert_problem(response, FORBIDDEN)
    assert snapshot(w.application) == before


def test_a_network_member_who_works_at_the_fund_may_not_review_it(api_world):
    from tests.api.conftest import token_client
    from tests.applications.helpers import dual_role_user

    w = api_world
    both = dual_role_user(w, fund_role="officer", network_role="member")
    submit_current_step(w)
    before = snapshot(w.application)
    response = token_client(both).post(url(w.application), {"name": "accept_step"}, format="json")
    body = assert_problem(response, FORBIDDEN)
    assert "conflict of interest" in body["detail"]
    assert snapshot(w.application) == before


# ---------------------------------------------------------------------------------------------
# Idempotency-Key: a retried POST returns the first response and does nothing twice


def test_a_retried_transition_runs_once_and_replays_the_first_response(api_world):
    w = api_world
    submit_current_step(w)
    client = w.clients["write_key"]
    payload = {"name": "request_changes", "comment": "Which square?"}
    first = client.post(url(w.application), payload, format="json", HTTP_IDEMPOTENCY_KEY="rc-1")
    assert first.status_code == OK and "Idempotent-Replayed" not in first
    again = client.post(url(w.application), payload, format="json", HTTP_IDEMPOTENCY_KEY="rc-1")
    assert again.status_code == OK
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Comment.objects.count() == 1
    logs = StateLog.objects.for_(w.application).filter(transition="request_changes")
    assert logs.count() == 1


def test_a_retried_decline_creates_its_referrals_once(api_world):
    w = api_world
    client = w.clients["officer"]
    for _ in range(3):
        response = client.post(
            url(w.application), DECLINE, format="json", HTTP_IDEMPOTENCY_KEY="decline-7"
        )
        assert response.status_code == OK
    assert Referral.objects.count() == 1
    assert StateLog.objects.for_(w.application).count() == 1


def test_a_refused_transition_is_not_remembered_and_may_be_retried(api_world):
    w = api_world
    client = w.clients["coordinator"]
    refused = client.post(
        url(w.application), {"name": "submit_step"}, format="json", HTTP_IDEMPOTENCY_KEY="s-1"
    )
    assert_problem(refused, BAD)
    fill_current_step(w.application, w.coordinator)
    done = client.post(
        url(w.application), {"name": "submit_step"}, format="json", HTTP_IDEMPOTENCY_KEY="s-1"
    )
    assert done.status_code == OK and "Idempotent-Replayed" not in done
    assert done.json()["state"] == "step_submitted"


def test_the_same_key_for_another_transition_is_422(api_world):
    w = api_world
    client = w.clients["coordinator"]
    fill_current_step(w.application, w.coordinator)
    client.post(
        url(w.application), {"name": "submit_step"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    before = snapshot(w.application)
    other = client.post(
        url(w.application), {"name": "withdraw"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert_problem(other, 422)
    assert snapshot(w.application) == before


def test_keys_are_per_caller(api_world):
    """Another caller's identical key is another request: it runs (and is refused on its own)."""
    w = api_world
    submit_current_step(w)
    payload = {"name": "accept_step"}
    first = w.clients["officer"].post(
        url(w.application), payload, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert first.status_code == OK
    second = w.clients["write_key"].post(
        url(w.application), payload, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert_problem(second, CONFLICT)  # not a replay of the officer's response


# ---------------------------------------------------------------------------------------------
# Read keys


@pytest.mark.parametrize("name", list(CASES))
def test_a_read_key_may_run_no_transition(api_world, name):
    w = api_world
    start, payload, _ = CASES[name]
    application = prepare(w, start)
    before = snapshot(application)
    response = w.clients["read_key"].post(url(application), payload, format="json")
    assert_problem(response, FORBIDDEN)
    assert snapshot(application) == before


# ---------------------------------------------------------------------------------------------
# Two callers at the same moment (PostgreSQL: real row locks)


def _at_once(requests) -> list:
    """Send the requests from separate threads, released together; return their responses."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, request):
        try:
            barrier.wait(timeout=10)
            responses[index] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return responses


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_one_wins_the_other_gets_409(require_postgres, api_world):
    w = api_world
    submit_current_step(w)
    payload = {"name": "accept_step", "step": "idea"}
    responses = _at_once(
        [
            lambda: w.clients["officer"].post(url(w.application), payload, format="json"),
            lambda: w.clients["write_key"].post(url(w.application), payload, format="json"),
        ]
    )
    assert sorted(response.status_code for response in responses) == [OK, CONFLICT]
    logs = StateLog.objects.for_(w.application).filter(transition="accept_step")
    assert logs.count() == 1
    w.application.refresh_from_db()
    assert w.application.current_step.key == "plan"

"""/api/v1/reports/: the network reports on a signed agreement; the fund accepts or asks more."""

import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.models import Report, ReportComment
from tests.agreements.helpers import PDF, PNG
from tests.api.conftest import assert_problem
from tests.api.roles import OFFICER_WRITE, ROLES, read_status
from tests.api.test_agreements import draft, executed

pytestmark = pytest.mark.django_db

OK, CREATED, BAD = HTTPStatus.OK, HTTPStatus.CREATED, HTTPStatus.BAD_REQUEST
FORBIDDEN, NOT_FOUND = HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
CONFLICT, UNAUTHORIZED = HTTPStatus.CONFLICT, HTTPStatus.UNAUTHORIZED

#: A fund officer's review of a submitted report, per caller.
REVIEW = OFFICER_WRITE


def report_body(agreement, **fields) -> dict:
    return {
        "agreement": agreement.pk,
        "kind": "final",
        "what_was_done": "The garden grows.",
        "spending": [{"description": "Seeds", "spent": "780.00"}],
        **fields,
    }


def submitted(w, kind="final") -> Report:
    agreement = executed(w)
    return services.report_submit(
        agreement=agreement, actor=w.coordinator, kind=kind, what_was_done="Half way"
    )


def url(report, suffix="") -> str:
    return f"/api/v1/reports/{report.pk}/{suffix}"


@pytest.mark.parametrize("role", ROLES)
def test_submit_matrix(api_world, role):
    agreement = executed(api_world)
    response = api_world.clients[role].post(
        "/api/v1/reports/", report_body(agreement), format="json"
    )
    expected = {
        "anonymous": UNAUTHORIZED,
        "other_member": BAD,  # an agreement outside the caller's scope "does not exist"
        "coordinator": CREATED,
        "other_officer": BAD,
        # Reporting is the network's: the fund's people and keys may not.
        "officer": FORBIDDEN,
        "manager": FORBIDDEN,
        "read_key": FORBIDDEN,
        "write_key": FORBIDDEN,
    }[role]
    if expected == CREATED:
        assert response.status_code == CREATED, response.content
        report = Report.objects.get()
        assert response["Location"].endswith(url(report))
        body = response.json()
        assert body["state"] == "submitted" and body["kind"] == "final"
        assert body["spending"] == [{"description": "Seeds", "spent": "780.00"}]
    else:
        assert_problem(response, expected, field="agreement" if expected == BAD else None)
        assert not Report.objects.exists()


def test_submit_with_attachments_as_multipart(api_world):
    agreement = executed(api_world)
    client = api_world.clients["coordinator"]
    body = report_body(agreement, kind="progress")
    body["spending"] = json.dumps(body["spending"])
    body["attachments"] = [
        SimpleUploadedFile("receipt.png", PNG, content_type="image/png"),
        SimpleUploadedFile("bill.pdf", PDF, content_type="application/pdf"),
    ]
    response = client.post("/api/v1/reports/", body, format="multipart")
    assert response.status_code == CREATED, response.content
    attachments = response.json()["attachments"]
    assert [(a["original_name"], a["content_type"]) for a in attachments] == [
        ("receipt.png", "image/png"),
        ("bill.pdf", "application/pdf"),
    ]
    assert response.json()["spending"] == [{"description": "Seeds", "spent": "780.00"}]


def test_large_upload_with_idempotency_key_is_kept_once_and_replayed(api_world):
    # Larger than DATA_UPLOAD_MAX_MEMORY_SIZE: the key's fingerprint must not need request.body.
    agreement = executed(api_world)
    client = api_world.clients["coordinator"]
    photo = PNG + b"\0" * (3 * 1024 * 1024)

    def post():
        body = report_body(agreement, kind="progress")
        body["spending"] = json.dumps(body["spending"])
        body["attachments"] = [SimpleUploadedFile("photo.png", photo, content_type="image/png")]
        return client.post(
            "/api/v1/reports/", body, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1"
        )

    first, retry = post(), post()
    assert first.status_code == CREATED, first.content
    assert retry.status_code == CREATED
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Report.objects.count() == 1


def test_submit_refusals(api_world):
    agreement = executed(api_world)
    client = api_world.clients["coordinator"]
    fake = SimpleUploadedFile("receipt.png", b"just text", content_type="image/png")
    response = client.post(
        "/api/v1/reports/", {**report_body(agreement), "attachments": [fake]}, format="multipart"
    )
    assert_problem(response, BAD, field="spending")  # in multipart: a JSON string
    body = report_body(agreement, spending="[{")
    response = client.post("/api/v1/reports/", body, format="multipart")
    assert_problem(response, BAD, field="spending")
    body = {**report_body(agreement, spending=json.dumps([])), "attachments": [fake]}
    response = client.post("/api/v1/reports/", body, format="multipart")
    assert_problem(response, BAD, field="attachments")
    body = report_body(agreement, what_was_done=" ")
    response = client.post("/api/v1/reports/", body, format="json")
    assert_problem(response, BAD, field="what_was_done")
    response = client.post("/api/v1/reports/", report_body(agreement, kind="x"), format="json")
    assert_problem(response, BAD, field="kind")
    assert not Report.objects.exists()
    assert client.post("/api/v1/reports/", report_body(agreement), format="json").status_code == 201
    # One final report waits for the fund already.
    assert_problem(client.post("/api/v1/reports/", report_body(agreement), format="json"), 409)


def test_a_report_follows_a_signed_agreement(api_world):
    agreement = draft(api_world)
    response = api_world.clients["coordinator"].post(
        "/api/v1/reports/", report_body(agreement), format="json"
    )
    assert_problem(response, CONFLICT)


def test_list_and_detail_matrix(api_world):
    report = submitted(api_world)
    for role in ROLES:
        client = api_world.clients[role]
        response = client.get("/api/v1/reports/")
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
        else:
            ids = [row["id"] for row in response.json()["results"]]
            assert ids == ([report.pk] if read_status(role) == OK else []), role
        assert client.get(url(report)).status_code == read_status(role), role


def test_filters(api_world):
    report = submitted(api_world, kind="progress")
    client = api_world.clients["officer"]

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/reports/?{query}").json()["results"]]

    assert ids("kind=progress") == [report.pk] and ids("kind=final") == []
    assert ids("state=submitted") == [report.pk] and ids("state=accepted") == []
    assert ids(f"agreement={report.agreement_id}") == [report.pk]


@pytest.mark.parametrize("role", ROLES)
def test_accept_matrix(api_world, role):
    report = submitted(api_world)
    response = api_world.clients[role].post(
        url(report, "transitions/"), {"name": "accept"}, format="json"
    )
    expected = REVIEW[role]
    report.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK and report.state == "accepted"
        # The final report makes the last tranche due.
        assert report.agreement.tranches.get(number=2).state == "due"
    else:
        assert_problem(response, expected)
        assert report.state == "submitted"


@pytest.mark.parametrize("role", ROLES)
def test_request_changes_matrix(api_world, role):
    report = submitted(api_world)
    response = api_world.clients[role].post(
        url(report, "transitions/"),
        {"name": "request_changes", "comment": "Add the receipts"},
        format="json",
    )
    expected = REVIEW[role]
    report.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK and report.state == "changes_requested"
        assert [c["body"] for c in response.json()["comments"]] == ["Add the receipts"]
    else:
        assert_problem(response, expected)
        assert report.state == "submitted" and not ReportComment.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_resubmit_matrix(api_world, role):
    report = submitted(api_world)
    services.report_request_changes(report=report, actor=api_world.officer, comment="More")
    response = api_world.clients[role].post(
        url(report, "transitions/"),
        {"name": "resubmit", "what_was_done": "All of it"},
        format="json",
    )
    expected = {
        "anonymous": UNAUTHORIZED,
        "other_member": NOT_FOUND,
        "coordinator": OK,
        "other_officer": NOT_FOUND,
        "officer": FORBIDDEN,
        "manager": FORBIDDEN,
        "read_key": FORBIDDEN,
        "write_key": FORBIDDEN,
    }[role]
    report.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK, response.content
        assert report.state == "submitted" and report.what_was_done == "All of it"
    else:
        assert_problem(response, expected)
        assert report.state == "changes_requested" and report.what_was_done == "Half way"


def test_review_round_trip_and_what_is_on_offer(api_world):
    report = submitted(api_world)
    officer, network = api_world.clients["officer"], api_world.clients["coordinator"]
    path = url(report, "transitions/")
    assert [t["name"] for t in officer.get(path).json()] == ["accept", "request_changes"]
    assert network.get(path).json() == []
    response = officer.post(path, {"name": "request_changes", "comment": " "}, format="json")
    assert_problem(response, BAD, field="comment")
    officer.post(path, {"name": "request_changes", "comment": "Receipts?"}, format="json")
    assert officer.get(path).json() == []
    assert [t["name"] for t in network.get(path).json()] == ["resubmit"]
    assert_problem(officer.post(path, {"name": "accept"}, format="json"), CONFLICT)
    # Leaving the text and lines out keeps them.
    response = network.post(path, {"name": "resubmit"}, format="json")
    assert response.status_code == OK and response.json()["what_was_done"] == "Half way"
    response = officer.post(path, {"name": "accept"}, format="json")
    assert response.json()["state"] == "accepted" and response.json()["accepted_at"]
    assert_problem(network.post(path, {"name": "resubmit"}, format="json"), CONFLICT)


def test_list_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    report = submitted(api_world, kind="progress")
    client = api_world.clients["officer"]
    client.get("/api/v1/reports/")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/reports/").status_code == OK
        return len(context.captured_queries)

    one = count()
    for n in range(4):
        other = Report.objects.create(
            agreement=report.agreement,
            kind="progress",
            what_was_done=f"{n}",
            submitted_by=api_world.coordinator,
        )
        ReportComment.objects.create(report=other, author_role="officer", body="Why?")
    assert count() == one
    with django_assert_max_num_queries(10):
        client.get(url(report))


def test_attachments_download_for_those_who_see_the_report(api_world):
    agreement = executed(api_world)
    report = services.report_submit(
        agreement=agreement,
        actor=api_world.coordinator,
        kind="progress",
        what_was_done="Receipts attached",
        attachments=[SimpleUploadedFile("receipt.png", PNG, content_type="image/png")],
    )
    attachment = report.attachments.get()
    path = url(report, f"attachments/{attachment.pk}/")
    for role in ROLES:
        response = api_world.clients[role].get(path)
        assert response.status_code == read_status(role), role
        if response.status_code == OK:
            assert response["Content-Type"] == "image/png"
            assert b"".join(response.streaming_content) == PNG
    other = Report.objects.create(
        agreement=agreement, kind="final", what_was_done="x", submitted_by=api_world.coordinator
    )
    wrong = url(other, f"attachments/{attachment.pk}/")
    assert_problem(api_world.clients["officer"].get(wrong), NOT_FOUND)

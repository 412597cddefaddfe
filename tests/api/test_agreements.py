"""/api/v1/agreements/: who sees and does what, and the way from award to a signed contract.

Matrices: every endpoint × the eight callers of ``api_world``. Reads run for all callers on one
world; writes get a fresh world per caller, so each one meets the same state.
"""

import hashlib
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from agreements import services
from agreements.models import Agreement, Signatory, Tranche
from applications.models import Application
from integrations.models import Scope
from integrations.services import fund_key_create
from tests.agreements.helpers import VALID_IBAN, award, prepare_cooperation, sign_all
from tests.api.conftest import assert_problem, bearer
from tests.api.roles import OFFICER_WRITE, READERS, ROLES, read_status

pytestmark = pytest.mark.django_db

OK, CREATED = HTTPStatus.OK, HTTPStatus.CREATED
BAD, FORBIDDEN, NOT_FOUND = HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
CONFLICT, UNAUTHORIZED = HTTPStatus.CONFLICT, HTTPStatus.UNAUTHORIZED

# Who may read an agreement of the world's application (its network and its fund: READERS), and
# what each caller gets for a fund officer's write on it (OFFICER_WRITE): tests/api/roles.py.


# ---------------------------------------------------------------------------------------------
# States to start from; also used by the tranche and report tests.


def awarded(w):
    w.application = award(w)
    return w.application


def draft(w) -> Agreement:
    awarded(w)
    return prepare_cooperation(w)


def sent(w) -> Agreement:
    agreement = draft(w)
    return services.agreement_send(
        agreement=agreement, actor=w.officer, note="Checked", confirmed=True
    )


def executed(w) -> Agreement:
    return sign_all(sent(w))


def url(agreement, suffix="") -> str:
    return f"/api/v1/agreements/{agreement.pk}/{suffix}"


# ---------------------------------------------------------------------------------------------
# Reading


def test_list_shows_each_caller_only_agreements_in_scope(api_world):
    agreement = draft(api_world)
    for role in ROLES:
        response = api_world.clients[role].get("/api/v1/agreements/")
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
            continue
        assert response.status_code == OK, role
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([agreement.pk] if role in READERS else []), role


def test_detail_is_404_outside_scope(api_world):
    agreement = executed(api_world)
    for role in ROLES:
        response = api_world.clients[role].get(url(agreement))
        assert response.status_code == read_status(role), role


def test_a_key_of_another_fund_sees_nothing(api_world):
    agreement = executed(api_world)
    _key, secret = fund_key_create(
        fund=api_world.other_fund,
        actor=_manager_of(api_world.other_fund),
        name="Other",
        scope=Scope.READ_WRITE,
    )
    client = bearer(secret)
    assert client.get("/api/v1/agreements/").json()["results"] == []
    assert_problem(client.get(url(agreement)), NOT_FOUND)
    assert_problem(client.get(url(agreement, "contract.pdf")), NOT_FOUND)


def _manager_of(fund):
    from funds.models import FundMembership
    from tests.funds.factories import FundMembershipFactory

    return FundMembershipFactory(fund=fund, role=FundMembership.Role.MANAGER).user


def test_detail_shows_the_agreement_and_never_a_signing_secret(api_world):
    agreement = sent(api_world)
    body = api_world.clients["officer"].get(url(agreement)).json()

    assert body["state"] == "out_for_signature"
    assert body["amount"] == "1000.00" and body["arrangement"] == "cooperation_agreement"
    assert body["frozen_sha256"] == agreement.frozen_sha256 and body["contract_url"] is None
    assert [t["amount"] for t in body["tranches"]] == ["800.00", "200.00"]
    assert len(body["signatories"]) == 2 and body["signatories"][0]["email"]
    nonces = list(agreement.signatories.values_list("link_nonce", flat=True))
    text = api_world.clients["officer"].get(url(agreement)).content.decode()
    assert all(nonce and nonce not in text for nonce in nonces)
    for key in ("link_nonce", "token", "ip_address", "user_agent", "seen_sha256"):
        assert key not in body["signatories"][0]


def test_the_network_sees_no_personal_details_of_signatories(api_world):
    agreement = sent(api_world)
    body = api_world.clients["coordinator"].get(url(agreement)).json()
    assert [s["name"] for s in body["signatories"]]
    assert {(s["email"], s["date_of_birth"], s["address"]) for s in body["signatories"]} == {
        (None, None, None)
    }


def test_a_draft_shows_its_signatories_and_tranches_only_to_the_fund(api_world):
    agreement = draft(api_world)
    network = api_world.clients["coordinator"].get(url(agreement)).json()
    fund = api_world.clients["read_key"].get(url(agreement)).json()
    assert network["signatories"] == [] and network["tranches"] == []
    assert len(fund["signatories"]) == 2 and len(fund["tranches"]) == 2
    assert api_world.clients["coordinator"].get(url(agreement, "signatories/")).json() == []


def test_list_filters(api_world):
    agreement = draft(api_world)
    client = api_world.clients["officer"]

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/agreements/?{query}").json()["results"]]

    assert ids(f"application={api_world.application.pk}") == [agreement.pk]
    assert ids(f"application={api_world.application.pk + 1000}") == []
    assert ids("state=draft") == [agreement.pk] and ids("state=executed") == []
    assert ids("arrangement=cooperation_agreement") == [agreement.pk]
    assert ids("arrangement=legal_entity") == []
    assert_problem(client.get("/api/v1/agreements/?state=nonsense"), BAD, field="state")


def _more_agreements(w, count: int) -> None:
    """Rows written directly: this measures reading, not the workflow."""
    import datetime

    for n in range(count):
        application = Application.objects.create(
            network=w.network, programme=w.programme, title=f"Plan {n}", requested_amount=10
        )
        agreement = Agreement.objects.create(
            application=application,
            arrangement="cooperation_agreement",
            amount=100,
            purpose="Garden",
            obligations="Report",
            final_report_due=datetime.date(2027, 1, 1),
            prepared_by=w.officer,
        )
        for k in range(3):
            Signatory.objects.create(
                agreement=agreement, role="member", name=f"P{k}", email=f"p{n}-{k}@example.org"
            )
        Tranche.objects.create(agreement=agreement, number=1, amount=100, trigger="on_signing")


def _queries(client, path) -> int:
    client.get(path)  # the first request of a key records its last use
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == OK
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["officer", "coordinator", "write_key"])
def test_list_and_detail_take_a_fixed_number_of_queries(
    api_world, role, django_assert_max_num_queries
):
    client = api_world.clients[role]
    _more_agreements(api_world, 1)
    one = _queries(client, "/api/v1/agreements/")
    _more_agreements(api_world, 6)
    many = _queries(client, "/api/v1/agreements/")
    assert one == many
    with django_assert_max_num_queries(12):
        client.get("/api/v1/agreements/")
    agreement = Agreement.objects.first()
    with django_assert_max_num_queries(12):
        assert client.get(url(agreement)).status_code == OK


# ---------------------------------------------------------------------------------------------
# Preparing and editing a draft


@pytest.mark.parametrize("role", ROLES)
def test_prepare_matrix(api_world, role):
    application = awarded(api_world)
    body = {"application": application.pk, "arrangement": "cooperation_agreement"}
    response = api_world.clients[role].post("/api/v1/agreements/", body, format="json")
    expected = {
        "anonymous": UNAUTHORIZED,
        # An application outside the caller's scope "does not exist": a field error, no hint.
        "other_member": BAD,
        "coordinator": FORBIDDEN,
        "other_officer": BAD,
        "officer": CREATED,
        "manager": CREATED,
        "read_key": FORBIDDEN,
        "write_key": CREATED,
    }[role]
    if expected == CREATED:
        assert response.status_code == CREATED, response.content
        agreement = Agreement.objects.get()
        assert response.json()["id"] == agreement.pk and agreement.state == "draft"
        assert response["Location"].endswith(url(agreement))
    else:
        assert_problem(response, expected, field="application" if expected == BAD else None)
        assert not Agreement.objects.exists()


def test_prepare_refusals(api_world):
    client = api_world.clients["officer"]
    application = api_world.application  # not awarded yet
    body = {"application": application.pk, "arrangement": "cooperation_agreement"}
    assert_problem(client.post("/api/v1/agreements/", body, format="json"), CONFLICT)
    awarded(api_world)
    body["arrangement"] = "support_only"  # not accepted by the programme
    response = client.post("/api/v1/agreements/", body, format="json")
    assert_problem(response, BAD, field="arrangement")
    assert_problem(client.post("/api/v1/agreements/", {}, format="json"), BAD, field="application")


def test_an_amendment_names_the_executed_agreement(api_world):
    agreement = executed(api_world)
    body = {
        "application": api_world.application.pk,
        "arrangement": "cooperation_agreement",
        "amends": agreement.pk,
    }
    response = api_world.clients["write_key"].post("/api/v1/agreements/", body, format="json")
    assert response.status_code == CREATED, response.content
    assert response.json()["amends"] == agreement.pk


@pytest.mark.parametrize("role", ROLES)
def test_update_draft_matrix(api_world, role):
    agreement = draft(api_world)
    response = api_world.clients[role].patch(
        url(agreement), {"purpose": "Seeds for everyone"}, format="json"
    )
    expected = OFFICER_WRITE[role]
    agreement.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK and response.json()["purpose"] == "Seeds for everyone"
        assert agreement.purpose == "Seeds for everyone"
    else:
        assert_problem(response, expected)
        assert agreement.purpose != "Seeds for everyone"


def test_update_checks_fields_and_state(api_world):
    agreement = draft(api_world)
    client = api_world.clients["officer"]
    assert_problem(
        client.patch(url(agreement), {"iban": "NL00 NOPE"}, format="json"), BAD, field="iban"
    )
    response = client.patch(url(agreement), {"final_report_due": "soon"}, format="json")
    assert_problem(response, BAD, field="final_report_due")
    response = client.patch(url(agreement), {"iban": "nl91 abna 0417 1643 00"}, format="json")
    assert response.status_code == OK
    response = client.patch(url(agreement), {"amount": "99999"}, format="json")
    assert response.status_code == OK and response.json()["amount"] == "1000.00"  # not editable
    services.agreement_send(
        agreement=agreement, actor=api_world.officer, note="Checked", confirmed=True
    )
    assert_problem(client.patch(url(agreement), {"purpose": "Late"}, format="json"), CONFLICT)


PEOPLE = [
    {"role": "coordinator", "name": "Cor Dinator", "email": "cor@example.org"},
    {
        "role": "member",
        "name": "Mem Ber",
        "email": "mem@example.org",
        "date_of_birth": "1990-05-01",
        "address": "Dorpsstraat 1",
    },
]


@pytest.mark.parametrize("role", ROLES)
def test_set_signatories_matrix(api_world, role):
    agreement = draft(api_world)
    response = api_world.clients[role].put(url(agreement, "signatories/"), PEOPLE, format="json")
    expected = OFFICER_WRITE[role]
    names = list(agreement.signatories.values_list("name", flat=True))
    if expected == OK:
        assert response.status_code == OK, response.content
        assert [row["name"] for row in response.json()] == ["Cor Dinator", "Mem Ber"]
        assert names == ["Cor Dinator", "Mem Ber"]
        assert response.json()[1]["address"] == "Dorpsstraat 1"
    else:
        assert_problem(response, expected)
        assert "Cor Dinator" not in names


def test_set_signatories_gives_field_errors_per_row(api_world):
    agreement = draft(api_world)
    client = api_world.clients["officer"]
    bad = [PEOPLE[0], {**PEOPLE[1], "email": "not an address"}]
    body = assert_problem(client.put(url(agreement, "signatories/"), bad, format="json"), BAD)
    assert list(body["errors"]) == ["signatories[1].email"]
    twice = [PEOPLE[0], {**PEOPLE[1], "email": "COR@example.org"}]
    response = client.put(url(agreement, "signatories/"), twice, format="json")
    assert_problem(response, BAD, field="signatories")
    response = client.put(url(agreement, "signatories/"), {"role": "member"}, format="json")
    assert_problem(response, BAD)
    assert agreement.signatories.count() == 2  # unchanged


@pytest.mark.parametrize("role", ROLES)
def test_set_tranches_matrix(api_world, role):
    agreement = draft(api_world)
    plan = [
        {"amount": "500.00", "trigger": "on_signing"},
        {"amount": "500", "trigger": "final_report"},
    ]
    response = api_world.clients[role].put(url(agreement, "tranches/"), plan, format="json")
    expected = OFFICER_WRITE[role]
    amounts = [str(a) for a in agreement.tranches.values_list("amount", flat=True)]
    if expected == OK:
        assert response.status_code == OK, response.content
        assert [(t["number"], t["amount"]) for t in response.json()] == [
            (1, "500.00"),
            (2, "500.00"),
        ]
        assert amounts == ["500.00", "500.00"]
    else:
        assert_problem(response, expected)
        assert amounts == ["800.00", "200.00"]


def test_set_tranches_refuses_a_zero_amount(api_world):
    agreement = draft(api_world)
    plan = [{"amount": "0", "trigger": "on_signing"}]
    response = api_world.clients["officer"].put(url(agreement, "tranches/"), plan, format="json")
    assert_problem(response, BAD, field="tranches[0].amount")


# ---------------------------------------------------------------------------------------------
# Transitions: send and cancel


def test_transitions_on_offer(api_world):
    agreement = draft(api_world)
    expected = {
        "anonymous": None,
        "other_member": None,
        "coordinator": [],
        "other_officer": None,
        "officer": ["send", "cancel"],
        "manager": ["send", "cancel"],
        "read_key": [],  # a read-only key may run nothing
        "write_key": ["send", "cancel"],
    }
    for role, names in expected.items():
        response = api_world.clients[role].get(url(agreement, "transitions/"))
        if names is None:
            assert response.status_code in (UNAUTHORIZED, NOT_FOUND), role
        else:
            assert [t["name"] for t in response.json()] == names, role
    offered = api_world.clients["officer"].get(url(agreement, "transitions/")).json()
    assert offered[0]["fields"] == ["note", "confirmed"] and offered[0]["label"]


def test_send_is_not_offered_while_something_is_missing(api_world):
    awarded(api_world)
    agreement = services.agreement_prepare(
        application=api_world.application,
        actor=api_world.officer,
        arrangement="cooperation_agreement",
    )  # no IBAN yet
    offered = api_world.clients["officer"].get(url(agreement, "transitions/")).json()
    assert [t["name"] for t in offered] == ["cancel"]
    response = api_world.clients["officer"].post(
        url(agreement, "transitions/"), {"name": "send"}, format="json"
    )
    body = assert_problem(response, BAD, field="iban")
    assert "payee_name" in body["errors"] or "iban" in body["errors"]


@pytest.mark.parametrize("role", ROLES)
def test_send_matrix(api_world, role):
    agreement = draft(api_world)
    response = api_world.clients[role].post(
        url(agreement, "transitions/"),
        {"name": "send", "note": "Go", "confirmed": True},
        format="json",
    )
    expected = OFFICER_WRITE[role]
    agreement.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK, response.content
        assert response.json()["state"] == agreement.state == "out_for_signature"
        # The note, and what the officer confirmed with it, go into the history.
        description = StateLog.objects.for_(agreement).get().description
        assert description.startswith("Go\nConfirmed before sending:")
        assert "350.00" in description
    else:
        assert_problem(response, expected)
        assert agreement.state == "draft" and not agreement.frozen_sha256


def test_send_asks_for_a_confirmation_and_a_note_with_the_reasons(api_world):
    agreement = draft(api_world)  # € 350.00 of budget lines against an award of € 1,000.00
    client = api_world.clients["officer"]
    response = client.post(url(agreement, "transitions/"), {"name": "send"}, format="json")
    body = assert_problem(response, BAD, field="confirmed")
    assert "note" in body["errors"]
    assert "350.00" in str(body["errors"]["confirmed"])
    assert "1,000.00" in str(body["errors"]["confirmed"])
    response = client.post(
        url(agreement, "transitions/"), {"name": "send", "confirmed": True}, format="json"
    )
    assert_problem(response, BAD, field="note")
    agreement.refresh_from_db()
    assert agreement.state == "draft" and not agreement.frozen_sha256


@pytest.mark.parametrize("role", ROLES)
def test_cancel_matrix(api_world, role):
    agreement = sent(api_world)
    response = api_world.clients[role].post(
        url(agreement, "transitions/"), {"name": "cancel"}, format="json"
    )
    expected = OFFICER_WRITE[role]
    agreement.refresh_from_db()
    if expected == OK:
        assert response.status_code == OK and agreement.state == "cancelled"
    else:
        assert_problem(response, expected)
        assert agreement.state == "out_for_signature"


def test_transition_errors(api_world):
    agreement = executed(api_world)
    client = api_world.clients["officer"]
    path = url(agreement, "transitions/")
    assert_problem(client.post(path, {"name": "sign"}, format="json"), BAD, field="name")
    assert_problem(client.post(path, {}, format="json"), BAD, field="name")
    assert_problem(client.post(path, {"name": "cancel"}, format="json"), CONFLICT)
    assert_problem(client.post(path, {"name": "send"}, format="json"), CONFLICT)
    assert client.get(path).json() == []
    agreement.refresh_from_db()
    assert agreement.state == "executed"


# ---------------------------------------------------------------------------------------------
# From award to a signed contract, only through the API (signing is the personal link's job)


def test_prepare_send_sign_fetch_and_verify(api_world, django_capture_on_commit_callbacks):
    application = awarded(api_world)
    client = api_world.clients["write_key"]
    response = client.post(
        "/api/v1/agreements/",
        {"application": application.pk, "arrangement": "cooperation_agreement"},
        format="json",
    )
    agreement_url = f"/api/v1/agreements/{response.json()['id']}/"
    change = {"payee_name": "A. Member", "iban": VALID_IBAN, "purpose": "A garden"}
    assert client.patch(agreement_url, change, format="json").status_code == OK
    assert client.put(agreement_url + "signatories/", PEOPLE, format="json").status_code == OK
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            agreement_url + "transitions/",
            {"name": "send", "note": "Budget checked", "confirmed": True},
            format="json",
        )
    assert response.status_code == OK, response.content
    assert_problem(client.get(agreement_url + "contract.pdf"), NOT_FOUND)
    response = client.post(agreement_url + "verify/", {"sha256": "0" * 64}, format="json")
    assert_problem(response, CONFLICT)

    agreement = sign_all(Agreement.objects.get())

    body = client.get(agreement_url).json()
    assert body["state"] == "executed" and body["contract_sha256"] == agreement.contract_sha256
    assert body["contract_url"].endswith(agreement_url + "contract/")
    stored = agreement.contract_pdf.open("rb").read()
    for path in ("contract.pdf", "contract/"):
        response = client.get(agreement_url + path)
        assert response.status_code == OK
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == stored
    assert hashlib.sha256(stored).hexdigest() == agreement.contract_sha256

    upload = SimpleUploadedFile("c.pdf", stored, content_type="application/pdf")
    response = client.post(agreement_url + "verify/", {"file": upload}, format="multipart")
    assert response.json() == {
        "matches": True,
        "sha256": agreement.contract_sha256,
        "expected": agreement.contract_sha256,
    }
    changed = SimpleUploadedFile("c.pdf", stored + b"\n", content_type="application/pdf")
    response = client.post(agreement_url + "verify/", {"file": changed}, format="multipart")
    assert response.json()["matches"] is False
    response = client.post(
        agreement_url + "verify/", {"sha256": agreement.contract_sha256.upper()}, format="json"
    )
    assert response.json()["matches"] is True
    response = client.post(agreement_url + "verify/", {"sha256": "abc"}, format="json")
    assert_problem(response, BAD, field="sha256")


def test_contract_and_verify_matrix(api_world):
    agreement = executed(api_world)
    for role in ROLES:
        client = api_world.clients[role]
        response = client.get(url(agreement, "contract.pdf"))
        assert response.status_code == read_status(role), role
        # Checking a file changes nothing: a read-only key may do it too.
        response = client.post(
            url(agreement, "verify/"), {"sha256": agreement.contract_sha256}, format="json"
        )
        assert response.status_code == read_status(role), role
        if response.status_code == OK:
            assert response.json()["matches"] is True


def test_contract_only_as_pdf_whatever_the_client_accepts(api_world):
    agreement = executed(api_world)
    client = api_world.clients["officer"]
    assert_problem(client.get(url(agreement, "contract.json")), NOT_FOUND)
    for accept in ("text/html", "application/json", "application/pdf"):
        response = client.get(url(agreement, "contract/"), HTTP_ACCEPT=accept)
        assert response.status_code == OK and response["Content-Type"] == "application/pdf"
    draft_ = Agreement.objects.create(
        application=agreement.application,
        arrangement="cooperation_agreement",
        amount=1,
        purpose="x",
        obligations="y",
        final_report_due=agreement.final_report_due,
        prepared_by=api_world.officer,
    )
    response = client.get(url(draft_, "contract.pdf"), HTTP_ACCEPT="application/pdf")
    assert_problem(response, NOT_FOUND)


def test_read_key_may_not_write(api_world):
    agreement = draft(api_world)
    client = api_world.clients["read_key"]
    for response in (
        client.patch(url(agreement), {"purpose": "x"}, format="json"),
        client.put(url(agreement, "signatories/"), PEOPLE, format="json"),
        client.put(url(agreement, "tranches/"), [], format="json"),
        client.post(url(agreement, "transitions/"), {"name": "cancel"}, format="json"),
        client.post(
            "/api/v1/agreements/",
            {"application": api_world.application.pk, "arrangement": "legal_entity"},
            format="json",
        ),
    ):
        body = assert_problem(response, FORBIDDEN)
        assert "read" in body["detail"].lower()
    agreement.refresh_from_db()
    assert agreement.state == "draft" and agreement.purpose != "x"


def test_idempotent_prepare(api_world):
    application = awarded(api_world)
    client = api_world.clients["write_key"]
    body = {"application": application.pk, "arrangement": "cooperation_agreement"}
    first = client.post("/api/v1/agreements/", body, format="json", HTTP_IDEMPOTENCY_KEY="prep-1")
    again = client.post("/api/v1/agreements/", body, format="json", HTTP_IDEMPOTENCY_KEY="prep-1")
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Agreement.objects.count() == 1


def test_a_signatory_needs_an_email(api_world):
    agreement = draft(api_world)
    rows = [{**PEOPLE[0], "email": None}, {**PEOPLE[1], "email": None}]
    response = api_world.clients["officer"].put(url(agreement, "signatories/"), rows, format="json")
    body = assert_problem(response, BAD)
    assert set(body["errors"]) == {"signatories[0].email", "signatories[1].email"}


def test_find_the_agreement_of_a_contract_by_its_hash(api_world):
    agreement = executed(api_world)
    client = api_world.clients["read_key"]
    found = client.get(f"/api/v1/agreements/?contract_sha256={agreement.contract_sha256.upper()}")
    assert [row["id"] for row in found.json()["results"]] == [agreement.pk]
    assert client.get("/api/v1/agreements/?contract_sha256=" + "0" * 64).json()["results"] == []
    other = api_world.clients["other_officer"]
    path = f"/api/v1/agreements/?contract_sha256={agreement.contract_sha256}"
    assert other.get(path).json()["results"] == []

"""/api/v1/exports/: 360Giving, CSV and SEPA for the caller's fund, and for nobody else."""

import csv
import io
import json
from http import HTTPStatus

import pytest
from django.utils import timezone

from agreements.models import Tranche
from funds.models import FundMembership
from tests.agreements.helpers import award
from tests.api.conftest import ROLES, assert_problem, bearer, token_client
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory
from tests.integrations.test_exports_360giving import (
    applicant,
    assert_valid,
    execute,
    grants_world,
)

pytestmark = pytest.mark.django_db

OK, BAD, FORBIDDEN = HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN
NOT_FOUND, CONFLICT, UNAUTHORIZED = (
    HTTPStatus.NOT_FOUND,
    HTTPStatus.CONFLICT,
    HTTPStatus.UNAUTHORIZED,
)
FUND_IBAN = "NL02ABNA0123456789"

#: Every export for the world's fund, by each caller: the fund's people and keys may.
EXPECTED = {
    "anonymous": UNAUTHORIZED,
    "other_member": FORBIDDEN,  # not fund staff at all: may not export
    "coordinator": FORBIDDEN,
    "other_officer": NOT_FOUND,  # staff of another fund: this fund is not theirs to see
    "officer": OK,
    "manager": OK,
    "read_key": OK,  # exports only read
    "write_key": OK,
}


def sepa_query(**overrides) -> str:
    params = {
        "debtor_iban": FUND_IBAN,
        "execution_date": timezone.localdate().isoformat(),
        **overrides,
    }
    return "&".join(f"{key}={value}" for key, value in params.items())


def urls(fund) -> dict[str, str]:
    return {
        "360giving": f"/api/v1/exports/360giving.json?fund={fund.slug}",
        "applications": f"/api/v1/exports/applications.csv?fund={fund.slug}",
        "tranches": f"/api/v1/exports/tranches.csv?fund={fund.slug}",
        "sepa": f"/api/v1/exports/sepa.xml?fund={fund.slug}&{sepa_query()}",
    }


@pytest.fixture
def due(api_world):
    """The world's application awarded, its agreement signed: tranche 1 is due."""
    api_world.application = award(api_world, "1000")
    api_world.agreement = execute(api_world, "cooperation_agreement", payee_name="Coco Ordinator")
    return api_world


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_permission_matrix(due):
    for name, url in urls(due.fund).items():
        for role in ROLES:
            response = due.clients[role].get(url)
            if EXPECTED[role] == OK:
                assert response.status_code == OK, (name, role, body(response))
                body(response)
            else:
                assert_problem(response, EXPECTED[role])


def test_each_export_has_a_plain_url_too(due):
    client = due.clients["read_key"]
    for path, content_type in (
        ("360giving/", "application/json"),
        ("applications/", "text/csv"),
        ("tranches/", "text/csv"),
        (f"sepa/?{sepa_query()}", "application/xml"),
    ):
        response = client.get(f"/api/v1/exports/{path}")
        assert response.status_code == OK, path
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"].startswith("attachment; filename=")


def test_a_wrong_extension_is_not_found(due):
    client = due.clients["read_key"]
    for path in ("360giving.csv", "applications.json", "tranches.xml", "sepa.json"):
        assert_problem(client.get(f"/api/v1/exports/{path}?{sepa_query()}"), NOT_FOUND)


def test_problems_stay_json_on_file_urls(due):
    response = due.clients["anonymous"].get("/api/v1/exports/applications.csv")
    body = assert_problem(response, UNAUTHORIZED)
    assert body["detail"]


# ---------------------------------------------------------------------------------------------
# Which fund


def test_a_key_exports_its_own_fund_and_never_another(due):
    other = ProgrammeFactory().fund
    client = due.clients["write_key"]
    assert client.get("/api/v1/exports/applications.csv").status_code == OK
    assert client.get(f"/api/v1/exports/applications.csv?fund={due.fund.slug}").status_code == OK
    assert_problem(client.get(f"/api/v1/exports/applications.csv?fund={other.slug}"), NOT_FOUND)
    assert_problem(client.get("/api/v1/exports/applications.csv?fund=nope"), NOT_FOUND)


def test_a_person_of_one_fund_needs_no_fund_parameter(due):
    response = due.clients["officer"].get("/api/v1/exports/applications.csv")
    assert response.status_code == OK
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{due.fund.slug}.csv"'
    )
    # The other fund's officer, without ?fund=, gets their own fund: never this one's rows.
    rows = body(due.clients["other_officer"].get("/api/v1/exports/applications.csv"))
    assert rows.decode("utf-8-sig").strip().count("\n") == 0  # the header only


def test_a_person_of_two_funds_chooses(due):
    second = ProgrammeFactory().fund
    FundMembershipFactory(fund=second, user=due.officer, role=FundMembership.Role.OFFICER)
    client = due.clients["officer"]
    assert_problem(client.get("/api/v1/exports/360giving.json"), BAD, field="fund")
    response = client.get(f"/api/v1/exports/360giving.json?fund={second.slug}")
    assert json.loads(body(response))["grants"] == []


def test_a_bad_fund_parameter_is_a_field_error(due):
    response = due.clients["officer"].get("/api/v1/exports/applications.csv?fund=no%20slug")
    assert_problem(response, BAD, field="fund")


# ---------------------------------------------------------------------------------------------
# The files


def test_360giving_json_validates_and_holds_the_funds_grants(api_world):
    w = grants_world(api_world)
    response = w.clients["read_key"].get("/api/v1/exports/360giving.json")
    assert response.status_code == OK and response.streaming
    assert response["Content-Type"] == "application/json"
    package = json.loads(body(response))
    assert_valid(package)
    assert len(package["grants"]) == 4
    assert package["publisher"] == {
        "identifier": f"360G-eigenwijs-{w.fund.slug}",
        "name": w.fund.name,
    }


def test_360giving_text_follows_the_requested_language(api_world):
    w = grants_world(api_world)
    client = w.clients["read_key"]
    english = json.loads(
        body(client.get("/api/v1/exports/360giving.json", HTTP_ACCEPT_LANGUAGE="en"))
    )
    assert english["title"] == f"Grants of {w.fund.name}"


def test_360giving_takes_a_fixed_number_of_queries(due, django_assert_max_num_queries):
    client = due.clients["read_key"]

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/v1/exports/360giving.json")
            assert len(json.loads(body(response))["grants"]) >= 1
        return len(context.captured_queries)

    queries()  # the first use of the key records its last use: one write more
    few = queries()
    for number in range(3):
        who = applicant(due, title=f"More {number}", members=1)
        award(who, "100")
    assert queries() == few
    with django_assert_max_num_queries(few):
        body(client.get("/api/v1/exports/tranches.csv"))


def test_csv_exports_for_spreadsheets(due):
    client = due.clients["officer"]
    text = body(client.get("/api/v1/exports/tranches.csv")).decode("utf-8")
    assert text.startswith("\ufeffid,agreement_id,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(row["number"], row["amount"], row["state"]) for row in rows] == [
        ("1", "800.00", "due"),
        ("2", "200.00", "planned"),
    ]
    text = body(client.get("/api/v1/exports/applications.csv")).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["awarded_amount"] == "1000.00" and row["state"] == "contracted"


# ---------------------------------------------------------------------------------------------
# SEPA


def test_sepa_batch_pays_the_due_tranche_and_marks_nothing_paid(due):
    response = due.clients["write_key"].get(f"/api/v1/exports/sepa.xml?{sepa_query()}")
    assert response.status_code == OK
    assert response["Content-Type"] == "application/xml"
    xml = response.content.decode()
    assert "pain.001.001.09" in xml and f"<EndToEndId>EW-{due.agreement.pk}-1</EndToEndId>" in xml
    assert "<CtrlSum>800.00</CtrlSum>" in xml and f"<IBAN>{FUND_IBAN}</IBAN>" in xml
    assert due.agreement.tranches.get(number=1).state == Tranche.State.DUE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"debtor_iban": "NL02ABNA0123456780"}, "debtor_iban"),  # wrong check digits
        ({"debtor_iban": ""}, "debtor_iban"),
        ({"debtor_bic": "ABN"}, "debtor_bic"),
        ({"execution_date": "2020-01-01"}, "execution_date"),
        ({"execution_date": "tomorrow"}, "execution_date"),
    ],
)
def test_sepa_refuses_bad_parameters_with_field_errors(due, overrides, field):
    response = due.clients["officer"].get(f"/api/v1/exports/sepa.xml?{sepa_query(**overrides)}")
    assert_problem(response, BAD, field=field)


def test_sepa_needs_the_funds_account(due):
    response = due.clients["officer"].get("/api/v1/exports/sepa.xml")
    body = assert_problem(response, BAD, field="debtor_iban")
    assert "execution_date" in body["errors"]


def test_sepa_with_nothing_due_is_a_conflict(api_world):
    response = api_world.clients["officer"].get(f"/api/v1/exports/sepa.xml?{sepa_query()}")
    assert_problem(response, CONFLICT)


def test_sepa_accepts_a_bic_and_spaces_in_the_iban(due):
    query = sepa_query(debtor_iban="NL02%20ABNA%200123%204567%2089", debtor_bic="ABNANL2A")
    response = due.clients["manager"].get(f"/api/v1/exports/sepa.xml?{query}")
    assert response.status_code == OK
    assert "<BICFI>ABNANL2A</BICFI>" in response.content.decode()


def test_a_new_key_of_the_fund_can_export_at_once(due):
    from integrations.services import fund_key_create

    _key, secret = fund_key_create(fund=due.fund, actor=due.manager, name="Finance")
    assert bearer(secret).get(f"/api/v1/exports/sepa.xml?{sepa_query()}").status_code == OK
    # ...and a network member's token never can.
    assert_problem(token_client(due.member).get("/api/v1/exports/sepa.xml"), FORBIDDEN)

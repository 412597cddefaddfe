"""A signed contract whose PDF is gone from storage: a clear answer and an ERROR in the log, never
a 500. The web page says what happened and whom to contact; the API answers a documented 503
problem (the contract exists, storage cannot give it now; a 404 would say there is none)."""

import logging
from http import HTTPStatus

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from agreements import services
from tests.agreements.helpers import award, prepare_cooperation, sign_all
from tests.api.conftest import assert_problem, token_client

pytestmark = pytest.mark.django_db

UNAVAILABLE = HTTPStatus.SERVICE_UNAVAILABLE


@pytest.fixture
def lost(world):
    """An executed agreement whose contract PDF storage has lost."""
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement = sign_all(agreement)
    agreement.contract_pdf.storage.delete(agreement.contract_pdf.name)
    fund = world.fund
    fund.contact_name, fund.contact_email = "Fatima Officer", "contracts@fund.example"
    fund.save()
    return agreement


def logged_error(caplog, agreement) -> logging.LogRecord:
    [record] = [r for r in caplog.records if r.name == "agreements.contract_file"]
    assert record.levelno == logging.ERROR
    assert record.agreement_id == agreement.pk
    assert f"agreement {agreement.pk}" in record.getMessage()
    return record


def test_the_page_says_what_happened_and_whom_to_contact(client, world, lost, caplog):
    client.force_login(world.coordinator)
    with caplog.at_level(logging.ERROR):
        response = client.get(reverse("agreement_contract", args=[lost.pk]))
    assert response.status_code == UNAVAILABLE
    page = response.content.decode()
    assert "The signed contract cannot be opened right now" in page
    assert f"Agreement #{lost.pk} has been signed by everyone and remains valid" in page
    assert lost.contract_sha256 in page
    assert world.fund.name in page and "contracts@fund.example" in page
    logged_error(caplog, lost)


def test_the_page_is_dutch_first(client, world, lost, settings):
    settings.LANGUAGE_CODE = "nl"
    client.force_login(world.coordinator)
    response = client.get(reverse("agreement_contract", args=[lost.pk]))
    assert response.status_code == UNAVAILABLE
    assert response.headers["Content-Language"] == "nl"


def test_the_api_answers_a_503_problem_and_logs_it(world, lost, caplog):
    client = token_client(world.coordinator)
    for path in ("contract.pdf", "contract/"):
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            response = client.get(f"/api/v1/agreements/{lost.pk}/{path}")
        body = assert_problem(response, UNAVAILABLE)
        assert body["type"].endswith("/problems/contract-unavailable")
        assert f"agreement {lost.pk} cannot be read" in body["detail"]
        logged_error(caplog, lost)


def test_the_503_is_documented_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/agreements/{id}/contract/"]["get"]
    assert "application/problem+json" in operation["responses"]["503"]["content"]


def test_a_contract_still_in_storage_downloads_as_before(client, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement = sign_all(agreement)
    client.force_login(world.coordinator)
    response = client.get(reverse("agreement_contract", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == agreement.contract_pdf.open("rb").read()

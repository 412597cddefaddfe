"""The OpenAPI schema is valid, and every endpoint keeps its promises under generated input.

schemathesis runs in-process against the WSGI app, authenticated with a read+write fund key and,
separately, a coordinator's personal token: no request may end in a server error or in a status
code the schema does not document.
"""

import io

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from config.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
CHECKS = [not_a_server_error, status_code_conformance]


def test_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


@pytest.fixture(autouse=True)
def _keep_the_test_connection(keep_the_test_connection):
    """schemathesis calls the real WSGI app (see the fixture in tests/conftest.py)."""


@pytest.fixture
def callers(api_world):
    """Bearer headers of a write key and of the coordinator, over some real data."""
    from tests.applications.helpers import submit_current_step

    submit_current_step(api_world)
    headers = {}
    for role in ("write_key", "coordinator"):
        client = api_world.clients[role]
        headers[role] = {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    return headers


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_never_fails_on_generated_input(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers={**headers, "Host": "127.0.0.1"}, checks=CHECKS)


def test_docs_are_served_locally(client):
    response = client.get("/api/docs/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    assert io.StringIO(body)

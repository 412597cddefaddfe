"""Generated input against the whole API and against the step answers' validation.

(a) schemathesis, in-process against the WSGI app, positive and negative cases, with every check
it has but two (reasons at ``EXCLUDED``): no server error, only documented status codes, content
types and headers, responses that match their schemas, auth not ignored.
(b) hypothesis property tests of ``funds.questions.validate_answers`` with arbitrary JSON for
each default step (and a step with every question type): either cleaned answers that keep the
schema's promises, or a ``ValidationError``, never anything else; and the same through the
API's step PUT: a 200 that stored exactly the cleaned answers, or a 400 with the same field
errors and nothing saved. What these found is pinned down in tests/api/test_fuzz_findings.py.
"""

import json
import math

import pytest
import schemathesis
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from applications.models import Revision
from config.wsgi import application
from funds.default_steps import DEFAULT_STEPS
from funds.questions import validate_answers
from integrations.models import Scope
from integrations.services import fund_key_create
from tests.api.conftest import token_client
from tests.applications.helpers import advance_to_step, submit_current_step

from .answers import ACCEPTED, STEPS, assert_clean, contents

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
load_all_checks()
EXCLUDED = {
    # DRF is lenient where nothing is at risk: a CharField takes a number, and an empty filter or
    # a page_size that is not a number falls back to the default. Generated invalid input still
    # runs every other check (no 5xx, documented status, content type and body).
    "negative_data_rejection",
    # A well-shaped request may still name records that do not exist or are not yours, or break
    # a rule no schema can say (an IBAN's checksum, a date in the past): 400 is the documented
    # answer for those.
    "positive_data_acceptance",
}
ALL_CHECKS = [check for check in CHECKS.get_all() if check.__name__ not in EXCLUDED]


@pytest.fixture
def callers(world, keep_the_test_connection):
    submit_current_step(world)
    _key, secret = fund_key_create(
        fund=world.fund, actor=world.manager, name="Fuzz", scope=Scope.READ_WRITE
    )
    coordinator = token_client(world.coordinator)._credentials["HTTP_AUTHORIZATION"]
    return [{"Authorization": f"Bearer {secret}"}, {"Authorization": coordinator}]


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_every_endpoint_passes_every_check(case, callers, require_postgres):
    for headers in callers:
        case.call_and_validate(headers={**headers, "Host": "127.0.0.1"}, checks=ALL_CHECKS)


# ---------------------------------------------------------------------------------------------
# (b) The step answers' validation, directly and through the API.

ANSWER_SETTINGS = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("step_key", sorted(STEPS))
@settings(ANSWER_SETTINGS, max_examples=250)
@given(data=st.data(), require_complete=st.booleans())
def test_validation_cleans_or_refuses_never_crashes(
    step_key, data, require_complete, service_types
):
    questions = STEPS[step_key]
    content = data.draw(contents(questions), label="content")
    try:
        cleaned = validate_answers(
            questions, content, require_complete=require_complete, accepted_arrangements=ACCEPTED
        )
    except ValidationError as error:
        # Refused with errors by question key (or on the content as a whole), nothing else.
        known = {question["key"] for question in questions}
        given_keys = set(content) if isinstance(content, dict) else set()
        assert error.message_dict and set(error.message_dict) <= known | given_keys | {"content"}
        return
    assert_clean(questions, cleaned, require_complete=require_complete)
    # Cleaning is a fixed point: cleaned answers pass again unchanged (a re-save adds nothing).
    assert validate_answers(questions, cleaned, accepted_arrangements=ACCEPTED) == cleaned


@pytest.fixture
def open_step(world, step_key, service_types):
    """The world's application with ``step_key`` open for drafting, and its coordinator's client."""
    step = advance_to_step(world, step_key)
    client = token_client(world.coordinator)
    client.raise_request_exception = False  # a server error must show as a status, not raise
    return step, client


def refused_before_validation(content) -> bool:
    """NaN and Infinity are not JSON and NUL is never stored: the parser refuses those bodies."""
    pending = [content]
    while pending:
        value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return True
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            pending += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            pending += value
    return False


@pytest.mark.parametrize("step_key", [step["key"] for step in DEFAULT_STEPS])
@settings(ANSWER_SETTINGS, max_examples=40)
@given(data=st.data())
def test_saving_answers_is_a_200_or_a_400_with_field_errors_and_nothing_saved(
    step_key, data, open_step, world
):
    step, client = open_step
    url = f"/api/v1/applications/{world.application.pk}/steps/{step_key}/"
    content = data.draw(contents(step.questions), label="content")
    body = json.dumps({"content": content})
    revisions = Revision.objects.filter(step=step)
    before = list(revisions.values_list("pk", flat=True))

    etag = client.get(url)["ETag"]
    response = client.put(url, body, content_type="application/json", headers={"If-Match": etag})

    assert response.status_code in (200, 400), (response.status_code, response.content[:500])
    if refused_before_validation(content):
        error_fields = None  # a parse error: a detail, no field errors
    elif not isinstance(content, dict):
        error_fields = {"content"}
    else:
        try:
            cleaned = validate_answers(
                step.questions, content, accepted_arrangements=world.programme.accepted_arrangements
            )
        except ValidationError as error:
            error_fields = set(error.message_dict)
        else:
            assert response.status_code == 200, response.content[:500]
            assert revisions.order_by("-number").first().content == cleaned
            assert response.json()["content"] == cleaned
            return
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    if error_fields is not None:
        assert set(response.json()["errors"]) == error_fields
    assert list(revisions.values_list("pk", flat=True)) == before  # nothing saved

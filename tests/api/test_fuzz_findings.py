"""What the fuzzers found, pinned down: each of these was a server error or a wrong stored value.

- A NUL character (JSON ``"\\u0000"``) in a step answer, or in any string a lookup uses: PostgreSQL
  cannot hold it, so the save or the query raised DataError (500).
- A lone surrogate (``"\\ud800"``): the save failed, and so did any error message quoting it (500).
- JSON nested about a thousand levels deep: DRF's parser let RecursionError through (500).
- An amount of "-0" was stored as "-0.00".
- A malformed id in an API path (``/api/v1/agreements/0.5/``) got the site's HTML 404 page
  instead of a problem document.

The fuzzers themselves run on PostgreSQL only (tests/robustness/test_fuzz.py); these regressions
need no row locks, so they run on every database.
"""

import pytest
from django.core.exceptions import ValidationError

from applications.models import Revision
from funds.default_steps import DEFAULT_STEPS
from funds.questions import validate_answers
from tests.api.conftest import token_client
from tests.applications.helpers import advance_to_step

pytestmark = pytest.mark.django_db

BUDGET = next(step["questions"] for step in DEFAULT_STEPS if step["key"] == "budget")


@pytest.mark.parametrize(
    "needs",
    [
        [{"description": "Seeds\x00", "amount": "10"}],
        [{"description": "Minutes", "service_type": "secretarial\x00", "hours": "2"}],
    ],
)
def test_a_nul_character_in_an_answer_is_a_validation_error(needs, service_types):
    with pytest.raises(ValidationError) as refused:
        validate_answers(BUDGET, {"needs": needs})
    assert list(refused.value.message_dict) == ["needs"]


def test_an_amount_of_minus_zero_is_stored_as_zero(service_types):
    cleaned = validate_answers(BUDGET, {"needs": [{"description": "Seeds", "amount": "-0"}]})
    assert cleaned["needs"][0]["amount"] == "0.00"


@pytest.fixture
def budget_step(world, service_types):
    step = advance_to_step(world, "budget")
    client = token_client(world.coordinator)
    client.raise_request_exception = False
    return step, client, f"/api/v1/applications/{world.application.pk}/steps/budget/"


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ('{"content": {"needs": [{"description": "a\\u0000", "amount": "1"}]}}', "Null"),
        ('{"content": {"needs": [{"description": "a\\ud800", "amount": "1"}]}}', "Surrogate"),
        ('{"content": {"\\ud800": 1}}', "Surrogate"),
        ('{"content": {"needs": ' + "[" * 5000 + "]" * 5000 + "}}", "Malformed"),
    ],
    ids=["nul", "surrogate", "surrogate-in-a-key", "deep-nesting"],
)
def test_unstorable_json_is_refused_with_a_400_and_nothing_saved(budget_step, raw, detail):
    step, client, url = budget_step
    before = Revision.objects.filter(step=step).count()
    etag = client.get(url)["ETag"]
    response = client.put(url, raw, content_type="application/json", headers={"If-Match": etag})
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"].startswith(detail)
    assert Revision.objects.filter(step=step).count() == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"application": 1, "pool": 1, "service_type": "a\\u0000", "hours": "1", "need": "x"}',
        '{"application": 1, "service": 1, "hours": "1", "need": "\\ud800"}',
    ],
)
def test_other_endpoints_refuse_unstorable_strings_too(world, raw):
    client = token_client(world.officer)
    client.raise_request_exception = False
    response = client.post("/api/v1/allocations/", raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]


def test_a_malformed_id_in_an_api_path_is_a_problem_document(world):
    client = token_client(world.officer)
    response = client.get("/api/v1/agreements/0.5/contract/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    # The site's own pages keep their HTML 404.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")

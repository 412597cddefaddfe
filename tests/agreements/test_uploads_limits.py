"""A body over MAX_REQUEST_BODY_SIZE is answered 413 from its Content-Length, before it is read.

The request stream here raises if anyone reads it: a pass proves the refusal came first. The
proxy in deploy/ refuses the same bodies in front (tests/deploy/test_nginx.py).
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.api.conftest import assert_problem, token_client

pytestmark = pytest.mark.django_db

TOO_LARGE = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class UnreadableBody:
    """A wsgi.input that fails the test if it is read at all."""

    def read(self, *args):
        raise AssertionError("the oversized body was read")

    readline = read


def oversized(settings) -> dict:
    return {
        "CONTENT_LENGTH": str(settings.MAX_REQUEST_BODY_SIZE + 1),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "wsgi.input": UnreadableBody(),
    }


def test_an_oversized_report_form_gets_a_clear_page_unread(client, world, settings):
    client.force_login(world.coordinator)
    response = client.generic(
        "POST", reverse("report_create", args=[1]), b"", **oversized(settings)
    )
    assert response.status_code == TOO_LARGE
    page = response.content.decode()
    assert "larger than 50 MB in total" in page and "at most 10 MB" in page
    assert "Nothing was saved" in page


def test_an_oversized_api_upload_gets_a_problem_unread(world, settings):
    client = token_client(world.coordinator)
    response = client.generic("POST", "/api/v1/reports/", b"", **oversized(settings))
    body = assert_problem(response, TOO_LARGE)
    assert body["type"].endswith("/content-too-large")
    assert "larger than 50 MB in total" in body["detail"]


def test_the_limit_comes_from_the_settings(client, world, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1000
    client.force_login(world.coordinator)
    url = reverse("contract_verify")
    assert client.post(url, {"note": "x" * 2000}).status_code == TOO_LARGE
    assert client.post(url, {"note": "x" * 10}).status_code == HTTPStatus.OK

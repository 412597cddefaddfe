"""The webhook screens: managers manage, officers read the log, anyone else sees nothing."""

import re
import socket
from http import HTTPStatus

import pytest
from django.urls import reverse
from django_tasks import default_task_backend

from core.events import record_event
from funds.models import FundMembership
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import ssrf
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "https://crm.example.org/webhooks"


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    answers = {"crm.example.org": ["93.184.215.14"], "intranet.example.org": ["10.0.0.5"]}

    def resolve(host, port):
        if host not in answers:
            raise socket.gaierror("unknown host")
        return answers[host]

    monkeypatch.setattr(ssrf, "resolve", resolve)
    return answers


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "webhooks"],
        }
    }
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def people(world):
    return {
        "outsider": world.outsider,
        "coordinator": world.coordinator,
        "other_fund_officer": FundMembershipFactory(role=FundMembership.Role.OFFICER).user,
        "other_fund_manager": FundMembershipFactory(role=FundMembership.Role.MANAGER).user,
        "officer": world.officer,
        "manager": world.manager,
    }


@pytest.fixture
def endpoint(world, django_capture_on_commit_callbacks):
    hook = WebhookEndpoint.objects.create(fund=world.fund, url=URL, created_by=world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        record_event("comment.created", fund=world.fund, payload={"comment_id": 7})
    return hook


def delivery_of(endpoint) -> WebhookDelivery:
    return endpoint.deliveries.get()


def pages(endpoint):
    fund = endpoint.fund
    return [
        reverse("webhook_fund", args=[fund.pk]),
        reverse("webhook_endpoint", args=[endpoint.pk]),
        reverse("webhook_delivery", args=[delivery_of(endpoint).pk]),
    ]


def manager_posts(endpoint):
    delivery = delivery_of(endpoint)
    return [
        (reverse("webhook_create", args=[endpoint.fund_id]), {"url": "https://crm.example.org/2"}),
        (reverse("webhook_disable", args=[endpoint.pk]), {}),
        (reverse("webhook_test", args=[endpoint.pk]), {}),
        (reverse("webhook_rotate", args=[endpoint.pk]), {}),
        (reverse("webhook_replay", args=[delivery.pk]), {}),
        (reverse("webhook_delete", args=[endpoint.pk]), {}),
    ]


def snapshot(endpoint):
    endpoint.refresh_from_db()
    return (
        WebhookEndpoint.objects.count(),
        endpoint.active,
        endpoint.secret,
        WebhookDelivery.objects.count(),
        list(WebhookDelivery.objects.values_list("state", "next_attempt_at", "retry_until")),
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, endpoint):
    for url in [reverse("webhooks_home"), *pages(endpoint)]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "role", ["outsider", "coordinator", "other_fund_officer", "other_fund_manager"]
)
def test_people_outside_the_fund_see_nothing_of_its_webhooks(client, endpoint, people, role):
    client.force_login(people[role])
    for url in pages(endpoint):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    before = snapshot(endpoint)
    for url, data in manager_posts(endpoint):
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND, url
    assert snapshot(endpoint) == before


def test_officers_read_the_endpoints_and_the_log_but_change_nothing(client, endpoint, people):
    client.force_login(people["officer"])
    for url in pages(endpoint):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert URL in response.text
        assert endpoint.secret not in response.text
        assert reverse("webhook_create", args=[endpoint.fund_id]) not in response.text
        assert reverse("webhook_disable", args=[endpoint.pk]) not in response.text
        assert reverse("webhook_replay", args=[delivery_of(endpoint).pk]) not in response.text
    before = snapshot(endpoint)
    assert (
        client.get(reverse("webhook_create", args=[endpoint.fund_id])).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert (
        client.get(reverse("webhook_delete", args=[endpoint.pk])).status_code
        == HTTPStatus.FORBIDDEN
    )
    for url, data in manager_posts(endpoint):
        assert client.post(url, data).status_code == HTTPStatus.FORBIDDEN, url
    assert snapshot(endpoint) == before


def test_a_dual_role_officer_who_is_also_a_network_member_is_still_only_an_officer(
    client, world, endpoint
):
    user = NetworkMemberFactory(network=world.network).user
    FundMembershipFactory(fund=world.fund, user=user, role=FundMembership.Role.OFFICER)
    client.force_login(user)
    response = client.post(reverse("webhook_disable", args=[endpoint.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_log_shows_status_response_code_attempts_and_next_attempt(client, endpoint, people):
    WebhookDelivery.objects.update(
        state=WebhookDelivery.State.FAILED, attempts=3, last_status_code=503
    )
    client.force_login(people["officer"])
    html = client.get(reverse("webhook_fund", args=[endpoint.fund_id])).text
    assert "Failed, will retry" in html
    assert "503" in html
    assert "comment.created" in html
    assert "Next attempt" in html


def test_a_manager_registers_an_endpoint_and_sees_the_secret_once(client, world):
    client.force_login(world.manager)
    create = reverse("webhook_create", args=[world.fund.pk])
    form = client.get(create)
    assert form.status_code == HTTPStatus.OK
    assert 'value="comment.created"' in form.text

    response = client.post(
        create,
        {"url": URL, "description": "CRM", "event_types": ["comment.created", "tranche.due"]},
    )
    assert response.status_code == HTTPStatus.OK
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.text
    assert "no-store" in response["Cache-Control"]
    assert endpoint.event_types == ["comment.created", "tranche.due"]
    assert endpoint.created_by == world.manager
    # Never again: not on the endpoint's page, not on the fund's page.
    for url in (
        reverse("webhook_endpoint", args=[endpoint.pk]),
        reverse("webhook_fund", args=[world.fund.pk]),
    ):
        assert endpoint.secret not in client.get(url).text


def test_registration_shows_an_unsafe_url_at_the_field(client, world):
    client.force_login(world.manager)
    create = reverse("webhook_create", args=[world.fund.pk])
    for url, words in [
        ("http://crm.example.org/webhooks", "https://"),
        ("https://intranet.example.org/", "internal or private"),
    ]:
        response = client.post(create, {"url": url})
        assert response.status_code == HTTPStatus.OK
        assert words in response.text
        assert 'class="form-errors"' in response.text
    assert not WebhookEndpoint.objects.exists()


def test_a_manager_disables_and_enables(client, world, endpoint):
    client.force_login(world.manager)
    client.post(reverse("webhook_disable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    html = client.get(reverse("webhook_endpoint", args=[endpoint.pk])).text
    assert "Disabled by a manager of the fund." in html
    client.post(reverse("webhook_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_reason == ""


def test_enabling_checks_the_url_again(client, world, endpoint, dns):
    client.force_login(world.manager)
    client.post(reverse("webhook_disable", args=[endpoint.pk]))
    dns["crm.example.org"] = ["192.168.0.10"]
    response = client.post(reverse("webhook_enable", args=[endpoint.pk]), follow=True)
    assert "internal or private" in response.text
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_a_gone_endpoint_says_why_it_is_disabled(client, world, endpoint):
    WebhookEndpoint.objects.update(
        active=False, disabled_reason=WebhookEndpoint.DisabledReason.GONE
    )
    client.force_login(world.officer)
    html = client.get(reverse("webhook_fund", args=[world.fund.pk])).text
    assert "410 Gone" in html


def test_a_manager_rotates_the_secret_and_sees_the_new_one_once(client, world, endpoint):
    old = endpoint.secret
    client.force_login(world.manager)
    response = client.post(reverse("webhook_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret in response.text
    assert "no-store" in response["Cache-Control"]


def test_a_manager_sends_a_test_event(
    client, world, endpoint, queue, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_test", args=[endpoint.pk]), follow=True)
    assert "A test event is on its way" in response.text
    test_delivery = endpoint.deliveries.get(event__type="webhook.test")
    assert [r.args for r in queue.results] == [[test_delivery.pk]]


def test_replay_from_the_screen_keeps_the_webhook_id(
    client, world, endpoint, queue, django_capture_on_commit_callbacks
):
    delivery = delivery_of(endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=WebhookDelivery.State.DEAD, attempts=12, next_attempt_at=None
    )
    client.force_login(world.manager)
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_replay", args=[delivery.pk]), follow=True)
    assert "same webhook-id" in response.text
    replayed = WebhookDelivery.objects.get(pk=delivery.pk)
    assert replayed.webhook_id == delivery.webhook_id
    assert replayed.state == WebhookDelivery.State.PENDING
    assert replayed.attempts == 12  # the log keeps counting
    assert [r.args for r in queue.results] == [[delivery.pk]]


def test_replay_on_a_disabled_endpoint_is_refused_with_a_message(client, world, endpoint):
    WebhookEndpoint.objects.update(active=False, disabled_reason="manual")
    client.force_login(world.manager)
    delivery = delivery_of(endpoint)
    response = client.post(reverse("webhook_replay", args=[delivery.pk]), follow=True)
    assert "Enable the endpoint" in response.text
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == WebhookDelivery.State.PENDING


def test_a_manager_deletes_after_confirming(client, world, endpoint):
    client.force_login(world.manager)
    confirm = client.get(reverse("webhook_delete", args=[endpoint.pk]))
    assert confirm.status_code == HTTPStatus.OK
    response = client.post(reverse("webhook_delete", args=[endpoint.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_home_page_leads_staff_to_their_fund(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("webhooks_home"))
    assert response.url == reverse("webhook_fund", args=[world.fund.pk])
    client.force_login(UserFactory())
    response = client.get(reverse("webhooks_home"))
    assert response.status_code == HTTPStatus.OK
    assert "Only officers and managers" in response.text


def test_the_screens_have_no_inline_script_or_style(client, world, endpoint):
    client.force_login(world.manager)
    delivery = delivery_of(endpoint)
    urls = [
        *pages(endpoint),
        reverse("webhook_create", args=[world.fund.pk]),
        reverse("webhook_delete", args=[endpoint.pk]),
    ]
    responses = [client.get(url) for url in urls]
    responses.append(client.post(reverse("webhook_rotate", args=[endpoint.pk])))
    for response in responses:
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), response.request["PATH_INFO"]
        assert "<style" not in html and " style=" not in html
    assert delivery.webhook_id in client.get(pages(endpoint)[2]).text

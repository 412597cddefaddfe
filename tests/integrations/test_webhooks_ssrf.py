"""Server-side request forgery: refused when the endpoint is registered and again at delivery."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django_tasks import default_task_backend

from core.events import record_event
from integrations.models import WebhookAttempt, WebhookDelivery
from integrations.webhooks import services, ssrf
from integrations.webhooks.delivery import attempt
from integrations.webhooks.ssrf import UnsafeURL, check_url

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"


@pytest.fixture
def dns(monkeypatch):
    """A resolver the test controls: host name → addresses."""
    answers = {"hooks.example.org": [PUBLIC], "xn--bcher-kva.example": [PUBLIC]}

    def resolve(host, port):
        if host in answers:
            return list(answers[host])
        if host in ("localhost", "127.0.0.1", "::1"):
            return ["127.0.0.1"] if host != "::1" else ["::1"]
        try:  # an IP literal resolves to itself
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise socket.gaierror("unknown host") from None
        return [host]

    monkeypatch.setattr(ssrf, "resolve", resolve)
    return answers


@pytest.fixture
def queue(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "webhooks"],
        }
    }
    yield default_task_backend
    default_task_backend.clear()


def test_a_public_https_url_passes_with_the_addresses_to_connect_to(dns):
    target = check_url("https://hooks.example.org/in?fund=7")
    assert target.addresses == (PUBLIC,)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "hooks.example.org",
        443,
        "/in?fund=7",
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "192.0.2.1",  # documentation
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "2002:a00:1::",  # 6to4 around 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 around 169.254.169.254
        "ff02::1",
    ],
)
def test_internal_addresses_are_refused(dns, address):
    dns["hooks.example.org"] = [address]
    with pytest.raises(UnsafeURL, match="internal or private"):
        check_url("https://hooks.example.org/in")


def test_one_internal_address_among_public_ones_is_enough_to_refuse(dns):
    dns["hooks.example.org"] = [PUBLIC, "10.0.0.8"]
    with pytest.raises(UnsafeURL):
        check_url("https://hooks.example.org/")


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/",  # not encrypted
        "http://localhost:8000/",  # plain http to localhost only in DEBUG
        "https://localhost/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "ftp://hooks.example.org/",
        "https://user:secret@hooks.example.org/",
        "https://unknown.example.org/",
        "https://hooks.example.org:99999/",
        "not a url",
        "",
    ],
)
def test_unsafe_urls_are_refused_in_production(dns, settings, url):
    settings.DEBUG = False
    with pytest.raises(UnsafeURL):
        check_url(url)


def test_in_debug_plain_http_is_allowed_to_localhost_only(dns, settings):
    settings.DEBUG = True
    assert check_url("http://localhost:8000/hook").addresses == ("127.0.0.1",)
    assert check_url("http://127.0.0.1:9/").port == 9
    with pytest.raises(UnsafeURL):
        check_url("http://hooks.example.org/")
    dns["hooks.example.org"] = ["10.0.0.1"]
    with pytest.raises(UnsafeURL):  # private stays private, also in DEBUG
        check_url("https://hooks.example.org/")


def test_registration_refuses_an_internal_url_with_a_field_error(world, dns):
    dns["hooks.example.org"] = ["169.254.169.254"]
    with pytest.raises(ValidationError) as error:
        services.endpoint_create(
            fund=world.fund, actor=world.manager, url="https://hooks.example.org/"
        )
    assert "url" in error.value.message_dict
    assert not world.fund.webhook_endpoints.exists()


def test_registration_refuses_http_in_production(world, dns):
    with pytest.raises(ValidationError) as error:
        services.endpoint_create(fund=world.fund, actor=world.manager, url="http://localhost/")
    assert "https" in error.value.message_dict["url"][0]


def test_an_address_that_turns_internal_after_registration_is_refused_at_delivery(
    world, dns, queue, monkeypatch, django_capture_on_commit_callbacks
):
    endpoint, _secret = services.endpoint_create(
        fund=world.fund, actor=world.manager, url="https://hooks.example.org/in"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_event("comment.created", fund=world.fund, payload={"comment_id": 1})
    delivery = endpoint.deliveries.get()

    dns["hooks.example.org"] = ["127.0.0.1"]  # DNS rebinding towards our own server

    def no_connection(*args, **kwargs):
        raise AssertionError("no connection may be made to a refused address")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    with django_capture_on_commit_callbacks(execute=True):
        state = attempt(delivery.pk)
    assert state == WebhookDelivery.State.FAILED
    logged = delivery.attempt_log.get()
    assert logged.outcome == WebhookAttempt.Outcome.REFUSED
    assert "127.0.0.1" in logged.error


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "017700000001", "localhost"])
def test_other_spellings_of_loopback_are_refused_by_the_real_resolver(host):
    """No network needed: the system resolver turns these into 127.0.0.1 by itself."""
    with pytest.raises(UnsafeURL, match="internal or private"):
        check_url(f"https://{host}/")


def test_an_international_host_name_is_checked_in_its_dns_form(dns):
    assert check_url("https://Bücher.example/").host == "xn--bcher-kva.example"

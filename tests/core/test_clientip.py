"""Whose address a signature records: the socket's peer, unless we said a proxy of ours sits in
front; then only the hop that proxy added. Written from the side of a signer who lies."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory

from agreements import services
from agreements.signing import signing_token
from core.clientip import client_ip
from tests.agreements.helpers import award, prepare_cooperation

PEER = "198.51.100.20"  # the socket's peer: the client itself, or our proxy
FORGED = "6.6.6.6"  # what the client writes into X-Forwarded-For


def request(forwarded_for=None, remote=PEER):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(FORGED)) == PEER
    assert client_ip(request(f"{FORGED}, 10.0.0.1")) == PEER


def test_the_default_trusts_no_proxy():
    assert client_ip(request(FORGED)) == PEER


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),  # nginx added the client's address
        (1, f"{FORGED}, 203.0.113.5", "203.0.113.5"),  # the client's own entry is left of it
        (2, f"{FORGED}, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # load balancer, then nginx
        (1, " 2001:db8::7 ", "2001:db8::7"),
    ],
)
def test_with_n_trusted_proxies_the_nth_hop_from_the_right_counts(
    settings, count, header, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(header)) == expected


@pytest.mark.parametrize(
    "header",
    [
        "",  # straight to gunicorn, past the proxy
        "203.0.113.5",  # fewer hops than the two proxies we said there are
        f"{FORGED}, not-an-address",  # what the proxy added is no address
        f"{FORGED}, 203.0.113.5:4711",  # nor with a port
    ],
)
def test_a_header_our_proxies_cannot_vouch_for_falls_back_to_the_peer(settings, header):
    settings.TRUSTED_PROXY_COUNT = 2 if header == "203.0.113.5" else 1
    assert client_ip(request(header)) == PEER


def test_no_usable_address_at_all_is_none(settings):
    assert client_ip(request(remote="")) is None


# ---------------------------------------------------------------------------------------------
# The signing page: the address that goes into the signature record


@pytest.fixture
def sent(world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement.refresh_from_db()
    return agreement


def sign(client, signatory, agreement, **extra):
    return client.post(
        f"/agreements/sign/{signing_token(signatory)}/",
        {"typed_name": signatory.name, "confirm": "on", "seen_sha256": agreement.frozen_sha256},
        **extra,
    )


@pytest.mark.django_db
def test_a_signer_cannot_put_a_forged_address_into_the_signature(client, sent, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    signatory = sent.signatories.first()
    response = sign(client, signatory, sent, REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR=FORGED)
    assert response.status_code == HTTPStatus.OK
    signatory.refresh_from_db()
    assert signatory.signed_at and signatory.ip_address == PEER


@pytest.mark.django_db
def test_behind_our_proxy_the_signature_records_the_address_it_saw(client, sent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    signatory = sent.signatories.first()
    sign(
        client,
        signatory,
        sent,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"{FORGED}, 203.0.113.5",
    )
    signatory.refresh_from_db()
    assert signatory.ip_address == "203.0.113.5"

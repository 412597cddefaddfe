"""The signing page from the signatory's side: no account, a clear page for every dead link."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Agreement
from agreements.signing import signing_token
from tests.agreements.helpers import award, prepare_cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement.refresh_from_db()
    return agreement


def sign_url(signatory):
    return reverse("agreement_sign", args=[signing_token(signatory)])


def post(client, signatory, agreement, name=None):
    return client.post(
        sign_url(signatory),
        {
            "typed_name": name or signatory.name,
            "confirm": "on",
            "seen_sha256": agreement.frozen_sha256,
        },
        HTTP_USER_AGENT="Phone browser",
        REMOTE_ADDR="203.0.113.7",
    )


def test_signatory_sees_the_frozen_text_and_its_fingerprint_without_an_account(client, sent):
    page = client.get(sign_url(sent.signatories.first())).content.decode()
    assert sent.frozen_sha256 in page
    assert sent.purpose.split()[0] in page


def test_signing_records_name_time_ip_browser_and_hash(client, sent):
    signatory = sent.signatories.first()
    response = post(client, signatory, sent)
    assert response.status_code == HTTPStatus.OK
    signatory.refresh_from_db()
    assert signatory.signed_at and signatory.ip_address == "203.0.113.7"
    assert signatory.user_agent == "Phone browser" and signatory.seen_sha256 == sent.frozen_sha256


def test_a_wrong_name_is_a_field_error_and_nothing_is_signed(client, sent):
    signatory = sent.signatories.first()
    response = post(client, signatory, sent, name="Someone Else")
    assert "Type your full name exactly" in response.content.decode()
    signatory.refresh_from_db()
    assert signatory.signed_at is None


def test_a_used_link_shows_a_clear_page(client, sent):
    signatory = sent.signatories.first()
    url = sign_url(signatory)
    post(client, signatory, sent)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "already signed" in response.content.decode()


def test_an_expired_link_shows_a_clear_page(client, sent, settings):
    settings.SIGNING_LINK_MAX_AGE = -1
    response = client.get(sign_url(sent.signatories.first()))
    assert response.status_code == HTTPStatus.OK and "expired" in response.content.decode()


def test_signing_after_cancellation_is_refused_with_a_clear_page(client, sent, world):
    signatory = sent.signatories.first()
    services.agreement_cancel(agreement=sent, actor=world.officer)
    response = post(client, signatory, sent)
    assert "cancelled" in response.content.decode()
    signatory.refresh_from_db()
    assert signatory.signed_at is None
    assert Agreement.objects.get().state == Agreement.State.CANCELLED


def test_a_garbled_link_shows_a_clear_page(client):
    response = client.get(reverse("agreement_sign", args=["not-a-token"]))
    assert response.status_code == HTTPStatus.OK and "not valid" in response.content.decode()

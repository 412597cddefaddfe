"""Work after the commit (e-mail) may fail; the change has committed and the answer says so.

``transaction.on_commit(..., robust=True)`` logs a failing callback by its ``__qualname__``, which
``functools.partial`` lacks: the log call itself raised, and a signature or transition that had
committed was answered with a 500. The services now hand on_commit named functions. These tests
commit for real (``transaction=True``), so the callbacks run inside the request, as in production.
"""

import logging
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError

from agreements import services
from agreements.models import Agreement, Signatory
from agreements.signing import signing_token
from applications.models import Application
from notifications import mailer
from notifications import services as notification_services
from notifications.models import Notification
from tests.agreements.helpers import award, prepare_cooperation, sign_network
from tests.api.conftest import token_client
from tests.applications.helpers import fill_current_step

pytestmark = pytest.mark.django_db(transaction=True)


def mail_server_down(*args, **kwargs):
    raise ConnectionRefusedError("[Errno 111] Connection refused (SMTP)")


class RefusingConnection:
    """A mail connection whose server refuses every message."""

    def send_messages(self, messages):
        mail_server_down()


def database_gone(*args, **kwargs):
    """What the notification's first query meets when the connection dropped after the commit."""
    raise OperationalError("server closed the connection unexpectedly")


def test_the_last_signature_commits_and_answers_ok_when_the_mail_server_is_down(
    client, world, monkeypatch
):
    """The contract's message is written with the signature and sent by the mail worker after
    the commit; a mail server that refuses leaves it pending for the next attempt."""
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement = sign_network(agreement)
    # The last signature is the fund's: its manager, signed in, through the personal link.
    last = agreement.signatories.get(role=Signatory.Role.FUND)
    client.force_login(get_user_model().objects.get(email=last.email))
    monkeypatch.setattr(mailer, "get_connection", lambda **kwargs: RefusingConnection())
    response = client.post(
        f"/agreements/sign/{signing_token(last)}/",
        {"typed_name": last.name, "confirm": "on", "seen_sha256": agreement.frozen_sha256},
    )
    assert response.status_code == HTTPStatus.OK
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.EXECUTED
    contract_messages = Notification.objects.filter(kind="agreement.executed")
    assert contract_messages.exists()
    for message in contract_messages:
        assert message.mail == Notification.Mail.PENDING and message.attempts == 1
        assert "Connection refused" in message.last_error


def test_an_api_transition_commits_and_answers_ok_when_the_connection_drops_after_it(
    world, monkeypatch, caplog
):
    fill_current_step(world.application, world.coordinator)
    # The messages are written with the change; handing them to the mail worker is what runs
    # after the commit.
    monkeypatch.setattr(notification_services, "enqueue_sending", database_gone)
    client = token_client(world.coordinator)
    client.raise_request_exception = False  # the answer a caller would get, 500 included
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        response = client.post(
            f"/api/v1/applications/{world.application.pk}/transitions/",
            {"name": "submit_step"},
            format="json",
        )
    assert response.status_code == HTTPStatus.OK, response.content
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED
    assert any("enqueue_notifications_after_commit" in r.getMessage() for r in caplog.records)
    assert Notification.objects.filter(kind="step.submitted").exists()

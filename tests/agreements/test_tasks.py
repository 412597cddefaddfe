"""The application page's task list once there is an agreement: sign it, then report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Signatory
from applications.tasks import next_task
from tests.agreements.helpers import (
    PNG,
    award,
    prepare_cooperation,
    send,
    sign,
    sign_all,
    sign_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    world.agreement = send(agreement, world.officer)
    world.agreement.refresh_from_db()
    return world


def test_a_signatory_who_has_not_signed_is_asked_to_sign_with_their_personal_link(sent):
    task = next_task(sent.application, sent.coordinator)
    assert "Sign the agreement" in task.text
    assert sent.coordinator.email in task.text
    assert task.kind == "do"
    assert task.url == reverse("agreement_detail", args=[sent.agreement.pk])


def test_after_signing_the_member_waits_for_the_others(sent):
    mine = sent.agreement.signatories.get(email__iexact=sent.coordinator.email)
    sign(mine, sent.agreement)
    task = next_task(sent.application, sent.coordinator)
    assert task.kind == "wait"
    assert "1 of" in task.text


def test_when_the_network_has_signed_it_waits_for_the_fund(sent):
    sign_network(sent.agreement)
    task = next_task(sent.application, sent.coordinator)
    assert task.kind == "wait"
    assert "manager signs the agreement last" in task.text


def test_an_executed_agreement_asks_for_the_report_that_is_due_next(sent):
    sign_all(sent.agreement)
    sent.application.refresh_from_db()
    task = next_task(sent.application, sent.coordinator)
    assert "final report" in task.text
    assert task.url == reverse("report_create", args=[sent.agreement.pk])


def test_a_submitted_report_waits_and_a_returned_one_asks_for_changes(sent):
    agreement = sign_all(sent.agreement)
    sent.application.refresh_from_db()
    report = services.report_submit(
        agreement=agreement,
        actor=sent.coordinator,
        kind="final",
        what_was_done="The garden grows.",
        spending=[{"description": "Seeds", "spent": "100"}],
        attachments=[SimpleUploadedFile("receipt.png", PNG, content_type="image/png")],
    )
    assert next_task(sent.application, sent.coordinator).kind == "wait"
    services.report_request_changes(report=report, actor=sent.officer, comment="Add a photo.")
    task = next_task(sent.application, sent.coordinator)
    assert "asked for changes to your report" in task.text
    assert task.url == reverse("report_detail", args=[report.pk])


def test_nobody_outside_the_network_gets_the_agreements_task(sent):
    # The officer sees the application but is not a network member: no "sign" task for them.
    assert "Sign the agreement" not in next_task(sent.application, sent.officer).text
    assert not sent.agreement.signatories.filter(role=Signatory.Role.FUND).exists()

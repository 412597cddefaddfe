"""The network's agreement screens: seeing the agreement, reporting, and the fund's review."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Report, Tranche
from applications.models import NetworkMember
from tests.agreements.helpers import PNG, award, prepare_cooperation, sign_all
from tests.applications.factories import NetworkFactory, NetworkMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed(world, django_capture_on_commit_callbacks):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_send(
            agreement=agreement, actor=world.officer, note="Checked", confirmed=True
        )
        agreement = sign_all(agreement)
    assert agreement.state == Agreement.State.EXECUTED
    world.agreement = agreement
    return world


def report_post(**overrides):
    data = {
        "kind": "final",
        "what_was_done": "The garden grows.",
        "spending-TOTAL_FORMS": "3",
        "spending-INITIAL_FORMS": "0",
        "spending-0-description": "Seeds",
        "spending-0-spent": "780,50",
        "spending-1-description": "",
        "spending-1-spent": "",
        "spending-2-description": "",
        "spending-2-spent": "",
    }
    data.update(overrides)
    return data


def png(name="receipt.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_member_sees_the_agreement_and_the_application_panel(client, executed):
    agreement = executed.agreement
    client.force_login(executed.member)
    content = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert agreement.contract_sha256 in content
    assert reverse("agreement_contract", args=[agreement.pk]) in content
    assert "Write a report" in content
    assert "Mark tranche" not in content  # paying is for the fund

    content = client.get(
        reverse("application_detail", args=[executed.application.pk])
    ).content.decode()
    assert reverse("agreement_detail", args=[agreement.pk]) in content
    assert reverse("agreement_contract", args=[agreement.pk]) in content
    assert "Prepare the agreement" not in content


def test_member_of_another_network_gets_404(client, executed):
    stranger = NetworkMemberFactory(
        network=NetworkFactory(), role=NetworkMember.Role.COORDINATOR
    ).user
    agreement = executed.agreement
    client.force_login(stranger)
    for url in (
        reverse("agreement_detail", args=[agreement.pk]),
        reverse("agreement_contract", args=[agreement.pk]),
        reverse("report_create", args=[agreement.pk]),
        reverse("agreement_edit", args=[agreement.pk]),
    ):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_draft_is_not_shown_in_detail_to_the_network(client, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    client.force_login(world.coordinator)
    content = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert "The fund is preparing this agreement" in content
    assert "Before you can send" not in content


def test_member_submits_a_report_with_a_png_and_the_officer_accepts(client, executed):
    agreement = executed.agreement
    client.force_login(executed.member)
    url = reverse("report_create", args=[agreement.pk])
    content = client.get(url).content.decode()
    assert 'type="file"' in content and "multiple" in content

    response = client.post(
        url, {**report_post(), "attachments": [png(), png("photo.png")]}, format="multipart"
    )
    assert response.status_code == HTTPStatus.FOUND
    report = Report.objects.get(agreement=agreement)
    assert report.state == Report.State.SUBMITTED
    assert report.spending == [{"description": "Seeds", "spent": "780.50"}]
    assert [a.original_name for a in report.attachments.all()] == ["receipt.png", "photo.png"]
    assert response.url == reverse("report_detail", args=[report.pk])

    # The attachment is served through a view that checks access.
    attachment = report.attachments.first()
    attachment_url = reverse("report_attachment", args=[attachment.pk])
    response = client.get(attachment_url)
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == PNG
    client.force_login(executed.outsider)
    assert client.get(attachment_url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 404

    # The member cannot accept their own report.
    client.force_login(executed.member)
    assert client.post(reverse("report_accept", args=[report.pk])).status_code == 403

    client.force_login(executed.officer)
    content = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "The garden grows." in content
    assert "receipt.png" in content
    assert "Accept the report" in content
    response = client.post(reverse("report_accept", args=[report.pk]))
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert agreement.tranches.get(number=2).state == Tranche.State.DUE


def test_a_fake_png_is_refused(client, executed):
    client.force_login(executed.member)
    fake = SimpleUploadedFile("receipt.png", b"not really a picture", content_type="image/png")
    response = client.post(
        reverse("report_create", args=[executed.agreement.pk]),
        {**report_post(), "attachments": [fake]},
    )
    assert response.status_code == HTTPStatus.OK
    assert "is not a PDF, JPEG or PNG file" in response.content.decode()
    assert response.context["form"].errors["attachments"]
    assert not Report.objects.exists()


def test_report_needs_what_was_done(client, executed):
    client.force_login(executed.member)
    response = client.post(
        reverse("report_create", args=[executed.agreement.pk]), report_post(what_was_done="")
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["what_was_done"]


def test_officer_requests_changes_and_the_network_resubmits(client, executed):
    report = services.report_submit(
        agreement=executed.agreement,
        actor=executed.member,
        kind="progress",
        what_was_done="Half done.",
        spending=[{"description": "Seeds", "spent": "100"}],
    )
    client.force_login(executed.officer)
    url = reverse("report_request_changes", args=[report.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == HTTPStatus.OK
    assert response.context["comment_form"].errors["comment"]

    response = client.post(url, {"comment": "Add the receipt, please."})
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.state == Report.State.CHANGES_REQUESTED

    client.force_login(executed.coordinator)
    content = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "Add the receipt, please." in content
    resubmit_url = reverse("report_resubmit", args=[report.pk])
    content = client.get(resubmit_url).content.decode()
    assert 'name="kind"' not in content
    assert "Half done." in content
    data = {
        "what_was_done": "Half done, receipt attached.",
        "spending-TOTAL_FORMS": "4",
        "spending-INITIAL_FORMS": "1",
        "spending-0-description": "Seeds",
        "spending-0-spent": "100,00",
        "attachments": [png()],
    }
    for i in (1, 2, 3):
        data.update({f"spending-{i}-description": "", f"spending-{i}-spent": ""})
    response = client.post(resubmit_url, data)
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.what_was_done == "Half done, receipt attached."
    assert report.attachments.count() == 1


def test_no_report_before_the_agreement_is_signed(client, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    client.force_login(world.member)
    response = client.get(reverse("report_create", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.FOUND


def test_officer_cannot_write_a_report(client, executed):
    client.force_login(executed.officer)
    url = reverse("report_create", args=[executed.agreement.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_accepting_a_final_report_goes_to_the_agreement_and_a_second_try_stays_on_the_report(
    client, executed
):
    report = services.report_submit(
        agreement=executed.agreement,
        actor=executed.member,
        kind="final",
        what_was_done="The garden grows.",
        spending=[],
        attachments=[png()],
    )
    client.force_login(executed.officer)
    url = reverse("report_accept", args=[report.pk])
    response = client.post(url)
    assert response.url == reverse("agreement_detail", args=[executed.agreement.pk])
    # Someone else accepted it first: the message is shown on the report the officer came from.
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("report_detail", args=[report.pk])

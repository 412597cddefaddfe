"""The fund's agreement screens: prepare, edit, send, pay, download and check the contract."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Tranche
from applications.models import NetworkMember
from funds.models import FundMembership
from tests.agreements.helpers import VALID_IBAN, award, prepare_cooperation, sign_all
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(world):
    world.application = award(world)
    return world


@pytest.fixture
def executed(awarded, django_capture_on_commit_callbacks):
    agreement = prepare_cooperation(awarded)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
        agreement = sign_all(agreement)
    assert agreement.state == Agreement.State.EXECUTED
    awarded.agreement = agreement
    return awarded


def edit_post(agreement, **overrides):
    """The edit form as the browser posts it, from the draft's current state."""
    data = {
        "purpose": agreement.purpose,
        "obligations": agreement.obligations,
        "final_report_due": agreement.final_report_due.isoformat(),
        "progress_report_due": "",
        "payee_name": agreement.payee_name,
        "iban": agreement.iban,
    }
    signatories = list(agreement.signatories.all())
    data.update(
        {
            "signatories-TOTAL_FORMS": str(len(signatories) + 2),
            "signatories-INITIAL_FORMS": str(len(signatories)),
        }
    )
    for i, s in enumerate(signatories):
        data.update(
            {
                f"signatories-{i}-role": s.role,
                f"signatories-{i}-name": s.name,
                f"signatories-{i}-email": s.email,
                f"signatories-{i}-date_of_birth": "",
                f"signatories-{i}-address": s.address,
            }
        )
    tranches = list(agreement.tranches.all())
    data.update(
        {
            "tranches-TOTAL_FORMS": str(len(tranches) + 1),
            "tranches-INITIAL_FORMS": str(len(tranches)),
        }
    )
    for i, t in enumerate(tranches):
        data.update({f"tranches-{i}-amount": str(t.amount), f"tranches-{i}-trigger": t.trigger})
    data.update(overrides)
    return data


def test_application_page_offers_to_prepare_the_agreement(client, awarded):
    url = reverse("application_detail", args=[awarded.application.pk])
    client.force_login(awarded.officer)
    assert "Prepare the agreement" in client.get(url).content.decode()
    client.force_login(awarded.coordinator)
    assert "Prepare the agreement" not in client.get(url).content.decode()


def test_officer_prepares_edits_and_sends(
    client, awarded, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(awarded.officer)
    prepare_url = reverse("agreement_prepare", args=[awarded.application.pk])
    content = client.get(prepare_url).content.decode()
    assert "A few members sign together" in content  # each arrangement explained

    response = client.post(prepare_url, {"arrangement": "cooperation_agreement"})
    agreement = Agreement.objects.get(application=awarded.application)
    edit_url = reverse("agreement_edit", args=[agreement.pk])
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == edit_url

    content = client.get(edit_url).content.decode()
    assert "Before you can send" in content
    assert "Enter a valid IBAN" in content  # the checklist: no IBAN yet
    assert 'name="host_name"' not in content  # host fields only for a host organisation
    assert 'name="signatories-0-name"' in content
    assert 'name="tranches-0-amount"' in content

    # An invalid IBAN is refused at the field; nothing is saved.
    response = client.post(edit_url, edit_post(agreement, iban="NL00 BANK 1234"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["iban"]
    agreement.refresh_from_db()
    assert agreement.iban == ""

    # A valid draft: payee, IBAN, one more signatory, tranches in Dutch notation.
    data = edit_post(
        agreement,
        payee_name="Garden group",
        iban="NL91 ABNA 0417 1643 00",
        purpose="Seeds and tools",
        **{
            "signatories-2-role": "member",
            "signatories-2-name": "Third Person",
            "signatories-2-email": "third@example.org",
            "tranches-0-amount": "700",
            "tranches-1-amount": "300,00",
        },
    )
    response = client.post(edit_url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.purpose == "Seeds and tools"
    assert [s.name for s in agreement.signatories.all()][-1] == "Third Person"
    assert agreement.signatories.count() == 3
    assert [t.amount for t in agreement.tranches.all()] == [Decimal("700"), Decimal("300")]
    assert services.sending_errors(agreement) == {}

    # Remove a signatory with the delete box.
    data = edit_post(agreement, **{"signatories-2-DELETE": "on"})
    assert client.post(edit_url, data).status_code == HTTPStatus.FOUND
    assert agreement.signatories.count() == 2

    preview = client.get(reverse("agreement_preview", args=[agreement.pk]))
    assert "Seeds and tools" in preview.content.decode()

    # The budget's money lines do not add up to the award: the officer confirms, with a note.
    send_url = reverse("agreement_send", args=[agreement.pk])
    response = client.post(send_url)
    assert response.status_code == HTTPStatus.OK
    assert "Check before you send" in response.content.decode()
    assert response.context["send_form"].errors["confirmed"]
    assert response.context["send_form"].errors["note"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            send_url, {"send-confirmed": "on", "send-note": "Only the seeds are funded"}
        )
    assert response.status_code == HTTPStatus.FOUND
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    assert len(mailoutbox) == 2

    content = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert agreement.frozen_sha256 in content
    assert "Not yet" in content
    # Sent: the draft can no longer be edited.
    assert client.get(edit_url).status_code == HTTPStatus.FOUND


def test_send_refused_shows_errors_at_the_fields(client, awarded):
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="cooperation_agreement"
    )
    client.force_login(awarded.officer)
    response = client.post(reverse("agreement_send", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert "Enter a valid IBAN" in form.errors["iban"][0]
    assert form.errors["payee_name"]
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT


def test_duplicate_signatory_emails_are_refused(client, awarded):
    agreement = prepare_cooperation(awarded)
    client.force_login(awarded.officer)
    first = agreement.signatories.first()
    data = edit_post(
        agreement,
        **{
            "signatories-2-role": "member",
            "signatories-2-name": "Someone Else",
            "signatories-2-email": first.email.upper(),
        },
    )
    response = client.post(reverse("agreement_edit", args=[agreement.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["signatories"].non_form_errors()
    assert agreement.signatories.count() == 2


def test_officer_cancels_an_agreement_out_for_signature(client, awarded):
    agreement = prepare_cooperation(awarded)
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    client.force_login(awarded.officer)
    assert (
        "Cancel the agreement"
        in client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    )
    response = client.post(reverse("agreement_cancel", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.FOUND
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.CANCELLED


def test_host_fields_are_shown_for_a_host_organisation(client, world):
    world.programme.accepts_host_organisation = True
    world.programme.save()
    world.application = award(world)
    agreement = services.agreement_prepare(
        application=world.application, actor=world.officer, arrangement="host_organisation"
    )
    client.force_login(world.officer)
    content = client.get(reverse("agreement_edit", args=[agreement.pk])).content.decode()
    assert 'name="host_name"' in content
    assert 'name="kvk_number"' in content


def test_network_members_and_outsiders_cannot_use_officer_pages(client, awarded):
    agreement = prepare_cooperation(awarded)
    officer_urls = [
        reverse("agreement_prepare", args=[awarded.application.pk]),
        reverse("agreement_edit", args=[agreement.pk]),
        reverse("agreement_preview", args=[agreement.pk]),
    ]
    client.force_login(awarded.coordinator)
    for url in officer_urls:
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url
    assert client.post(reverse("agreement_send", args=[agreement.pk])).status_code == 403
    assert client.post(reverse("agreement_cancel", args=[agreement.pk])).status_code == 403
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT

    client.force_login(awarded.outsider)
    for url in [*officer_urls, reverse("agreement_detail", args=[agreement.pk])]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url

    # An officer of another fund sees nothing of this agreement.
    other_officer = FundMembershipFactory(fund=ProgrammeFactory().fund).user
    client.force_login(other_officer)
    assert client.get(officer_urls[1]).status_code == HTTPStatus.NOT_FOUND


def test_contract_download_for_members_and_officers_only(client, executed):
    agreement = executed.agreement
    url = reverse("agreement_contract", args=[agreement.pk])
    stored = agreement.contract_pdf.open("rb").read()
    for user in (executed.officer, executed.member, executed.coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="contract-{agreement.pk}.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == stored

    other_officer = FundMembershipFactory(fund=ProgrammeFactory().fund).user
    for user in (executed.outsider, other_officer):
        client.force_login(user)
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the sign-in page


def test_hash_check_matches_the_stored_pdf_and_rejects_a_changed_byte(client, executed):
    agreement = executed.agreement
    pdf = agreement.contract_pdf.open("rb").read()
    url = reverse("contract_verify")
    client.force_login(executed.member)
    assert client.get(url).status_code == HTTPStatus.OK

    response = client.post(url, {"contract": SimpleUploadedFile("c.pdf", pdf)})
    assert f"This file is the signed contract #{agreement.pk}" in response.content.decode()

    changed = pdf[:100] + bytes([pdf[100] ^ 1]) + pdf[101:]
    response = client.post(url, {"contract": SimpleUploadedFile("c.pdf", changed)})
    content = response.content.decode()
    assert "This file does not match any contract" in content
    assert "This file is the signed contract" not in content

    # Someone who cannot see the agreement learns nothing about it.
    client.force_login(executed.outsider)
    response = client.post(url, {"contract": SimpleUploadedFile("c.pdf", pdf)})
    assert "This file does not match any contract" in response.content.decode()


def test_four_eyes_on_payments(client, executed):
    agreement = executed.agreement
    tranche = agreement.tranches.get(number=1)
    assert tranche.state == Tranche.State.DUE
    url = reverse("tranche_mark_paid", args=[agreement.pk, tranche.pk])
    data = {
        f"tranche-{tranche.pk}-paid_on": "2026-11-28",
        f"tranche-{tranche.pk}-reference": "BANK-1",
    }

    # The manager awarded the grant, the officer prepared the agreement: neither is offered to
    # mark it paid, and both are refused (403, as in the API) with the reason.
    for user in (executed.manager, executed.officer):
        client.force_login(user)
        detail = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
        assert 'data-action="mark_paid"' not in detail and "Mark tranche 1 paid" not in detail
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
        response = client.post(url, data, follow=True)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert "Four eyes on money" in response.content.decode()
        tranche.refresh_from_db()
        assert tranche.state == Tranche.State.DUE

    # A network member is no officer at all.
    client.force_login(executed.member)
    assert client.post(url, data).status_code == HTTPStatus.FORBIDDEN

    treasurer = FundMembershipFactory(fund=executed.fund, role=FundMembership.Role.OFFICER).user
    client.force_login(treasurer)
    detail = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert "Mark tranche 1 paid" in detail
    assert f'data-action="mark_paid" data-tranche="{tranche.pk}"' in detail
    # A missing reference is shown at the field.
    response = client.post(url, {**data, f"tranche-{tranche.pk}-reference": ""})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["reference"]

    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    tranche.refresh_from_db()
    assert tranche.state == Tranche.State.PAID
    assert tranche.paid_on == datetime.date(2026, 11, 28)
    assert tranche.payment_reference == "BANK-1"
    assert tranche.paid_by == treasurer


def test_officer_of_the_network_is_refused_for_conflict_of_interest(client, awarded):
    NetworkMemberFactory(
        network=awarded.network, user=awarded.officer, role=NetworkMember.Role.MEMBER
    )
    client.force_login(awarded.officer)
    url = reverse("agreement_prepare", args=[awarded.application.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert not Agreement.objects.exists()


def test_payee_iban_saved_compact_on_send(awarded):
    agreement = prepare_cooperation(awarded, iban="NL91 ABNA 0417 1643 00")
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    agreement.refresh_from_db()
    assert agreement.iban == VALID_IBAN


def test_prepare_preselects_the_arrangement_the_network_proposed(client, world):
    world.application = award(world)
    client.force_login(world.officer)
    page = client.get(reverse("agreement_prepare", args=[world.application.pk])).content.decode()
    assert re.search(r'<input[^>]*value="cooperation_agreement"[^>]*checked', page)


def test_officer_prepares_an_amendment_of_an_executed_agreement(client, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    sign_all(agreement)
    client.force_login(world.officer)
    detail = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    url = f"{reverse('agreement_prepare', args=[world.application.pk])}?amends={agreement.pk}"
    assert url in detail
    response = client.post(url, {"arrangement": "cooperation_agreement"})
    assert response.status_code == HTTPStatus.FOUND
    amendment = Agreement.objects.exclude(pk=agreement.pk).get()
    assert amendment.amends == agreement and amendment.state == Agreement.State.DRAFT


def test_network_member_cannot_prepare_an_amendment(client, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    sign_all(agreement)
    client.force_login(world.coordinator)
    url = f"{reverse('agreement_prepare', args=[world.application.pk])}?amends={agreement.pk}"
    response = client.post(url, {"arrangement": "cooperation_agreement"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Agreement.objects.count() == 1

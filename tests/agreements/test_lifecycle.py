"""Each arrangement end to end: award → agreement → signatures → executed → tranches → report → closed."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_fsm_log.models import StateLog

from agreements import services
from agreements.models import Agreement, Report, Signatory, Tranche
from agreements.pdf import sha256_hex
from agreements.verification import verify_contract
from applications.models import Application
from funds.models import FundMembership
from tests.agreements.helpers import (
    PDF,
    PNG,
    VALID_IBAN,
    award,
    links_in_outbox,
    prepare_cooperation,
    sign_all,
)
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def awarded(world):
    world.application = award(world)
    world.treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    return world


def finish(world, agreement):
    """Pay, report and close, as the fund and the network would."""
    first = agreement.tranches.get(number=1)
    services.tranche_mark_paid(
        tranche=first, actor=world.treasurer, paid_on=TODAY, reference="BANK-1"
    )
    report = services.report_submit(
        agreement=agreement,
        actor=world.member,
        kind="final",
        what_was_done="The garden grows.",
        spending=[{"description": "Seeds", "spent": "780,00"}],
        attachments=[SimpleUploadedFile("receipt.png", PNG, content_type="image/png")],
    )
    services.report_accept(report=report, actor=world.officer)
    for tranche in agreement.tranches.filter(state=Tranche.State.DUE):
        services.tranche_mark_paid(
            tranche=tranche, actor=world.treasurer, paid_on=TODAY, reference="BANK-2"
        )
    world.application.refresh_from_db()
    return report


def test_cooperation_agreement_end_to_end(awarded, mailoutbox, django_capture_on_commit_callbacks):
    agreement = prepare_cooperation(awarded)
    assert [t.amount for t in agreement.tranches.all()] == [Decimal("800.00"), Decimal("200.00")]
    assert agreement.signatories.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
    assert len(links_in_outbox()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        agreement = sign_all(agreement)

    assert agreement.state == Agreement.State.EXECUTED
    pdf = agreement.contract_pdf.read()
    assert sha256_hex(pdf) == agreement.contract_sha256
    assert verify_contract(pdf) == agreement
    awarded.application.refresh_from_db()
    assert awarded.application.state == Application.State.CONTRACTED
    assert [t.state for t in agreement.tranches.all()] == [Tranche.State.DUE, Tranche.State.PLANNED]

    report = finish(awarded, agreement)
    assert report.attachments.get().content_type == "image/png"
    assert awarded.application.state == Application.State.CLOSED
    assert set(agreement.tranches.values_list("state", flat=True)) == {Tranche.State.PAID}
    transitions = set(StateLog.objects.for_(agreement).values_list("transition", flat=True))
    assert transitions == {"send", "execute"}
    assert (
        StateLog.objects.for_(awarded.application)
        .filter(transition__in=["contract", "close"])
        .count()
        == 2
    )


def test_legal_entity_end_to_end(awarded):
    awarded.network.legal_status = "association"
    awarded.network.kvk_number = "40123456"
    awarded.network.save()
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="legal_entity"
    )
    assert agreement.kvk_number == "40123456" and agreement.payee_name == awarded.network.name
    assert [s.role for s in agreement.signatories.all()] == [Signatory.Role.REPRESENTATIVE]
    services.agreement_update(agreement=agreement, actor=awarded.officer, iban=VALID_IBAN)
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    assert sign_all(agreement).state == Agreement.State.EXECUTED
    finish(awarded, agreement)
    assert awarded.application.state == Application.State.CLOSED


def test_host_organisation_end_to_end(awarded):
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="host_organisation"
    )
    services.agreement_update(
        agreement=agreement,
        actor=awarded.officer,
        host_name="Buurthuis De Boog",
        kvk_number="12345678",
        payee_name="Stichting Buurthuis De Boog",
        iban=VALID_IBAN,
        host_representative_name="Henk Host",
        host_representative_email="henk@boog.example",
    )
    people = [
        {"role": "host", "name": "Henk Host", "email": "henk@boog.example"},
        {
            "role": "coordinator",
            "name": awarded.coordinator.username,
            "email": awarded.coordinator.email,
        },
    ]
    services.agreement_set_signatories(
        agreement=agreement, actor=awarded.officer, signatories=people
    )
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    assert sign_all(agreement).state == Agreement.State.EXECUTED
    finish(awarded, agreement)
    assert awarded.application.state == Application.State.CLOSED


def test_support_only_moves_no_money_and_needs_no_iban(awarded):
    awarded.programme.accepts_support_only = True
    awarded.programme.save()
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="support_only"
    )
    assert agreement.amount == 0 and not agreement.tranches.exists() and not agreement.iban
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    assert sign_all(agreement).state == Agreement.State.EXECUTED
    report = services.report_submit(
        agreement=agreement, actor=awarded.coordinator, kind="final", what_was_done="Done"
    )
    services.report_accept(report=report, actor=awarded.officer)
    awarded.application.refresh_from_db()
    assert awarded.application.state == Application.State.CLOSED


def test_report_changes_round_trip(awarded):
    agreement = prepare_cooperation(awarded)
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    sign_all(agreement)
    report = services.report_submit(
        agreement=agreement, actor=awarded.member, kind="progress", what_was_done="Half"
    )
    services.report_request_changes(
        report=report, actor=awarded.officer, comment="Add the receipts"
    )
    report.refresh_from_db()
    assert (
        report.state == Report.State.CHANGES_REQUESTED
        and report.comments.get().body == "Add the receipts"
    )
    services.report_resubmit(
        report=report,
        actor=awarded.member,
        what_was_done="Half, with receipts",
        attachments=[SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")],
    )
    services.report_accept(report=report, actor=awarded.officer)
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert (
        agreement.tranches.get(number=2).state == Tranche.State.PLANNED
    )  # only the final report releases it


def test_an_amendment_refers_to_the_executed_agreement(awarded):
    agreement = prepare_cooperation(awarded)
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    sign_all(agreement)
    amendment = services.agreement_prepare(
        application=awarded.application,
        actor=awarded.officer,
        arrangement="cooperation_agreement",
        amends=agreement,
    )
    assert amendment.amends == agreement and amendment.state == Agreement.State.DRAFT

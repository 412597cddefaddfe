"""Every refusal of the agreements issue, from the refused person's side."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from agreements import services
from agreements.models import Agreement, Signatory, Tranche
from agreements.signing import SigningLinkInvalid, signing_token
from core.exceptions import InvalidTransition
from funds.models import FundMembership
from tests.agreements.helpers import (
    PNG,
    award,
    countersign,
    countersigning_manager,
    prepare_cooperation,
    sign_all,
)
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def awarded(world):
    world.application = award(world)
    return world


@pytest.fixture
def sent(awarded):
    agreement = prepare_cooperation(awarded)
    services.agreement_send(
        agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
    )
    agreement.refresh_from_db()
    awarded.agreement = agreement
    return awarded


def sign(signatory, *, name=None, seen=None):
    return services.agreement_sign(
        token=signing_token(signatory),
        typed_name=name or signatory.name,
        seen_sha256=seen or signatory.agreement.frozen_sha256,
        ip_address="127.0.0.1",
        user_agent="pytest",
    )


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider", "manager_of_other_fund"])
def test_only_the_funds_officers_prepare_agreements(awarded, who):
    actor = (
        FundMembershipFactory(role=FundMembership.Role.MANAGER).user
        if who == "manager_of_other_fund"
        else getattr(awarded, who)
    )
    with pytest.raises(PermissionDenied):
        services.agreement_prepare(
            application=awarded.application, actor=actor, arrangement="cooperation_agreement"
        )
    assert not Agreement.objects.exists()


def test_no_agreement_before_the_award(world):
    with pytest.raises(InvalidTransition):
        services.agreement_prepare(
            application=world.application, actor=world.officer, arrangement="cooperation_agreement"
        )


def test_an_arrangement_the_programme_does_not_accept_is_refused(awarded):
    with pytest.raises(ValidationError) as refused:
        services.agreement_prepare(
            application=awarded.application, actor=awarded.officer, arrangement="support_only"
        )
    assert "arrangement" in refused.value.message_dict


def test_a_sent_agreement_cannot_be_edited(sent):
    with pytest.raises(InvalidTransition):
        services.agreement_update(
            agreement=sent.agreement, actor=sent.officer, purpose="Something else"
        )
    sent.agreement.refresh_from_db()
    assert sent.agreement.purpose != "Something else"


def test_sending_needs_the_account_holder(awarded):
    agreement = prepare_cooperation(awarded, payee_name="")
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
    assert "payee_name" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT and not agreement.frozen_sha256


def test_sending_needs_an_iban(awarded):
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="cooperation_agreement"
    )
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
    assert "iban" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT and not agreement.frozen_sha256


def test_tranches_must_add_up_to_the_amount(awarded):
    agreement = prepare_cooperation(awarded)
    services.agreement_set_tranches(
        agreement=agreement,
        actor=awarded.officer,
        tranches=[{"amount": "500", "trigger": "on_signing"}],
    )
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
    assert "tranches" in refused.value.message_dict


def test_cooperation_needs_enough_different_adult_people_at_different_addresses(awarded):
    programme = awarded.programme
    (
        programme.min_signatories,
        programme.signatories_distinct_addresses,
        programme.signatories_min_age,
    ) = 3, True, 18
    programme.save()
    agreement = prepare_cooperation(awarded)
    same = {"role": "member", "name": "Ann Smit", "email": "ann@example.org", "address": "Plein 1"}
    services.agreement_set_signatories(
        agreement=agreement,
        actor=awarded.officer,
        signatories=[
            same,
            {**same, "email": "ann2@example.org", "date_of_birth": datetime.date(2015, 1, 1)},
        ],
    )
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(
            agreement=agreement, actor=awarded.officer, note="Checked", confirmed=True
        )
    text = " ".join(refused.value.message_dict["signatories"])
    assert "at least 3" in text and "different person" in text and "different addresses" in text
    assert "18 years" in text


def test_only_named_signatories_sign_once_each(sent):
    first = sent.agreement.signatories.first()
    with pytest.raises(ValidationError) as refused:
        sign(first, name="Somebody Else")
    assert "typed_name" in refused.value.message_dict
    token = signing_token(first)
    sign(first)
    with pytest.raises(SigningLinkInvalid):
        services.agreement_sign(
            token=token,
            typed_name=first.name,
            seen_sha256=sent.agreement.frozen_sha256,
            ip_address=None,
            user_agent="",
        )
    first.refresh_from_db()
    assert first.typed_name == first.name and first.ip_address == "127.0.0.1"


def test_signing_a_different_text_is_refused(sent):
    with pytest.raises(ValidationError) as refused:
        sign(sent.agreement.signatories.first(), seen="0" * 64)
    assert "seen_sha256" in refused.value.message_dict


def test_a_tampered_or_expired_link_is_refused(sent, settings):
    signatory = sent.agreement.signatories.first()
    with pytest.raises(SigningLinkInvalid):
        services.agreement_sign(
            token=signing_token(signatory) + "x",
            typed_name=signatory.name,
            seen_sha256="",
            ip_address=None,
            user_agent="",
        )
    settings.SIGNING_LINK_MAX_AGE = -1
    with pytest.raises(SigningLinkInvalid) as refused:
        sign(signatory)
    assert "expired" in str(refused.value.reason)


def test_a_signature_after_cancellation_is_refused(sent):
    services.agreement_cancel(agreement=sent.agreement, actor=sent.officer)
    with pytest.raises(SigningLinkInvalid) as refused:
        sign(sent.agreement.signatories.first())
    assert "cancelled" in str(refused.value.reason)


def test_network_members_cannot_cancel(sent):
    with pytest.raises(PermissionDenied):
        services.agreement_cancel(agreement=sent.agreement, actor=sent.coordinator)


@pytest.fixture
def executed(sent):
    sent.agreement = sign_all(sent.agreement)
    return sent


@pytest.mark.parametrize("who", ["manager", "officer"])  # the awarder and the preparer
def test_four_eyes_on_money(executed, who):
    tranche = executed.agreement.tranches.get(number=1)
    with pytest.raises(PermissionDenied) as refused:
        services.tranche_mark_paid(
            tranche=tranche, actor=getattr(executed, who), paid_on=TODAY, reference="X"
        )
    assert "Four eyes" in str(refused.value)
    tranche.refresh_from_db()
    assert tranche.state == Tranche.State.DUE


def test_four_eyes_can_be_switched_off_per_fund(executed):
    executed.fund.four_eyes_on_payments = False
    executed.fund.save()
    tranche = executed.agreement.tranches.get(number=1)
    services.tranche_mark_paid(
        tranche=tranche, actor=executed.officer, paid_on=TODAY, reference="X"
    )
    tranche.refresh_from_db()
    assert tranche.state == Tranche.State.PAID and tranche.paid_by == executed.officer


def test_a_payment_with_bad_details_is_refused_per_field(executed):
    treasurer = FundMembershipFactory(fund=executed.fund).user
    tranche = executed.agreement.tranches.get(number=1)
    for paid_on, reference, fields in [
        (None, " ", {"paid_on", "reference"}),
        ("28-11-2026", "X", {"paid_on"}),
        (TODAY, "X" * 101, {"reference"}),  # longer than the column: no database error
    ]:
        with pytest.raises(ValidationError) as refused:
            services.tranche_mark_paid(
                tranche=tranche, actor=treasurer, paid_on=paid_on, reference=reference
            )
        assert set(refused.value.message_dict) == fields
    services.tranche_mark_paid(
        tranche=tranche, actor=treasurer, paid_on="2026-11-28", reference=" BANK-7 "
    )
    tranche.refresh_from_db()
    assert (tranche.state, tranche.paid_on, tranche.payment_reference) == ("paid", TODAY, "BANK-7")


def test_a_planned_tranche_cannot_be_paid(executed):
    treasurer = FundMembershipFactory(fund=executed.fund).user
    with pytest.raises(InvalidTransition):
        services.tranche_mark_paid(
            tranche=executed.agreement.tranches.get(number=2),
            actor=treasurer,
            paid_on=TODAY,
            reference="X",
        )


def test_network_members_cannot_mark_paid_or_accept_reports(executed):
    with pytest.raises(PermissionDenied):
        services.tranche_mark_paid(
            tranche=executed.agreement.tranches.get(number=1),
            actor=executed.coordinator,
            paid_on=TODAY,
            reference="X",
        )
    report = services.report_submit(
        agreement=executed.agreement, actor=executed.member, kind="final", what_was_done="Done"
    )
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, actor=executed.coordinator)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"MZ\x90\x00 not an image", "not a PDF, JPEG or PNG"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_attachments_are_checked_by_content_and_size(executed, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        services.report_submit(
            agreement=executed.agreement,
            actor=executed.member,
            kind="final",
            what_was_done="Done",
            attachments=[upload],
        )
    assert message in " ".join(refused.value.message_dict["attachments"])
    assert not executed.agreement.reports.exists()


def test_reports_only_after_execution(sent):
    with pytest.raises(InvalidTransition):
        services.report_submit(
            agreement=sent.agreement,
            actor=sent.member,
            kind="final",
            what_was_done="Done",
            attachments=[SimpleUploadedFile("a.png", PNG)],
        )


@pytest.mark.django_db(transaction=True)
def test_two_signatories_signing_at_once_both_count_once(require_postgres, world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    countersigning_manager(agreement)  # a manager who may sign for the fund, last
    agreement.refresh_from_db()
    signatories = list(agreement.signatories.all())
    barrier, errors = threading.Barrier(len(signatories)), []

    def sign_now(signatory):
        try:
            barrier.wait()
            sign(signatory)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_now, args=(s,)) for s in signatories]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    agreement.refresh_from_db()
    # The network's last signature asks the fund once, whichever of the two came last.
    network = agreement.signatories.exclude(role=Signatory.Role.FUND)
    assert network.count() == len(signatories) and all(s.signed_at for s in network)
    assert agreement.signatories.filter(role=Signatory.Role.FUND).count() == 1
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    agreement = countersign(agreement)
    assert agreement.state == Agreement.State.EXECUTED
    assert all(s.signed_at for s in agreement.signatories.all())
    from django_fsm_log.models import StateLog

    assert StateLog.objects.for_(agreement).filter(transition="execute").count() == 1
    assert agreement.tranches.get(number=1).amount == Decimal("800.00")


def test_a_draft_can_be_cancelled_and_a_new_one_prepared(awarded):
    draft = prepare_cooperation(awarded)
    services.agreement_cancel(agreement=draft, actor=awarded.officer)
    draft.refresh_from_db()
    assert draft.state == Agreement.State.CANCELLED and not draft.frozen_sha256
    again = prepare_cooperation(awarded)
    assert again.state == Agreement.State.DRAFT

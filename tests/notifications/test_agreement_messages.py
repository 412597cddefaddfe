"""The agreement's messages: signing links, signatures, the signed contract, tranches, reports.

Each is written in the service's transaction (a rolled-back call leaves none) and reaches the
right people only: who receives it and who does not, its subject, the exact place it links to.
"""

import datetime
import re

import pytest
from django.core import mail
from django.db import transaction

from agreements import services
from agreements.models import Agreement, Report, Signatory, Tranche
from agreements.notifications import SIGNING_LINK, signing_link
from agreements.signing import signatory_for_token, signing_token
from applications.models import Application, NetworkMember
from funds.models import FundMembership
from notifications.models import Notification, Preference
from tests.agreements.helpers import (
    award,
    countersign,
    countersigning_manager,
    prepare_cooperation,
    sign_network,
)
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 11, 27)


class RolledBack(Exception):
    pass


def written(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("email"))


def addresses(kind: str) -> set[str]:
    return {n.email.lower() for n in written(kind)}


def emails(*users) -> set[str]:
    return {u.email.lower() for u in users}


def assert_rolled_back_writes_nothing(call, kind: str) -> None:
    """The service call inside a transaction that rolls back leaves no message of ``kind``."""
    before = Notification.objects.count()
    with pytest.raises(RolledBack), transaction.atomic():
        call()
        assert Notification.objects.filter(kind=kind).exists()  # written with the change …
        raise RolledBack
    assert Notification.objects.count() == before  # … and gone with it


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def awarded(world):
    world.application = award(world)
    Application.objects.filter(pk=world.application.pk).update(lead_officer=None)
    world.application.refresh_from_db()
    world.treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    return world


@pytest.fixture
def agreement(awarded):
    """A cooperation agreement signed by the coordinator and the member, ready to send."""
    agreement = prepare_cooperation(awarded)
    assert {s.email for s in agreement.signatories.all()} == {
        awarded.coordinator.email,
        awarded.member.email,
    }
    return agreement


def send(agreement, world):
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement.refresh_from_db()
    return agreement


def sign(signatory: Signatory):
    agreement = signatory.agreement
    agreement.refresh_from_db()
    signatory.refresh_from_db()
    return services.agreement_sign(
        token=signing_token(signatory),
        typed_name=signatory.name,
        seen_sha256=agreement.frozen_sha256,
        ip_address="127.0.0.1",
        user_agent="pytest",
    )


def signatory_of(agreement, user) -> Signatory:
    return agreement.signatories.get(email=user.email)


def executed(agreement, world) -> Agreement:
    """The network signs, then a second manager countersigns for the fund (four eyes)."""
    world.countersigner = countersigning_manager(agreement)
    send(agreement, world)
    agreement = countersign(sign_network(agreement))
    assert agreement.state == Agreement.State.EXECUTED
    return agreement


def signing_links_in(message) -> list[str]:
    return re.findall(r"/agreements/sign/([^/\s]+)/", message.body)


# 1. Sent for signature --------------------------------------------------------------------------


def test_each_signatory_receives_their_own_signing_link_and_nobody_else_does(
    awarded, agreement, django_capture_on_commit_callbacks
):
    third = Signatory.objects.create(
        agreement=agreement, role=Signatory.Role.MEMBER, name="Third Person", email="third@x.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(agreement, awarded)

    messages = written("agreement.sent")
    assert {n.email.lower() for n in messages} == emails(awarded.coordinator, awarded.member) | {
        "third@x.org"
    }
    for person in (awarded.officer, awarded.manager, awarded.treasurer, awarded.outsider):
        assert person.email.lower() not in addresses("agreement.sent")
    fund = awarded.fund.name
    for notification in messages:
        signatory = agreement.signatories.get(email__iexact=notification.email)
        # An account's own language; an address without one gets the agreement's (Dutch).
        expected = {
            "nl": f'Wilt u de overeenkomst voor "Garden" met {fund} ondertekenen?',
            "en": f'Please sign the agreement for "Garden" with {fund}',
        }
        assert notification.language == ("nl" if notification.recipient is None else "en")
        assert notification.subject == expected[notification.language]
        assert notification.path == f"/agreements/{agreement.pk}/"
        assert notification.required is True
        assert (notification.link_maker, notification.link_object_id) == (
            SIGNING_LINK,
            signatory.pk,
        )
        # No usable token in the database: the text holds only the link's placeholder.
        assert "/agreements/sign/" not in notification.text and "[[link]]" in notification.text
        # The mail carries this signatory's own working link, and only theirs.
        [message] = mails_to(notification.email)
        [token] = signing_links_in(message)
        assert signatory_for_token(token) == signatory
        assert token not in notification.text
        assert signatory.name in message.body
    # Without an account, the message is in the agreement's language.
    [no_account] = [n for n in messages if n.email == third.email]
    assert no_account.recipient is None and no_account.language == agreement.language


def test_a_signing_link_goes_out_even_to_someone_who_chose_no_email(
    awarded, agreement, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=awarded.coordinator, language="en", frequency=Preference.Frequency.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(agreement, awarded)
    notification = Notification.objects.get(kind="agreement.sent", recipient=awarded.coordinator)
    assert notification.mail == Notification.Mail.SENT
    [message] = mails_to(awarded.coordinator.email)
    assert signing_links_in(message)
    assert "List-Unsubscribe" not in message.extra_headers
    # What is not a legal necessity respects the choice: the member's signature is not mailed.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(signatory_of(agreement, awarded.member))
    skipped = Notification.objects.get(kind="agreement.signed", recipient=awarded.coordinator)
    assert skipped.mail == Notification.Mail.SKIPPED
    assert mails_to(awarded.coordinator.email) == []


def test_the_signing_link_is_made_only_while_the_signatory_can_sign(awarded, agreement):
    signatory = signatory_of(agreement, awarded.coordinator)
    assert signing_link(signatory.pk) is None  # a draft: nothing to sign yet
    send(agreement, awarded)
    link = signing_link(signatory.pk)
    assert signatory_for_token(link.rsplit("/sign/", 1)[1].strip("/")) == signatory
    sign(signatory)
    assert signing_link(signatory.pk) is None  # signed
    other = signatory_of(agreement, awarded.member)
    services.agreement_cancel(agreement=agreement, actor=awarded.officer)
    assert signing_link(other.pk) is None  # cancelled


def test_a_rolled_back_send_writes_no_signing_message(awarded, agreement):
    assert_rolled_back_writes_nothing(lambda: send(agreement, awarded), "agreement.sent")
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT


# 2. Each signature -------------------------------------------------------------------------------


def test_a_signature_tells_the_fund_and_the_coordinators_but_not_the_signer(awarded, agreement):
    send(agreement, awarded)
    coordinator = signatory_of(agreement, awarded.coordinator)
    sign(coordinator)

    assert addresses("agreement.signed") == emails(
        awarded.officer, awarded.manager, awarded.treasurer
    )  # not the coordinator who signed, not the member (no coordinator), not an outsider
    [notification, *_] = written("agreement.signed")
    assert notification.subject == f'{coordinator.name} signed the agreement for "Garden" (1 of 2)'
    assert notification.path == f"/agreements/{agreement.pk}/#signatories-heading"
    assert "Still to sign: " + signatory_of(agreement, awarded.member).name in notification.text
    assert notification.required is False


def test_with_a_lead_officer_only_the_lead_hears_of_the_fund_side(awarded, agreement):
    Application.objects.filter(pk=awarded.application.pk).update(lead_officer=awarded.treasurer)
    send(agreement, awarded)
    sign(signatory_of(agreement, awarded.member))
    assert addresses("agreement.signed") == emails(awarded.treasurer, awarded.coordinator)


def test_the_last_signature_is_told_by_the_contract_except_to_coordinators_who_did_not_sign(
    awarded, agreement
):
    second_coordinator = NetworkMemberFactory(
        network=awarded.network, role=NetworkMember.Role.COORDINATOR
    ).user
    send(agreement, awarded)
    agreement = sign_network(agreement)
    Notification.objects.filter(kind="agreement.signed").delete()
    fund_signatory = agreement.signatories.get(role=Signatory.Role.FUND)

    countersign(agreement)  # the fund signs last

    # The fund and the signatories receive the contract; only the coordinator who does not sign
    # hears of the last signature.
    assert addresses("agreement.signed") == emails(second_coordinator)
    [notification] = written("agreement.signed")
    assert (
        notification.subject == f'{fund_signatory.name} signed the agreement for "Garden" (3 of 3)'
    )
    assert "the agreement is in force" in notification.text


def test_a_rolled_back_signature_writes_no_message(awarded, agreement):
    send(agreement, awarded)
    signatory = signatory_of(agreement, awarded.coordinator)
    assert_rolled_back_writes_nothing(lambda: sign(signatory), "agreement.signed")
    signatory.refresh_from_db()
    assert signatory.signed_at is None


# 3. Executed -------------------------------------------------------------------------------------


def test_the_signed_contract_goes_to_every_signatory_and_the_fund(
    awarded, agreement, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=awarded.member, language="en", frequency=Preference.Frequency.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        agreement = executed(agreement, awarded)

    assert addresses("agreement.executed") == emails(
        awarded.coordinator,
        awarded.member,
        awarded.officer,
        awarded.manager,
        awarded.treasurer,
        awarded.countersigner,
    )
    assert awarded.outsider.email.lower() not in addresses("agreement.executed")
    for notification in written("agreement.executed"):
        assert notification.subject == 'The agreement for "Garden" is signed by everyone'
        assert notification.path == f"/agreements/{agreement.pk}/"
        assert notification.required is True
        assert notification.mail == Notification.Mail.SENT  # also to the member who chose none
        assert notification.attachment_path == agreement.contract_pdf.name
        assert agreement.contract_sha256 in notification.text
    [message] = [m for m in mails_to(awarded.member.email) if "signed by everyone" in m.subject]
    [(name, content, content_type)] = message.attachments
    assert name == f"contract-{agreement.pk}.pdf"
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    assert content == agreement.contract_pdf.open("rb").read()
    assert agreement.contract_sha256 in message.body
    assert "List-Unsubscribe" not in message.extra_headers


def test_with_a_lead_officer_the_contract_goes_to_the_lead_not_the_whole_fund(awarded, agreement):
    Application.objects.filter(pk=awarded.application.pk).update(lead_officer=awarded.officer)
    executed(agreement, awarded)
    assert addresses("agreement.executed") == emails(
        awarded.coordinator, awarded.member, awarded.officer, awarded.countersigner
    )


def test_a_rolled_back_last_signature_writes_no_contract_message(awarded, agreement):
    send(agreement, awarded)
    agreement = sign_network(agreement)
    assert_rolled_back_writes_nothing(lambda: countersign(agreement), "agreement.executed")
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE


# 4. Tranches -------------------------------------------------------------------------------------


def test_a_tranche_due_on_signing_tells_the_fund_it_is_ready_to_pay(client, awarded, agreement):
    agreement = executed(agreement, awarded)
    first = agreement.tranches.get(number=1)
    assert first.state == Tranche.State.DUE
    assert addresses("tranche.due") == emails(
        awarded.officer, awarded.manager, awarded.treasurer, awarded.countersigner
    )
    [notification, *_] = written("tranche.due")
    assert notification.subject == 'Ready to pay: tranche 1 of "Garden", € 800.00'
    assert notification.path == f"/agreements/{agreement.pk}/#tranche-{first.pk}"
    assert "everyone has signed" in notification.text
    # The link lands on that tranche's row.
    client.force_login(awarded.treasurer)
    page = client.get(notification.path.split("#")[0]).content.decode()
    assert f'id="tranche-{first.pk}"' in page


def test_a_paid_tranche_tells_the_coordinators_amount_date_and_reference(
    awarded, agreement, django_capture_on_commit_callbacks
):
    agreement = executed(agreement, awarded)
    first = agreement.tranches.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.tranche_mark_paid(
            tranche=first, actor=awarded.treasurer, paid_on=PAID_ON, reference="BANK-1"
        )
    assert addresses("tranche.paid") == emails(awarded.coordinator)  # not members, not the fund
    [notification] = written("tranche.paid")
    assert notification.subject == 'Paid: tranche 1 of "Garden", € 800.00'
    assert notification.path == f"/agreements/{agreement.pk}/#tranche-{first.pk}"
    assert "€ 800.00, on 27 November 2026" in notification.text
    assert "BANK-1" in notification.text
    [message] = [m for m in mails_to(awarded.coordinator.email) if m.subject.startswith("Paid")]
    assert "/accounts/open/?token=" in message.body  # signs the coordinator in for that place


def test_a_rolled_back_payment_writes_no_message(awarded, agreement):
    agreement = executed(agreement, awarded)
    first = agreement.tranches.get(number=1)
    assert_rolled_back_writes_nothing(
        lambda: services.tranche_mark_paid(
            tranche=first, actor=awarded.treasurer, paid_on=PAID_ON, reference="BANK-1"
        ),
        "tranche.paid",
    )
    first.refresh_from_db()
    assert first.state == Tranche.State.DUE


# 5. Reports --------------------------------------------------------------------------------------


@pytest.fixture
def reporting(awarded, agreement):
    """An executed agreement; a second member who does not report; the first tranche paid."""
    agreement = executed(agreement, awarded)
    awarded.other_member = NetworkMemberFactory(network=awarded.network).user
    services.tranche_mark_paid(
        tranche=agreement.tranches.get(number=1),
        actor=awarded.treasurer,
        paid_on=PAID_ON,
        reference="BANK-1",
    )
    awarded.agreement = agreement
    return awarded


def submit(world) -> Report:
    return services.report_submit(
        agreement=world.agreement,
        actor=world.member,
        kind="final",
        what_was_done="The garden grows.",
        spending=[{"description": "Seeds", "spent": "780,00"}],
    )


def test_a_submitted_report_tells_the_fund_side(reporting):
    report = submit(reporting)
    assert addresses("report.submitted") == emails(
        reporting.officer, reporting.manager, reporting.treasurer, reporting.countersigner
    )  # not the network
    [notification, *_] = written("report.submitted")
    assert notification.subject == 'Final report submitted for "Garden"'
    assert notification.path == f"/agreements/reports/{report.pk}/#review-heading"
    assert "The garden grows." in notification.text


def test_changes_requested_quote_the_fund_to_the_coordinators_and_the_reporter(reporting):
    report = submit(reporting)
    services.report_request_changes(
        report=report, actor=reporting.officer, comment="Add the receipts.\nAnd a photo, please."
    )
    assert addresses("report.changes_requested") == emails(reporting.coordinator, reporting.member)
    for person in (reporting.other_member, reporting.officer, reporting.outsider):
        assert person.email.lower() not in addresses("report.changes_requested")
    [notification, *_] = written("report.changes_requested")
    assert notification.subject == 'Changes requested: Final report for "Garden"'
    assert notification.path == f"/agreements/reports/{report.pk}/"
    assert "> Add the receipts.\n> And a photo, please." in notification.text

    services.report_resubmit(report=report, actor=reporting.member, what_was_done="With receipts.")
    [resubmitted, *_] = written("report.resubmitted")
    assert addresses("report.resubmitted") == emails(
        reporting.officer, reporting.manager, reporting.treasurer, reporting.countersigner
    )
    assert resubmitted.subject == 'Final report changed and submitted again for "Garden"'


def test_an_accepted_report_tells_the_coordinators_and_makes_the_last_tranche_due(reporting):
    report = submit(reporting)
    services.report_accept(report=report, actor=reporting.officer)

    assert addresses("report.accepted") == emails(reporting.coordinator, reporting.member)
    assert reporting.other_member.email.lower() not in addresses("report.accepted")
    [notification, *_] = written("report.accepted")
    assert notification.subject == 'Accepted: Final report for "Garden"'
    assert notification.path == f"/agreements/reports/{report.pk}/"
    assert "€ 200.00" in notification.text  # what the fund still pays
    # The last tranche is due: the fund hears it is ready to pay.
    second = reporting.agreement.tranches.get(number=2)
    assert Notification.objects.filter(
        kind="tranche.due", path=f"/agreements/{reporting.agreement.pk}/#tranche-{second.pk}"
    ).count() == len(
        emails(reporting.officer, reporting.manager, reporting.treasurer, reporting.countersigner)
    )


@pytest.mark.parametrize("action", ["submit", "request_changes", "accept"])
def test_a_rolled_back_report_action_writes_no_message(reporting, action):
    if action == "submit":
        assert_rolled_back_writes_nothing(lambda: submit(reporting), "report.submitted")
        assert not Report.objects.exists()
        return
    report = submit(reporting)
    if action == "request_changes":
        call = lambda: services.report_request_changes(  # noqa: E731
            report=report, actor=reporting.officer, comment="More, please."
        )
        kind = "report.changes_requested"
    else:
        call = lambda: services.report_accept(report=report, actor=reporting.officer)  # noqa: E731
        kind = "report.accepted"
    assert_rolled_back_writes_nothing(call, kind)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED

"""The nightly retention job, with the clock fixed through ``now=``: what goes when, and only once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from agreements import services as agreement_services
from agreements.models import Agreement, Signatory
from applications import services as application_services
from applications.models import Application, NetworkInvitation
from privacy.policy import CLOSED_INVITATION_DAYS, UNUSED_ACCOUNT_DAYS, months
from privacy.retention import apply_retention
from privacy.services import fund_retention_set
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import UserFactory
from tests.privacy.helpers import close, executed, prepared

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def closed_at(application) -> datetime.datetime:
    return StateLog.objects.for_(application).get(state=Application.State.CLOSED).timestamp


def snapshot(agreement) -> list[tuple]:
    return list(
        # The network's signatories: the fund's countersigning manager gives no birth date or
        # address (their evidence, IP and browser, is counted and erased all the same).
        Signatory.objects.filter(agreement=agreement)
        .exclude(role=Signatory.Role.FUND)
        .order_by("pk")
        .values_list("date_of_birth", "address", "ip_address", "user_agent")
    )


@pytest.fixture
def ended(world):
    agreement = close(world, executed(world))
    assert world.application.state == Application.State.CLOSED
    return agreement


def test_nothing_is_erased_before_its_period(ended, world):
    before = snapshot(ended)
    result = apply_retention(now=closed_at(world.application) + months(12) - DAY)
    assert result.signature_evidence == result.signatory_details == 0
    assert snapshot(ended) == before
    assert all(dob and address and ip and ua for dob, address, ip, ua in before)


def test_ip_and_browser_go_after_12_months_birth_date_and_address_after_7_years(ended, world):
    end = closed_at(world.application)
    result = apply_retention(now=end + months(12) + DAY)
    assert result.signature_evidence == 3 and result.signatory_details == 0  # the fund's too
    for dob, address, ip, ua in snapshot(ended):
        assert ip is None and ua == ""
        assert dob is not None and address

    assert apply_retention(now=end + months(84) - DAY).signatory_details == 0
    result = apply_retention(now=end + months(84) + DAY)
    assert result.signatory_details == 2
    assert snapshot(ended) == [(None, "", None, "")] * 2


def test_a_second_run_changes_nothing(ended, world):
    later = closed_at(world.application) + months(100)
    first = apply_retention(now=later)
    # Three signatures' evidence (the fund's too); two with a birth date and an address.
    assert (first.signature_evidence, first.signatory_details) == (3, 2)
    again = apply_retention(now=later)
    assert again.as_dict() == dict.fromkeys(again.as_dict(), 0)


def test_the_name_as_signed_and_the_contract_pdf_stay(ended, world):
    signed = list(ended.signatories.values_list("name", "typed_name", "signed_at", "seen_sha256"))
    pdf, fingerprint = ended.contract_pdf.read(), ended.contract_sha256
    apply_retention(now=closed_at(world.application) + months(100))
    ended.refresh_from_db()
    assert list(
        ended.signatories.values_list("name", "typed_name", "signed_at", "seen_sha256")
    ) == (signed)
    assert ended.contract_sha256 == fingerprint
    ended.contract_pdf.open()
    assert ended.contract_pdf.read() == pdf


def test_a_fund_chooses_shorter_periods_within_the_bounds(ended, world):
    fund_retention_set(
        fund=world.fund,
        actor=world.manager,
        signatory_details_months=24,
        signature_evidence_months=3,
    )
    end = closed_at(world.application)
    assert apply_retention(now=end + months(3) + DAY).signature_evidence == 3
    assert apply_retention(now=end + months(24) - DAY).signatory_details == 0
    assert apply_retention(now=end + months(24) + DAY).signatory_details == 2


def test_a_running_agreement_keeps_everything(world):
    agreement = executed(world)
    assert agreement.state == Agreement.State.EXECUTED
    before = snapshot(agreement)
    result = apply_retention(now=timezone.now() + months(30 * 12))
    assert result.signature_evidence == result.signatory_details == 0
    assert snapshot(agreement) == before


def test_a_cancelled_agreement_loses_birth_dates_after_the_evidence_period(world):
    agreement = prepared(world)
    agreement_services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement_services.agreement_cancel(agreement=agreement, actor=world.officer)
    cancelled = StateLog.objects.for_(agreement).get(state=Agreement.State.CANCELLED).timestamp
    assert apply_retention(now=cancelled + months(12) - DAY).signatory_details == 0
    # Nothing was paid, so no payment record needs them: they go with the evidence.
    assert apply_retention(now=cancelled + months(12) + DAY).signatory_details == 2
    assert snapshot(agreement) == [(None, "", None, "")] * 2


def test_unused_accounts_go_after_90_days_and_nobody_else(world):
    now = timezone.now() + datetime.timedelta(days=UNUSED_ACCOUNT_DAYS) + DAY
    unused = UserFactory()
    young = UserFactory()
    young.date_joined = now - datetime.timedelta(days=UNUSED_ACCOUNT_DAYS - 1)
    young.save()
    signed_in = UserFactory(last_login=timezone.now())
    in_a_network = NetworkMemberFactory().user
    staff = UserFactory(is_staff=True)
    result = apply_retention(now=now)
    assert result.unused_accounts == 2  # and the world's outsider, who never came either
    remaining = set(type(unused).objects.values_list("pk", flat=True))
    assert unused.pk not in remaining and world.outsider.pk not in remaining
    assert {young.pk, signed_in.pk, in_a_network.pk, staff.pk} <= remaining
    assert {world.coordinator.pk, world.member.pk, world.officer.pk, world.manager.pk} <= remaining
    assert apply_retention(now=now).unused_accounts == 0


def test_invitations_nobody_accepted_go_30_days_after_they_closed(world):
    expiring = application_services.network_invite_member(
        network=world.network, actor=world.coordinator, email="someone@example.org"
    )
    withdrawn = application_services.network_invite_member(
        network=world.network, actor=world.coordinator, email="other@example.org"
    )
    application_services.network_invitation_revoke(invitation=withdrawn, actor=world.coordinator)
    withdrawn.refresh_from_db()
    grace = datetime.timedelta(days=CLOSED_INVITATION_DAYS)

    assert apply_retention(now=withdrawn.revoked_at + grace - DAY).closed_invitations == 0
    assert apply_retention(now=withdrawn.revoked_at + grace + DAY).closed_invitations == 1
    assert list(NetworkInvitation.objects.values_list("pk", flat=True)) == [expiring.pk]
    assert apply_retention(now=expiring.expires_at + grace + DAY).closed_invitations == 1
    assert not NetworkInvitation.objects.exists()


def test_the_command_runs_the_job_and_says_what_it_erased(ended):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "signature evidence: 0" in out.getvalue()
    assert "unused accounts:" in out.getvalue()


def test_an_unused_account_that_something_must_keep_stays_and_the_others_go(world):
    now = timezone.now() + datetime.timedelta(days=UNUSED_ACCOUNT_DAYS) + DAY
    kept, gone = UserFactory(), UserFactory()
    # An agreement protects the account that prepared it (made here directly: no service would
    # let a person outside the fund do it).
    Agreement.objects.create(
        application=world.application,
        arrangement="support_only",
        amount=0,
        purpose="Advice",
        obligations="Meet twice",
        final_report_due=datetime.date(2030, 1, 31),
        prepared_by=kept,
    )
    apply_retention(now=now)
    users = type(kept).objects
    assert users.filter(pk=kept.pk).exists() and not users.filter(pk=gone.pk).exists()

"""The daily reminders with a frozen clock: each comes on its day and not the day before, to the
right people and nobody else, and once: running the job twice sends nothing twice."""

import dataclasses
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements import services as agreement_services
from agreements.models import Agreement, Signatory
from agreements.signing import signatory_for_token, signing_token, signing_url
from applications import services
from applications.models import Application
from funds.models import FundMembership
from notifications import links, mailer
from notifications.models import Notification, Preference, ReminderSent
from notifications.tasks import run_daily
from tests.agreements.helpers import award, countersigning_manager, prepare_cooperation, sign_all
from tests.applications.helpers import fill_current_step, start_application, submit_current_step
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: Monday 2 March 2026, nine in the morning in Amsterdam: every story here starts then.
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
#: The progress report of the agreement in ``executed`` is due on Friday 29 May 2026.
PROGRESS_DUE = datetime.date(2026, 5, 29)

REMINDER_KINDS = (
    "reminder.report_due_14",
    "reminder.report_due_today",
    "reminder.report_late",
    "reminder.step_overdue",
    "reminder.signing_expires",
    "reminder.draft_idle",
)


def morning(year: int, month: int, day: int) -> datetime.datetime:
    """When the daily job runs: half past seven in Amsterdam."""
    return datetime.datetime(year, month, day, 7, 30, tzinfo=AMSTERDAM)


def reminders():
    return Notification.objects.filter(kind__in=REMINDER_KINDS).order_by("pk")


def emails(notifications) -> set[str]:
    return {n.email for n in notifications}


@dataclasses.dataclass
class Run:
    notifications: list  # the reminders this run wrote
    mails: list  # what went out during the run


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job at a moment; what it wrote and what it mailed.

    What the setup's services wrote (award, signing links…) is sent first, so that ``mails``
    holds only what the run itself sent.
    """

    def run_at(when: datetime.datetime) -> Run:
        seen = set(reminders().values_list("pk", flat=True))
        with time_machine.travel(when, tick=False):
            mailer.send_due()
            sent_before = len(mail.outbox)
            with django_capture_on_commit_callbacks(execute=True):
                run_daily()
        return Run(list(reminders().exclude(pk__in=seen)), mail.outbox[sent_before:])

    return run_at


@pytest.fixture
def frozen(db, request):
    """The shared ``world`` (fund, network, a drafting application "Garden"), built at START."""
    with time_machine.travel(START, tick=False):
        return request.getfixturevalue("world")


def make_lead(world, user) -> None:
    # Set directly: the assignment service and its log are not what these tests are about.
    Application.objects.filter(pk=world.application.pk).update(lead_officer=user)
    world.application.refresh_from_db()


def another_funds_officer():
    return FundMembershipFactory(role=FundMembership.Role.OFFICER).user


# Reports ------------------------------------------------------------------------------------


@pytest.fixture
def executed(frozen):
    """``frozen`` with a signed agreement: progress report due 29 May, final on 30 September."""
    with time_machine.travel(START, tick=False):
        award(frozen)
        agreement = prepare_cooperation(
            frozen,
            progress_report_due=PROGRESS_DUE,
            final_report_due=datetime.date(2026, 9, 30),
        )
        agreement_services.agreement_send(
            agreement=agreement, actor=frozen.officer, note="Checked", confirmed=True
        )
        frozen.agreement = sign_all(agreement)
    assert frozen.agreement.state == Agreement.State.EXECUTED
    return frozen


def submit_report(world, kind="progress"):
    with time_machine.travel(morning(2026, 5, 10), tick=False):
        return agreement_services.report_submit(
            agreement=world.agreement, actor=world.coordinator, kind=kind, what_was_done="Done"
        )


def test_a_report_due_in_14_days_reminds_the_coordinators_and_nobody_else(executed, run):
    assert run(morning(2026, 5, 14)).notifications == []

    result = run(morning(2026, 5, 15))

    [reminder] = result.notifications
    assert reminder.email == executed.coordinator.email  # not the member, not the fund
    assert reminder.kind == "reminder.report_due_14"
    assert reminder.subject == 'Due on 29 May 2026: the progress report for "Garden"'
    assert reminder.path == reverse("report_create", args=[executed.agreement.pk])
    [message] = result.mails
    assert message.to == [executed.coordinator.email]
    assert "is due on 29 May 2026, in 14 days." in message.body
    assert reverse("place_login") in message.body  # the link signs in for the report form


def test_a_report_due_today_gets_its_own_reminder_on_the_day(executed, run):
    run(morning(2026, 5, 15))
    assert run(morning(2026, 5, 28)).notifications == []

    [reminder] = run(morning(2026, 5, 29)).notifications

    assert reminder.kind == "reminder.report_due_today"
    assert reminder.email == executed.coordinator.email
    assert reminder.subject == 'Due today: the progress report for "Garden"'


def test_a_late_report_is_reminded_every_week_also_to_the_lead_officer(executed, run):
    make_lead(executed, executed.officer)
    assert emails(run(morning(2026, 5, 29)).notifications) == {executed.coordinator.email}

    first = run(morning(2026, 5, 30))  # Saturday, ISO week 22

    assert emails(first.notifications) == {executed.coordinator.email, executed.officer.email}
    network, fund = sorted(first.notifications, key=lambda n: n.email != executed.coordinator.email)
    assert network.subject == 'Late: the progress report for "Garden" was due on 29 May 2026'
    assert fund.subject == (
        f'Overdue: the progress report of {executed.network.name} for "Garden" (due on 29 May 2026)'
    )
    assert fund.path == reverse("agreement_detail", args=[executed.agreement.pk]) + (
        "#reports-heading"
    )
    assert "You receive this because you are the lead officer" in fund.text
    assert len(first.mails) == 2

    assert run(morning(2026, 5, 31)).notifications == []  # Sunday: the same week
    second = run(morning(2026, 6, 1))  # Monday, week 23: again
    assert emails(second.notifications) == {executed.coordinator.email, executed.officer.email}
    assert run(morning(2026, 6, 5)).notifications == []
    assert emails(run(morning(2026, 6, 8)).notifications) == {
        executed.coordinator.email,
        executed.officer.email,
    }
    keys = set(ReminderSent.objects.values_list("key", flat=True))
    assert {
        f"report-late:{executed.agreement.pk}:progress:2026-W22",
        f"report-late:{executed.agreement.pk}:progress:2026-W23",
        f"report-late:{executed.agreement.pk}:progress:2026-W24",
    } <= keys


def test_without_a_lead_officer_the_funds_staff_hear_of_a_late_report(executed, run):
    outsider = another_funds_officer()

    late = run(morning(2026, 5, 30)).notifications

    assert emails(late) == {
        executed.coordinator.email,
        executed.officer.email,
        executed.manager.email,
        # the second manager, who countersigned for the fund
        executed.agreement.signatories.get(role="fund").email,
    }
    assert outsider.email not in emails(late)
    assert executed.member.email not in emails(late)


@pytest.mark.parametrize("accepted", [False, True])
def test_a_handed_in_report_gets_no_reminder(executed, run, accepted):
    report = submit_report(executed)
    if accepted:
        with time_machine.travel(morning(2026, 5, 11), tick=False):
            agreement_services.report_accept(report=report, actor=executed.officer)

    for day in (morning(2026, 5, 15), morning(2026, 5, 29), morning(2026, 6, 1)):
        assert run(day).notifications == []


def test_a_report_sent_back_is_not_handed_in_and_the_link_opens_the_change_form(executed, run):
    report = submit_report(executed)
    with time_machine.travel(morning(2026, 5, 11), tick=False):
        agreement_services.report_request_changes(
            report=report, actor=executed.officer, comment="Add the receipts."
        )

    [reminder] = run(morning(2026, 5, 15)).notifications

    assert reminder.path == reverse("report_resubmit", args=[report.pk])
    assert "asked for changes to the report you sent" in reminder.text


def test_after_the_final_report_nobody_asks_for_the_progress_report(executed, run):
    submit_report(executed, kind="final")

    assert run(morning(2026, 5, 15)).notifications == []
    assert run(morning(2026, 6, 1)).notifications == []


def test_running_the_job_twice_sends_no_report_reminder_twice(executed, run):
    make_lead(executed, executed.officer)
    first = run(morning(2026, 5, 30))
    assert len(first.notifications) == len(first.mails) == 2
    rows, outbox = Notification.objects.count(), len(mail.outbox)

    second = run(morning(2026, 5, 30))

    assert second.notifications == second.mails == []
    assert Notification.objects.count() == rows and len(mail.outbox) == outbox


def test_a_cancelled_or_draft_agreement_is_not_reminded(frozen, run):
    with time_machine.travel(START, tick=False):
        award(frozen)
        prepare_cooperation(frozen, progress_report_due=PROGRESS_DUE)  # a draft

    assert run(morning(2026, 6, 1)).notifications == []


# A step past the promised reply date --------------------------------------------------------


@pytest.fixture
def submitted(frozen):
    """``frozen`` with its first step submitted at START: the fund promised an answer within 10
    working days, by Monday 16 March 2026."""
    with time_machine.travel(START, tick=False):
        submit_current_step(frozen)
    frozen.application.refresh_from_db()
    frozen.step = frozen.application.current_step
    return frozen


def test_a_step_past_the_promised_date_reminds_the_lead_officer_once(submitted, run):
    make_lead(submitted, submitted.officer)
    assert run(morning(2026, 3, 16)).notifications == []

    result = run(morning(2026, 3, 17))

    [reminder] = result.notifications
    assert reminder.email == submitted.officer.email
    assert reminder.kind == "reminder.step_overdue"
    assert reminder.subject == (
        'Past the promised date: step "Idea" of "Garden" waits for your answer'
    )
    assert reminder.path == reverse(
        "step_detail", kwargs={"pk": submitted.application.pk, "key": submitted.step.key}
    )
    assert "promised an answer by 16 March 2026" in reminder.text
    assert [m.to for m in result.mails] == [[submitted.officer.email]]
    assert run(morning(2026, 3, 17)).notifications == []
    assert run(morning(2026, 3, 18)).mails == []


def test_without_a_lead_officer_the_funds_staff_hear_of_a_waiting_step(submitted, run):
    outsider = another_funds_officer()

    waiting = run(morning(2026, 3, 17)).notifications

    assert emails(waiting) == {submitted.officer.email, submitted.manager.email}
    assert not emails(waiting) & {
        outsider.email,
        submitted.coordinator.email,
        submitted.member.email,
    }


def test_an_answered_step_gets_no_reminder(submitted, run):
    with time_machine.travel(morning(2026, 3, 10), tick=False):
        services.application_accept_step(application=submitted.application, actor=submitted.officer)

    assert run(morning(2026, 3, 17)).notifications == []


def test_a_resubmitted_step_gets_a_new_promise_and_a_new_reminder(submitted, run):
    assert len(run(morning(2026, 3, 17)).notifications) == 2
    with time_machine.travel(morning(2026, 3, 18), tick=False):
        services.application_request_changes(
            application=submitted.application, actor=submitted.officer, comment="Who joins?"
        )
    with time_machine.travel(datetime.datetime(2026, 3, 19, 10, tzinfo=AMSTERDAM), tick=False):
        services.application_submit_step(
            application=submitted.application, actor=submitted.coordinator
        )

    # Ten working days after Thursday 19 March is Thursday 2 April (Good Friday is 3 April).
    assert run(morning(2026, 4, 2)).notifications == []
    assert len(run(morning(2026, 4, 3)).notifications) == 2


# A signing link about to expire -------------------------------------------------------------


@pytest.fixture
def signing_links(monkeypatch):
    """The signing link maker, in case ``AgreementsConfig.ready()`` does not register it."""
    if "agreements.signing" not in links._makers:
        monkeypatch.setitem(
            links._makers,
            "agreements.signing",
            lambda pk: signing_url(Signatory.objects.get(pk=pk)),
        )


@pytest.fixture
def out_for_signature(frozen, signing_links):
    """``frozen`` with an agreement sent at START: its links stop working on 16 March, 09:00."""
    with time_machine.travel(START, tick=False):
        award(frozen)
        agreement = prepare_cooperation(frozen)
        frozen.agreement = agreement_services.agreement_send(
            agreement=agreement, actor=frozen.officer, note="Checked", confirmed=True
        )
    signatories = list(frozen.agreement.signatories.order_by("pk"))
    assert len(signatories) == 2
    return frozen


def sign(signatory, when):
    with time_machine.travel(when, tick=False):
        agreement_services.agreement_sign(
            token=signing_token(signatory),
            typed_name=signatory.name,
            seen_sha256=signatory.agreement.frozen_sha256,
            ip_address="127.0.0.1",
            user_agent="pytest",
        )


def test_a_signing_link_about_to_expire_is_sent_again_to_who_has_not_signed(out_for_signature, run):
    signed, waiting = out_for_signature.agreement.signatories.order_by("pk")
    sign(signed, morning(2026, 3, 5))
    assert run(morning(2026, 3, 12)).notifications == []

    result = run(morning(2026, 3, 13))

    [reminder] = result.notifications
    assert reminder.email == waiting.email  # the one who signed hears nothing
    assert reminder.kind == "reminder.signing_expires"
    assert reminder.required and reminder.link_maker == "agreements.signing"
    assert reminder.link_object_id == waiting.pk
    assert reminder.subject == (
        f'Please sign before 16 March 2026: the agreement for "Garden" with {out_for_signature.fund.name}'
    )
    assert "stops working on 16 March 2026, 09:00" in reminder.text
    [message] = result.mails
    assert message.to == [waiting.email]
    [token] = re.findall(r"/agreements/sign/(\S+)/", message.body)
    with time_machine.travel(morning(2026, 3, 13), tick=False):
        assert signatory_for_token(token) == waiting  # the personal link works
    assert run(morning(2026, 3, 13)).notifications == []
    assert run(morning(2026, 3, 14)).notifications == []


def test_the_signing_reminder_goes_even_to_who_wants_no_email(out_for_signature, run):
    signatories = list(out_for_signature.agreement.signatories.all())
    for account in get_user_model().objects.filter(email__in=[s.email for s in signatories]):
        Preference.objects.create(user=account, frequency=Preference.Frequency.NEVER)

    result = run(morning(2026, 3, 13))

    assert emails(result.notifications) == {s.email for s in signatories}
    assert len(result.mails) == 2  # a legal necessity: sent whatever the preference


def test_no_signing_reminder_once_the_link_has_expired(out_for_signature, run):
    # Sent at 09:00 on 2 March, the links stopped working at 09:00 on 16 March.
    assert run(datetime.datetime(2026, 3, 16, 9, 30, tzinfo=AMSTERDAM)).notifications == []


def test_no_signing_reminder_for_a_cancelled_agreement(out_for_signature, run):
    with time_machine.travel(morning(2026, 3, 3), tick=False):
        agreement_services.agreement_cancel(
            agreement=out_for_signature.agreement, actor=out_for_signature.officer
        )

    assert run(morning(2026, 3, 13)).notifications == []


# A draft nobody touched ---------------------------------------------------------------------


def test_a_draft_untouched_for_30_days_asks_the_coordinators(frozen, run):
    outsider = another_funds_officer()
    assert run(morning(2026, 3, 31)).notifications == []

    result = run(morning(2026, 4, 1))

    [reminder] = result.notifications
    assert reminder.email == frozen.coordinator.email
    assert reminder.kind == "reminder.draft_idle"
    assert reminder.subject == 'Still working on "Garden"? No changes since 2 March 2026'
    step = frozen.application.current_step
    assert reminder.path == reverse(
        "step_detail", kwargs={"pk": frozen.application.pk, "key": step.key}
    )
    assert [m.to for m in result.mails] == [[frozen.coordinator.email]]
    assert not {frozen.member.email, frozen.officer.email, outsider.email} & emails(
        result.notifications
    )
    assert run(morning(2026, 4, 1)).notifications == []
    assert run(morning(2026, 4, 20)).notifications == []


def test_a_change_to_a_draft_starts_a_new_silence(frozen, run):
    assert len(run(morning(2026, 4, 1)).notifications) == 1
    with time_machine.travel(datetime.datetime(2026, 4, 2, 20, tzinfo=AMSTERDAM), tick=False):
        fill_current_step(frozen.application, frozen.coordinator)  # a new revision

    assert run(morning(2026, 5, 1)).notifications == []
    [again] = run(morning(2026, 5, 2)).notifications
    assert again.subject == 'Still working on "Garden"? No changes since 2 April 2026'
    assert ReminderSent.objects.filter(
        key=f"draft-idle:{frozen.application.pk}:2026-04-02"
    ).exists()


def test_a_submitted_application_is_no_silent_draft(submitted, run):
    kinds = {n.kind for n in run(morning(2026, 4, 1)).notifications}
    assert "reminder.draft_idle" not in kinds


def test_reminders_are_written_in_the_recipients_language(frozen, run):
    Preference.objects.create(user=frozen.coordinator, language="nl")

    [reminder] = run(morning(2026, 4, 1)).notifications

    assert reminder.language == "nl"
    assert "2 maart 2026" in reminder.subject
    assert translation.get_language() == "en"  # nothing leaked into the test's language


def test_a_second_run_costs_the_same_queries_however_many_reminders_went_before(frozen, run):
    def second_run_queries() -> int:
        with (
            time_machine.travel(morning(2026, 4, 1), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            run_daily()
        return len(queries)

    run(morning(2026, 4, 1))
    with_one = second_run_queries()
    with time_machine.travel(START, tick=False):
        for number in range(3):
            start_application(frozen.programme, title=f"Draft {number}")
    assert len(run(morning(2026, 4, 1)).notifications) == 3

    assert second_run_queries() == with_one


def test_the_funds_link_is_reminded_counted_from_when_it_was_made(out_for_signature, run):
    # The network signs on 10 March; the fund's manager gets a link made then, working until
    # 24 March: the reminder comes on 21 March, not three days before the network's links end.
    countersigning_manager(out_for_signature.agreement)
    for signatory in out_for_signature.agreement.signatories.order_by("pk"):
        sign(signatory, morning(2026, 3, 10))
    fund = out_for_signature.agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.link_sent_at == morning(2026, 3, 10)
    assert run(morning(2026, 3, 13)).notifications == []
    assert run(morning(2026, 3, 20)).notifications == []
    [reminder] = run(morning(2026, 3, 21)).notifications
    assert reminder.email == fund.email
    assert "24 March 2026" in reminder.text

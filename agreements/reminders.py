"""Reminders about agreements: reports that are due or late, and signing links about to expire.

Registered in ``AgreementsConfig.ready()`` and run by the daily job, as
``applications.reminders`` explains; each occasion is claimed in the transaction that writes
its messages, so running the job twice sends nothing twice.

A report counts as handed in once one of its kind is submitted or accepted, on this agreement
or on another agreement of the same application (an amendment carries on the one it amends).
A report the fund sent back (changes requested) is back with the network: it is not in.
"""

import dataclasses
import datetime
import hashlib

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from agreements.models import Agreement, Report, Signatory
from agreements.signing import max_age
from applications.audiences import fund_side, network_side
from applications.reminders import claimed, local_day, start_of
from notifications.reminders import claim, register_reminders
from notifications.services import address, notify

#: The network hears of a report this many days before it is due, on the day, then weekly.
DUE_SOON_DAYS = 14
#: A signatory who has not signed hears this many days before the signing link stops working.
SIGNING_WARNING_DAYS = 3

HANDED_IN = (Report.State.SUBMITTED, Report.State.ACCEPTED)
DUE_FIELDS = {Report.Kind.PROGRESS: "progress_report_due", Report.Kind.FINAL: "final_report_due"}


# Reports ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportOccasion:
    agreement: Agreement
    kind: str
    due: datetime.date
    occasion: str  # "due-14", "due-today" or "late"
    key: str


def occasion_for(due: datetime.date, today: datetime.date) -> str | None:
    """Which reminder a report due on ``due`` gets today, if any.

    "due-14" from fourteen days before (a missed morning is caught up the next), "due-today"
    on the day, "late" every day after: its key names the ISO week, so it goes once a week.
    """
    if today < due - datetime.timedelta(days=DUE_SOON_DAYS):
        return None
    if today < due:
        return "due-14"
    if today == due:
        return "due-today"
    return "late"


def report_key(occasion: str, agreement_id: int, kind: str, today: datetime.date) -> str:
    if occasion == "late":
        year, week, _weekday = today.isocalendar()
        return f"report-late:{agreement_id}:{kind}:{year}-W{week:02d}"
    return f"report-{occasion}:{agreement_id}:{kind}"


def _reports(kind: str, states) -> QuerySet[Report]:
    return Report.objects.filter(
        agreement__application=OuterRef("application"), kind=kind, state__in=states
    )


def running_agreements():
    """Signed agreements that no signed amendment has replaced."""
    replaced = Agreement.objects.filter(amends=OuterRef("pk"), state=Agreement.State.EXECUTED)
    return Agreement.objects.filter(state=Agreement.State.EXECUTED).exclude(Exists(replaced))


def report_occasions(now: datetime.datetime) -> list[ReportOccasion]:
    """Every report reminder due today: one query per kind of report."""
    today = local_day(now)
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    found = []
    for kind, field in DUE_FIELDS.items():
        agreements = (
            running_agreements()
            .filter(**{f"{field}__lte": horizon})
            .exclude(Exists(_reports(kind, HANDED_IN)))
            .annotate(
                returned_report=Subquery(
                    _reports(kind, [Report.State.CHANGES_REQUESTED]).values("pk")[:1]
                )
            )
            .select_related(
                "application__network",
                "application__programme__fund",
                "application__lead_officer__notification_preference",
            )
            .order_by(field, "pk")
        )
        if kind == Report.Kind.PROGRESS:  # after the final report nobody asks for progress
            agreements = agreements.exclude(Exists(_reports(Report.Kind.FINAL, HANDED_IN)))
        for agreement in agreements:
            due = getattr(agreement, field)
            occasion = occasion_for(due, today)
            if occasion is not None:
                key = report_key(occasion, agreement.pk, kind, today)
                found.append(ReportOccasion(agreement, kind, due, occasion, key))
    return found


def _report_path(agreement: Agreement) -> str:
    """Where the network writes the report, or changes the one the fund sent back."""
    if agreement.returned_report:
        return reverse("report_resubmit", args=[agreement.returned_report])
    return reverse("report_create", args=[agreement.pk])


def _send_report_reminder(item: ReportOccasion, now: datetime.datetime) -> int:
    agreement = item.agreement
    application = agreement.application
    context = {
        "agreement": agreement,
        "application": application,
        "kind": item.kind,
        "occasion": item.occasion,
        "due": item.due,
        "days": abs((item.due - local_day(now)).days),
        "returned": bool(agreement.returned_report),
    }
    network = network_side(application, coordinators_only=True)
    written = notify(
        network,
        kind=f"reminder.report_{item.occasion.replace('-', '_')}",
        template="agreements/email/reminder_report_late"
        if item.occasion == "late"
        else "agreements/email/reminder_report_due",
        context=context,
        path=_report_path(agreement),
    )
    if item.occasion == "late":
        told = {recipient.email.lower() for recipient in network}
        written += notify(
            [r for r in fund_side(application) if r.email.lower() not in told],
            kind="reminder.report_late",
            template="agreements/email/reminder_report_late_fund",
            context=context,
            path=reverse("agreement_detail", args=[agreement.pk]) + "#reports-heading",
        )
    return len(written)


def remind_reports(now: datetime.datetime) -> int:
    """Coordinators hear of a report 14 days before, on the day and weekly when it is late;
    when it is late the lead officer (else the fund's staff) hears too."""
    occasions = report_occasions(now)
    done = claimed(item.key for item in occasions)
    written = 0
    for item in occasions:
        if item.key in done:
            continue
        with transaction.atomic():
            if claim(item.key, now=now):
                written += _send_report_reminder(item, now)
    return written


# Signing links ------------------------------------------------------------------------------


def signing_key(signatory: Signatory) -> str:
    """Once per link: sending a new link rotates the nonce. Only a digest of it is stored."""
    digest = hashlib.sha256(signatory.link_nonce.encode()).hexdigest()[:12]
    return f"signing-expires:{signatory.pk}:{digest}"


def expiring_signatories(now: datetime.datetime):
    """Signatories who have not signed a link that stops working within three Amsterdam days.

    A link works ``max_age()`` seconds after it was made (``Signatory.link_sent_at``: at sending
    for the network, when the network has signed for the fund's manager). "Within three days":
    its last day is today or one of the next three, and it still works now.
    """
    lifetime = datetime.timedelta(seconds=max_age())
    first_day_after_warning = local_day(now) + datetime.timedelta(days=SIGNING_WARNING_DAYS + 1)
    return (
        Signatory.objects.filter(
            signed_at__isnull=True,
            agreement__state=Agreement.State.OUT_FOR_SIGNATURE,
            link_sent_at__gt=now - lifetime,
            link_sent_at__lt=start_of(first_day_after_warning) - lifetime,
        )
        .exclude(link_nonce="")
        .select_related(
            "agreement__application__network", "agreement__application__programme__fund"
        )
        .order_by("link_sent_at", "pk")
    )


def remind_signing_links(now: datetime.datetime) -> int:
    """The signatory gets their personal link once more, three days before it expires."""
    signatories = list(expiring_signatories(now))
    done = claimed(signing_key(signatory) for signatory in signatories)
    lifetime = datetime.timedelta(seconds=max_age())
    written = 0
    for signatory in signatories:
        key = signing_key(signatory)
        if key in done:
            continue
        agreement = signatory.agreement
        recipient = address(signatory.email)
        if recipient.user is None:  # no account: the language the agreement is written in
            recipient = dataclasses.replace(recipient, language=agreement.language)
        with transaction.atomic():
            if not claim(key, now=now):
                continue
            written += len(
                notify(
                    [recipient],
                    kind="reminder.signing_expires",
                    template="agreements/email/reminder_signing_expires",
                    context={
                        "agreement": agreement,
                        "application": agreement.application,
                        "signatory": signatory,
                        "sent_on": local_day(signatory.link_sent_at),
                        "expires_at": signatory.link_sent_at + lifetime,
                        "expires_on": local_day(signatory.link_sent_at + lifetime),
                    },
                    path=reverse("agreement_detail", args=[agreement.pk]),
                    required=True,
                    link_maker="agreements.signing",
                    link_object_id=signatory.pk,
                )
            )
    return written


def register() -> None:
    register_reminders("agreements.reports", remind_reports)
    register_reminders("agreements.signing_links", remind_signing_links)

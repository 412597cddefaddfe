"""The agreements' tabs of the work queue: reports to review, tranches due, reports overdue.

Registered from ``AgreementsConfig.ready()`` with ``applications.queue_tabs``, so the queue
shows them without applications naming agreements. "Overdue" means what the reminders mean
(``agreements.reminders``): a signed agreement, not replaced by a signed amendment, whose
report's due date has passed while no report of that kind is handed in for its application
(and, for a progress report, no final report either).
"""

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Report, Tranche
from agreements.reminders import HANDED_IN, running_agreements
from applications.queue_tabs import Row, Scope, register_tab

APPLICATION = ("application__network", "application__programme")


def _handed_in(kind: str) -> Exists:
    return Exists(
        Report.objects.filter(
            agreement__application=OuterRef("application"), kind=kind, state__in=HANDED_IN
        )
    )


def _progress_late(scope: Scope) -> Q:
    return (
        Q(progress_report_due__lt=scope.today)
        & ~_handed_in(Report.Kind.PROGRESS)
        & ~_handed_in(Report.Kind.FINAL)
    )


def _final_late(scope: Scope) -> Q:
    return Q(final_report_due__lt=scope.today) & ~_handed_in(Report.Kind.FINAL)


# Reports to review ---------------------------------------------------------------------------


def reports_to_review(scope: Scope) -> QuerySet[Report]:
    return Report.objects.filter(
        state=Report.State.SUBMITTED,
        agreement__application__programme_id__in=scope.programme_ids,
    )


def report_rows(scope: Scope, ids: list[int]) -> list[Row]:
    shown = Report.objects.select_related(*(f"agreement__{path}" for path in APPLICATION)).in_bulk(
        ids
    )
    rows = []
    for pk in ids:
        if pk not in shown:
            continue
        report = shown[pk]
        application = report.agreement.application
        rows.append(
            Row(
                title=application.title,
                url=reverse("report_detail", args=[report.pk]),
                network=application.network.name,
                programme=application.programme.title,
                what=report.get_kind_display(),
                date=report.submitted_at,
            )
        )
    return rows


# Tranches due --------------------------------------------------------------------------------


def tranches_due(scope: Scope) -> QuerySet[Tranche]:
    return Tranche.objects.filter(
        state=Tranche.State.DUE,
        agreement__application__programme_id__in=scope.programme_ids,
    )


def tranche_rows(scope: Scope, ids: list[int]) -> list[Row]:
    shown = Tranche.objects.select_related(*(f"agreement__{path}" for path in APPLICATION)).in_bulk(
        ids
    )
    rows = []
    for pk in ids:
        if pk not in shown:
            continue
        tranche = shown[pk]
        application = tranche.agreement.application
        rows.append(
            Row(
                title=application.title,
                url=reverse("agreement_detail", args=[tranche.agreement_id]) + "#tranches-heading",
                network=application.network.name,
                programme=application.programme.title,
                what=gettext("Tranche %(number)s") % {"number": tranche.number},
                date=tranche.due_at,
                amount=tranche.amount,
            )
        )
    return rows


# Reports overdue -----------------------------------------------------------------------------


def reports_overdue(scope: Scope) -> QuerySet[Agreement]:
    """One item per agreement, whether one report or both are late."""
    return running_agreements().filter(
        Q(application__programme_id__in=scope.programme_ids)
        & (_progress_late(scope) | _final_late(scope))
    )


def overdue_since(scope: Scope):
    """The due date of the earliest late report: the progress report's, when that one is late."""
    return Case(
        When(_progress_late(scope), then=F("progress_report_due")),
        default=F("final_report_due"),
    )


def overdue_rows(scope: Scope, ids: list[int]) -> list[Row]:
    shown = (
        Agreement.objects.select_related(*APPLICATION)
        .annotate(
            progress_in=_handed_in(Report.Kind.PROGRESS),
            final_in=_handed_in(Report.Kind.FINAL),
        )
        .in_bulk(ids)
    )
    rows = []
    for pk in ids:
        if pk not in shown:
            continue
        agreement = shown[pk]
        application = agreement.application
        late = []
        if (
            agreement.progress_report_due
            and agreement.progress_report_due < scope.today
            and not (agreement.progress_in or agreement.final_in)
        ):
            late.append((agreement.progress_report_due, Report.Kind.PROGRESS.label))
        if agreement.final_report_due < scope.today and not agreement.final_in:
            late.append((agreement.final_report_due, Report.Kind.FINAL.label))
        rows.append(
            Row(
                title=application.title,
                url=reverse("agreement_detail", args=[agreement.pk]) + "#reports-heading",
                network=application.network.name,
                programme=application.programme.title,
                what=", ".join(str(label) for _due, label in late),
                date=min((due for due, _label in late), default=agreement.final_report_due),
            )
        )
    return rows


def register() -> None:
    register_tab(
        "reports",
        label=_("Reports to review"),
        date_label=_("Waiting since"),
        items=reports_to_review,
        sorts={"date": "submitted_at", "title": Lower("agreement__application__title")},
        rows=report_rows,
        empty=_("No report waits for your review."),
        position=40,
    )
    register_tab(
        "tranches",
        label=_("Tranches due"),
        date_label=_("Due since"),
        items=tranches_due,
        sorts={"date": "due_at", "title": Lower("agreement__application__title")},
        rows=tranche_rows,
        empty=_("No tranche is due for payment."),
        position=50,
    )
    register_tab(
        "overdue",
        label=_("Reports overdue"),
        date_label=_("Due on"),
        items=reports_overdue,
        sorts={"date": overdue_since, "title": Lower("application__title")},
        rows=overdue_rows,
        empty=_("No report is overdue."),
        position=60,
        show_age=False,
    )

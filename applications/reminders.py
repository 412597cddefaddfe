"""Reminders about applications: a step waiting past the promised reply date, a silent draft.

Registered in ``ApplicationsConfig.ready()``; the daily job (``notifications.tasks.run_daily``,
or ``manage.py send_reminders`` from cron) calls each with the moment it runs. Each occasion is
claimed (``notifications.reminders.claim``) in the transaction that writes its messages, so a
second run the same day, or cron and the worker both, send nothing twice.

Days are Amsterdam days: a reminder belongs to the morning of a Dutch calendar day, whatever
the server's clock says.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from applications.audiences import fund_side, network_side
from applications.models import Application, Revision, Step
from funds.working_days import promised_reply_date
from notifications.models import ReminderSent
from notifications.reminders import claim, register_reminders
from notifications.services import notify

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: A draft nobody touched for this many days gets a "still working on it?".
IDLE_DRAFT_DAYS = 30
#: ``key__in`` lists stay well below every database's limit on query parameters.
_CHUNK = 500


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment, AMSTERDAM)


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in Amsterdam."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=AMSTERDAM)


def claimed(keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that were claimed before: one query per 500 keys, not per row.

    Only a shortcut that spares writing messages nobody will send; ``claim`` still decides.
    """
    keys = [key[:200] for key in keys]
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(ReminderSent.objects.filter(key__in=chunk).values_list("key", flat=True))
    return found


def step_path(application: Application, step: Step | None) -> str:
    if step is None:
        return reverse("application_detail", args=[application.pk])
    return reverse("step_detail", kwargs={"pk": application.pk, "key": step.key})


# A step past the promised reply date --------------------------------------------------------


def overdue_step_key(step: Step) -> str:
    """One reminder per submission: a resubmitted step gets a new ``status_changed_at``."""
    return f"step-overdue:{step.pk}:{step.status_changed_at.isoformat()}"


def overdue_steps(now: datetime.datetime) -> list[tuple[Step, datetime.date]]:
    """Submitted steps the fund has not answered and whose promised date is before today."""
    today = local_day(now)
    steps = (
        Step.objects.filter(
            status=Step.Status.SUBMITTED,
            application__state=Application.State.STEP_SUBMITTED,
            # At least one working day is promised, so anything submitted today is not late.
            status_changed_at__lt=start_of(today),
        )
        .select_related(
            "application__network",
            "application__programme__fund",
            "application__lead_officer__notification_preference",
        )
        .order_by("status_changed_at", "pk")
    )
    found = []
    for step in steps:
        promised = promised_reply_date(step.application.programme, step.status_changed_at)
        if today > promised:
            found.append((step, promised))
    return found


def remind_overdue_steps(now: datetime.datetime) -> int:
    """The lead officer (else the fund's staff) hears once that a step waits past the promise."""
    due = overdue_steps(now)
    done = claimed(overdue_step_key(step) for step, _promised in due)
    written = 0
    for step, promised in due:
        key = overdue_step_key(step)
        if key in done:
            continue
        application = step.application
        with transaction.atomic():
            if not claim(key, now=now):
                continue
            written += len(
                notify(
                    fund_side(application),
                    kind="reminder.step_overdue",
                    template="applications/email/reminder_step_overdue",
                    context={
                        "application": application,
                        "step": step,
                        "submitted_on": local_day(step.status_changed_at),
                        "promised": promised,
                        "days_late": (local_day(now) - promised).days,
                    },
                    path=step_path(application, step),
                )
            )
    return written


# A draft nobody touched ---------------------------------------------------------------------


def idle_draft_key(application: Application) -> str:
    """One reminder per silence: any later change starts a new one with a new date."""
    return f"draft-idle:{application.pk}:{local_day(application.last_change).isoformat()}"


def idle_drafts(now: datetime.datetime):
    """Applications being drafted whose last change (the application or an answer saved) is
    ``IDLE_DRAFT_DAYS`` or more Amsterdam days before today."""
    cutoff = start_of(local_day(now) - datetime.timedelta(days=IDLE_DRAFT_DAYS - 1))
    latest_revision = Subquery(
        Revision.objects.filter(step__application=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        Application.objects.filter(state=Application.State.DRAFTING, updated_at__lt=cutoff)
        .annotate(
            last_change=Greatest(
                "updated_at",
                Coalesce(latest_revision, "updated_at"),
                output_field=DateTimeField(),
            )
        )
        .filter(last_change__lt=cutoff)
        .select_related("network", "programme__fund", "current_step")
        .order_by("last_change", "pk")
    )


def remind_idle_drafts(now: datetime.datetime) -> int:
    """The network's coordinators are asked whether they are still working on it."""
    drafts = list(idle_drafts(now))
    done = claimed(idle_draft_key(application) for application in drafts)
    written = 0
    for application in drafts:
        key = idle_draft_key(application)
        if key in done:
            continue
        with transaction.atomic():
            if not claim(key, now=now):
                continue
            written += len(
                notify(
                    network_side(application, coordinators_only=True),
                    kind="reminder.draft_idle",
                    template="applications/email/reminder_draft_idle",
                    context={
                        "application": application,
                        "step": application.current_step,
                        "last_change": local_day(application.last_change),
                        "days": (local_day(now) - local_day(application.last_change)).days,
                    },
                    path=step_path(application, application.current_step),
                )
            )
    return written


def register() -> None:
    register_reminders("applications.overdue_steps", remind_overdue_steps)
    register_reminders("applications.idle_drafts", remind_idle_drafts)

"""The applications' tabs of the work queue: steps waiting for me, steps past the promised reply
date, applications ready for a decision (``applications.queue_tabs`` explains tabs).

Registered from ``ApplicationsConfig.ready()``.
"""

import datetime
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.queue_tabs import Row, Scope, register_tab
from applications.selectors import Relationships
from funds.working_days import first_day_on_time

SORTS = {"date": "current_step__status_changed_at", "title": Lower("title")}


def _submitted(scope: Scope) -> QuerySet[Application]:
    return Application.objects.filter(
        programme_id__in=scope.programme_ids, state=Application.State.STEP_SUBMITTED
    )


def waiting_for_me(scope: Scope) -> QuerySet[Application]:
    """Submitted steps of the applications I lead."""
    return _submitted(scope).filter(lead_officer=scope.user)


def late_cutoff(scope: Scope) -> Q:
    """Steps submitted before the first day that is still on time, per promised reply time.

    Programmes share a handful of promises (10 working days, 15 …): one condition per promise,
    so the filter stays one query whatever the number of programmes.
    """
    by_promise = defaultdict(list)
    for programme in scope.programmes:
        by_promise[programme.reply_working_days].append(programme.pk)
    late = Q(pk__in=[])
    for working_days, programme_ids in by_promise.items():
        first = first_day_on_time(working_days, scope.today)
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        late |= Q(programme_id__in=programme_ids, current_step__status_changed_at__lt=start)
    return late


def past_promised_time(scope: Scope) -> QuerySet[Application]:
    """Submitted steps whose promised reply date (``funds.working_days``) is before today."""
    return _submitted(scope).filter(late_cutoff(scope))


def ready_for_decision(scope: Scope) -> QuerySet[Application]:
    return Application.objects.filter(
        programme_id__in=scope.programme_ids, state=Application.State.READY_FOR_DECISION
    )


def _load(ids: list[int]) -> list[Application]:
    shown = (
        Application.objects.select_related("network", "programme", "current_step")
        .defer("current_step__questions", "current_step__intro")
        .in_bulk(ids)
    )
    return [shown[pk] for pk in ids if pk in shown]


def _step_row(application: Application, url: str) -> Row:
    step = application.current_step
    return Row(
        title=application.title,
        url=url,
        network=application.network.name,
        language=application.network.get_language_display(),
        programme=application.programme.title,
        what=step.display_title if step else "",
        date=step.status_changed_at if step else None,
        amount=application.requested_amount,
    )


def step_rows(scope: Scope, ids: list[int]) -> list[Row]:
    """Each row opens the step waiting for review."""
    return [
        _step_row(
            application,
            reverse("step_detail", args=[application.pk, application.current_step.key])
            if application.current_step
            else reverse("application_detail", args=[application.pk]),
        )
        for application in _load(ids)
    ]


def decision_rows(scope: Scope, ids: list[int]) -> list[Row]:
    """Each row opens the award page for who may award it (a manager, not of their own
    network): after the last step the question is the decision. Others open the application."""
    roles = Relationships(scope.user)  # two queries, whatever the number of rows
    return [
        _step_row(
            application,
            reverse("application_transition", args=[application.pk, "award"])
            if roles.is_manager(application)
            else reverse("application_detail", args=[application.pk]),
        )
        for application in _load(ids)
    ]


def register() -> None:
    register_tab(
        "mine",
        label=_("Waiting for me"),
        date_label=_("Waiting since"),
        items=waiting_for_me,
        sorts=SORTS,
        rows=step_rows,
        empty=_("No step of an application you lead waits for your review."),
        position=10,
    )
    register_tab(
        "late",
        label=_("Past the promised time"),
        date_label=_("Waiting since"),
        items=past_promised_time,
        sorts=SORTS,
        rows=step_rows,
        empty=_("Every submitted step is still within the promised reply time."),
        position=20,
    )
    register_tab(
        "decide",
        label=_("Ready for decision"),
        date_label=_("Ready since"),
        items=ready_for_decision,
        sorts=SORTS,
        rows=decision_rows,
        empty=_("No application waits for a decision."),
        position=30,
    )

"""How long the fund takes to answer a submitted step: the review rounds of a programme.

A **review round** starts when a network submits a step (a ``StepSubmission``) and ends with the
officer's answer: the application's first ``accept_step`` or ``request_changes`` transition
logged after it (django-fsm-log's ``StateLog``). The workflow allows one submission at a time,
so each answer ends exactly one round. A round ended otherwise (a decline, a withdrawal) had no
answer on the step and is not counted; a round without an answer yet is *waiting*.

Its length is counted in **working days** (weekdays that are not Dutch public holidays, as the
programme's promised reply time is) from the day of submission to the day of the answer, both in
the Amsterdam calendar: answered the same day is 0, submitted on Friday and answered on Monday
is 1. The median is the middle round (or the mean of the two middle ones) of all answered rounds.
"Within the promised time" means answered on or before ``promised_reply_date``.

Two queries for the whole programme; the pairing is done in Python, a few tuples a round.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog

from funds.models import Programme
from funds.questions import localized
from funds.working_days import promised_reply_date, working_days_between

from .models import Application, StepSubmission

#: The transitions that answer a submitted step.
ANSWERS = ("accept_step", "request_changes")


@dataclass
class Rounds:
    """Answered rounds of one step (or all steps): their lengths in working days."""

    key: str = ""
    label: str = ""
    days: list[int] = field(default_factory=list)
    within_promise: int = 0

    @property
    def answered(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def longest(self) -> int | None:
        return max(self.days) if self.days else None

    @property
    def within_promise_percent(self) -> int | None:
        return round(self.within_promise * 100 / self.answered) if self.days else None

    def add(self, days: int, *, kept_promise: bool) -> None:
        self.days.append(days)
        self.within_promise += kept_promise


@dataclass
class ReviewTimes:
    total: Rounds
    steps: list[Rounds]
    waiting: int
    promised_days: int


def _answers(programme: Programme) -> dict[int, list]:
    """The answer times per application id, oldest first."""
    logs = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=Application.objects.filter(programme=programme).values("pk"),
            transition__in=ANSWERS,
        )
        .order_by("object_id", "timestamp", "pk")
        .values_list("object_id", "timestamp")
    )
    answers = defaultdict(list)
    for application_id, moment in logs:
        answers[application_id].append(moment)
    return answers


def review_times(programme: Programme) -> ReviewTimes:
    answers = _answers(programme)
    submissions = (
        StepSubmission.objects.filter(step__application__programme=programme)
        .order_by("step__application_id", "submitted_at", "pk")
        .values_list(
            "step__application_id",
            "step__application__state",
            "step__key",
            "step__order",
            "step__title",
            "submitted_at",
        )
    )
    total = Rounds()
    steps: dict[str, Rounds] = {}
    orders: dict[str, int] = {}
    waiting = 0
    next_answer: dict[int, int] = defaultdict(int)  # index into answers[application_id]
    for application_id, state, key, order, title, submitted_at in submissions:
        times = answers.get(application_id, [])
        index = next_answer[application_id]
        while index < len(times) and times[index] < submitted_at:
            index += 1  # an answer before this submission belongs to no round of ours
        if index == len(times):
            # Unanswered: waiting if the step is still under review, else ended without an answer.
            waiting += state == Application.State.STEP_SUBMITTED
            next_answer[application_id] = index
            continue
        answered_at = times[index]
        next_answer[application_id] = index + 1
        submitted_day = timezone.localdate(submitted_at)
        answered_day = timezone.localdate(answered_at)
        days = working_days_between(submitted_day, answered_day)
        kept = answered_day <= promised_reply_date(programme, submitted_at)
        if key not in steps:
            steps[key] = Rounds(key=key, label=localized(title))
            orders[key] = order
        steps[key].add(days, kept_promise=kept)
        total.add(days, kept_promise=kept)
    return ReviewTimes(
        total=total,
        steps=sorted(steps.values(), key=lambda rounds: orders[rounds.key]),
        waiting=waiting,
        promised_days=programme.reply_working_days,
    )

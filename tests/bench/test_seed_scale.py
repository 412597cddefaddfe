"""``manage.py seed_scale`` (bench/benchdata): the benchmark's large data set.

The benchdata app is installed by ``config.settings.bench`` only, so the suite calls the command
as an object; one test runs it through manage.py under the bench settings, as bench/README.md does.
"""

import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.models import (
    Application,
    Comment,
    Network,
    NetworkMember,
    Referral,
    Revision,
    Step,
    StepSubmission,
)
from bench.benchdata import scale_seed
from bench.benchdata.management.commands.seed_scale import Command as SeedScale
from funds.models import Fund, FundMembership, Programme
from funds.questions import validate_answers, validate_step_questions

pytestmark = pytest.mark.django_db

State, Status = Application.State, Step.Status
COMMITTED = Application.COMMITTED_STATES


ROOT = Path(__file__).resolve().parent.parent.parent


def seed_scale(**options) -> None:
    call_command(SeedScale(), stdout=StringIO(), stderr=StringIO(), **options)


@pytest.fixture
def seeded():
    seed_scale(applications=60, funds=3, networks=20, batch_size=25)


def test_manage_py_knows_seed_scale_under_the_bench_settings():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    for name in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_scale", "--help"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "--applications" in result.stdout


def test_counts_follow_the_options(seeded):
    assert Fund.objects.count() == 3
    assert Network.objects.count() == 20
    assert NetworkMember.objects.filter(role="coordinator").count() == 20
    assert FundMembership.objects.filter(role="manager").count() == 3
    assert Application.objects.count() == 60
    steps = Application.objects.annotate(n=Count("steps")).values_list("n", flat=True)
    assert set(steps) == {4}
    revisions = Counter(Revision.objects.values_list("step__application", flat=True))
    assert len(revisions) == 60
    assert all(2 <= n <= 6 for n in revisions.values())


def test_every_state_occurs_in_a_larger_plan():
    layout = scale_seed.plan_layout(random.Random(3), funds=3, networks=20)
    plans = scale_seed.ApplicationPlanner(layout, random.Random(3)).plan(400)
    assert {plan.state for plan in plans} == set(State.values)


def test_decisions_carry_their_reasons_and_amounts(seeded):
    for application in Application.objects.filter(state=State.DECLINED):
        assert application.decline_reason and application.decline_advice
        assert application.decided_at is not None
        assert application.referrals.exists()
    for application in Application.objects.filter(state__in=COMMITTED):
        assert 0 < application.awarded_amount <= application.programme.max_amount
    for referral in Referral.objects.all():
        referral.full_clean()


def test_each_log_replays_to_the_current_state(seeded):
    logs = defaultdict(list)
    for log in StateLog.objects.order_by("timestamp", "pk"):
        logs[int(log.object_id)].append(log)
    for application in Application.objects.all():
        state = State.DRAFTING
        previous = None
        for log in logs[application.pk]:
            assert log.source_state == state
            assert previous is None or log.timestamp > previous
            state, previous = log.state, log.timestamp
        assert state == application.state
        assert application.created_at < application.updated_at <= timezone.now()
        assert previous is None or previous <= application.updated_at


def test_steps_match_the_state(seeded):
    for application in Application.objects.prefetch_related("steps"):
        steps = list(application.steps.all())
        blueprints = application.programme.step_blueprints()
        assert [s.questions for s in steps] == [b["questions"] for b in blueprints]
        current = application.current_step
        assert current.application_id == application.pk
        before = {s.status for s in steps if s.order < current.order}
        after = {s.status for s in steps if s.order > current.order}
        assert before <= {Status.ACCEPTED}
        assert after <= {Status.LOCKED}
        expected = {
            State.DRAFTING: Status.OPEN,
            State.STEP_SUBMITTED: Status.SUBMITTED,
            State.CHANGES_REQUESTED: Status.CHANGES_REQUESTED,
            State.READY_FOR_DECISION: Status.ACCEPTED,
            State.AWARDED: Status.ACCEPTED,
            State.CONTRACTED: Status.ACCEPTED,
            State.CLOSED: Status.ACCEPTED,
        }.get(application.state)
        if expected:
            assert current.status == expected
        if application.state == State.CHANGES_REQUESTED:
            assert current.comments.filter(author_role="officer", resolved_at=None).exists()


def test_answers_pass_the_validator(seeded):
    for revision in Revision.objects.select_related("step__application__programme"):
        step = revision.step
        accepted = step.application.programme.accepted_arrangements
        cleaned = validate_answers(step.questions, revision.content, accepted_arrangements=accepted)
        assert cleaned == revision.content
    for submission in StepSubmission.objects.select_related("revision", "step"):
        validate_answers(
            submission.step.questions, submission.revision.content, require_complete=True
        )
    for comment in Comment.objects.exclude(question_key=""):
        assert comment.step.question(comment.question_key) is not None
    validate_step_questions(scale_seed.OWN_STEPS[0]["questions"])


def test_times_are_spread_and_budgets_cover_awards(seeded):
    created = list(Application.objects.values_list("created_at", flat=True))
    assert min(created) < timezone.now() - timezone.timedelta(days=90)
    assert len(set(Application.objects.values_list("updated_at", flat=True))) == 60
    for programme in Programme.objects.all():
        awarded = programme.applications.filter(state__in=COMMITTED).aggregate(
            total=Sum("awarded_amount")
        )["total"]
        assert programme.budget >= (awarded or 0)
        assert programme.budget >= programme.max_amount


def test_the_plan_is_the_same_for_the_same_seed():
    def plan(seed):
        rng = random.Random(seed)
        layout = scale_seed.plan_layout(rng, funds=5, networks=50)
        return layout, scale_seed.ApplicationPlanner(layout, rng).plan(100)

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)
    layout, plans = plan(7)
    rng = random.Random(7)
    scale_seed.plan_layout(rng, funds=5, networks=50)
    planner = scale_seed.ApplicationPlanner(layout, rng)
    assert planner.plan(40) + planner.plan(60) == plans  # the batch size changes nothing


def test_the_big_fund_gets_enough_grants_for_the_export_benchmark():
    # 5,000 grants in 100,000 applications: at least 5 % of any number.
    rng = random.Random(1)
    layout = scale_seed.plan_layout(rng, funds=200, networks=2000)
    plans = scale_seed.ApplicationPlanner(layout, rng).plan(4000)
    big = [plan for plan in plans if layout.programmes[plan.programme].fund == 0]
    assert layout.funds[0].slug == scale_seed.BIG_FUND_SLUG
    assert sum(plan.state in COMMITTED for plan in big) >= 0.05 * len(plans)


def test_refuses_a_database_with_applications(seeded):
    with pytest.raises(CommandError, match="already holds 60 applications"):
        seed_scale(applications=1)


def test_the_services_carry_seeded_applications_further(seeded):
    from applications import services

    def staff(application, role):
        return application.programme.fund.memberships.filter(role=role).first().user

    def coordinator(application):
        return application.network.members.get(role="coordinator").user

    submitted = Application.objects.filter(state=State.STEP_SUBMITTED).first()
    services.application_accept_step(application=submitted, actor=staff(submitted, "officer"))
    asked = Application.objects.filter(state=State.CHANGES_REQUESTED).first()
    step = asked.current_step
    submitted_last = step.submissions.order_by("submitted_at").last().revision.content
    services.step_save_answers(step=step, actor=coordinator(asked), content=submitted_last)
    services.application_submit_step(application=asked, actor=coordinator(asked))
    ready = Application.objects.filter(state=State.READY_FOR_DECISION).first()
    services.application_award(
        application=ready, actor=staff(ready, "manager"), amount=ready.requested_amount
    )
    states = Application.objects.filter(pk__in=[submitted.pk, asked.pk, ready.pk])
    assert set(states.values_list("state", flat=True)) <= {
        State.DRAFTING,
        State.READY_FOR_DECISION,
        State.STEP_SUBMITTED,
        State.AWARDED,
    }

"""The network's task list: one function says what is next, from the rules that exist."""

import pytest
from django.urls import reverse

from applications import services, tasks
from applications.models import Application
from tests.applications.helpers import bring_to_state, fill_current_step, submit_current_step

pytestmark = pytest.mark.django_db


def test_an_empty_step_asks_to_write_it_and_links_to_it(world):
    task = tasks.next_task(world.application, world.coordinator)
    assert task.text == "Write the step Idea: answer its questions."
    assert task.url == reverse("step_detail", args=[world.application.pk, "idea"])
    assert task.kind == "do"


def test_a_member_who_is_not_a_coordinator_hears_who_submits(world):
    task = tasks.next_task(world.application, world.member)
    assert task.text.endswith("A coordinator of your network submits it.")


def test_a_complete_step_is_offered_for_submission_only_to_the_coordinator(world):
    fill_current_step(world.application, world.coordinator)
    world.application.refresh_from_db()
    assert tasks.next_task(world.application, world.coordinator).text == (
        "The step Idea is complete: submit it to the fund."
    )
    # The registry does not offer a member the submission: they keep writing.
    assert "submit it to the fund" not in tasks.next_task(world.application, world.member).text


def test_a_submitted_step_means_waiting_for_the_fund(world):
    application = bring_to_state(world, Application.State.STEP_SUBMITTED)
    task = tasks.next_task(application, world.coordinator)
    assert task.kind == "wait"
    assert task.text == "Wait for the fund: it is reviewing the step Idea."


def test_requested_changes_ask_for_changes_to_that_step(world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    task = tasks.next_task(application, world.member)
    assert task.text.startswith("The fund asked for changes to the step Idea.")
    assert task.url == reverse("step_detail", args=[application.pk, "idea"])


@pytest.mark.parametrize(
    ("state", "kind", "words"),
    [
        (Application.State.READY_FOR_DECISION, "wait", "Wait for the fund's decision"),
        (Application.State.AWARDED, "wait", "The fund prepares the agreement"),
        (Application.State.DECLINED, "done", "The fund said no"),
        (Application.State.WITHDRAWN, "done", "the application is withdrawn"),
    ],
)
def test_after_the_steps_the_task_follows_the_state(world, state, kind, words):
    application = bring_to_state(world, state)
    task = tasks.next_task(application, world.coordinator)
    assert task.kind == kind
    assert words in task.text


def test_a_registered_provider_answers_first_for_the_states_it_owns(world, monkeypatch):
    monkeypatch.setattr(tasks, "_providers", [])
    tasks.register(lambda application, user: tasks.Task("Sign the agreement"))
    assert tasks.next_task(world.application, world.coordinator).text == "Sign the agreement"


def test_open_comments_of_the_fund_are_listed_per_question_with_a_link(world):
    submit_current_step(world)
    step = world.application.current_step
    for body in ("Which neighbours?", "How many?"):
        services.comment_create(step=step, actor=world.officer, body=body, question_key="for_whom")
    services.comment_create(step=step, actor=world.officer, body="Thanks", question_key="")
    services.comment_create(step=step, actor=world.member, body="Us", question_key="what")
    resolved = services.comment_create(
        step=step, actor=world.officer, body="Fine now", question_key="why"
    )
    services.comment_resolve(comment=resolved, actor=world.officer)

    found = tasks.open_comments(world.application)

    url = reverse("step_detail", args=[world.application.pk, "idea"])
    assert [(o.question, o.count, o.url) for o in found] == [
        ("Who is it for?", 2, f"{url}#thread-for_whom"),
        ("The step in general", 1, f"{url}#thread-general"),
    ]
    assert {o.step_title for o in found} == {"Idea"}

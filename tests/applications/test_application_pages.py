"""The network's application page, the step page and the officer's review page, as HTML."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application
from tests.applications.helpers import bring_to_state, submit_current_step

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """The form fields inside <main>, in order: (tag, attributes), without hidden ones."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.fields: list[tuple[str, dict]] = []
        self.buttons: list[dict] = []
        self.details: list[dict] = []
        self.main_tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main:
            return
        self.main_tags.append((tag, attributes))
        if tag in ("input", "textarea", "select") and attributes.get("type") != "hidden":
            self.fields.append((tag, attributes))
        if tag == "button":
            self.buttons.append(attributes)
        if tag == "details":
            self.details.append(attributes)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False


def parse(response) -> Fields:
    parser = Fields()
    parser.feed(response.content.decode())
    return parser


def detail(application):
    return reverse("application_detail", args=[application.pk])


def step_page(application, key="idea"):
    return reverse("step_detail", args=[application.pk, key])


def withdraw_url(application):
    return reverse("application_transition", args=[application.pk, "withdraw"])


# Withdrawing ---------------------------------------------------------------------------------


def test_the_application_page_has_no_withdraw_button_only_a_secondary_link(client, world):
    submit_current_step(world)
    client.force_login(world.coordinator)
    page = parse(client.get(detail(world.application)))
    assert not [b for b in page.buttons if b.get("data-action") == "withdraw"]
    [link] = [attrs for tag, attrs in page.main_tags if attrs.get("data-action") == "withdraw"]
    assert link["href"] == withdraw_url(world.application)
    assert "secondary" in link["class"] and "role" not in link


def test_the_confirmation_page_says_what_withdrawing_means_and_changes_nothing(client, world):
    client.force_login(world.coordinator)
    response = client.get(withdraw_url(world.application))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "The application ends for good." in text
    assert "The fund stops reviewing it" in text
    assert reverse("home") in text  # where to go instead
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_posting_the_confirmation_withdraws(client, world):
    client.force_login(world.coordinator)
    response = client.post(withdraw_url(world.application), {"note": "We stop."})
    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.WITHDRAWN


def test_an_outsider_gets_a_404_and_a_member_a_403_on_the_confirmation(client, world):
    client.force_login(world.outsider)
    assert client.get(withdraw_url(world.application)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(withdraw_url(world.application)).status_code == HTTPStatus.NOT_FOUND
    client.force_login(world.member)  # in the network, but not its coordinator
    assert client.get(withdraw_url(world.application)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(withdraw_url(world.application)).status_code == HTTPStatus.FORBIDDEN
    client.force_login(world.officer)
    assert client.post(withdraw_url(world.application)).status_code == HTTPStatus.FORBIDDEN
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


# The task list -------------------------------------------------------------------------------


def test_the_task_list_is_the_first_thing_under_the_title(client, world):
    submit_current_step(world)
    services.comment_create(
        step=world.application.current_step,
        actor=world.officer,
        body="Which neighbours?",
        question_key="for_whom",
    )
    client.force_login(world.member)
    page = parse(client.get(detail(world.application)))
    tags = [tag for tag, _attrs in page.main_tags]
    h1 = tags.index("h1")
    assert page.main_tags[h1 + 1] == ("section", {**page.main_tags[h1 + 1][1]})
    assert page.main_tags[h1 + 1][1]["id"] == "tasks"
    text = client.get(detail(world.application)).content.decode()
    assert "What do you need to do now?" in text
    assert "Wait for the fund: it is reviewing the step Idea." in text
    assert f"{step_page(world.application)}#thread-for_whom" in text
    assert "You will hear from us by" in text


def test_the_fund_sees_no_task_list(client, world):
    client.force_login(world.officer)
    text = client.get(detail(world.application)).content.decode()
    assert "What do you need to do now?" not in text


def test_the_history_speaks_in_sentences_with_names(client, world):
    world.coordinator.first_name, world.coordinator.last_name = "Anna", "Smit"
    world.coordinator.save()
    submit_current_step(world)
    client.force_login(world.member)
    text = client.get(detail(world.application)).content.decode()
    assert "Anna Smit submitted the step Idea" in text
    assert "Submit this step" not in text


def test_a_declined_application_page_marks_no_step_as_changes_requested(client, world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    services.application_decline(
        application=application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[{"organisation": "Buurtwerk", "phone": "020 123 4567"}],
    )
    client.force_login(world.member)
    page = parse(client.get(detail(application)))
    tracker_items = [a for tag, a in page.main_tags if tag == "li" and "class" in a]
    assert "step-tracker-changes_requested" not in {a["class"] for a in tracker_items}
    assert not [a for tag, a in page.main_tags if a.get("aria-current") == "step"]


# The step page -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Application.State.DRAFTING, Application.State.CHANGES_REQUESTED])
def test_the_first_field_on_the_step_page_is_an_answer(client, world, state):
    application = bring_to_state(world, state)
    client.force_login(world.coordinator)
    page = parse(client.get(step_page(application)))
    tag, attrs = page.fields[0]
    assert attrs["name"].startswith("q-"), (tag, attrs)


def test_the_step_page_keeps_the_thread_anchors_under_each_question(client, world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    client.force_login(world.member)
    text = client.get(step_page(application)).content.decode()
    # The question's conversation comes right after its answer field, before the next question.
    assert text.index('id="q-what"') < text.index('id="thread-what"') < text.index('id="q-why"')
    # General discussion after all the answers.
    assert text.index('id="q-for_whom"') < text.index('id="thread-general"')


def test_a_comment_posted_from_inside_the_answers_form_reaches_its_question(client, world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    client.force_login(world.member)
    text = client.get(step_page(application)).content.decode()
    assert 'form="comment-form-why"' in text and 'id="comment-form-why"' in text
    response = client.post(
        reverse("comment_create", args=[application.pk, "idea"]),
        {"question_key": "why", "body": "We mean the square."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert application.current_step.comments.filter(question_key="why").exists()


def test_the_step_page_is_never_cached(client, world):
    client.force_login(world.coordinator)
    response = client.get(step_page(world.application))
    assert "no-store" in response["Cache-Control"]


def test_the_officer_reads_the_answers_as_a_document(client, world):
    submit_current_step(world)
    client.force_login(world.officer)
    response = client.get(step_page(world.application))
    page = parse(response)
    text = response.content.decode()
    # One folded "Comment on this question" per question, closed while nobody commented.
    assert text.count("<summary>Comment on this question</summary>") == 3
    assert all("open" not in attrs for attrs in page.details)
    # The answers come before any box to type in.
    assert text.index("A shared vegetable garden") < text.index("<textarea")


def test_an_htmx_comment_from_inside_the_answers_form_comes_back_in_place(client, world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    client.force_login(world.member)
    response = client.post(
        reverse("comment_create", args=[application.pk, "idea"]),
        {"question_key": "why", "body": "We mean the square."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert text.lstrip().startswith("<div")  # the thread only, to swap in place
    assert 'id="thread-why"' in text and "We mean the square." in text
    # Still inside the answers' form: the box keeps posting through its own form.
    assert 'form="comment-form-why"' in text

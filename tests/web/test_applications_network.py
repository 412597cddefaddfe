"""The network's side of the application screens: start, write, save, submit, see feedback."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Comment, Revision
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import CONTACT_REFERRAL, bring_to_state, submit_current_step
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def step_url(application, key=None):
    application.refresh_from_db()
    return reverse("step_detail", args=[application.pk, key or application.current_step.key])


def idea_post(**overrides):
    answers = {**COMPLETE_ANSWERS["idea"], **overrides}
    return {f"q-{key}": value for key, value in answers.items()}


def test_dashboard_lists_networks_and_applications(client, world):
    client.force_login(world.member)
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert world.network.name in content
    assert "Garden" in content
    assert reverse("application_detail", args=[world.application.pk]) in content


def test_dashboard_needs_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.FOUND


def test_coordinator_starts_an_application_and_lands_on_the_first_step(client, world):
    programme = ProgrammeFactory()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("application_start", args=[programme.slug]),
        {"network": world.network.pk, "title": "Repair café", "requested_amount": "750"},
    )
    application = Application.objects.get(title="Repair café")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == step_url(application, "idea")


def test_start_shows_programme_errors(client, world):
    # The network already has an open application to this programme.
    client.force_login(world.coordinator)
    response = client.post(
        reverse("application_start", args=[world.programme.slug]),
        {"network": world.network.pk, "title": "Again", "requested_amount": "100"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "already has an open application" in response.content.decode()


def test_start_offers_only_networks_the_user_coordinates(client, world):
    programme = ProgrammeFactory()
    client.force_login(world.member)
    response = client.post(
        reverse("application_start", args=[programme.slug]),
        {"network": world.network.pk, "title": "Sneaky", "requested_amount": "100"},
    )
    assert response.status_code == HTTPStatus.OK
    assert not Application.objects.filter(title="Sneaky").exists()


def test_member_saves_a_step(client, world):
    client.force_login(world.member)
    url = step_url(world.application)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'for="q-what"' in content
    assert "Still missing before you can submit" in content
    response = client.post(url, {**idea_post(), "action": "save"})
    assert response.status_code == HTTPStatus.FOUND
    revision = world.application.current_step.latest_revision
    assert revision.content == COMPLETE_ANSWERS["idea"]
    assert revision.author == world.member


def test_member_cannot_submit_only_coordinator_button(client, world):
    client.force_login(world.member)
    content = client.get(step_url(world.application)).content.decode()
    assert "Save and submit this step" not in content
    client.force_login(world.coordinator)
    content = client.get(step_url(world.application)).content.decode()
    assert "Save and submit this step" in content


def test_invalid_money_is_shown_at_its_question_and_keeps_the_typed_text(client, world):
    bring_to_state(world, Application.State.DRAFTING)
    from tests.applications.helpers import advance_to_step

    advance_to_step(world, "budget")
    client.force_login(world.member)
    url = step_url(world.application, "budget")
    data = {
        "q-needs-0-description": "Seeds",
        "q-needs-0-amount": "twelve euros",
        "q-needs-1-description": "",
        "q-needs-1-amount": "",
        "action": "save",
    }
    before = Revision.objects.count()
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'id="q-needs-error"' in content
    assert "Enter an amount in euros" in content
    assert 'value="twelve euros"' in content
    assert 'aria-invalid="true"' in content
    assert Revision.objects.count() == before


def test_budget_lines_save_with_in_kind(client, world):
    from tests.applications.helpers import advance_to_step

    advance_to_step(world, "budget")
    client.force_login(world.member)
    url = step_url(world.application, "budget")
    response = client.post(
        url,
        {
            "q-needs-0-description": "Seeds",
            "q-needs-0-amount": "12,50",
            "q-needs-0-in_kind": "on",
            "q-needs-1-description": "",
            "q-needs-1-amount": "",
            "q-other_sources-0-kind": "crowdfunding",
            "q-other_sources-0-description": "Street fund",
            "q-other_sources-0-amount": "100",
            "action": "save",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    content = world.application.current_step.latest_revision.content
    assert content["needs"] == [{"description": "Seeds", "amount": "12.50", "in_kind": True}]
    assert content["other_sources"][0]["kind"] == "crowdfunding"
    page = client.get(url).content.decode()
    assert 'value="Seeds"' in page
    assert page.count('name="q-needs-') >= 4 * 3  # the line plus three empty rows


def test_coordinator_saves_and_submits(client, world):
    client.force_login(world.coordinator)
    response = client.post(step_url(world.application), {**idea_post(), "action": "submit"})
    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_submitting_incomplete_step_shows_the_missing_question(client, world):
    client.force_login(world.coordinator)
    response = client.post(step_url(world.application), {**idea_post(why=""), "action": "submit"})
    assert response.status_code == HTTPStatus.OK
    assert 'id="q-why-error"' in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_member_sees_officer_comment_next_to_its_question_and_the_diff(client, world):
    submit_current_step(world)
    services.application_request_changes(
        application=world.application,
        actor=world.officer,
        comment="Which neighbours <exactly>?",
        question_key="for_whom",
    )
    client.force_login(world.member)
    url = step_url(world.application)
    content = client.get(url).content.decode()
    question_at = content.index('id="q-for_whom"')
    comment_at = content.index("Which neighbours &lt;exactly&gt;?")
    next_question = content.find('<section class="question"', question_at)
    assert question_at < comment_at
    assert next_question == -1 or comment_at < next_question
    client.post(url, {**idea_post(for_whom="Neighbours and <b>children</b>"), "action": "save"})
    content = client.get(url).content.decode()
    assert "What changed since your last submission" in content
    assert '<ins class="diff-added"> and &lt;b&gt;children&lt;/b&gt;</ins>' in content
    assert "<b>children</b>" not in content


def test_member_replies_inline_with_htmx_and_without_js(client, world):
    submit_current_step(world)
    client.force_login(world.member)
    url = reverse("comment_create", args=[world.application.pk, "idea"])
    response = client.post(url, {"body": "We mean the street", "question_key": "for_whom"})
    assert response.status_code == HTTPStatus.FOUND
    response = client.post(
        url, {"body": "And the school", "question_key": "for_whom"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == HTTPStatus.OK
    assert 'id="thread-for_whom"' in response.content.decode()
    assert "And the school" in response.content.decode()
    assert Comment.objects.filter(author_role="member", question_key="for_whom").count() == 2


def test_autosave_stores_a_revision(client, world):
    client.force_login(world.member)
    url = reverse("step_autosave", args=[world.application.pk, "idea"])
    response = client.post(url, idea_post(why=""))
    assert response.status_code == HTTPStatus.OK
    assert "Saved at" in response.content.decode()
    assert (
        world.application.current_step.latest_revision.content["what"]
        == (COMPLETE_ANSWERS["idea"]["what"])
    )


def test_autosave_refuses_invalid_input_without_storing(client, world):
    from tests.applications.helpers import advance_to_step

    advance_to_step(world, "budget")
    before = Revision.objects.count()
    client.force_login(world.member)
    url = reverse("step_autosave", args=[world.application.pk, "budget"])
    response = client.post(url, {"q-needs-0-description": "Seeds", "q-needs-0-amount": "1.2345"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "two decimals" in response.content.decode()
    assert Revision.objects.count() == before


def test_autosave_needs_post_and_membership(client, world):
    url = reverse("step_autosave", args=[world.application.pk, "idea"])
    client.force_login(world.officer)
    assert client.post(url, idea_post()).status_code == HTTPStatus.FORBIDDEN
    client.force_login(world.member)
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_declined_application_shows_reason_advice_and_referral(client, world):
    bring_to_state(world, Application.State.DECLINED)
    client.force_login(world.member)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    content = content.decode()
    assert "Outside our region." in content
    assert "Ask the district fund." in content
    assert CONTACT_REFERRAL["organisation"] in content
    assert 'href="tel:+31201234567">020 123 4567</a>' in content


def test_member_sees_only_member_buttons(client, world):
    from tests.applications.helpers import fill_current_step

    fill_current_step(world.application, world.coordinator)
    client.force_login(world.coordinator)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    content = content.decode()
    assert reverse("application_transition", args=[world.application.pk, "submit_step"]) in content
    assert reverse("application_transition", args=[world.application.pk, "withdraw"]) in content
    assert "accept_step" not in content
    assert "decline" not in content
    client.force_login(world.member)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert b"/actions/" not in content


def test_member_posting_an_officer_transition_is_refused(client, world):
    submit_current_step(world)
    client.force_login(world.coordinator)
    for name in ("accept_step", "request_changes", "decline", "award"):
        url = reverse("application_transition", args=[world.application.pk, name])
        assert client.post(url, {"comment": "x"}).status_code == HTTPStatus.FORBIDDEN
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_history_lists_transitions_oldest_first(client, world):
    submit_current_step(world)
    services.application_accept_step(
        application=world.application, actor=world.officer, note="Fine"
    )
    client.force_login(world.member)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    content = content.decode()
    assert content.index("submitted the step Idea") < content.index("accepted the step Idea")
    assert "Fine" in content

"""The fund's side: reviewing a step, requesting changes, accepting, declining, awarding."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Comment
from funds.models import FundMembership
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import (
    bring_to_state,
    start_application,
    submit_current_step,
)
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory
from tests.web.test_applications_network import idea_post, step_url

pytestmark = pytest.mark.django_db


def transition_url(application, name):
    return reverse("application_transition", args=[application.pk, name])


def test_officer_reviews_comments_requests_changes_and_accepts(client, world):
    submit_current_step(world)
    application = world.application
    client.force_login(world.officer)
    url = step_url(application)
    content = client.get(url).content.decode()
    assert "Your review of this step" in content
    assert 'name="q-what"' not in content  # read-only for the fund
    assert "A shared vegetable garden" in content

    response = client.post(
        reverse("comment_create", args=[application.pk, "idea"]),
        {"body": "Which neighbours?", "question_key": "for_whom"},
    )
    assert response.status_code == HTTPStatus.FOUND
    comment = Comment.objects.get(question_key="for_whom")
    assert comment.author_role == Comment.AuthorRole.OFFICER

    response = client.post(
        transition_url(application, "request_changes"),
        {"step": application.current_step_id, "comment": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    application.refresh_from_db()
    assert application.state == Application.State.CHANGES_REQUESTED

    # The network changes an answer and submits again; the officer sees what changed.
    client.force_login(world.coordinator)
    client.post(url, {**idea_post(for_whom="Neighbours and the school"), "action": "submit"})
    application.refresh_from_db()
    assert application.state == Application.State.STEP_SUBMITTED
    client.force_login(world.officer)
    content = client.get(url).content.decode()
    assert "What changed since the previous submission" in content
    assert '<ins class="diff-added"> and the school</ins>' in content

    response = client.post(
        reverse("comment_resolve", args=[application.pk, comment.pk]),
    )
    assert response.status_code == HTTPStatus.FOUND
    comment.refresh_from_db()
    assert comment.is_resolved

    response = client.post(
        transition_url(application, "accept_step"), {"step": application.current_step_id}
    )
    assert response.status_code == HTTPStatus.FOUND
    application.refresh_from_db()
    assert application.state == Application.State.DRAFTING
    assert application.current_step.key == "plan"


def test_request_changes_without_any_comment_is_shown_as_error(client, world):
    submit_current_step(world)
    client.force_login(world.officer)
    response = client.post(
        transition_url(world.application, "request_changes"),
        {"step": world.application.current_step_id, "comment": ""},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Add at least one comment" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_stale_click_on_an_old_step_gives_a_conflict_message(client, world):
    submit_current_step(world)
    old_step = world.application.current_step_id
    services.application_accept_step(application=world.application, actor=world.manager)
    submit_current_step(world)
    client.force_login(world.officer)
    response = client.post(
        transition_url(world.application, "accept_step"), {"step": old_step}, follow=True
    )
    assert "no longer the one under review" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.current_step.key == "plan"


def test_resolve_is_for_officers_only(client, world):
    submit_current_step(world)
    comment = services.comment_create(
        step=world.application.current_step, actor=world.officer, body="More detail please"
    )
    client.force_login(world.member)
    response = client.post(reverse("comment_resolve", args=[world.application.pk, comment.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    content = client.get(step_url(world.application)).content.decode()
    assert "Mark as resolved" not in content


def test_officer_buttons_only_for_what_they_may_do(client, world):
    submit_current_step(world)
    client.force_login(world.officer)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    content = content.decode()
    for name in ("accept_step", "request_changes", "decline"):
        assert transition_url(world.application, name) in content
    for name in ("submit_step", "withdraw", "award"):
        assert transition_url(world.application, name) not in content


def test_decline_requires_a_referral_then_shows_it_to_the_network(client, world):
    other = ProgrammeFactory()
    client.force_login(world.officer)
    url = transition_url(world.application, "decline")
    page = client.get(url).content.decode()
    assert other.title in page  # other open programmes are offered
    management = {"referrals-TOTAL_FORMS": "2", "referrals-INITIAL_FORMS": "0"}
    data = {**management, "reason": "Outside our region.", "advice": "Ask the district fund."}
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "at least one other programme or contact person" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING

    response = client.post(
        url,
        {
            **data,
            "referrals-0-programme": other.pk,
            "referrals-1-organisation": "Buurtwerk",
            "referrals-1-email": "hallo@buurtwerk.example",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DECLINED

    client.force_login(world.member)
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    content = content.decode()
    assert "Outside our region." in content
    assert "Ask the district fund." in content
    assert other.title in content and other.fund.name in content
    assert 'href="mailto:hallo@buurtwerk.example"' in content


def test_manager_award_page_shows_remaining_budget_and_refuses_above_it(client, world):
    # Another application of the programme already has most of the budget (10000).
    other, coordinator = start_application(world.programme, title="Other")
    from tests.applications.helpers import drive_to_ready

    drive_to_ready(other, coordinator=coordinator, officer=world.officer)
    services.application_award(application=other, actor=world.manager, amount=Decimal("4000"))
    world.programme.budget = Decimal("5000")
    world.programme.save()
    bring_to_state(world, Application.State.READY_FOR_DECISION)

    client.force_login(world.manager)
    url = transition_url(world.application, "award")
    content = client.get(url).content.decode()
    assert "Remaining programme budget" in content
    assert "€ 1,000.00" in content
    assert "€ 5,000.00" in content
    response = client.post(url, {"amount": "1500"})
    assert response.status_code == HTTPStatus.OK
    assert "Only €\u00a01,000.00 of the programme budget is left." in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.READY_FOR_DECISION

    response = client.post(url, {"amount": "900"})
    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.awarded_amount == Decimal("900")


def test_officer_cannot_award(client, world):
    bring_to_state(world, Application.State.READY_FOR_DECISION)
    client.force_login(world.officer)
    response = client.get(transition_url(world.application, "award"))
    assert response.status_code == 403
    # The refusal page says why, in the person's words, not a bare "403 Forbidden".
    assert "manager" in response.content.decode()
    assert "<nav" in response.content.decode()
    content = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert transition_url(world.application, "award").encode() not in content


def test_wrong_state_redirects_with_a_message(client, world):
    client.force_login(world.officer)
    response = client.post(
        transition_url(world.application, "accept_step"), {"step": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "application_detail", args=[world.application.pk]
    )
    assert "not possible now" in response.content.decode()


def test_unknown_transition_is_404(client, world):
    client.force_login(world.officer)
    assert client.post(transition_url(world.application, "explode")).status_code == 404


def _all_urls(world, comment):
    pk = world.application.pk
    return [
        ("get", reverse("application_detail", args=[pk])),
        ("get", reverse("step_detail", args=[pk, "idea"])),
        ("post", reverse("step_detail", args=[pk, "idea"])),
        ("post", reverse("step_autosave", args=[pk, "idea"])),
        ("post", reverse("comment_create", args=[pk, "idea"])),
        ("post", reverse("comment_resolve", args=[pk, comment.pk])),
        *[("post", transition_url(world.application, name)) for name in ("accept_step", "decline")],
        ("get", transition_url(world.application, "decline")),
    ]


@pytest.mark.parametrize("who", ["other_network_member", "other_fund_officer", "outsider"])
def test_every_application_url_is_404_for_strangers(client, world, who):
    submit_current_step(world)
    comment = services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Hm"
    )
    if who == "other_network_member":
        user = NetworkMemberFactory(role="coordinator").user
    elif who == "other_fund_officer":
        user = FundMembershipFactory(role=FundMembership.Role.MANAGER).user
    else:
        user = world.outsider
    client.force_login(user)
    for method, url in _all_urls(world, comment):
        response = getattr(client, method)(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, (method, url)


@pytest.mark.parametrize("state", Application.State.values)
def test_every_page_renders_for_each_role_in_every_state(client, world, state):
    application = bring_to_state(world, state)
    for user in (world.member, world.coordinator, world.officer, world.manager):
        client.force_login(user)
        # Fund staff in no network are sent on to the work queue (applications.landing).
        assert client.get(reverse("dashboard"), follow=True).status_code == HTTPStatus.OK
        detail = client.get(reverse("application_detail", args=[application.pk]))
        assert detail.status_code == HTTPStatus.OK
        assert detail.content.count(b"<h1") == 1
        for step in application.ordered_steps():
            response = client.get(reverse("step_detail", args=[application.pk, step.key]))
            assert response.status_code == HTTPStatus.OK
            assert response.content.count(b"<h1") == 1
            assert b"style=" not in response.content


@pytest.mark.parametrize("role", ["officer", "manager", "coordinator", "member"])
@pytest.mark.parametrize(
    "state",
    [Application.State.STEP_SUBMITTED, Application.State.READY_FOR_DECISION],
)
def test_the_page_buttons_are_exactly_the_registrys_offers(client, world, role, state):
    import re

    from applications.actions import APPLICATION_ACTIONS

    application = bring_to_state(world, state)
    user = getattr(world, role)
    client.force_login(user)
    content = client.get(reverse("application_detail", args=[application.pk])).content.decode()

    shown = re.findall(r'data-action="([a-z_]+)"', content)
    assert shown == [o.name for o in APPLICATION_ACTIONS.available(application, user)]


def test_a_form_page_for_an_action_not_possible_now_says_so(client, world):
    client.force_login(world.officer)

    response = client.get(transition_url(world.application, "request_changes"), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "application_detail", args=[world.application.pk]
    )
    assert "not possible now" in response.content.decode()

"""The helpers' web pages, from each side: the coordinator invites and removes on the application
page; the invited person answers on the link's page, signed in with the invited address; a helper
writes drafts and comments but is offered no submit, no withdraw and no agreement; everyone else
is refused (403 for a wrong role, 404 for what they cannot see)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, ApplicationHelper, Revision
from funds.models import FundMembership
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import bring_to_state, fill_current_step
from tests.applications.test_helpers import HELPER_EMAIL, invite, make_helper
from tests.funds.factories import FundMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(world, django_capture_on_commit_callbacks):
    return make_helper(world, django_capture_on_commit_callbacks)


def page(application) -> str:
    return reverse("application_detail", args=[application.pk])


def step_page(application) -> str:
    application.refresh_from_db()
    return reverse("step_detail", args=[application.pk, application.current_step.key])


# ---------------------------------------------------------------------------------------------
# The coordinator's side


def test_the_coordinator_sees_helpers_and_the_invite_form(world, client, helper):
    client.force_login(world.coordinator)
    html = client.get(page(world.application)).content.decode()
    assert 'id="helpers-heading"' in html and "Piet Bakker" in html
    assert reverse("helper_invite", args=[world.application.pk]) in html
    assert "cannot submit a step" in html


def test_a_coordinator_invites_from_the_application_page(world, client, mailoutbox):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("helper_invite", args=[world.application.pk]), {"email": HELPER_EMAIL}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert ApplicationHelper.objects.get().email == HELPER_EMAIL


def test_a_bad_address_is_said_on_the_page(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("helper_invite", args=[world.application.pk]), {"email": "nope"}, follow=True
    )
    assert "Enter a valid e-mail address." in response.content.decode()
    assert not ApplicationHelper.objects.exists()


@pytest.mark.parametrize("role", ["member", "officer"])
def test_who_is_not_a_coordinator_cannot_invite(world, client, role):
    client.force_login(getattr(world, role))
    html = client.get(page(world.application)).content.decode()
    assert reverse("helper_invite", args=[world.application.pk]) not in html
    response = client.post(
        reverse("helper_invite", args=[world.application.pk]), {"email": HELPER_EMAIL}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ApplicationHelper.objects.exists()


def test_an_outsider_cannot_invite_to_an_application_they_cannot_see(world, client):
    client.force_login(world.outsider)
    response = client.post(
        reverse("helper_invite", args=[world.application.pk]), {"email": HELPER_EMAIL}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_coordinator_removes_a_helper(world, client, helper):
    record = ApplicationHelper.objects.get(user=helper)
    client.force_login(world.coordinator)
    client.post(reverse("helper_remove", args=[world.application.pk, record.pk]))
    record.refresh_from_db()
    assert record.removed_by == world.coordinator


def test_a_member_cannot_remove_a_helper(world, client, helper):
    record = ApplicationHelper.objects.get(user=helper)
    client.force_login(world.member)
    response = client.post(reverse("helper_remove", args=[world.application.pk, record.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    record.refresh_from_db()
    assert record.removed_at is None


# ---------------------------------------------------------------------------------------------
# The invitation's page


@pytest.fixture
def token(world, django_capture_on_commit_callbacks):
    return invite(world, capture=django_capture_on_commit_callbacks)[1]


def test_signed_out_the_link_asks_to_sign_in_and_changes_nothing(client, token):
    response = client.get(reverse("helper_respond", args=[token]))
    assert "Sign in to answer" in response.content.decode()
    assert ApplicationHelper.objects.get().accepted_at is None


def test_the_invited_address_accepts_and_lands_on_the_application(world, client, token):
    user = UserFactory(email=HELPER_EMAIL)
    client.force_login(user)
    response = client.post(reverse("helper_respond", args=[token]), {"answer": "accept"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == page(world.application)
    assert ApplicationHelper.objects.get().user == user


def test_an_outsider_with_a_forwarded_link_cannot_accept(world, client, token):
    client.force_login(world.outsider)
    html = client.get(reverse("helper_respond", args=[token])).content.decode()
    assert "Sign in with that e-mail address" in html and 'value="accept"' not in html
    response = client.post(reverse("helper_respond", args=[token]), {"answer": "accept"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert ApplicationHelper.objects.get().accepted_at is None


def test_an_officer_of_the_fund_is_refused_at_the_door(world, client, token):
    officer = FundMembershipFactory(
        fund=world.fund, role=FundMembership.Role.OFFICER, user__email=HELPER_EMAIL
    ).user
    client.force_login(officer)
    html = client.get(reverse("helper_respond", args=[token])).content.decode()
    assert "conflict of interest" in html and 'value="accept"' not in html
    response = client.post(reverse("helper_respond", args=[token]), {"answer": "accept"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    # Declining stays possible.
    client.post(reverse("helper_respond", args=[token]), {"answer": "decline"})
    assert ApplicationHelper.objects.get().declined_at is not None


# ---------------------------------------------------------------------------------------------
# The helper's side


def test_a_helper_lands_on_their_applications(world, client, helper):
    client.force_login(helper)
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.OK
    assert world.application.title in response.content.decode()


def test_a_helper_is_told_they_help_and_is_offered_no_action(world, client, helper):
    fill_current_step(world.application, helper)
    client.force_login(helper)
    html = client.get(page(world.application)).content.decode()
    assert f"You help {world.network.name} write this application" in html
    assert 'data-action="submit_step"' not in html
    assert 'data-action="withdraw"' not in html
    assert 'data-helper-action="invite"' not in html


def test_a_helper_saves_drafts_on_the_step_page_without_a_submit_button(world, client, helper):
    client.force_login(helper)
    html = client.get(step_page(world.application)).content.decode()
    assert 'value="save"' in html and 'value="submit"' not in html
    key = world.application.current_step.key
    data = {f"q-{k}": v for k, v in COMPLETE_ANSWERS[key].items()}
    data["action"] = "save"
    response = client.post(step_page(world.application), data)
    assert response.status_code == HTTPStatus.FOUND
    assert Revision.objects.filter(author=helper).exists()
    html = client.get(step_page(world.application)).content.decode()
    assert "Written with help from Piet Bakker." in html


def test_a_helpers_submit_is_refused_but_the_draft_is_kept(world, client, helper):
    client.force_login(helper)
    response = client.post(step_page(world.application), {"action": "submit"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


@pytest.mark.parametrize("name", ["submit_step", "withdraw"])
def test_a_helper_cannot_run_a_transition(world, client, helper, name):
    fill_current_step(world.application, helper)
    client.force_login(helper)
    response = client.post(
        reverse("application_transition", args=[world.application.pk, name]),
        {"step": world.application.current_step_id},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_a_helper_comments(world, client, helper):
    client.force_login(helper)
    application = world.application
    response = client.post(
        reverse("comment_create", args=[application.pk, application.current_step.key]),
        {"body": "Zal ik de begroting doen?", "question_key": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert application.current_step.comments.get().author == helper


def test_a_helper_can_stop_helping_and_then_finds_nothing(world, client, helper):
    record = ApplicationHelper.objects.get(user=helper)
    client.force_login(helper)
    response = client.post(reverse("helper_remove", args=[world.application.pk, record.pk]))
    assert response["Location"] == reverse("dashboard")
    assert client.get(page(world.application)).status_code == HTTPStatus.NOT_FOUND


def test_a_removed_helper_gets_404(world, client, helper):
    services.helper_remove(
        helper=ApplicationHelper.objects.get(user=helper), actor=world.coordinator
    )
    client.force_login(helper)
    assert client.get(page(world.application)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(step_page(world.application)).status_code == HTTPStatus.NOT_FOUND


def test_the_helper_of_a_closed_application_gets_404(world, client, helper):
    bring_to_state(world, Application.State.WITHDRAWN)
    client.force_login(helper)
    assert client.get(page(world.application)).status_code == HTTPStatus.NOT_FOUND


def test_a_helper_never_reaches_the_network_page(world, client, helper):
    client.force_login(helper)
    response = client.get(reverse("network_detail", args=[world.network.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND

"""Helpers, from the side of everyone who must be refused: a helper writes drafts, comments and
reads one open application, and nothing more; only a coordinator invites; only the invited
address accepts; nobody of the deciding fund helps; the help ends with removal or the state."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from applications import permissions, services
from applications.actions import APPLICATION_ACTIONS
from applications.history import history
from applications.models import Application, ApplicationHelper, Comment, NetworkMember
from applications.selectors import Relationships, application_list, visible_networks
from core.exceptions import InvalidTransition
from funds.models import FundMembership
from notifications.models import Notification
from tests.applications.factories import COMPLETE_ANSWERS, NetworkMemberFactory
from tests.applications.helpers import bring_to_state, fill_current_step
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

HELPER_EMAIL = "piet@example.org"


def token_in(body: str) -> str:
    return re.search(r"/help/([^/\s]+)/", body).group(1)


def invite(world, email=HELPER_EMAIL, *, actor=None, capture):
    """Invite through the service, as a coordinator: the invitation and its e-mailed token."""
    with capture(execute=True):
        helper = services.helper_invite(
            application=world.application, actor=actor or world.coordinator, email=email
        )
    return helper, token_in(mail.outbox[-1].body)


def make_helper(world, capture, *, email=HELPER_EMAIL, **names):
    """A person who accepted to help write ``world.application``."""
    names = names or {"first_name": "Piet", "last_name": "Bakker"}
    user = UserFactory(email=email, **names)
    _helper, token = invite(world, email, capture=capture)
    with capture(execute=True):
        services.helper_accept(token=token, actor=user)
    return user


@pytest.fixture
def helper(world, django_capture_on_commit_callbacks):
    return make_helper(world, django_capture_on_commit_callbacks)


# ---------------------------------------------------------------------------------------------
# Inviting: coordinators only, while open, one open invitation per address


def test_a_coordinator_invites_by_address_without_creating_anything(
    world, django_capture_on_commit_callbacks
):
    helper, _token = invite(world, "Nieuw@Example.org", capture=django_capture_on_commit_callbacks)
    assert helper.user is None and helper.accepted_at is None
    assert helper.email == "Nieuw@Example.org"
    assert mail.outbox[-1].to == ["Nieuw@Example.org"]
    assert "/help/" in mail.outbox[-1].body


@pytest.mark.parametrize("role", ["member", "officer", "manager", "outsider"])
def test_only_a_coordinator_can_invite_a_helper(world, role):
    with pytest.raises(PermissionDenied, match="Only a coordinator"):
        services.helper_invite(
            application=world.application, actor=getattr(world, role), email=HELPER_EMAIL
        )
    assert not ApplicationHelper.objects.exists()


def test_a_helper_cannot_invite_another_helper(world, helper):
    with pytest.raises(PermissionDenied):
        services.helper_invite(application=world.application, actor=helper, email="x@example.org")


def test_a_second_open_invitation_to_one_address_is_refused_in_words(
    world, django_capture_on_commit_callbacks
):
    invite(world, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.helper_invite(
            application=world.application, actor=world.coordinator, email=HELPER_EMAIL.upper()
        )
    assert "open invitation already" in str(refused.value.message_dict["email"])


def test_a_member_of_the_network_is_not_invited_as_helper(world):
    with pytest.raises(ValidationError) as refused:
        services.helper_invite(
            application=world.application, actor=world.coordinator, email=world.member.email
        )
    assert "member of the network" in str(refused.value.message_dict["email"])


def test_no_helper_is_invited_to_a_closed_application(world):
    bring_to_state(world, Application.State.DECLINED)
    with pytest.raises(InvalidTransition):
        services.helper_invite(
            application=world.application, actor=world.coordinator, email=HELPER_EMAIL
        )


def test_the_invitation_is_in_the_inviters_language_for_an_unknown_address(
    world, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"):
        invite(world, "nobody@example.org", capture=django_capture_on_commit_callbacks)
    assert Notification.objects.get(email="nobody@example.org").language == "en"
    assert "asks you to help" in mail.outbox[-1].body


# ---------------------------------------------------------------------------------------------
# Accepting: only the invited address, never the fund's staff


def test_an_outsider_with_a_forwarded_link_cannot_accept(world, django_capture_on_commit_callbacks):
    _helper, token = invite(world, capture=django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="Sign in with that e-mail address"):
        services.helper_accept(token=token, actor=world.outsider)
    assert not application_list(user=world.outsider).filter(pk=world.application.pk).exists()


def test_an_officer_of_the_fund_cannot_be_a_helper(world, django_capture_on_commit_callbacks):
    officer = FundMembershipFactory(
        fund=world.fund, role=FundMembership.Role.OFFICER, user__email="officer2@example.org"
    ).user
    _helper, token = invite(world, officer.email, capture=django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        services.helper_accept(token=token, actor=officer)
    assert not permissions.is_helping(world.application, officer)


def test_accepting_tells_the_coordinators(world, django_capture_on_commit_callbacks):
    user = make_helper(world, django_capture_on_commit_callbacks)
    told = Notification.objects.filter(kind="application.helper_accepted")
    assert set(told.values_list("recipient", flat=True)) == {world.coordinator.pk}
    assert "Piet Bakker" in told.get().text
    assert permissions.is_helping(world.application, user)


def test_a_declined_invitation_makes_nobody_a_helper_and_its_link_dies(
    world, django_capture_on_commit_callbacks
):
    user = UserFactory(email=HELPER_EMAIL)
    _helper, token = invite(world, capture=django_capture_on_commit_callbacks)
    services.helper_decline(token=token, actor=user)
    with pytest.raises(ValidationError):
        services.helper_accept(token=token, actor=user)
    assert not permissions.is_helping(world.application, user)


# ---------------------------------------------------------------------------------------------
# What a helper may do: write drafts and comment, nothing else


def test_a_helper_writes_drafts_recorded_as_theirs(world, helper):
    revision = fill_current_step(world.application, helper)
    assert revision.author == helper


def test_a_helpers_comment_speaks_for_the_network(world, helper):
    comment = services.comment_create(
        step=world.application.current_step, actor=helper, body="Is dit duidelijk?"
    )
    assert comment.author_role == Comment.AuthorRole.MEMBER


def test_a_helper_cannot_submit_a_step(world, helper):
    fill_current_step(world.application, helper)
    assert "submit_step" not in {
        o.name for o in APPLICATION_ACTIONS.available(world.application, helper)
    }
    with pytest.raises(PermissionDenied):
        services.application_submit_step(application=world.application, actor=helper)
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_a_helper_cannot_withdraw_the_application(world, helper):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=world.application, actor=helper)
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_a_helper_sees_the_application_but_not_the_network_or_its_other_applications(world, helper):
    other = services.application_create(
        network=world.network,
        programme=ProgrammeFactory(),
        actor=world.coordinator,
        title="Other",
        requested_amount="500",
    )
    visible = application_list(user=helper)
    assert list(visible) == [world.application]
    assert other not in visible
    assert world.network not in visible_networks(helper)


def test_relationships_agree_with_the_rules(world, helper):
    roles = Relationships(helper)
    assert roles.is_writer(world.application) and roles.is_helper(world.application)
    assert not roles.is_member(world.application)
    assert not roles.is_coordinator(world.application)
    assert not Relationships(world.outsider).is_writer(world.application)
    assert Relationships(world.member).is_writer(world.application)


def test_a_member_who_also_helps_keeps_member_rights(world, helper):
    NetworkMemberFactory(network=world.network, user=helper, role=NetworkMember.Role.COORDINATOR)
    assert permissions.coordinator_refusal(world.application, helper) is None
    fill_current_step(world.application, helper)
    services.application_submit_step(application=world.application, actor=helper)


# ---------------------------------------------------------------------------------------------
# The end of the help


def test_a_removed_helper_no_longer_sees_or_writes(world, helper):
    record = ApplicationHelper.objects.get(user=helper)
    services.helper_remove(helper=record, actor=world.coordinator)
    assert not application_list(user=helper).filter(pk=world.application.pk).exists()
    with pytest.raises(PermissionDenied):
        fill_current_step(world.application, helper)


def test_a_helper_can_stop_helping_themselves(world, helper):
    services.helper_remove(helper=ApplicationHelper.objects.get(user=helper), actor=helper)
    assert not permissions.is_helping(world.application, helper)


def test_a_member_who_is_not_coordinator_cannot_remove_a_helper(world, helper):
    record = ApplicationHelper.objects.get(user=helper)
    with pytest.raises(PermissionDenied):
        services.helper_remove(helper=record, actor=world.member)
    record.refresh_from_db()
    assert record.removed_at is None


def test_the_help_ends_when_the_application_is_decided(world, helper):
    fill_current_step(world.application, helper)
    bring_to_state(world, Application.State.DECLINED)
    assert not application_list(user=helper).filter(pk=world.application.pk).exists()
    assert permissions.writer_refusal(world.application, helper) is not None


# ---------------------------------------------------------------------------------------------
# The history and the messages


def test_the_history_says_written_with_help_from_the_helper_by_name(world, helper):
    fill_current_step(world.application, helper)
    services.application_submit_step(application=world.application, actor=world.coordinator)
    texts = [entry.text for entry in history(world.application)]
    assert any("written with help from Piet Bakker" in text for text in texts), texts
    assert not any(HELPER_EMAIL in text for text in texts)


def test_the_history_in_dutch(world, helper):
    from django.utils import translation

    fill_current_step(world.application, helper)
    services.application_submit_step(application=world.application, actor=world.coordinator)
    with translation.override("nl"):
        texts = [entry.text for entry in history(world.application)]
    assert any("Piet Bakker" in text for text in texts)


def test_a_step_without_a_helpers_draft_says_nothing_of_help(world, helper):
    step = world.application.current_step
    services.step_save_answers(
        step=step, actor=world.coordinator, content=COMPLETE_ANSWERS[step.key]
    )
    services.application_submit_step(application=world.application, actor=world.coordinator)
    assert not any("help" in entry.text for entry in history(world.application))


def test_the_helper_hears_of_the_funds_comments(world, helper):
    services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Wie doet mee?"
    )
    told = Notification.objects.filter(kind="comment.created", recipient=helper)
    assert told.count() == 1


def test_a_removed_helper_no_longer_hears_of_the_funds_comments(world, helper):
    services.helper_remove(helper=ApplicationHelper.objects.get(user=helper), actor=helper)
    services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Wie doet mee?"
    )
    assert not Notification.objects.filter(kind="comment.created", recipient=helper).exists()


def test_a_helper_who_later_works_for_the_fund_cannot_review_what_they_wrote(world, helper):
    """Joining the fund after accepting does not make a reviewer of someone who helps write the
    application: refused as a conflict of interest, by the action and on the lists alike."""
    world.application.refresh_from_db()
    FundMembershipFactory(fund=world.fund, user=helper, role=FundMembership.Role.MANAGER)
    refusal = permissions.officer_refusal(world.application, helper)
    assert refusal == (
        "You help write this application, so you cannot review or decide on it (conflict of "
        "interest)."
    )
    assert permissions.manager_refusal(world.application, helper) == refusal
    relationships = Relationships(helper)
    assert not relationships.is_officer(world.application)
    reviewed = Application.objects.filter(relationships.officer_q(), pk=world.application.pk)
    assert not reviewed.exists()
    fill_current_step(world.application, world.coordinator)
    services.application_submit_step(application=world.application, actor=world.coordinator)
    with pytest.raises(PermissionDenied):
        APPLICATION_ACTIONS.run("accept_step", world.application, actor=helper)


def test_what_a_helper_sees_only_as_a_helper_is_left_out_where_helpers_never_look(world, helper):
    """Agreements and support ask ``helping=False``: an application the person sees only because
    they help write it is not one of theirs there, whatever its state."""
    world.application.refresh_from_db()
    assert world.application in application_list(user=helper)
    assert world.application not in application_list(user=helper, helping=False)

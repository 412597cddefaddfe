"""Drafting a step's answers, immutable revisions, and comments between network and fund."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from applications import services
from applications.models import (
    Application,
    Comment,
    NetworkMember,
    Revision,
    Step,
    StepSubmission,
)
from core.exceptions import InvalidTransition
from funds.models import FundMembership, StepDefinition
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import (
    advance_to_step,
    bring_to_state,
    dual_role_user,
    fill_current_step,
    snapshot,
    submit_current_step,
    user_for,
)
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def save(world, actor, content, step=None):
    return services.step_save_answers(
        step=step or world.application.current_step, actor=actor, content=content
    )


# Saving answers.


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_network_members_may_save_answers(world, role):
    actor = user_for(world, role)

    revision = save(world, actor, {"what": "  A shared garden  "})

    assert (revision.number, revision.author) == (1, actor)
    assert revision.content == {"what": "A shared garden"}
    assert world.application.current_step.latest_revision == revision


@pytest.mark.parametrize(
    "role", ["outsider", "officer", "manager", "other_fund_officer", "anonymous"]
)
def test_people_outside_the_network_may_not_save_answers(world, role):
    before = snapshot(world.application)

    with pytest.raises(PermissionDenied) as refused:
        save(world, user_for(world, role), {"what": "Something else"})

    assert "members of the network" in str(refused.value)
    assert snapshot(world.application) == before


def test_each_changed_save_adds_a_numbered_revision(world):
    save(world, world.member, {"what": "A garden"})
    save(world, world.coordinator, {"what": "A garden", "why": "No green"})

    revisions = Revision.objects.filter(step=world.application.current_step)
    assert list(revisions.values_list("number", flat=True)) == [1, 2]
    assert revisions.get(number=1).content == {"what": "A garden"}


def test_saving_identical_answers_twice_creates_one_revision(world):
    first = save(world, world.member, COMPLETE_ANSWERS["idea"])
    second = save(world, world.coordinator, dict(COMPLETE_ANSWERS["idea"]))

    assert second == first
    assert Revision.objects.filter(step=world.application.current_step).count() == 1


def test_answers_that_only_differ_before_cleaning_count_as_identical(world):
    step = advance_to_step(world, "budget")
    line = {"description": "Soil", "amount": "200", "in_kind": False}
    save(world, world.member, {"needs": [line]})
    save(world, world.member, {"needs": [{**line, "amount": "200.00", "description": " Soil "}]})

    assert Revision.objects.filter(step=step).count() == 1
    assert step.latest_revision.content == {"needs": [{**line, "amount": "200.00"}]}


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ({"needs": [{"description": "Soil", "amount": "abc"}]}, "needs"),
        ({"needs": [{"amount": "20"}]}, "needs"),
        ({"needs": [{"description": "   ", "amount": "20"}]}, "needs"),
        ({"needs": "Soil, 20 euros"}, "needs"),
        (
            {"other_sources": [{"kind": "lottery", "description": "X", "amount": "1"}]},
            "other_sources",
        ),
        ({"colour": "green"}, "colour"),
    ],
)
def test_answers_of_the_wrong_shape_are_refused_per_question(world, content, key):
    advance_to_step(world, "budget")
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        save(world, world.member, content)

    assert set(refused.value.message_dict) == {key}
    assert snapshot(world.application) == before


def test_every_wrong_answer_is_named_at_once(world):
    with pytest.raises(ValidationError) as refused:
        save(world, world.member, {"what": 42, "why": ["no"], "colour": "green"})

    assert set(refused.value.message_dict) == {"what", "why", "colour"}


def test_answers_that_are_not_an_object_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        save(world, world.member, ["A garden"])

    assert set(refused.value.message_dict) == {"content"}


def test_an_arrangement_the_programme_does_not_accept_is_refused(world):
    advance_to_step(world, "accountability")

    with pytest.raises(ValidationError) as refused:
        save(world, world.member, {"arrangement": "support_only"})

    assert set(refused.value.message_dict) == {"arrangement"}


def test_an_incomplete_draft_is_saved_but_cannot_be_submitted(world):
    save(world, world.member, {"what": "A garden", "why": ""})
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        services.application_submit_step(application=world.application, actor=world.coordinator)

    assert set(refused.value.message_dict) == {"why", "for_whom"}
    assert snapshot(world.application) == before


def test_a_step_without_any_saved_answers_cannot_be_submitted(world):
    with pytest.raises(ValidationError) as refused:
        services.application_submit_step(application=world.application, actor=world.coordinator)

    assert set(refused.value.message_dict) == {"what", "why", "for_whom"}


def test_optional_questions_may_stay_empty_at_submission(world):
    advance_to_step(world, "plan")
    answers = dict(COMPLETE_ANSWERS["plan"])
    answers.pop("earning_model", None)
    save(world, world.member, answers)

    services.application_submit_step(application=world.application, actor=world.coordinator)

    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_a_step_of_only_optional_questions_needs_a_saved_revision_to_be_submitted(world):
    programme = ProgrammeFactory(fund=world.fund)
    StepDefinition.objects.create(
        programme=programme,
        order=1,
        key="extra",
        title="Anything else?",
        questions=[{"key": "remarks", "label": "Remarks", "type": "textarea", "required": False}],
    )
    application = services.application_create(
        network=world.network,
        programme=programme,
        actor=world.coordinator,
        title="Bench",
        requested_amount="100",
    )

    with pytest.raises(ValidationError) as refused:
        services.application_submit_step(application=application, actor=world.coordinator)
    assert set(refused.value.message_dict) == {"content"}
    assert not StepSubmission.objects.exists()

    services.step_save_answers(step=application.current_step, actor=world.member, content={})
    services.application_submit_step(application=application, actor=world.coordinator)
    application.refresh_from_db()
    assert application.state == Application.State.STEP_SUBMITTED


def test_submitting_records_which_revision_was_submitted(world):
    revision = fill_current_step(world.application, world.member)

    services.application_submit_step(application=world.application, actor=world.coordinator)

    submission = world.application.current_step.submissions.get()
    assert (submission.revision, submission.submitted_by) == (revision, world.coordinator)


def test_a_locked_step_cannot_be_edited(world):
    locked = world.application.ordered_steps().get(key="plan")
    assert locked.status == Step.Status.LOCKED
    before = snapshot(world.application)

    with pytest.raises(InvalidTransition):
        save(world, world.member, {"goal": "Sneaking ahead"}, step=locked)

    assert snapshot(world.application) == before


def test_a_submitted_step_cannot_be_edited(world):
    submit_current_step(world)
    before = snapshot(world.application)

    with pytest.raises(InvalidTransition):
        save(world, world.member, {"what": "A different idea"})

    assert snapshot(world.application) == before


def test_an_accepted_step_cannot_be_edited(world):
    accepted = world.application.current_step
    advance_to_step(world, "plan")

    with pytest.raises(InvalidTransition):
        save(world, world.member, {"what": "A different idea"}, step=accepted)


@pytest.mark.parametrize(
    "state", [Application.State.DECLINED, Application.State.WITHDRAWN, Application.State.AWARDED]
)
def test_a_closed_application_cannot_be_edited(world, state):
    application = bring_to_state(world, state)

    with pytest.raises(InvalidTransition):
        save(world, world.member, {"what": "Too late"}, step=application.current_step)


def test_a_step_sent_back_for_changes_can_be_edited_again(world):
    bring_to_state(world, Application.State.CHANGES_REQUESTED)

    revision = save(world, world.member, {**COMPLETE_ANSWERS["idea"], "why": "The square is grey"})

    assert revision.number == 2


# Revisions are immutable.


@pytest.fixture
def revision(world):
    return save(world, world.member, {"what": "A garden"})


def test_a_saved_revision_cannot_be_saved_again(revision):
    revision.content = {"what": "Rewritten history"}

    with pytest.raises(TypeError):
        revision.save()

    assert Revision.objects.get(pk=revision.pk).content == {"what": "A garden"}


def test_a_revision_cannot_be_deleted(revision):
    with pytest.raises(TypeError):
        revision.delete()

    assert Revision.objects.filter(pk=revision.pk).exists()


def test_revisions_cannot_be_updated_in_bulk(revision):
    with pytest.raises(TypeError):
        Revision.objects.filter(pk=revision.pk).update(content={"what": "Rewritten history"})

    assert Revision.objects.get(pk=revision.pk).content == {"what": "A garden"}


def test_revisions_cannot_be_deleted_in_bulk(revision):
    with pytest.raises(TypeError):
        Revision.objects.filter(pk=revision.pk).delete()

    assert Revision.objects.filter(pk=revision.pk).exists()


# Comments.


@pytest.mark.parametrize(
    ("role", "author_role"),
    [
        ("officer", Comment.AuthorRole.OFFICER),
        ("manager", Comment.AuthorRole.OFFICER),
        ("member", Comment.AuthorRole.MEMBER),
        ("coordinator", Comment.AuthorRole.MEMBER),
    ],
)
def test_fund_staff_and_network_members_may_comment(world, role, author_role):
    actor = user_for(world, role)

    comment = services.comment_create(
        step=world.application.current_step,
        actor=actor,
        body=" Is this clear? ",
        question_key="why",
    )

    assert (comment.author, comment.author_role, comment.body) == (
        actor,
        author_role,
        "Is this clear?",
    )
    assert comment.question_key == "why"
    assert not comment.is_resolved


def test_fund_staff_in_the_network_comment_for_the_network(world):
    actor = dual_role_user(
        world, fund_role=FundMembership.Role.OFFICER, network_role=NetworkMember.Role.MEMBER
    )

    comment = services.comment_create(step=world.application.current_step, actor=actor, body="Hi")

    assert comment.author_role == Comment.AuthorRole.MEMBER


@pytest.mark.parametrize("role", ["outsider", "other_fund_officer", "anonymous"])
def test_people_outside_network_and_fund_may_not_comment(world, role):
    with pytest.raises(PermissionDenied):
        services.comment_create(
            step=world.application.current_step, actor=user_for(world, role), body="Hello"
        )

    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "question_key", "fields"),
    [
        ("", "", {"body"}),
        ("   \n", "", {"body"}),
        ("x" * 5001, "", {"body"}),
        ("Fine", "colour", {"question_key"}),
        ("", "colour", {"body", "question_key"}),
    ],
)
def test_a_comment_needs_a_body_and_a_question_of_this_step(world, body, question_key, fields):
    with pytest.raises(ValidationError) as refused:
        services.comment_create(
            step=world.application.current_step,
            actor=world.officer,
            body=body,
            question_key=question_key,
        )

    assert set(refused.value.message_dict) == fields
    assert not Comment.objects.exists()


def test_commenting_on_a_locked_step_is_refused(world):
    locked = world.application.ordered_steps().get(key="plan")

    with pytest.raises(InvalidTransition):
        services.comment_create(step=locked, actor=world.officer, body="Early thoughts")

    assert not Comment.objects.exists()


@pytest.mark.parametrize("state", [Application.State.DECLINED, Application.State.WITHDRAWN])
def test_commenting_on_a_closed_application_is_refused(world, state):
    application = bring_to_state(world, state)

    with pytest.raises(InvalidTransition):
        services.comment_create(step=application.current_step, actor=world.member, body="Why?")


@pytest.fixture
def comment(world):
    return services.comment_create(
        step=world.application.current_step, actor=world.member, body="Is the budget needed now?"
    )


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_fund_staff_resolve_comments(world, comment, role):
    actor = user_for(world, role)

    resolved = services.comment_resolve(comment=comment, actor=actor)

    assert resolved.is_resolved
    assert resolved.resolved_by == actor


@pytest.mark.parametrize("role", ["member", "coordinator", "outsider", "other_fund_officer"])
def test_only_fund_staff_resolve_comments(world, comment, role):
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=comment, actor=user_for(world, role))

    comment.refresh_from_db()
    assert not comment.is_resolved


def test_a_comment_cannot_be_resolved_twice(world, comment):
    services.comment_resolve(comment=comment, actor=world.officer)

    with pytest.raises(InvalidTransition):
        services.comment_resolve(comment=comment, actor=world.manager)

    comment.refresh_from_db()
    assert comment.resolved_by == world.officer


def test_requesting_changes_without_an_open_comment_is_refused(world):
    submit_current_step(world)
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        services.application_request_changes(application=world.application, actor=world.officer)

    assert set(refused.value.message_dict) == {"comment"}
    assert snapshot(world.application) == before


def test_a_resolved_comment_does_not_count_for_requesting_changes(world):
    submit_current_step(world)
    written = services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Who are the neighbours?"
    )
    services.comment_resolve(comment=written, actor=world.officer)

    with pytest.raises(ValidationError) as refused:
        services.application_request_changes(application=world.application, actor=world.officer)

    assert set(refused.value.message_dict) == {"comment"}


def test_requesting_changes_with_a_comment_adds_it_and_sends_the_step_back(world):
    submit_current_step(world)

    services.application_request_changes(
        application=world.application,
        actor=world.officer,
        comment="How many neighbours take part?",
        question_key="for_whom",
    )

    world.application.refresh_from_db()
    assert world.application.state == Application.State.CHANGES_REQUESTED
    assert world.application.current_step.status == Step.Status.CHANGES_REQUESTED
    comment = world.application.current_step.comments.get()
    assert (comment.body, comment.question_key, comment.author_role) == (
        "How many neighbours take part?",
        "for_whom",
        Comment.AuthorRole.OFFICER,
    )


def test_requesting_changes_with_a_comment_on_an_unknown_question_adds_nothing(world):
    submit_current_step(world)
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        services.application_request_changes(
            application=world.application, actor=world.officer, comment="?", question_key="colour"
        )

    assert set(refused.value.message_dict) == {"question_key"}
    assert snapshot(world.application) == before


def test_an_open_comment_written_before_counts_for_requesting_changes(world):
    submit_current_step(world)
    services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Who are the neighbours?"
    )

    services.application_request_changes(application=world.application, actor=world.officer)

    world.application.refresh_from_db()
    assert world.application.state == Application.State.CHANGES_REQUESTED


def test_anonymous_visitors_cannot_resolve_comments(world, comment):
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=comment, actor=AnonymousUser())

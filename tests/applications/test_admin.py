"""The admin offers transitions only to those who may run them, through the services."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.models import Application
from tests.applications.helpers import submit_current_step

pytestmark = pytest.mark.django_db


def make_staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


def transition_url(application, name):
    return reverse("admin:applications_application_transition", args=[application.pk, name])


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


def test_officer_sees_and_runs_accept_on_a_submitted_step(world, client):
    submit_current_step(world)
    client.force_login(make_staff(world.officer))
    page = client.get(change_url(world.application))
    assert transition_url(world.application, "accept_step") in page.content.decode()
    assert transition_url(world.application, "award") not in page.content.decode()

    response = client.post(transition_url(world.application, "accept_step"), {"note": "ok"})

    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING
    assert (
        StateLog.objects.for_(world.application)
        .filter(transition="accept_step", by=world.officer)
        .exists()
    )


def test_staff_of_another_fund_cannot_see_or_act_on_the_application(world, client):
    from tests.funds.factories import FundMembershipFactory

    submit_current_step(world)
    stranger = make_staff(FundMembershipFactory().user)
    client.force_login(stranger)
    assert (
        client.get(change_url(world.application)).status_code == HTTPStatus.FOUND
    )  # not found → index
    response = client.post(transition_url(world.application, "accept_step"))
    assert response.status_code == HTTPStatus.NOT_FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_superuser_without_a_fund_role_is_refused_by_the_service(world, client, django_user_model):
    submit_current_step(world)
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    page = client.get(change_url(world.application)).content.decode()
    assert transition_url(world.application, "accept_step") not in page
    response = client.post(transition_url(world.application, "accept_step"), follow=True)
    assert "Only an officer of the fund" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


def test_admin_decline_without_referral_shows_the_error_and_changes_nothing(world, client):
    client.force_login(make_staff(world.officer))
    data = {
        "reason": "Not in scope",
        "advice": "Try the neighbourhood budget",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
    }
    response = client.post(transition_url(world.application, "decline"), data)
    assert response.status_code == HTTPStatus.OK
    assert "Refer the network to at least one" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING

    data.update({"form-0-organisation": "Municipality", "form-0-phone": "020 555 0101"})
    response = client.post(transition_url(world.application, "decline"), data)
    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DECLINED
    assert world.application.referrals.get().organisation == "Municipality"


def test_admin_accept_on_a_step_that_is_no_longer_current_is_refused(world, client):
    from applications import services

    submit_current_step(world)
    client.force_login(make_staff(world.officer))
    # The officer opens the accept page of the first step ...
    page = client.get(transition_url(world.application, "accept_step")).content.decode()
    old_step = world.application.current_step_id
    assert f'name="step" value="{old_step}"' in page
    # ... meanwhile a colleague accepts it and the network submits the next one.
    services.application_accept_step(application=world.application, actor=world.manager)
    submit_current_step(world)

    response = client.post(
        transition_url(world.application, "accept_step"), {"step": old_step}, follow=True
    )

    assert "no longer the one under review" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED
    assert world.application.current_step.key == "plan"


def test_admin_request_changes_passes_the_step_and_the_question(world, client):
    submit_current_step(world)
    client.force_login(make_staff(world.officer))
    step = world.application.current_step

    response = client.post(
        transition_url(world.application, "request_changes"),
        {"step": step.pk, "comment": "Which street?", "question_key": "what"},
    )

    assert response.status_code == HTTPStatus.FOUND
    world.application.refresh_from_db()
    assert world.application.state == Application.State.CHANGES_REQUESTED
    assert step.comments.get().question_key == "what"


def test_admin_change_page_offers_exactly_what_the_registry_offers(world, client):
    import re

    from applications.actions import APPLICATION_ACTIONS

    submit_current_step(world)
    client.force_login(make_staff(world.officer))
    page = client.get(change_url(world.application)).content.decode()

    shown = re.findall(r'data-action="([a-z_]+)"', page)
    world.application.refresh_from_db()
    offered = APPLICATION_ACTIONS.available(world.application, world.officer)
    assert (
        shown
        == [offer.name for offer in offered]
        == [
            "request_changes",
            "accept_step",
            "decline",
        ]
    )

"""After a validation error, the browser's Back button never shows a stale editable form.

A volunteer sends a step with a mistake, fixes it, sends it, and presses Back: the step page
shows the step as it is now (submitted, nothing to edit), not the old form as "Open".
"""

import re

import pytest
from playwright.sync_api import expect

from applications import services
from applications.models import Application, Step
from tests.applications.factories import COMPLETE_ANSWERS
from tests.browser.worlds import garden

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_the_budget_step():
    application, coordinator, _officer = garden(accepted_steps=2)  # Idea and Plan accepted
    step = application.current_step
    services.step_save_answers(step=step, actor=coordinator, content=COMPLETE_ANSWERS[step.key])
    return application, coordinator


def test_back_after_fixing_an_error_and_submitting_shows_the_submitted_step(
    page, live_server, sign_in, check_page, at_the_budget_step
):
    application, coordinator = at_the_budget_step
    step_url = (
        f"{live_server.url}/applications/{application.pk}/steps/{application.current_step.key}/"
    )
    sign_in(coordinator)
    page.goto(step_url)
    submit = page.get_by_role("button", name="Save and submit this step")

    # A mistake: the answers come back with the error, still editable.
    page.locator("#q-needs-0-amount").fill("twelve euros")
    submit.click()
    expect(page.locator("#form-errors")).to_be_visible()

    # Fixed and sent: the application's page.
    page.locator("#q-needs-0-amount").fill("350")
    page.get_by_role("button", name="Save and submit this step").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    application.refresh_from_db()
    assert application.state == Application.State.STEP_SUBMITTED

    # Back: the step as it is now, not the stale form.
    page.go_back()
    expect(page).to_have_url(step_url)
    expect(page.locator("main")).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Save and submit this step")).to_have_count(0)
    expect(page.locator("#q-needs-0-amount")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Seeds and soil")
    assert application.current_step.status == Step.Status.SUBMITTED
    check_page(page)

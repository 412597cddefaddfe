"""The network's pages on a phone (360 px): the task list first, the step tracker on one row,
the first field an answer, and the officer's review page as a document without open boxes."""

import pytest
from playwright.sync_api import expect

from applications import services
from tests.applications.factories import COMPLETE_ANSWERS
from tests.browser.conftest import VIEWPORTS
from tests.browser.worlds import garden

pytestmark = pytest.mark.django_db(transaction=True)

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
FIRST_FIELD = """() => {
  const fields = [...document.querySelectorAll("main input, main textarea, main select")]
    .filter((el) => el.type !== "hidden" && el.offsetParent !== null);
  return fields.length ? fields[0].name : null;
}"""
# The steps share one row when every step's box overlaps every other's vertically.
TRACKER_ROWS = """() => {
  const boxes = [...document.querySelectorAll(".step-tracker li")].map((li) => li.getBoundingClientRect());
  const overlap = Math.min(...boxes.map((b) => b.bottom)) > Math.max(...boxes.map((b) => b.top));
  return boxes.length && overlap ? 1 : 2;
}"""


@pytest.fixture
def at_the_second_step():
    return garden(accepted_steps=1)


def test_on_a_phone_the_step_page_starts_with_the_answers_and_the_tracker_is_one_row(
    page, live_server, sign_in, check_page, at_the_second_step
):
    application, coordinator, _officer = at_the_second_step
    page.set_viewport_size(VIEWPORTS["phone"])
    sign_in(coordinator)

    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="What do you need to do now?")).to_be_in_viewport()
    expect(page.locator("main")).to_contain_text("Write the step Plan")
    assert page.evaluate(NO_OVERFLOW)
    assert page.evaluate(TRACKER_ROWS) == 1
    check_page(page, "application-tasks")

    page.goto(f"{live_server.url}/applications/{application.pk}/steps/plan/")
    expect(page.locator(".step-tracker-summary")).to_contain_text("Step 2 of 4: Plan")
    expect(page.locator(".step-tracker-summary")).to_contain_text("Next: Budget and needs")
    assert page.evaluate(TRACKER_ROWS) == 1
    assert page.evaluate(NO_OVERFLOW)
    assert page.evaluate(FIRST_FIELD).startswith("q-")
    check_page(page, "step-write-phone")


def test_on_a_phone_the_officer_reads_answers_and_opens_a_comment_box_with_one_tap(
    page, live_server, sign_in, check_page, at_the_second_step
):
    application, coordinator, officer = at_the_second_step
    services.step_save_answers(
        step=application.current_step, actor=coordinator, content=COMPLETE_ANSWERS["plan"]
    )
    services.application_submit_step(application=application, actor=coordinator)
    page.set_viewport_size(VIEWPORTS["phone"])
    sign_in(officer)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/plan/")
    goal = page.locator("article#q-goal")
    expect(goal).to_contain_text("Grow food together")
    expect(goal.locator("textarea")).to_be_hidden()
    assert page.evaluate(NO_OVERFLOW)
    check_page(page, "step-review-phone")
    goal.get_by_text("Comment on this question").click()
    expect(goal.locator("textarea")).to_be_visible()

"""The step tracker: where the application is, what comes next, and the truth once it ended."""

import pytest

from applications import services
from applications.models import Application
from applications.pages import step_tracker
from tests.applications.helpers import bring_to_state, submit_current_step

pytestmark = pytest.mark.django_db


def _tracker(application):
    application.refresh_from_db()
    return step_tracker(application, application.ordered_steps())


def test_the_tracker_says_which_step_of_how_many_and_what_comes_next(world):
    tracker = _tracker(world.application)
    assert tracker["summary"] == "Step 1 of 4: Idea"
    assert tracker["next"] == "Next: Plan"
    assert [s.is_current for s in tracker["steps"]] == [True, False, False, False]
    # Locked steps cannot be opened: no link.
    assert [bool(s.url) for s in tracker["steps"]] == [True, False, False, False]


def test_the_second_step_says_step_2_of_4(world):
    submit_current_step(world)
    services.application_accept_step(application=world.application, actor=world.officer)
    tracker = _tracker(world.application)
    assert tracker["summary"] == "Step 2 of 4: Plan"
    assert tracker["next"] == "Next: Budget and needs"
    assert tracker["steps"][0].status_label == "Accepted"


def test_a_declined_application_shows_no_step_as_changes_requested(world):
    application = bring_to_state(world, Application.State.CHANGES_REQUESTED)
    services.application_decline(
        application=application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[{"organisation": "Buurtwerk", "phone": "020 123 4567"}],
    )
    tracker = _tracker(application)
    assert tracker["summary"] == "Declined"
    assert tracker["next"] == ""
    assert not any(s.is_current for s in tracker["steps"])
    labels = [s.status_label for s in tracker["steps"]]
    assert "Changes requested" not in labels
    assert labels == ["Stopped", "Not yet open", "Not yet open", "Not yet open"]


def test_when_every_step_is_accepted_the_tracker_says_so(world):
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    tracker = _tracker(application)
    assert tracker["summary"] == "All 4 steps are done."
    assert {s.status_label for s in tracker["steps"]} == {"Accepted"}

"""The helpers' pages in chromium, at a phone's width and a desktop's: nothing wider than the
screen, axe finds nothing, targets of at least 24 px (as tests/browser/test_every_page.py checks
every page of the journeys). Marked ``browser``: run with ``-m browser``."""

import pytest
from django.urls import reverse

from tests.applications.test_helpers import invite, make_helper
from tests.browser import conftest as browser
from tests.browser.test_every_page import Walk
from tests.funds.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser tests' fixtures (chromium, an English context, axe), used here as there.
browser_type_launch_args = browser.browser_type_launch_args
browser_context_args = browser.browser_context_args
page = browser.page
check_page = browser.check_page


def test_the_helpers_pages_fit_a_phone_and_pass_axe(
    page, live_server, check_page, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    helper = make_helper(world, capture)
    _pending, token = invite(world, "anna@example.org", capture=capture)
    application = world.application
    walk = Walk(page, live_server, check_page)

    walk.as_user(world.coordinator.username)
    walk.visit(reverse("application_detail", args=[application.pk]))

    walk.as_user(helper.username)
    walk.visit(reverse("application_detail", args=[application.pk]))
    step = reverse("step_detail", args=[application.pk, application.current_step.key])
    walk.visit(step, writes_answers=True)

    walk.as_user(None)
    walk.visit(reverse("helper_respond", args=[token]))
    walk.as_user(UserFactory(email="anna@example.org").username)
    walk.visit(reverse("helper_respond", args=[token]))
    walk.done()

"""The volunteer's journey in Arabic on a phone (360 px): right to left, nothing wider than the
screen, and axe-core finds nothing, from the home page to a submitted Idea step.

The page is found by what does not depend on the language (field names, links' addresses): the
labels are Arabic here. Set ARABIC_SCREENSHOTS=/some/folder to keep a screenshot of each page.
"""

import os
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve, reverse

from applications.models import Application
from notifications.models import Preference
from tests.browser.conftest import PASSWORD, VIEWPORTS
from tests.browser.test_every_page import OVERFLOW_JS
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = VIEWPORTS["phone"]


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """An Arabic phone: the language switch's cookie says Arabic, the screen is 360 px wide."""
    cookie = {"name": "django_language", "value": "ar", "url": live_server.url}
    return {
        **browser_context_args,
        "viewport": PHONE,
        "storage_state": {"cookies": [cookie], "origins": []},
    }


@pytest.fixture
def look(page, check_page):
    """``look(name)``: the page is Arabic, right to left, no wider than the phone, axe-clean."""
    folder = os.environ.get("ARABIC_SCREENSHOTS")

    def look(name: str) -> None:
        page.wait_for_load_state()
        html = page.locator("html")
        assert html.get_attribute("lang") == "ar", f"{name}: {page.url} is not in Arabic"
        assert html.get_attribute("dir") == "rtl", f"{name}: {page.url} is not right to left"
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}.png", full_page=True)
        scroll_width, screen = page.evaluate(OVERFLOW_JS)
        assert scroll_width <= screen, f"{name}: {page.url} is {scroll_width} px wide at {screen}"
        check_page(page)

    return look


def one_minute_check(programme) -> str | None:
    """The programme's one-minute check, where the site has it."""
    path = f"{reverse('programme_detail', args=[programme.slug])}check/"
    try:
        resolve(path)
    except Resolver404:  # not built (yet)
        return None
    return path


def test_an_arabic_volunteer_on_a_phone_submits_the_idea_step(page, live_server, look):
    programme = ProgrammeFactory(title="Together in the street", accepts_legal_entity=False)
    volunteer = UserFactory(username="layla", email="layla@example.org")
    Preference.objects.create(user=volunteer, language="ar")
    site = live_server.url

    page.goto(f"{site}/")
    look("catalogue")
    page.goto(f"{site}{reverse('programme_detail', args=[programme.slug])}")
    look("programme")
    if check := one_minute_check(programme):
        page.goto(f"{site}{check}")
        look("one-minute-check")

    # Signing in with a password (folded away below the sign-in link for volunteers).
    page.goto(f"{site}{reverse('login')}")
    look("sign-in")
    page.locator("main details > summary").click()
    page.locator("input[name=username]").fill(volunteer.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    look("dashboard")
    page.locator("header details.nav-menu > summary").click()  # the menu unfolds inside the screen
    look("menu")
    page.locator("header details.nav-menu > summary").click()

    # To apply a network is needed: start one, and come back.
    page.goto(f"{site}{reverse('application_start', args=[programme.slug])}")
    look("application-start-no-network")
    page.locator(f"main a[href^='{reverse('network_create')}']").first.click()
    look("network-form")
    page.locator("input[name=name]").fill("حديقة الشارع")
    if page.locator("input[name=area]").count():
        page.locator("input[name=area]").fill("Amsterdam-Oost")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/apply/" in url)
    look("application-start")

    page.locator("input[name=title]").fill("حديقة في الساحة")
    page.locator("input[name=requested_amount]").fill("1250")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/steps/idea/" in url)
    look("step-write")

    for name, answer in [
        ("q-what", "حديقة خضروات في الساحة"),
        ("q-why", "لا توجد مساحة خضراء"),
        ("q-for_whom", "كل سكان الشارع"),
    ]:
        page.locator(f"[name='{name}']").fill(answer)
    page.locator("button[name=action][value=submit]").click()
    application = Application.objects.get(title="حديقة في الساحة")
    detail = reverse("application_detail", args=[application.pk])
    page.wait_for_url(lambda url: url.endswith(detail))
    look("step-submitted")
    application.refresh_from_db()
    assert application.state == Application.State.STEP_SUBMITTED

    # The rest of the volunteer's own pages.
    for name, path in [
        ("network", reverse("network_detail", args=[application.network_id])),
        ("messages", reverse("notification_list")),
        ("account", reverse("account")),
    ]:
        page.goto(f"{site}{path}")
        look(name)

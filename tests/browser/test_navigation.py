"""The header on a phone and on a desktop: a menu that opens without script, one row at 1280 px."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from tests.browser.conftest import PASSWORD, VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)


def unread(user):
    Notification.objects.create(
        recipient=user, email=user.email, language="en", kind="x", subject="s", text="t", path="/"
    )


@pytest.fixture
def no_script_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(8000)
    yield page
    context.close()


def test_on_a_phone_the_menu_opens_without_script_and_the_badge_shows_folded(
    no_script_page, live_server, world
):
    page = no_script_page
    page.set_viewport_size(VIEWPORTS["phone"])
    unread(world.coordinator)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_text("Sign in with a password").click()
    page.get_by_label("Username").fill(world.coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()

    header = page.locator("header")
    assert header.bounding_box()["height"] <= 80
    expect(header.locator('[data-nav="notifications"] .badge')).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(page.get_by_role("link", name="API access")).to_have_count(0)
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_on_a_desktop_a_staff_members_items_stand_in_one_row(page, live_server, world, sign_in):
    officer = world.officer
    unread(officer)
    page.set_viewport_size(VIEWPORTS["desktop"])
    sign_in(officer)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    items = page.locator("header nav li")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert max(tops) - min(tops) <= 12, tops  # one row: at most the button's taller padding
    for name in ("Work queue", "Support pools", "Webhooks", "API access", "Account"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # The row is the folded menu's content shown: a keyboard reaches it from Messages.
    page.locator('[data-nav="notifications"]').focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Find a fund")).to_be_focused()

"""The conversation reaches the other side: an officer comments on a question; the volunteer
gets one e-mail (through a real SMTP server) quoting it; its link and one tap on *Inloggen* land
on that question, signed in, on a phone, in Dutch; the reply reaches the officer."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications import services
from applications.actions import APPLICATION_ACTIONS
from applications.models import NetworkMember
from funds.models import FundMembership
from notifications.models import Notification, Preference
from tests.applications.factories import COMPLETE_ANSWERS, NetworkFactory, NetworkMemberFactory
from tests.browser.conftest import VIEWPORTS
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Hoeveel buren doen al mee? Noem een aantal als dat kan."
REPLY = "Nu twaalf buren, en de school op de hoek wil meedoen."


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/accounts/open/\?token=\S+", text).group(0)


def test_a_comment_reaches_the_volunteer_whose_link_lands_on_the_question_and_the_reply_returns(
    page, browser, live_server, sign_in, smtp_server, check_page
):
    programme = ProgrammeFactory(title="Samen in de buurt")
    officer = FundMembershipFactory(
        fund=programme.fund, role=FundMembership.Role.OFFICER, user__email="fenna@fonds.example"
    ).user
    network = NetworkFactory(name="Buurtmoestuin")
    volunteer = NetworkMemberFactory(
        network=network, role=NetworkMember.Role.COORDINATOR, user__email="anna@example.org"
    ).user
    Preference.objects.create(user=volunteer, language="nl")
    Preference.objects.create(user=officer, language="en")
    application = services.application_create(
        network=network,
        programme=programme,
        actor=volunteer,
        title="Moestuin op het plein",
        requested_amount="1000",
    )
    step = application.current_step
    services.step_save_answers(step=step, actor=volunteer, content=COMPLETE_ANSWERS["idea"])
    APPLICATION_ACTIONS.run("submit_step", application, actor=volunteer)
    smtp_server.messages.clear()  # the receipt and the notice of the submission
    Notification.objects.all().delete()

    # The officer comments on one question.
    sign_in(officer)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/{step.key}/")
    thread = page.locator("#thread-why")
    thread.get_by_text("Comment on this question").click()  # folded away: one tap opens it
    thread.locator("textarea").fill(COMMENT)
    thread.get_by_role("button", name="Add comment").click()
    expect(page.locator("#thread-why")).to_contain_text(COMMENT)

    # One e-mail, to the volunteer only, in Dutch, quoting the comment.
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "anna@example.org"
    assert "Moestuin op het plein" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert COMMENT in body
    link = link_in(message)

    # On a phone, not signed in: the link, one tap, and the volunteer is at that question.
    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="nl-NL")
    # Dutch, as production's default is (the test settings default to English).
    phone.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    volunteer_page = phone.new_page()
    volunteer_page.set_default_timeout(8000)
    volunteer_page.goto(live_server.url + link.removeprefix(settings.SITE_URL))
    check_page(volunteer_page, "place-login", reload=False)  # already in Dutch
    volunteer_page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(volunteer_page).to_have_url(
        re.compile(rf"/applications/{application.pk}/steps/{step.key}/#thread-why$")
    )
    expect(volunteer_page.locator("#thread-why")).to_contain_text(COMMENT)
    expect(volunteer_page.locator("#thread-why")).to_be_in_viewport()
    check_page(volunteer_page, "comment-thread-phone", reload=False)

    # The volunteer replies under the same question; the officer hears of it.
    reply_box = volunteer_page.locator("#thread-why textarea")
    reply_box.fill(REPLY)
    volunteer_page.locator("#thread-why").get_by_role("button").click()
    expect(volunteer_page.locator("#thread-why")).to_contain_text(REPLY)
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    assert messages[1]["To"] == "fenna@fonds.example"
    assert REPLY in messages[1].get_body(("plain",)).get_content()
    phone.close()

    # In the officer's screens: an unread message in the navigation that leads to the place.
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator('[data-nav="notifications"] .badge')).to_have_text("1")
    page.locator(".notification-list a").first.click()
    expect(page).to_have_url(re.compile(rf"/steps/{step.key}/#thread-why$"))

"""A warm referral, in Dutch: an officer declines with a referral picked from the directory to
another programme; on a phone (360 px) the coordinator taps *Hier aanvragen met mijn antwoorden*
and finds the Idea answers already written there; the referring fund's dashboard shows that the
referral was taken up (*Gestart*)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from applications import services
from applications.models import Application, NetworkMember, Referral
from directory.models import DirectoryEntry
from funds.models import FundMembership
from notifications.models import Preference
from tests.applications.factories import COMPLETE_ANSWERS, NetworkFactory, NetworkMemberFactory
from tests.browser.conftest import VIEWPORTS
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

IDEA = COMPLETE_ANSWERS["idea"]


def dutch_page(browser, live_server, user, *, viewport):
    """A browser signed in as ``user`` (a session made by Django's test client), in Dutch."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    context.add_cookies(
        [
            {"name": "django_language", "value": "nl", "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    page.set_default_timeout(8000)
    return page


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_a_declined_network_applies_where_it_was_referred_with_its_answers(
    browser, live_server, check_page
):
    # Fund A says no; fund B's programme is open and stands in the directory.
    programme = ProgrammeFactory(title="Samen in de straat")
    officer = FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.OFFICER).user
    elsewhere = ProgrammeFactory(title="Groen in de wijk")
    entry = DirectoryEntry.objects.create(
        name="Groenfonds Oost",
        kind=DirectoryEntry.Kind.FUND,
        offer="Geld voor groen in de buurt.",
        url="https://groenfonds.example/",
        programme=elsewhere,
    )
    network = NetworkFactory(name="Straatmoestuin")
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    NetworkMemberFactory(network=network, role=NetworkMember.Role.MEMBER)
    for person in (officer, coordinator):
        Preference.objects.create(user=person, language="nl")
    application = services.application_create(
        network=network,
        programme=programme,
        actor=coordinator,
        title="Moestuin op het plein",
        requested_amount="1000",
    )
    services.step_save_answers(step=application.current_step, actor=coordinator, content=IDEA)
    services.application_submit_step(application=application, actor=coordinator)

    # The officer declines, ticking the directory entry.
    fund = dutch_page(browser, live_server, officer, viewport=VIEWPORTS["desktop"])
    fund.goto(f"{live_server.url}/applications/{application.pk}/actions/decline/")
    fund.get_by_label("Waarom wijst u de aanvraag af?").fill("Wij steunen alleen activiteiten.")
    fund.get_by_label("Advies: wat kan het netwerk nu doen?").fill("Vraag het Groenfonds Oost.")
    fund.get_by_label(entry.name).check()
    fund.get_by_role("button", name="Afwijzen met advies").click()
    expect(fund.locator("main")).to_contain_text("Wij steunen alleen activiteiten.")
    referral = Referral.objects.get(application=application, entry=entry)
    assert referral.programme == elsewhere

    # On a phone, the coordinator applies there with one tap.
    phone = dutch_page(browser, live_server, coordinator, viewport=VIEWPORTS["phone"])
    phone.goto(f"{live_server.url}/applications/{application.pk}/")
    button = phone.get_by_role("button", name="Hier aanvragen met mijn antwoorden")
    expect(button).to_be_visible()
    no_sideways_scrolling(phone)
    check_page(phone, "warm-referral-phone", reload=False)
    button.click()
    started = Application.objects.get(referral=referral)
    expect(phone).to_have_url(re.compile(rf"/applications/{started.pk}/steps/idea/$"))
    expect(phone.locator("main")).to_contain_text("met 3 antwoorden uit uw eerdere aanvraag")
    expect(phone.get_by_label("Wat wilt u doen?")).to_have_value(IDEA["what"])
    expect(phone.get_by_label("Voor wie doet u het?")).to_have_value(IDEA["for_whom"])
    no_sideways_scrolling(phone)
    check_page(phone, reload=False)
    assert started.programme == elsewhere and started.state == Application.State.DRAFTING

    # The referring fund sees on its dashboard that the referral was taken up.
    fund.goto(f"{live_server.url}/programmes/{programme.slug}/dashboard/")
    row = fund.locator(f'[data-decline="{application.pk}"]')
    expect(row.locator('[data-outcome="started"]')).to_have_text("Gestart")
    expect(fund.locator("[data-referral-counts]")).to_contain_text(
        "Doorverwijzingen naar regelingen in Eigenwijs: 1 gedaan, 1 gestart, 0 toegekend, "
        "0 afgewezen."
    )
    check_page(fund, reload=False)

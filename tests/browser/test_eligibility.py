"""Eligibility before effort, in Dutch on a phone (360 px): the one-minute check "Past dit bij
ons?" without an account, and the start page that says "Er zijn nog 2 mensen nodig om te
tekenen" with a link to invite them that works.

Texts are looked up through the Dutch catalogue (``translation.override("nl")``), so the test
reads what a Dutch volunteer reads; locators use names and data attributes, not words."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from applications.models import Network, NetworkInvitation, NetworkMember
from core import regions
from core.models import Province
from notifications.models import Preference
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_every_page import SMALL_TARGETS_JS
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

ONLY_COOPERATION = {
    "accepts_legal_entity": False,
    "accepts_cooperation_agreement": True,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def dutch(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def people_needed(count: int) -> str:
    with translation.override("nl"):
        return ngettext(
            "%(count)s more person is needed to sign.",
            "%(count)s more people are needed to sign.",
            count,
        ) % {"count": count}


def fits_a_phone(page) -> None:
    """Nothing wider than the phone, and every target at least 24 px (as test_every_page)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["width"], f"{page.url} is {width} px wide"
    assert page.evaluate(SMALL_TARGETS_JS) == [], page.url


@pytest.fixture
def in_dutch_on_a_phone(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    page.set_viewport_size(VIEWPORTS["phone"])
    return page


@pytest.fixture
def programmes():
    """A programme where three people sign a cooperation agreement (in Utrecht only), and an
    open one where a host organisation may sign instead."""
    regions.sync()  # a transactional test's flush also empties the provinces the migration loaded
    three = ProgrammeFactory(title="Samen in de straat", min_signatories=3, **ONLY_COOPERATION)
    three.provinces.set([Province.objects.get(code="NL-UT")])
    fund = three.fund
    fund.contact_name, fund.contact_phone = "Fatima Ouali", "+31201234567"
    fund.contact_email = "fatima@fonds.example"
    fund.save()
    other = ProgrammeFactory(title="Kleine dingen in de buurt")
    return three, other


def test_the_one_minute_check_needs_no_account(
    in_dutch_on_a_phone, live_server, check_page, programmes
):
    page = in_dutch_on_a_phone
    three, other = programmes
    page.goto(f"{live_server.url}/programmes/{three.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("[data-rules]")).to_contain_text("Utrecht")
    check_page(page)
    fits_a_phone(page)
    page.locator('[data-rules] a[data-link="check"]').click()
    expect(page.locator("h1")).to_have_text(dutch("Is this a fit for us?"))
    check_page(page)
    fits_a_phone(page)

    page.locator('input[name="legal_form"][value="none"]').check()
    page.locator('input[name="people"]').fill("1")
    page.locator('select[name="province"]').select_option(label="Utrecht")
    page.locator('input[name="place"]').fill("Zeist")
    page.locator('input[name="amount"]').fill("1.500")
    page.locator('form[method="get"] button[type="submit"]').click()

    answer = page.locator("[data-check-answer]")
    expect(answer).to_have_attribute("data-check-answer", "not-yet")
    expect(answer.locator("h2")).to_have_text(dutch("Not yet"))
    expect(answer.locator('[data-refusal="people"]')).to_contain_text(people_needed(2))
    expect(page.locator("[data-fund-contact]")).to_contain_text("020 123 4567")
    expect(
        page.locator("[data-check-fitting]").get_by_role("link", name=other.title)
    ).to_be_visible()
    check_page(page, "fit-check-not-yet")
    fits_a_phone(page)
    # A screenshot run (EIGENWIJS_SCREENSHOTS) puts the journeys' English cookie back: Dutch again.
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])

    # The answers stay in the form: three people who sign, and it fits.
    expect(page.locator('input[name="place"]')).to_have_value("Zeist")
    page.locator('input[name="people"]').fill("3")
    page.locator('form[method="get"] button[type="submit"]').click()
    expect(answer).to_have_attribute("data-check-answer", "fits")
    expect(answer.locator("h2")).to_have_text(dutch("Yes, this fits"))
    check_page(page)

    # Bad input is said at the field, in Dutch.
    page.locator('input[name="people"]').fill("-2")
    page.locator('form[method="get"] button[type="submit"]').click()
    expect(page.locator("#id_people_error")).to_have_text(dutch("Enter 0 or more."))
    expect(page.locator("[data-check-answer]")).to_have_count(0)
    check_page(page)
    fits_a_phone(page)


def test_the_site_wide_check_from_the_catalogue(
    in_dutch_on_a_phone, live_server, check_page, programmes
):
    page = in_dutch_on_a_phone
    three, other = programmes
    page.goto(f"{live_server.url}/")
    check_page(page)
    fits_a_phone(page)
    page.locator('a[data-link="check"]').first.click()
    page.locator('input[name="legal_form"][value="none"]').check()
    page.locator('input[name="people"]').fill("1")
    page.locator('form[method="get"] button[type="submit"]').click()
    fitting = page.locator("[data-check-fitting]")
    expect(fitting.get_by_role("link", name=other.title)).to_be_visible()
    expect(fitting.get_by_role("link", name=three.title)).to_have_count(0)
    check_page(page, "fit-check-all")
    fits_a_phone(page)


def test_two_more_people_are_needed_and_the_invite_link_works(
    in_dutch_on_a_phone, live_server, check_page, sign_in, programmes
):
    page = in_dutch_on_a_phone
    three, other = programmes
    network = NetworkFactory(name="Buurtmoestuin", legal_status=Network.LegalStatus.NONE)
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    Preference.objects.create(user=coordinator, language="nl")
    # The sign-in page reads English labels (the fixture's); after it, the person's Dutch wins.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(coordinator)

    page.goto(f"{live_server.url}/programmes/{three.slug}/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    refused = page.locator(f'[data-refused-network="{network.pk}"]')
    expect(refused.locator('[data-refusal="people"]')).to_contain_text(people_needed(2))
    expect(refused.get_by_role("link", name=other.title)).to_be_visible()
    expect(page.locator("[data-fund-contact]")).to_contain_text("Fatima Ouali")
    expect(page.locator('[data-fund-contact] a[href="tel:+31201234567"]')).to_be_visible()
    expect(page.locator('input[name="title"]')).to_have_count(0)
    check_page(page, "start-too-few-people")
    fits_a_phone(page)

    refused.locator('a[data-link="invite"]').click()
    expect(page).to_have_url(f"{live_server.url}/networks/{network.pk}/#invite-heading")
    invite = page.locator(f'form[action="/networks/{network.pk}/invite/"]')
    invite.locator('input[name="email"]').fill("buurvrouw@example.org")
    invite.locator('button[type="submit"]').click()
    expect(page.locator("main")).to_contain_text("buurvrouw@example.org")
    assert NetworkInvitation.objects.filter(
        network=network, email="buurvrouw@example.org", accepted_at__isnull=True
    ).exists()
    fits_a_phone(page)

"""The agreement's screens on a phone (360×780): nothing wider than the screen, axe clean, and
the Sign button takes the tap (the agreement's text used to lie over it)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from agreements.models import Agreement, Signatory
from agreements.signing import signing_url
from tests.agreements.helpers import (
    award,
    countersigning_manager,
    prepare_cooperation,
    send,
    sign_network,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_the_signing_page_fits_a_phone_and_sign_takes_the_tap(page, live_server, check_page, world):
    world.application = award(world)
    agreement = prepare_cooperation(world, purpose="A shared vegetable garden " * 20)
    send(agreement, world.officer)
    signatory = agreement.signatories.order_by("pk").first()
    page.goto(signing_url(signatory).replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign the agreement")
    assert_fits(page)
    check_page(page)
    page.get_by_label("Type your full name to sign").fill(signatory.name)
    page.get_by_label("I have read this agreement and agree to it").check()
    # No force=True: Playwright refuses to click when another element would receive the tap.
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for signing")
    assert_fits(page)


def test_the_agreement_page_and_the_preview_fit_a_phone(
    page, live_server, check_page, world, sign_in
):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    sign_in(world.officer)

    # The draft: its checklist, the send form with the questions to confirm, and the preview.
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_text("Check before you send")).to_be_visible()
    assert_fits(page)
    check_page(page)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/preview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the agreement")
    assert_fits(page)
    check_page(page)

    # Sent and signed by the network: the fingerprint, who signs and the payments table.
    countersigning_manager(agreement)
    send(agreement, world.officer)
    agreement = sign_network(Agreement.objects.get(pk=agreement.pk))
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_text(agreement.frozen_sha256)).to_be_visible()
    payments = page.get_by_role("region", name="Table: payment in tranches")
    expect(payments).to_have_attribute("tabindex", "0")
    assert_fits(page)
    check_page(page)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/preview/")
    assert_fits(page)
    check_page(page)


def test_the_fund_countersigns_on_a_phone(page, live_server, check_page, world, sign_in):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    manager = countersigning_manager(agreement)
    send(agreement, world.officer)
    agreement = sign_network(Agreement.objects.get(pk=agreement.pk))
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    sign_in(manager)
    page.goto(signing_url(fund).replace(settings.SITE_URL, live_server.url))
    assert_fits(page)
    check_page(page)
    page.get_by_label("Type your full name to sign").fill(fund.name)
    page.get_by_label("I have read this agreement and agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("Everyone has signed, the fund last")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.EXECUTED
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_text(agreement.contract_sha256)).to_be_visible()
    assert_fits(page)
    check_page(page)

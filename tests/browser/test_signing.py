"""Signing in a real browser: both signatories sign by personal link, then a manager of the fund
countersigns, signed in; the officer downloads the contract, byte for byte the one whose hash
was recorded."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from agreements import services
from agreements.models import Agreement, Signatory
from agreements.signing import signing_url
from tests.agreements.helpers import award, countersigning_manager, prepare_cooperation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    # The conftest's English context, and the contract is downloaded.
    return {**browser_context_args, "accept_downloads": True}


def test_signatories_sign_and_the_officer_downloads_the_contract(
    page, live_server, check_page, world, sign_in, sign_out
):
    world.application = award(world)
    agreement = prepare_cooperation(world, purpose="A shared vegetable garden")
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    manager = countersigning_manager(agreement)
    signatories = list(agreement.signatories.all())
    assert len(signatories) == 2

    for number, signatory in enumerate(signatories):
        page.goto(signing_url(signatory).replace(settings.SITE_URL, live_server.url))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign the agreement")
        expect(page.locator(".frozen-agreement")).to_contain_text("A shared vegetable garden")
        if number == 0:
            check_page(page, "sign")
        page.get_by_label("Type your full name to sign").fill(signatory.name)
        page.get_by_label("I have read this agreement and agree to it").check()
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for signing")
        check_page(page, None, reload=False)

    # The network has signed: not yet in force. The fund's manager countersigns, signed in.
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    expect(page.get_by_text("a manager of the fund countersigns")).to_be_visible()
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.email == manager.email
    sign_in(manager)
    page.goto(signing_url(fund).replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign the agreement")
    page.get_by_label("Type your full name to sign").fill(fund.name)
    page.get_by_label("I have read this agreement and agree to it").check()
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for signing")
    check_page(page, "signed", reload=False)

    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.EXECUTED
    expect(page.get_by_text("Everyone has signed, the fund last")).to_be_visible()

    sign_out()
    sign_in(world.officer)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreement")
    expect(page.get_by_text(agreement.contract_sha256)).to_be_visible()
    check_page(page, "agreement")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the signed contract (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"contract-{agreement.pk}.pdf"
    data = Path(download.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == agreement.contract_sha256


def test_officer_prepares_the_agreement_in_the_browser(
    page, live_server, check_page, world, sign_in
):
    world.application = award(world)
    sign_in(world.officer)
    page.goto(f"{live_server.url}/applications/{world.application.pk}/")
    page.get_by_role("button", name="Prepare the agreement").click()
    check_page(page, "agreement-prepare")
    page.get_by_label("Cooperation agreement between members").check()
    page.get_by_role("button", name="Prepare the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the draft agreement")
    check_page(page, "agreement-edit")
    page.get_by_label("Account holder").fill("Garden group")
    page.get_by_label("IBAN").fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Everything is ready")).to_be_visible()
    # The budget's money lines (€ 350.00) are not the award (€ 1,000.00): confirm, with a note.
    expect(page.get_by_text("Check before you send")).to_be_visible()
    page.get_by_label("I checked the questions above").check()
    page.get_by_label("Note for the history").fill("Only the seeds are funded")
    page.get_by_role("button", name="Send for signature").click()
    expect(page.get_by_text("The agreement is sent")).to_be_visible()
    check_page(page)
    agreement = world.application.agreements.get()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE

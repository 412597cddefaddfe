"""The directory's pages and the decline form with its directory on a phone (360 px): nothing
wider than the screen, and axe finds nothing, in English and at a desktop's width too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.directory.factories import add_entry, province

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def directory(world):
    world.network.province = province("NL-NH")
    world.network.save()
    add_entry(
        world.officer,
        name="Stichting Buurtwerk Amsterdam-Oost en Watergraafsmeer",
        offer="Advice on plans and budgets, a room for meetings, and help finding volunteers.",
        province=province("NL-NH"),
        place="Amsterdam",
        neighbourhood="Watergraafsmeer",
        languages=["nl", "tr", "ar", "ber"],
        email="een-heel-lang-adres-voor-de-buurt@buurtwerk-amsterdam-oost.example",
        url="www.buurtwerk-amsterdam-oost-en-watergraafsmeer.example/hulp-voor-netwerken",
    )
    return world


def test_the_directory_pages_fit_a_phone_and_pass_axe(
    page, live_server, sign_in, check_page, directory
):
    world = directory
    sign_in(world.officer)
    for size in (VIEWPORTS["phone"], VIEWPORTS["desktop"]):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/directory/")
        expect(page.locator("main")).to_contain_text("Stichting Buurtwerk")
        assert page.evaluate(NO_OVERFLOW)
        check_page(page, "directory-list")

        page.goto(f"{live_server.url}/directory/new/")
        page.get_by_role("button", name="Add to the directory").click()
        expect(page.locator("#form-errors")).to_be_visible()
        assert page.evaluate(NO_OVERFLOW)
        check_page(page)

        page.goto(f"{live_server.url}/applications/{world.application.pk}/actions/decline/")
        expect(page.locator("main")).to_contain_text("Refer to someone from the directory")
        assert page.evaluate(NO_OVERFLOW)
        check_page(page, "decline-directory")


def test_an_officer_ticks_an_entry_and_declines_on_a_phone(page, live_server, sign_in, directory):
    world = directory
    page.set_viewport_size(VIEWPORTS["phone"])
    sign_in(world.officer)
    page.goto(f"{live_server.url}/applications/{world.application.pk}/actions/decline/")
    page.get_by_label("Why do you decline?").fill("Outside our region.")
    page.get_by_label("Advice: what could the network do now?").fill("Ask the district.")
    page.get_by_label("Stichting Buurtwerk Amsterdam-Oost en Watergraafsmeer").check()
    page.get_by_role("button", name="Decline with advice").click()
    expect(page.locator("main")).to_contain_text("Stichting Buurtwerk Amsterdam-Oost")
    world.application.refresh_from_db()
    assert world.application.state == "declined"

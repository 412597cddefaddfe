"""Support in kind in a real browser: an officer allocates pool hours and the network sees them."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pools.models import Allocation
from tests.pools.helpers import budget_with_hours_submitted, pool_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_allocates_hours_and_the_network_sees_them(
    page, live_server, check_page, world, service_types, sign_in, sign_out
):
    service, provider = pool_for(world, capacity="40", rate=Decimal("40"))
    pool = service.pool
    pool.name = "Support pool East"
    pool.save()
    provider.name, provider.phone = "Kees Jansen", "020 555 0199"
    provider.save()
    application = budget_with_hours_submitted(world)  # asks 12 hours of secretarial support

    # The officer reviews the budget step and reserves hours from the pool.
    sign_in(world.officer)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/budget/")
    support = page.locator("section#support")
    expect(support).to_contain_text("Minutes of our meetings")
    expect(support).to_contain_text("40 hours still available")
    check_page(page, "budget-support")
    support.get_by_label("Hours to reserve").fill("50")
    support.get_by_role("button", name="Reserve hours from Support pool East").click()
    expect(page.locator(f"#id_need1_service{service.pk}_hours_error")).to_contain_text(
        "Only 40 hours of Secretarial support are still available in this pool."
    )
    check_page(page, reload=False)
    assert not Allocation.objects.exists()

    support = page.locator("section#support")
    support.get_by_label("Hours to reserve").fill("12")
    support.get_by_label("Provider").select_option(label="Kees Jansen")
    support.get_by_role("button", name="Reserve hours from Support pool East").click()
    expect(page.locator(".messages")).to_contain_text(
        "12 hours of Secretarial support are reserved for “Minutes of our meetings”."
    )
    expect(page.locator("section#support")).to_contain_text("28 hours still available")
    allocation = Allocation.objects.get()
    assert (allocation.hours, allocation.provider_id) == (Decimal("12"), provider.pk)

    # The pool's overview shows the reserved hours; the allocation has its own page.
    page.get_by_role("link", name="Support pools").click()
    page.get_by_role("link", name="Support pool East").click()
    expect(page.locator("figure.utilisation")).to_contain_text("12 reserved")
    check_page(page, "pool-overview")
    page.get_by_role("link", name="Minutes of our meetings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Secretarial support")
    check_page(page, "allocation")
    sign_out()

    # The network's coordinator sees the hours and the provider's contact on the application.
    sign_in(world.coordinator)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    support = page.locator("section", has=page.get_by_role("heading", name="Support in kind"))
    expect(support).to_contain_text("Secretarial support")
    expect(support).to_contain_text("Kees Jansen")
    expect(support.locator("td.num").first).to_have_text("12")
    expect(support.get_by_role("link", name="020 555 0199")).to_have_attribute(
        "href", re.compile("^tel:")
    )
    check_page(page, "application-support")

"""A programme's dashboard for its fund's staff, and its CSV downloads."""

import csv
import datetime
import io
import re
from decimal import Decimal
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from applications import panels, services
from applications.models import Application
from applications.review_rounds import review_times
from applications.services.review import programme_committed_amount
from funds.models import FundMembership
from integrations.exports import spreadsheets
from tests.agreements.helpers import award, prepare_cooperation
from tests.applications.helpers import (
    CONTACT_REFERRAL,
    bring_to_state,
    drive_to_ready,
    fill_current_step,
    start_application,
    user_for,
)
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory
from tests.pools.helpers import awarded_with, pool_for

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REFUSED = ("member", "coordinator", "outsider", "other_fund_officer", "other_fund_manager")


def dashboard_url(programme):
    return reverse("programme_dashboard", args=[programme.slug])


def at(day: str, hour: int = 10):
    moment = datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=AMSTERDAM)
    return time_machine.travel(moment, tick=False)


def read_csv(response) -> tuple[str, list[dict]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text.removeprefix(spreadsheets.BOM))))


# Who sees it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_the_funds_officers_and_managers_see_the_dashboard(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get(dashboard_url(world.programme))
    assert response.status_code == HTTPStatus.OK
    assert f"Dashboard: {world.programme.title}" in response.content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_anyone_else_gets_a_404(client, world, role):
    client.force_login(user_for(world, role))
    assert client.get(dashboard_url(world.programme)).status_code == HTTPStatus.NOT_FOUND


def test_staff_of_the_fund_see_no_dashboard_of_another_funds_programme(client, world):
    client.force_login(world.officer)
    response = client.get(dashboard_url(ProgrammeFactory()))
    assert response.status_code == HTTPStatus.NOT_FOUND
    missing = reverse("programme_dashboard", args=["no-such-programme"])
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    url = dashboard_url(world.programme)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_an_inactive_officer_is_refused(client, world):
    world.officer.is_active = False
    world.officer.save()
    client.force_login(world.officer)
    response = client.get(dashboard_url(world.programme))
    # An inactive account is not signed in at all: to the sign-in page, never the figures.
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)
    assert b"data-count" not in response.content


def test_the_queue_and_the_programme_page_link_to_the_dashboard_for_staff_only(client, world):
    url = dashboard_url(world.programme)
    client.force_login(world.officer)
    assert f'href="{url}"' in client.get(reverse("queue")).content.decode()
    programme_page = reverse("programme_detail", args=[world.programme.slug])
    assert f'href="{url}"' in client.get(programme_page).content.decode()
    for user in (world.member, FundMembershipFactory().user):
        client.force_login(user)
        assert url not in client.get(programme_page).content.decode()
    client.logout()
    assert url not in client.get(programme_page).content.decode()


# What it shows --------------------------------------------------------------------------------


def test_applications_are_counted_per_state_of_this_programme_only(client, world):
    bring_to_state(world, Application.State.STEP_SUBMITTED)
    start_application(world.programme, title="Second")
    start_application(ProgrammeFactory(fund=world.fund), title="Other programme")
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    assert '<td class="num" data-count="step_submitted">1</td>' in content
    assert '<td class="num" data-count="drafting">1</td>' in content
    assert '<td class="num" data-count="declined">0</td>' in content
    assert '<td class="num" data-count="all">2</td>' in content


def submit(application, coordinator):
    fill_current_step(application, coordinator)
    services.application_submit_step(application=application, actor=coordinator)


def review_history(world):
    """Rounds of 2 and 0 working days (idea), 1 over Christmas (plan), one waiting (budget);
    another application's idea answered after 15 working days, past the promised 10; and a
    round ended by a decline, which is neither answered nor waiting."""
    application, coordinator, officer = world.application, world.coordinator, world.officer
    with at("2026-12-01"):  # a Tuesday
        submit(application, coordinator)
    with at("2026-12-03", 9):
        services.application_request_changes(
            application=application, actor=officer, comment="Who are the neighbours?"
        )
    with at("2026-12-04"):
        submit(application, coordinator)
    with at("2026-12-04", 15):
        services.application_accept_step(application=application, actor=officer)
    with at("2026-12-24"):
        submit(application, coordinator)
    with at("2026-12-28"):  # Christmas, Boxing Day (a Saturday) and a Sunday in between
        services.application_accept_step(application=application, actor=officer)
    with at("2027-01-04"):
        submit(application, coordinator)
    late, late_coordinator = start_application(world.programme, title="Late")
    with at("2026-12-01", 11):
        submit(late, late_coordinator)
    with at("2026-12-22"):
        services.application_accept_step(application=late, actor=officer)
    ended, ended_coordinator = start_application(world.programme, title="Ended")
    submit(ended, ended_coordinator)
    services.application_decline(
        application=ended,
        actor=officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[CONTACT_REFERRAL],
    )


def test_review_rounds_are_counted_in_working_days_from_submission_to_answer(world):
    review_history(world)
    times = review_times(world.programme)
    assert sorted(times.total.days) == [0, 1, 2, 15]
    assert times.total.median == 1.5
    assert times.total.within_promise == 3 and times.total.within_promise_percent == 75
    assert times.waiting == 1
    assert [(rounds.key, sorted(rounds.days)) for rounds in times.steps] == [
        ("idea", [0, 2, 15]),
        ("plan", [1]),
    ]
    assert times.steps[0].median == 2 and times.steps[0].longest == 15


def test_the_page_shows_the_medians_and_says_how_a_round_is_counted(client, world):
    review_history(world)
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    assert '<td class="num" data-median="all">1.5</td>' in content
    assert '<td class="num" data-median="idea">2</td>' in content
    assert '<td class="num" data-within-promise="all">75%</td>' in content
    assert 'data-waiting="1"' in content
    assert "ends when an officer accepts the step or asks for changes" in content
    assert "within 10 working days" in content


def test_no_rounds_yet_says_so(client, world):
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    assert "No review round has been answered yet." in content


def test_the_budget_shows_awarded_committed_and_remaining(client, world):
    bring_to_state(world, Application.State.CONTRACTED)  # awarded 500, then signed
    awarded, coordinator = start_application(world.programme, title="Awarded")
    drive_to_ready(awarded, coordinator=coordinator, officer=world.officer)
    services.application_award(application=awarded, actor=world.manager, amount=Decimal("1000"))
    start_application(world.programme, title="Open", requested_amount="750")
    client.force_login(world.manager)
    content = client.get(dashboard_url(world.programme)).content.decode()
    assert programme_committed_amount(world.programme) == Decimal("1500")
    assert '<dd data-money="total">€ 10,000.00</dd>' in content
    assert '<dd data-money="awarded">€ 1,000.00</dd>' in content
    assert '<dd data-money="contracted">€ 500.00</dd>' in content
    assert '<dd data-money="committed">€ 1,500.00</dd>' in content
    assert '<dd data-money="remaining"><strong>€ 8,500.00</strong></dd>' in content
    assert '<dd data-money="requested_open">€ 750.00</dd>' in content
    assert 'value="15" max="100"' in content


def test_declines_are_listed_with_reason_and_referrals(client, world):
    other_programme = ProgrammeFactory(title="Buurtbudget")
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[CONTACT_REFERRAL, {"programme": other_programme}],
    )
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    row = content[content.index(f'data-decline="{world.application.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Outside our region." in row
    assert reverse("application_detail", args=[world.application.pk]) in row
    assert "Buurtwerk Oost – Anna de Vries, 020 123 4567" in row
    assert reverse("programme_detail", args=[other_programme.slug]) in row
    assert "Buurtbudget" in row


def test_declines_come_a_page_at_a_time(client, world, monkeypatch):
    from applications.views import programme_dashboard

    monkeypatch.setattr(programme_dashboard, "DECLINES_PER_PAGE", 1)
    for title in ("First no", "Second no"):
        application, _coordinator = start_application(world.programme, title=title)
        services.application_decline(
            application=application,
            actor=world.officer,
            reason=f"Reason for {title}",
            advice="Advice",
            referrals=[CONTACT_REFERRAL],
        )
    client.force_login(world.officer)
    first = client.get(dashboard_url(world.programme)).content.decode()
    assert "Reason for Second no" in first and "Reason for First no" not in first
    second = client.get(dashboard_url(world.programme), {"declines": 2}).content.decode()
    assert "Reason for First no" in second and 'rel="prev"' in second


def test_support_hours_come_from_the_pools_panel(client, world):
    assert "programme_dashboard" in panels.SLOTS
    service, provider = pool_for(world)
    awarded_with(world, service, "6", provider=provider)
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    assert "Support hours used" in content
    assert "for 1 application of this programme" in content
    table = content[content.index('data-table="support-hours"') :]
    assert f'<th scope="row">{service.service_type.label}</th>' in table
    assert '<td class="num">6</td>' in table  # confirmed, not yet delivered


@override_settings(LANGUAGE_CODE="nl")
def test_the_page_reads_in_dutch(client, world):
    client.force_login(world.officer)
    response = client.get(dashboard_url(world.programme), headers={"accept-language": "nl"})
    assert '<html lang="nl">' in response.content.decode()


def test_tables_sit_in_scroll_containers_for_small_screens(client, world):
    bring_to_state(world, Application.State.DECLINED)
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    # Each scrolls inside a region a keyboard can reach (axe: scrollable-region-focusable).
    regions = re.findall(r'<div class="table-scroll"[^>]*>', content)
    assert len(regions) == content.count("<table")
    assert all('tabindex="0"' in region and "aria-label" in region for region in regions)


def some_applications(world, count: int) -> None:
    """``count`` applications: every other one declined with two referrals, the rest with a
    step accepted (an answered review round)."""
    for number in range(count):
        application, coordinator = start_application(world.programme, title=f"App {number}")
        submit(application, coordinator)
        if number % 2:
            services.application_accept_step(application=application, actor=world.officer)
        else:
            services.application_decline(
                application=application,
                actor=world.officer,
                reason="No",
                advice="Elsewhere",
                referrals=[CONTACT_REFERRAL, CONTACT_REFERRAL],
            )


def test_the_number_of_queries_does_not_grow_with_the_programme(
    client, world, django_assert_max_num_queries
):
    service, provider = pool_for(world)
    awarded_with(world, service, "4", provider=provider)
    some_applications(world, 2)
    client.force_login(world.officer)
    with django_assert_max_num_queries(20) as few:
        assert client.get(dashboard_url(world.programme)).status_code == HTTPStatus.OK
    some_applications(world, 8)
    other = start_application(world.programme, title="More support")
    world.application, world.coordinator = other
    awarded_with(world, service, "3", provider=provider)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(dashboard_url(world.programme))
    content = response.content.decode()
    assert content.count("data-decline=") == 5
    assert "for 2 applications of this programme" in content


# Downloads ------------------------------------------------------------------------------------


def test_applications_csv_has_this_programmes_applications_only(client, world):
    start_application(ProgrammeFactory(fund=world.fund), title="Other programme")
    Application.objects.filter(pk=world.application.pk).update(title="=SUM(A1:A9)")
    client.force_login(world.officer)
    response = client.get(reverse("programme_applications_csv", args=[world.programme.slug]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{world.programme.slug}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    text, rows = read_csv(response)
    assert text.startswith("\ufeff" + ",".join(spreadsheets.APPLICATION_COLUMNS))
    assert [(row["id"], row["title"]) for row in rows] == [
        (str(world.application.pk), "'=SUM(A1:A9)")
    ]


def test_tranches_csv_has_this_programmes_tranches_only(client, world):
    world.application = award(world, "1000")
    prepare_cooperation(world)
    elsewhere = ProgrammeFactory(fund=world.fund)
    client.force_login(world.manager)
    response = client.get(reverse("programme_tranches_csv", args=[world.programme.slug]))
    _text, rows = read_csv(response)
    assert [(row["number"], row["amount"]) for row in rows] == [("1", "800.00"), ("2", "200.00")]
    assert {row["application_id"] for row in rows} == {str(world.application.pk)}
    response = client.get(reverse("programme_tranches_csv", args=[elsewhere.slug]))
    assert read_csv(response)[1] == []


@pytest.mark.parametrize("name", ["programme_applications_csv", "programme_tranches_csv"])
@pytest.mark.parametrize("role", REFUSED)
def test_downloads_are_a_404_for_anyone_but_the_funds_staff(client, world, name, role):
    client.force_login(user_for(world, role))
    assert client.get(reverse(name, args=[world.programme.slug])).status_code == 404


@pytest.mark.parametrize("name", ["programme_applications_csv", "programme_tranches_csv"])
def test_downloads_send_an_anonymous_visitor_to_sign_in(client, world, name):
    response = client.get(reverse(name, args=[world.programme.slug]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_links_both_downloads(client, world):
    FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER)
    client.force_login(world.officer)
    content = client.get(dashboard_url(world.programme)).content.decode()
    for name in ("programme_applications_csv", "programme_tranches_csv"):
        assert reverse(name, args=[world.programme.slug]) in content


def test_a_draft_agreements_tranches_stay_out_of_the_csv_for_staff_in_the_network(client, world):
    """A manager who is also in the network is fund staff (the dashboard is theirs) but, like on
    the agreement screens, does not see the draft of their own network's agreement."""
    from applications.models import NetworkMember
    from tests.applications.factories import NetworkMemberFactory

    world.application = award(world, "1000")
    prepare_cooperation(world)  # a draft, with its tranches
    NetworkMemberFactory(network=world.network, user=world.manager, role=NetworkMember.Role.MEMBER)
    client.force_login(world.manager)
    response = client.get(reverse("programme_tranches_csv", args=[world.programme.slug]))
    assert read_csv(response)[1] == []
    client.force_login(world.officer)  # not in the network: sees the draft's tranches
    response = client.get(reverse("programme_tranches_csv", args=[world.programme.slug]))
    assert len(read_csv(response)[1]) == 2

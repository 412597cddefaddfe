"""The fund officers' work queue."""

import copy
import datetime
import re
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Agreement
from applications import services
from applications.models import Application, NetworkMember, Step
from applications.reminders import overdue_steps
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import bring_to_state, fill_current_step, start_application
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def submitted(programme, title, *, days_ago):
    application, coordinator = start_application(programme, title=title)
    fill_current_step(application, coordinator)
    services.application_submit_step(application=application, actor=coordinator)
    application.refresh_from_db()
    Step.objects.filter(pk=application.current_step_id).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return application


def test_queue_lists_submitted_steps_oldest_first_with_age(client, world):
    submitted(world.programme, "Middle", days_ago=3)
    submitted(world.programme, "Oldest", days_ago=9)
    submitted(world.programme, "Newest", days_ago=1)
    client.force_login(world.officer)
    response = client.get(reverse("queue"))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert content.index("Oldest") < content.index("Middle") < content.index("Newest")
    assert "<td>9</td>" in content
    assert "Garden" not in content  # still drafting: not in the default view


def test_queue_counts_per_state_and_filters(client, world):
    submitted(world.programme, "Submitted one", days_ago=2)
    other_programme = ProgrammeFactory(fund=world.fund)
    submitted(other_programme, "Other programme", days_ago=2)
    client.force_login(world.officer)
    content = client.get(reverse("queue")).content.decode()
    assert '<span data-count="step_submitted">2</span>' in content
    assert '<span data-count="drafting">1</span>' in content

    content = client.get(reverse("queue"), {"programme": other_programme.pk}).content.decode()
    assert "Other programme" in content
    assert "Submitted one" not in content

    content = client.get(reverse("queue"), {"state": "drafting"}).content.decode()
    assert "Garden" in content
    assert "Submitted one" not in content


def test_queue_shows_only_the_users_funds(client, world):
    submitted(ProgrammeFactory(), "Elsewhere", days_ago=2)
    client.force_login(world.officer)
    content = client.get(reverse("queue"), {"state": "all"}).content.decode()
    assert "Elsewhere" not in content
    assert "Garden" in content


def test_queue_is_refused_to_people_without_a_fund(client, world):
    client.force_login(world.member)
    response = client.get(reverse("queue"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "for people who work at a fund" in response.content.decode()


def test_queue_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.officer)
    for n in range(3):
        submitted(world.programme, f"App {n}", days_ago=n)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("queue")).status_code == HTTPStatus.OK
    for n in range(3, 10):
        submitted(ProgrammeFactory(fund=world.fund), f"App {n}", days_ago=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("queue"))
    assert response.content.decode().count("App ") == 10
    assert Application.objects.filter(state="step_submitted").count() == 10


def test_queue_pages_fifty_at_a_time_oldest_first(client, world, monkeypatch):
    from applications.views import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    for days in (5, 4, 3):
        submitted(world.programme, f"Waiting {days}", days_ago=days)
    client.force_login(world.officer)
    first = client.get(reverse("queue")).content.decode()
    assert "Waiting 5" in first and "Waiting 4" in first and "Waiting 3" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(reverse("queue"), {"page": 2}).content.decode()
    assert "Waiting 3" in second and "Waiting 5" not in second and 'rel="prev"' in second
    # A page number out of range shows the last page rather than an error.
    assert "Waiting 3" in client.get(reverse("queue"), {"page": 99}).content.decode()


# ---------------------------------------------------------------------------------------------
# The tabs: waiting for me, past the promised time, ready for decision, and the agreements'.

#: A Wednesday, two weeks before Christmas: the promised dates below are worked out by hand.
WEDNESDAY = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TABS = ("mine", "late", "decide", "reports", "tranches", "overdue")


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield WEDNESDAY


def tab_page(client, tab, **params):
    response = client.get(reverse("queue"), {"tab": tab, **params})
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def tab_count(content, tab) -> int:
    return int(re.search(rf'<span data-tab-count="{tab}">(\d+)</span>', content).group(1))


def table(content) -> str:
    """The rows of the page's table (the filter's programme names stay out of it)."""
    return (
        content[content.index("<tbody>") : content.index("</tbody>")]
        if "<tbody>" in content
        else ""
    )


def led(world, application, officer):
    services.application_assign_lead_officer(
        application=application, officer=officer, actor=world.manager
    )
    return application


def network_of_two(world, title):
    """Another network's application to the world's programme; two members can sign."""
    application, coordinator = start_application(world.programme, title=title)
    NetworkMemberFactory(network=application.network, role=NetworkMember.Role.MEMBER)
    clone = copy.copy(world)
    clone.application, clone.coordinator, clone.network = (
        application,
        coordinator,
        application.network,
    )
    return clone


def contracted(world, title):
    """An application with a signed agreement: its first tranche is due."""
    other = network_of_two(world, title)
    bring_to_state(other, Application.State.CONTRACTED)
    other.agreement = other.application.agreements.get()
    return other


def overdue(world, title, *, days=3):
    other = contracted(world, title)
    Agreement.objects.filter(pk=other.agreement.pk).update(
        final_report_due=timezone.localdate() - datetime.timedelta(days=days)
    )
    return other


def reported(world, title):
    other = contracted(world, title)
    agreement_services.report_submit(
        agreement=other.agreement, actor=other.coordinator, kind="final", what_was_done="Done"
    )
    return other


def test_waiting_for_me_lists_the_submitted_steps_i_lead(client, world):
    led(world, submitted(world.programme, "Mine", days_ago=2), world.officer)
    led(world, submitted(world.programme, "For Bram", days_ago=3), world.manager)
    submitted(world.programme, "For nobody", days_ago=4)
    led(world, world.application, world.officer)  # still drafting: nothing waits
    client.force_login(world.officer)
    content = tab_page(client, "mine")
    rows = table(content)
    assert "Mine" in rows and "For Bram" not in rows and "For nobody" not in rows
    assert "Garden" not in rows
    assert tab_count(content, "mine") == 1
    assert 'aria-current="page">Waiting for me</a>' in content
    client.force_login(world.manager)
    rows = table(tab_page(client, "mine"))
    assert "For Bram" in rows and "Mine" not in rows


def test_past_the_promised_time_counts_working_days_per_programme(client, world, wednesday):
    # Ten working days (the default): submitted on Tuesday 24 November, the answer was due on
    # Tuesday 8 December; submitted on the 25th, it is due today and not late yet.
    submitted(world.programme, "Ten late", days_ago=15)
    submitted(world.programme, "Ten on time", days_ago=14)
    quick = ProgrammeFactory(fund=world.fund, reply_working_days=1)
    submitted(quick, "One late", days_ago=2)  # Monday: due Tuesday
    submitted(quick, "One on time", days_ago=1)  # Tuesday: due today
    client.force_login(world.officer)
    content = tab_page(client, "late")
    rows = table(content)
    assert "Ten late" in rows and "One late" in rows
    assert "on time" not in rows
    assert tab_count(content, "late") == 2
    # What the reminders call late is what the queue shows.
    late_titles = {step.application.title for step, _promised in overdue_steps(timezone.now())}
    assert late_titles == {"Ten late", "One late"}


def test_ready_for_decision_opens_the_award_page(client, world):
    bring_to_state(world, Application.State.READY_FOR_DECISION)
    submitted(world.programme, "Still reviewing", days_ago=1)
    client.force_login(world.manager)
    content = tab_page(client, "decide")
    rows = table(content)
    award = reverse("application_transition", args=[world.application.pk, "award"])
    assert f'href="{award}"' in rows
    assert "Still reviewing" not in rows
    assert tab_count(content, "decide") == 1


def test_the_agreements_tabs_list_tranches_reports_and_what_is_overdue(client, world):
    late = overdue(world, "Late report")
    handed_in = reported(world, "Report in")
    client.force_login(world.officer)

    content = tab_page(client, "tranches")
    rows = table(content)
    assert "Late report" in rows and "Report in" in rows and "Tranche 1" in rows
    assert reverse("agreement_detail", args=[late.agreement.pk]) + "#tranches-heading" in rows
    assert tab_count(content, "tranches") == 2

    content = tab_page(client, "reports")
    rows = table(content)
    report = handed_in.agreement.reports.get()
    assert f'href="{reverse("report_detail", args=[report.pk])}"' in rows
    assert "Late report" not in rows and "Final report" in rows
    assert tab_count(content, "reports") == 1

    content = tab_page(client, "overdue")
    rows = table(content)
    assert "Late report" in rows and "Final report" in rows
    assert "Report in" not in rows  # handed in, and not yet due
    assert tab_count(content, "overdue") == 1


def test_a_report_handed_in_is_no_longer_overdue(client, world):
    late = overdue(world, "Late report")
    client.force_login(world.officer)
    assert tab_count(tab_page(client, "overdue"), "overdue") == 1
    agreement_services.report_submit(
        agreement=late.agreement, actor=late.coordinator, kind="final", what_was_done="Done"
    )
    content = tab_page(client, "overdue")
    assert tab_count(content, "overdue") == 0 and "No report is overdue." in content
    assert tab_count(content, "reports") == 1


def test_tabs_sort_by_waiting_since_and_by_title(client, world):
    for title, days in (("Bravo", 20), ("alpha", 30), ("Charlie", 25)):
        submitted(world.programme, title, days_ago=days)
    client.force_login(world.officer)

    def order(**params):
        rows = table(tab_page(client, "late", **params))
        return sorted(("alpha", "Bravo", "Charlie"), key=rows.index)

    assert order() == ["alpha", "Charlie", "Bravo"]  # waiting longest first
    assert order(sort="-date") == ["Bravo", "Charlie", "alpha"]
    assert order(sort="title") == ["alpha", "Bravo", "Charlie"]  # whatever the case
    assert order(sort="-title") == ["Charlie", "Bravo", "alpha"]
    assert order(sort="nonsense") == ["alpha", "Charlie", "Bravo"]
    content = tab_page(client, "late", sort="title")
    assert 'aria-sort="ascending"' in content and "sort=-title" in content


def test_tabs_filter_by_programme_and_count_what_the_filter_shows(client, world):
    other_programme = ProgrammeFactory(fund=world.fund)
    led(world, submitted(world.programme, "Here", days_ago=2), world.officer)
    led(world, submitted(other_programme, "There", days_ago=2), world.officer)
    client.force_login(world.officer)
    assert tab_count(tab_page(client, "mine"), "mine") == 2
    content = tab_page(client, "mine", programme=other_programme.pk)
    rows = table(content)
    assert "There" in rows and "Here" not in rows
    assert tab_count(content, "mine") == 1
    assert 'name="programme"' in content and 'name="tab" value="mine"' in content
    # Another fund's programme shows nothing, not even its counts.
    content = tab_page(client, "mine", programme=ProgrammeFactory().pk)
    assert tab_count(content, "mine") == 0


def test_a_tab_pages_fifty_at_a_time_and_keeps_its_order(client, world, monkeypatch):
    from applications.views import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    for title, days in (("C", 30), ("A", 28), ("B", 26)):
        submitted(world.programme, f"Late {title}", days_ago=days)
    client.force_login(world.officer)
    first = table(tab_page(client, "late", sort="title"))
    assert "Late A" in first and "Late B" in first and "Late C" not in first
    content = tab_page(client, "late", sort="title")
    assert 'rel="next" href="?tab=late&amp;sort=title&amp;page=2"' in content
    second = table(tab_page(client, "late", sort="title", page=2))
    assert "Late C" in second and "Late A" not in second


def test_the_tabs_are_refused_to_people_without_a_fund(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("queue"), {"tab": "mine"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_every_tab_shows_its_count_on_every_page(client, world):
    client.force_login(world.officer)
    content = client.get(reverse("queue")).content.decode()
    for tab in TABS:
        assert tab_count(content, tab) == 0
    assert '<span data-tab-count="all">1</span>' in content  # Garden, drafting


#: Adds one item to a tab (of the world's fund).
GROW = {
    "mine": lambda world, n: led(
        world, submitted(world.programme, f"Item {n}", days_ago=n + 1), world.officer
    ),
    "late": lambda world, n: submitted(world.programme, f"Item {n}", days_ago=30 + n),
    "decide": lambda world, n: bring_to_state(
        network_of_two(world, f"Item {n}"), Application.State.READY_FOR_DECISION
    ),
    "reports": lambda world, n: reported(world, f"Item {n}"),
    "tranches": lambda world, n: contracted(world, f"Item {n}"),
    "overdue": lambda world, n: overdue(world, f"Item {n}", days=n + 1),
}


@pytest.mark.parametrize("tab", TABS)
def test_a_tabs_query_count_does_not_grow_with_rows(
    client, world, tab, django_assert_max_num_queries
):
    client.force_login(world.officer)
    GROW[tab](world, 0)  # one row first: an empty page skips the rows' queries
    # 12, and 3 more where the rows ask the person's roles once (who may award opens the award;
    # the applications the person helps write, which they never decide on).
    with django_assert_max_num_queries(15 if tab == "decide" else 12) as few:
        content = tab_page(client, tab)
    assert tab_count(content, tab) == 1
    for n in (1, 2):
        GROW[tab](world, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = tab_page(client, tab)
    assert tab_count(content, tab) == 3
    assert table(content).count("Item ") == 3

"""The fund officers' work queue."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Step
from tests.applications.helpers import fill_current_step, start_application
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

"""Every list and detail endpoint, and the officer's work queue, use a constant number of queries.

Each endpoint is measured over a small data set, the data set is grown (more applications,
comments, revisions, agreements, tranches, reports, allocations and members), and measured
again: the count may not grow, and stays under a fixed ceiling. An N+1 shows up as a count that
grows with the data.
"""

import copy
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.models import Application, NetworkMember
from tests.applications.factories import COMPLETE_ANSWERS, NetworkMemberFactory
from tests.applications.helpers import bring_to_state, start_application, submit_current_step
from tests.pools.factories import ProviderFactory
from tests.pools.helpers import pool_for, reserve

#: No page of the API or the queue needs more than this, whatever the data.
CEILING = 20


def another(world, application, coordinator):
    """The world's fund, officers and pool, seen from another network's application."""
    clone = copy.copy(world)
    clone.application, clone.coordinator = application, coordinator
    return clone


def start(world, title):
    """A new network of two (a cooperation agreement needs two signing members)."""
    application, coordinator = start_application(world.programme, title=title)
    NetworkMemberFactory(network=application.network, role=NetworkMember.Role.MEMBER)
    return another(world, application, coordinator)


def grow(world, service, extra: int):
    """Add ``extra`` of everything the endpoints list."""
    step = world.application.current_step
    for n in range(extra):
        services.comment_create(step=step, actor=world.officer, body=f"Question {n}")
        services.step_save_answers(
            step=step,
            actor=world.coordinator,
            content={**COMPLETE_ANSWERS["idea"], "what": f"v{n}"},
        )
        NetworkMemberFactory(network=world.network, role=NetworkMember.Role.MEMBER)
        ProviderFactory(pool=service.pool, service_type=service.service_type)
        application, coordinator = start_application(world.programme, title=f"Extra {n}")
        other = another(world, application, coordinator)
        submit_current_step(other)
        services.comment_create(
            step=application.current_step, actor=world.officer, body="More detail, please"
        )
        bring_to_state(start(world, f"Closed {n}"), Application.State.CLOSED)
        ready = start(world, f"Pooled {n}")
        bring_to_state(ready, Application.State.READY_FOR_DECISION)
        reserve(world, service, Decimal("1"), application=ready.application)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


def urls(world, pool) -> list[str]:
    app = world.application.pk
    key = world.application.current_step.key
    agreement = world.agreement.pk
    report = world.agreement.reports.first().pk
    tranche = world.agreement.tranches.first().pk
    allocation = world.allocation.pk
    return [
        "/api/v1/funds/",
        f"/api/v1/funds/{world.fund.slug}/",
        "/api/v1/programmes/",
        f"/api/v1/programmes/{world.programme.slug}/",
        "/api/v1/applications/",
        f"/api/v1/applications/?updated_since=2000-01-01T00:00:00Z&fund={world.fund.slug}",
        f"/api/v1/applications/{app}/",
        f"/api/v1/applications/{app}/steps/",
        f"/api/v1/applications/{app}/steps/{key}/",
        f"/api/v1/applications/{app}/comments/",
        f"/api/v1/applications/{app}/revisions/",
        f"/api/v1/applications/{app}/history/",
        f"/api/v1/applications/{app}/transitions/",
        "/api/v1/agreements/",
        f"/api/v1/agreements/{agreement}/",
        f"/api/v1/agreements/{agreement}/tranches/",
        f"/api/v1/agreements/{agreement}/signatories/",
        "/api/v1/tranches/",
        f"/api/v1/tranches/{tranche}/",
        "/api/v1/reports/",
        f"/api/v1/reports/{report}/",
        "/api/v1/support-pools/",
        f"/api/v1/support-pools/{pool.pk}/",
        f"/api/v1/support-pools/{pool.pk}/utilisation/",
        "/api/v1/allocations/",
        f"/api/v1/allocations/{allocation}/",
    ]


@pytest.fixture
def measured_world(api_world):
    w = api_world
    service, _provider = pool_for(w, capacity="500")
    closed = start(w, "Closed")
    bring_to_state(closed, Application.State.CLOSED)
    w.agreement = closed.application.agreements.get()
    ready = start(w, "Pooled")
    bring_to_state(ready, Application.State.READY_FOR_DECISION)
    w.allocation = reserve(w, service, Decimal("1"), application=ready.application)
    services.step_save_answers(
        step=w.application.current_step, actor=w.coordinator, content=COMPLETE_ANSWERS["idea"]
    )
    services.comment_create(step=w.application.current_step, actor=w.officer, body="Why?")
    return w, service


@pytest.mark.parametrize("role", ["officer", "write_key"])
def test_api_query_counts_do_not_grow_with_the_data(measured_world, role):
    world, service = measured_world
    client = world.clients[role]
    pages = urls(world, service.pool)
    client.get(pages[0])  # the credential's once-a-minute "last used" write, out of the way
    before = {url: count(client, url) for url in pages}
    grow(world, service, extra=4)
    after = {url: count(client, url) for url in pages}
    grew = {url: (before[url], after[url]) for url in pages if after[url] > before[url]}
    assert not grew, f"queries grew with the data (before, after): {grew}"
    too_many = {url: n for url, n in after.items() if n > CEILING}
    assert not too_many, too_many


def test_network_member_lists_do_not_grow(measured_world):
    world, service = measured_world
    client = world.clients["coordinator"]
    pages = [
        "/api/v1/networks/",
        f"/api/v1/networks/{world.network.pk}/",
        f"/api/v1/networks/{world.network.pk}/members/",
        "/api/v1/applications/",
        f"/api/v1/applications/{world.application.pk}/",
    ]
    client.get(pages[0])  # the token's once-a-minute "last used" write, out of the way
    before = {url: count(client, url) for url in pages}
    grow(world, service, extra=3)
    after = {url: count(client, url) for url in pages}
    assert after == before
    assert max(after.values()) <= CEILING


def test_officer_queue_page_does_not_grow(measured_world, client, django_assert_max_num_queries):
    world, service = measured_world
    client.force_login(world.officer)
    # One waiting step first: an empty page skips the rows' queries and would flatter the baseline.
    grow(world, service, extra=1)
    pages = [reverse("queue"), reverse("queue") + "?state=all"]
    before = {page: count(client, page) for page in pages}
    grow(world, service, extra=4)
    for page in pages:
        with django_assert_max_num_queries(before[page], info=page):
            assert client.get(page).status_code == 200
    assert max(before.values()) <= CEILING


def test_page_size_does_not_change_the_query_count(measured_world):
    """A page of one and a page of 200 cost the same number of queries on every list."""
    world, service = measured_world
    grow(world, service, extra=3)
    client = world.clients["officer"]
    # Collections, not single records: the last path segment is not an id or a slug of one.
    single = {str(world.application.pk), world.fund.slug, world.programme.slug}
    lists = [
        url
        for url in urls(world, service.pool)
        if not (segment := url.split("?")[0].rstrip("/").split("/")[-1]).isdigit()
        and segment not in single
        and segment != world.application.current_step.key
    ]
    assert len(lists) >= 12, lists
    client.get(lists[0])  # the credential's once-a-minute "last used" write, out of the way
    differ = {}
    for url in lists:
        small, large = (
            count(client, f"{url}{'&' if '?' in url else '?'}page_size={size}") for size in (1, 200)
        )
        if small != large:
            differ[url] = (small, large)
    assert not differ, f"queries depend on the page size (1, 200): {differ}"

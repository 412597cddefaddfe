"""The utilisation overview on the two-fund, three-network scenario (see scenario.py)."""

from decimal import Decimal as D

import pytest

from pools.selectors import pool_utilisation

from .scenario import build_scenario

pytestmark = pytest.mark.django_db


def figures(line):
    u = line.usage
    return (u.reserved, u.confirmed, u.delivered, line.remaining)


def test_per_service_type():
    services = {line.label: line for line in pool_utilisation(build_scenario()).services}

    # Secretarial: 20 reserved; 30 confirmed of which 10 delivered; 15 delivered. 100 - 65 = 35.
    assert figures(services["Secretarial support"]) == (D(20), D(20), D(25), D(35))
    # Bookkeeping: 4 delivered before closing, 2 before release; nothing else held. 50 - 6 = 44.
    assert figures(services["Bookkeeping"]) == (D(0), D(0), D(6), D(44))


def test_money_value_is_kept_apart_and_only_where_a_rate_is_known():
    services = {line.label: line for line in pool_utilisation(build_scenario()).services}

    # (10 + 15) delivered secretarial hours at €40; bookkeeping has no rate.
    assert services["Secretarial support"].usage.delivered_value == D(1000)
    assert services["Bookkeeping"].usage.delivered_value == D(0)
    assert services["Bookkeeping"].usage.delivered_unpriced == D(6)


def test_per_contributing_fund():
    funds = {line.label: line for line in pool_utilisation(build_scenario()).funds}

    a, b = funds["Fund A"], funds["Fund B"]
    assert (a.contributed_hours, a.contributed_euros, a.share) == (D(300), D(2000), D("75.0"))
    assert (b.contributed_hours, b.contributed_euros, b.share) == (D(100), D(5000), D("25.0"))
    # Fund A's networks 1 and 2: reserved 20; confirmed 30 - 10; delivered 10 + 4 + 2.
    assert (a.usage.reserved, a.usage.confirmed, a.usage.delivered) == (D(20), D(20), D(16))
    assert a.usage.delivered_value == D(400)
    # Fund B's network 3: 15 delivered secretarial hours, the bookkeeping was released unused.
    assert (b.usage.reserved, b.usage.confirmed, b.usage.delivered) == (D(0), D(0), D(15))
    assert b.usage.delivered_value == D(600)


def test_per_network():
    networks = {line.label: line for line in pool_utilisation(build_scenario()).networks}

    assert figures(networks["Network 1"])[:3] == (D(20), D(0), D(4))
    assert figures(networks["Network 2"])[:3] == (D(0), D(20), D(12))
    assert figures(networks["Network 3"])[:3] == (D(0), D(0), D(15))


def test_totals_add_up_to_capacity():
    total = pool_utilisation(build_scenario()).total

    assert total.capacity == D(150)
    assert figures(total) == (D(20), D(20), D(31), D(79))
    assert total.usage.in_use + total.remaining == total.capacity


def test_overview_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    pool = build_scenario()

    with django_assert_max_num_queries(5):
        pool_utilisation(pool)

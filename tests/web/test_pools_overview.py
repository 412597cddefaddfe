"""The pool list, the pool overview and its CSV export, on the scenario of tests/pools/scenario.py."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from applications.models import Application, NetworkMember
from funds.models import Fund, FundMembership
from pools.models import Allocation
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory
from tests.pools.factories import ProviderFactory
from tests.pools.scenario import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    return build_scenario()


def officer_of(fund_name: str, role=FundMembership.Role.OFFICER):
    return FundMembershipFactory(fund=Fund.objects.get(name=fund_name), role=role).user


def network_member(name: str):
    from applications.models import Network

    return NetworkMemberFactory(
        network=Network.objects.get(name=name), role=NetworkMember.Role.COORDINATOR
    ).user


def detail_url(pool):
    return reverse("pool_detail", args=[pool.slug])


def csv_url(pool):
    return reverse("pool_utilisation_csv", args=[pool.slug])


# The list ---------------------------------------------------------------------------------------


def test_officers_of_each_contributing_fund_see_the_pool_in_their_list(client, pool):
    for user in (officer_of("Fund A"), officer_of("Fund B", FundMembership.Role.MANAGER)):
        client.force_login(user)
        content = client.get(reverse("pool_list")).content.decode()
        assert detail_url(pool) in content
        assert "Pool Oost" in content


def test_fund_staff_have_the_pools_in_the_navigation(client, pool):
    client.force_login(officer_of("Fund A"))

    content = client.get(reverse("dashboard"), follow=True).content.decode()

    assert f'href="{reverse("pool_list")}"' in content


def test_network_members_have_no_pools_link(client, pool):
    client.force_login(network_member("Network 1"))

    content = client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("pool_list")}"' not in content


def test_an_officer_of_a_fund_outside_the_pool_sees_an_empty_list_with_a_reason(client, pool):
    client.force_login(FundMembershipFactory(role=FundMembership.Role.OFFICER).user)

    content = client.get(reverse("pool_list")).content.decode()

    assert detail_url(pool) not in content
    assert "Your fund does not contribute to a support pool yet." in content


@pytest.mark.parametrize("who", ["network", "outsider"])
def test_people_outside_the_funds_see_an_empty_list_with_a_reason(client, pool, who):
    user = network_member("Network 1") if who == "network" else UserFactory()
    client.force_login(user)

    response = client.get(reverse("pool_list"))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert detail_url(pool) not in content
    assert "shown to the officers and managers of the funds that contribute" in content


# The overview -----------------------------------------------------------------------------------


def test_overview_shows_period_funds_bars_tables_and_allocations(client, pool):
    client.force_login(officer_of("Fund B"))

    response = client.get(detail_url(pool))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert pool.starts_on.strftime("%-d %B %Y") in content
    assert csv_url(pool) in content
    # Funds: hours, euros and share.
    assert "Fund A" in content and "Fund B" in content
    assert "€ 2,000.00" in content and "€ 5,000.00" in content
    assert "75%" in content and "25%" in content
    # Secretarial: 25 delivered, 20 confirmed, 20 reserved of 100: bars as SVG attributes.
    assert (
        "Secretarial support</strong>: 25 delivered, 20 confirmed, 20 reserved; 35 of 100"
        in content
    )
    assert '<rect class="bar-delivered" x="0" y="0" width="25.0%"' in content
    assert '<rect class="bar-confirmed" x="25.0%" y="0" width="20.0%"' in content
    assert '<rect class="bar-reserved" x="45.0%" y="0" width="20.0%"' in content
    assert "style=" not in content
    # The money value has its own column and is never in an hours column.
    assert "Money value at provider rate" in content
    assert "€ 1,000.00" in content
    assert "6 h without a rate" in content
    # Per network, and every allocation with a link.
    for name in ("Network 1", "Network 2", "Network 3"):
        assert name in content
    for allocation in Allocation.objects.all():
        assert reverse("allocation_detail", args=[allocation.pk]) in content


def test_overview_bars_keep_dot_decimals_in_dutch(client, pool):
    client.force_login(officer_of("Fund A"))
    client.cookies["django_language"] = "nl"

    content = client.get(detail_url(pool)).content.decode()

    assert '<html lang="nl">' in content
    assert 'width="25.0%"' in content  # an SVG attribute, not "25,0%"
    assert "€ 1.000,00" in content


def test_overview_takes_the_same_number_of_queries_with_more_allocations(
    client, pool, django_assert_max_num_queries
):
    client.force_login(officer_of("Fund A"))
    with django_assert_max_num_queries(15) as few:
        client.get(detail_url(pool))

    service = pool.services.get(service_type__code="secretarial")
    provider = ProviderFactory(pool=pool, service_type=service.service_type)
    programme = ProgrammeFactory(fund=Fund.objects.get(name="Fund A"))
    for n in range(6):
        application = Application.objects.create(
            network=NetworkFactory(), programme=programme, title=f"More {n}", requested_amount=0
        )
        Allocation.objects.create(
            application=application, service=service, provider=provider, need="More", hours=1
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(pool))
    assert "More 5" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, pool):
    for url in (reverse("pool_list"), detail_url(pool), csv_url(pool)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["network", "outsider", "other_fund", "provider"])
def test_overview_and_csv_are_not_found_outside_the_contributing_funds(client, pool, who):
    users = {
        "network": lambda: network_member("Network 2"),
        "outsider": UserFactory,
        "other_fund": lambda: FundMembershipFactory(role=FundMembership.Role.MANAGER).user,
        "provider": lambda: ProviderFactory(pool=pool, user=UserFactory()).user,
    }
    client.force_login(users[who]())

    # As in the API: a pool outside your scope does not exist for you.
    for url in (detail_url(pool), csv_url(pool)):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_an_unknown_pool_is_not_found(client, pool):
    client.force_login(officer_of("Fund A"))

    assert client.get(reverse("pool_detail", args=["nope"])).status_code == HTTPStatus.NOT_FOUND


# The CSV ----------------------------------------------------------------------------------------


def rows_of(response) -> dict[tuple, dict]:
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    return {(row["section"], row["name"]): row for row in reader}


def test_csv_has_the_scenario_figures_per_service_fund_network_and_total(client, pool):
    client.force_login(officer_of("Fund A"))

    response = client.get(csv_url(pool))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{pool.slug}-utilisation.csv"' in response["Content-Disposition"]
    header = response.content.decode().splitlines()[0]
    assert header == (
        "section,name,capacity_hours,reserved_hours,confirmed_hours,delivered_hours,"
        "remaining_hours,contributed_hours,contributed_euros,delivered_value_eur,"
        "delivered_hours_without_rate"
    )
    rows = rows_of(response)
    assert len(rows) == 2 + 2 + 3 + 1

    def figures(section, name):
        row = rows[(section, name)]
        return [row[column] for column in list(row)[2:]]

    #                capacity reserved confirmed delivered remaining contributed € value unpriced
    assert figures("service", "Secretarial support") == [
        "100.00", "20.00", "20.00", "25.00", "35.00", "", "", "1000.00", "0.00"
    ]  # fmt: skip
    assert figures("service", "Bookkeeping") == [
        "50.00", "0.00", "0.00", "6.00", "44.00", "", "", "0.00", "6.00"
    ]  # fmt: skip
    assert figures("fund", "Fund A") == [
        "", "20.00", "20.00", "16.00", "", "300.00", "2000.00", "400.00", "6.00"
    ]  # fmt: skip
    assert figures("fund", "Fund B") == [
        "", "0.00", "0.00", "15.00", "", "100.00", "5000.00", "600.00", "0.00"
    ]  # fmt: skip
    assert figures("network", "Network 1") == [
        "", "20.00", "0.00", "4.00", "", "", "", "0.00", "4.00"
    ]  # fmt: skip
    assert figures("network", "Network 2") == [
        "", "0.00", "20.00", "12.00", "", "", "", "400.00", "2.00"
    ]  # fmt: skip
    assert figures("network", "Network 3") == [
        "", "0.00", "0.00", "15.00", "", "", "", "600.00", "0.00"
    ]  # fmt: skip
    assert figures("total", "Total") == [
        "150.00", "20.00", "20.00", "31.00", "79.00", "400.00", "7000.00", "1000.00", "6.00"
    ]  # fmt: skip


def test_csv_keeps_dot_decimals_in_dutch(client, pool):
    client.force_login(officer_of("Fund A"))
    client.cookies["django_language"] = "nl"

    rows = rows_of(client.get(csv_url(pool)))

    assert rows[("service", "Secretariaat")]["delivered_value_eur"] == "1000.00"


def test_csv_does_not_let_a_network_name_become_a_spreadsheet_formula(client, pool):
    from applications.models import Network

    Network.objects.filter(name="Network 1").update(name='=HYPERLINK("http://x.example")')
    client.force_login(officer_of("Fund A"))

    rows = rows_of(client.get(csv_url(pool)))

    assert ("network", '\'=HYPERLINK("http://x.example")') in rows

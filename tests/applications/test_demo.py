import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_fsm_log.models import StateLog

from agreements.arrangements import Arrangement
from applications.models import Application, Comment, Network, Referral, Revision
from funds.models import Fund, FundMembership, Programme

pytestmark = pytest.mark.django_db

MODELS = [
    Fund,
    Programme,
    FundMembership,
    Network,
    Application,
    Revision,
    Comment,
    Referral,
    StateLog,
]


def counts():
    return {model.__name__: model.objects.count() for model in [*MODELS, get_user_model()]}


def test_demo_runs_twice_without_duplicating_anything():
    call_command("demo", stdout=StringIO())
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first


def test_demo_has_two_funds_one_accepting_informal_networks_and_one_requiring_a_legal_entity():
    call_command("demo", stdout=StringIO())
    programmes = {p.fund.slug: p for p in Programme.objects.select_related("fund")}
    assert len(programmes) == 2
    assert programmes["buurtfonds-oost"].accepts_informal_networks
    assert programmes["stadsfonds"].accepted_arrangements == ["legal_entity"]
    for fund in Fund.objects.all():
        assert set(fund.memberships.values_list("role", flat=True)) == {"officer", "manager"}


def test_demo_applications_stand_in_every_state():
    call_command("demo", stdout=StringIO())
    assert set(Application.objects.values_list("state", flat=True)) == set(Application.State.values)


def test_demo_json_lists_logins_that_work(client):
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    users = json.loads(out.getvalue())["users"]
    roles = {u["role"] for u in users}
    assert {"officer", "manager", "coordinator", "member"} <= roles
    for user in users:
        assert set(user) <= {"username", "password", "role", "fund", "network"}
        assert ("fund" in user) == (user["role"] in ("officer", "manager"))
        assert client.login(username=user["username"], password=user["password"])


def test_demo_has_one_executed_agreement_per_arrangement_with_its_contract():
    from agreements.models import Agreement
    from agreements.pdf import sha256_hex

    call_command("demo", stdout=StringIO())
    executed = Agreement.objects.filter(state=Agreement.State.EXECUTED)
    assert sorted(executed.values_list("arrangement", flat=True)) == sorted(Arrangement.values)
    for agreement in executed:
        assert sha256_hex(agreement.contract_pdf.read()) == agreement.contract_sha256


def test_demo_sends_no_mail(mailoutbox):
    call_command("demo", stdout=StringIO())
    assert mailoutbox == []


def test_demo_has_a_pool_funded_by_both_funds_with_allocations_in_every_state():
    from pools.models import Allocation, SupportPool

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    pool = SupportPool.objects.get()
    assert set(pool.contributions.values_list("fund__slug", flat=True)) == set(
        Fund.objects.values_list("slug", flat=True)
    )
    allocations = Allocation.objects.filter(service__pool=pool)
    assert set(allocations.values_list("state", flat=True)) == set(Allocation.State.values)
    assert allocations.count() == 7  # not duplicated by the second run
    assert Application.objects.get(title="Hulp bij de administratie").awarded_amount == 0

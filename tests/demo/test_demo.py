import json
from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.models import (
    Application,
    Comment,
    LeadOfficerChange,
    Network,
    Referral,
    Revision,
)
from demo.management.commands import demo as demo_command
from demo.management.commands.demo import unapplied_migrations
from funds.arrangements import Arrangement
from funds.models import Fund, FundMembership, Programme
from integrations.models import FundAPIKey, PersonalAccessToken
from integrations.services import fund_key_revoke, personal_token_revoke
from notifications.models import Notification

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
    LeadOfficerChange,
    Notification,
]


def counts():
    return {model.__name__: model.objects.count() for model in [*MODELS, get_user_model()]}


def test_demo_runs_twice_without_duplicating_anything():
    call_command("demo", stdout=StringIO())
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first


def test_demo_has_funds_accepting_informal_networks_and_one_requiring_a_legal_entity():
    call_command("demo", stdout=StringIO())
    programmes = {p.fund.slug: p for p in Programme.objects.select_related("fund")}
    assert len(programmes) == 3
    assert programmes["buurtfonds-oost"].accepts_informal_networks
    assert programmes["stadsfonds"].accepted_arrangements == ["legal_entity"]
    # The third one is where the warm referral leads: small, informal, one province.
    small = programmes["zorgzame-buurt"]
    assert small.accepts_informal_networks
    assert list(small.provinces.values_list("code", flat=True)) == ["NL-NH"]
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
        assert set(user) <= {"username", "password", "role", "fund", "network", "token"}
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


def test_demo_has_a_pool_funded_by_two_funds_with_allocations_in_every_state():
    from pools.models import Allocation, SupportPool

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    pool = SupportPool.objects.get()
    assert set(pool.contributions.values_list("fund__slug", flat=True)) == {
        "buurtfonds-oost",
        "stadsfonds",
    }
    allocations = Allocation.objects.filter(service__pool=pool)
    assert set(allocations.values_list("state", flat=True)) == set(Allocation.State.values)
    assert allocations.count() == 7  # not duplicated by the second run
    assert Application.objects.get(title="Hulp bij de administratie").awarded_amount == 0


# ---------------------------------------------------------------------------------------------
# API credentials: a personal token per user and a read+write key per fund, the same every run


def demo_json() -> dict:
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_demo_json_prints_a_working_token_for_every_user_and_a_key_for_every_fund():
    printed = demo_json()
    api = Client(HTTP_HOST="127.0.0.1")
    for user in printed["users"]:
        response = api.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {user['token']}")
        assert response.status_code == 200, user["username"]
    keys = {k["fund"]: k for k in printed["fund_keys"]}
    assert set(keys) == set(Fund.objects.values_list("slug", flat=True))
    for slug, key in keys.items():
        assert key["scope"] == "read_write"
        response = api.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {key['key']}")
        assert response.status_code == 200
        assert [fund["slug"] for fund in response.json()["results"]] == [slug]


def test_demo_credentials_are_the_same_on_every_run_and_never_duplicated():
    first = demo_json()
    numbers = (FundAPIKey.objects.count(), PersonalAccessToken.objects.count())
    assert numbers == (len(first["fund_keys"]), len(first["users"]))
    assert demo_json() == first
    assert (FundAPIKey.objects.count(), PersonalAccessToken.objects.count()) == numbers
    prefixes = [k["key"].split(".")[0] for k in first["fund_keys"]]
    prefixes += [u["token"].split(".")[0] for u in first["users"]]
    assert all(len(p) == 8 and p.isalnum() and p == p.lower() for p in prefixes)
    assert len(set(prefixes)) == len(prefixes)


def test_a_demo_key_revoked_by_hand_works_again_after_the_next_run():
    printed = demo_json()
    oost = next(k for k in printed["fund_keys"] if k["fund"] == "buurtfonds-oost")
    key = FundAPIKey.objects.get(prefix=oost["key"].split(".")[0])
    fund_key_revoke(key=key, actor=get_user_model().objects.get(username="max"))
    anna = next(u for u in printed["users"] if u["username"] == "anna")
    token = PersonalAccessToken.objects.get(prefix=anna["token"].split(".")[0])
    personal_token_revoke(token=token, actor=token.user)
    api = Client(HTTP_HOST="127.0.0.1")
    assert api.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {oost['key']}").status_code == 401
    assert demo_json() == printed
    for secret in (oost["key"], anna["token"]):
        response = api.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200


def test_a_demo_fund_key_acts_as_a_manager_of_its_fund_only():
    printed = demo_json()
    for key in printed["fund_keys"]:
        account = FundAPIKey.objects.get(prefix=key["key"].split(".")[0]).user
        assert not account.has_usable_password()
        memberships = list(account.fund_memberships.values_list("fund__slug", "role"))
        assert memberships == [(key["fund"], "manager")]


def test_demo_shows_a_lead_officer_a_promised_date_an_overdue_report_and_unread_messages():
    call_command("demo", stdout=StringIO())
    anna = Client()
    anna.login(username="anna", password="eigenwijs-demo")
    # Anna's application with changes requested: her contact person at the fund, with a phone.
    garden = Application.objects.get(title="Moestuin op het pleintje")
    page = anna.get(f"/applications/{garden.pk}/").content.decode()
    assert "Fenna de Vries" in page and "020 555 0111" in page
    # Chris's submitted budget step: the promised date.
    chris = Client()
    chris.login(username="chris", password="eigenwijs-demo")
    chris.cookies["django_language"] = "nl"
    waiting = Application.objects.get(title="Reparatiemiddagen in de bibliotheek")
    assert "uiterlijk op" in chris.get(f"/applications/{waiting.pk}/").content.decode()
    # The summer party's progress report is late: a reminder to Anna, unread, and the queue's tab.
    late = Notification.objects.get(recipient__username="anna", kind__contains="report_late")
    assert late.read_at is None
    assert "Zomerfeest op het plein" in late.subject
    assert Notification.objects.filter(recipient__username="anna", read_at__isnull=True).count() > 1
    fenna = Client()
    fenna.login(username="fenna", password="eigenwijs-demo")
    queue = fenna.get("/queue/?tab=overdue").content.decode()
    assert "Zomerfeest op het plein" in queue


# ---------------------------------------------------------------------------------------------
# The first run, as a newcomer meets it


def test_every_demo_officer_finds_a_submitted_step_to_open_in_their_queue():
    call_command("demo", stdout=StringIO())
    for officer in FundMembership.objects.filter(role=FundMembership.Role.OFFICER).exclude(
        user__username__startswith="key-"
    ):
        client = Client()
        client.force_login(officer.user)
        waiting = Application.objects.filter(
            programme__fund=officer.fund,
            state=Application.State.STEP_SUBMITTED,
            lead_officer=officer.user,
        )
        assert waiting.exists(), officer.user.username
        for url in ("/queue/", "/queue/?tab=mine"):
            queue = client.get(url).content.decode()
            for application in waiting:
                assert application.title in queue, (officer.user.username, url)
        for application in waiting:
            step = application.current_step
            page = client.get(reverse("step_detail", args=[application.pk, step.key]))
            assert page.status_code == HTTPStatus.OK


def test_the_printed_sign_in_address_follows_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert f"http://127.0.0.1:8101{reverse('login')}" in printed
    assert ":8000" not in printed


def test_unapplied_migrations_are_seen_on_a_database_never_migrated(tmp_path):
    fresh = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "fresh.sqlite3"),
            "OPTIONS": {},
        },
        alias="fresh",
    )
    try:
        assert len(unapplied_migrations(fresh)) > 50  # every app's, from the first
    finally:
        fresh.close()
    assert unapplied_migrations(connection) == []  # the test database is migrated


def seed_nothing(command):
    command.logins, command.fund_keys = [], []


def test_demo_on_a_database_never_migrated_migrates_first(monkeypatch):
    monkeypatch.setattr(demo_command.Command, "_seed", seed_nothing)
    calls = []
    monkeypatch.setattr(demo_command, "unapplied_migrations", lambda: ["funds.0001_initial"])
    monkeypatch.setattr(
        demo_command, "call_command", lambda *args, **kwargs: calls.append((args, kwargs))
    )
    out, err = StringIO(), StringIO()
    call_command("demo", "--json", stdout=out, stderr=err)
    assert calls == [(("migrate",), {"interactive": False, "verbosity": 0})]
    assert "running migrate first" in err.getvalue()
    json.loads(out.getvalue())  # the JSON stays clean for scripts


def test_demo_on_a_migrated_database_does_not_migrate(monkeypatch):
    monkeypatch.setattr(demo_command.Command, "_seed", seed_nothing)
    calls = []
    monkeypatch.setattr(
        demo_command, "call_command", lambda *args, **kwargs: calls.append((args, kwargs))
    )
    err = StringIO()
    call_command("demo", stdout=StringIO(), stderr=err)
    assert calls == []
    assert err.getvalue() == ""

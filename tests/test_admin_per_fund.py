"""The admin per fund: a fund's staff find no row of another fund in any model admin.

For every registered model admin, fund Alfa's officer, staff with every view right (so it is the
queryset that hides, not a missing right) and then with every right (so forms, choices and filters
are tried too), looks for fund Bravo's row: it is not in the changelist, and its change and
history pages say it does not exist (a redirect to the index) or refuse (403). Alfa's own row
still shows, and a superuser still sees Bravo's. Everything of Bravo carries "Bravo" in its name,
so no page Alfa opens may contain that word. An admin registered without saying who sees what
(``core.admin``'s three kinds) or without a case here fails.
"""

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rest_framework_api_key.models import APIKey

from agreements import services as agreement_services
from agreements.models import Tranche
from applications import services as application_services
from applications.admin import NetworkMemberInline
from applications.models import Network, NetworkMember
from core.admin import FundScopedAdmin, SharedAdmin, SuperuserOnly
from core.events import record_event
from core.models import Province
from directory.models import DirectoryEntry
from funds.admin import FundMembershipInline
from funds.models import Fund, FundMembership, Programme, Theme
from integrations.models import WebhookEndpoint
from integrations.services import fund_key_create, personal_token_create
from integrations.webhooks.fanout import fan_out
from integrations.webhooks.tasks import deliver_webhook
from notifications.models import Notification, Preference, ReminderSent
from tests.agreements.helpers import award, prepare_cooperation, sign_all
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import (
    FundFactory,
    FundMembershipFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.pools.factories import (
    ContributionFactory,
    PoolServiceFactory,
    ProviderFactory,
    SupportPoolFactory,
    service_type,
)
from tests.pools.helpers import budget_submitted, reserve

pytestmark = pytest.mark.django_db

MARK = "bravo"


def make_side(name: str):
    """A fund with an officer and a manager, and a network that applied to its programme; named
    after ``name`` throughout. Shaped like the ``world`` fixture, for the shared helpers."""
    low = name.lower()
    side = SimpleNamespace(name=name)
    side.fund = FundFactory(name=f"{name}fonds", slug=f"{low}fonds")
    side.programme = ProgrammeFactory(fund=side.fund, title=f"{name} programme", slug=low)
    side.officer = FundMembershipFactory(
        fund=side.fund, user=UserFactory(username=f"{low}-officer"), role="officer"
    ).user
    side.manager = FundMembershipFactory(
        fund=side.fund, user=UserFactory(username=f"{low}-manager"), role="manager"
    ).user
    side.network = NetworkFactory(name=f"{name} network")
    side.coordinator = NetworkMemberFactory(
        network=side.network,
        user=UserFactory(username=f"{low}-coordinator"),
        role=NetworkMember.Role.COORDINATOR,
    ).user
    side.member = NetworkMemberFactory(
        network=side.network, user=UserFactory(username=f"{low}-member")
    ).user
    side.application = application_services.application_create(
        network=side.network,
        programme=side.programme,
        actor=side.coordinator,
        title=f"{name} garden",
        requested_amount="1000",
    )
    return side


@pytest.fixture
def sides():
    return make_side("Alfa"), make_side("Bravo")


# One row of each model, belonging to a side's fund, made with the services where they exist.


def _agreement(side):
    side.application = award(side)
    return prepare_cooperation(side)


def _report(side):
    agreement = _agreement(side)
    agreement_services.agreement_send(
        agreement=agreement, actor=side.officer, note="Checked", confirmed=True
    )
    return agreement_services.report_submit(
        agreement=sign_all(agreement),
        actor=side.member,
        kind="progress",
        what_was_done=f"{side.name} planted the garden",
    )


def _pool(side):
    pool = SupportPoolFactory(name=f"{side.name} pool", slug=f"{side.name.lower()}-pool")
    ContributionFactory(pool=pool, fund=side.fund)
    side.service = PoolServiceFactory(pool=pool, service_type=service_type("secretarial"))
    side.provider = ProviderFactory(
        pool=pool, service_type=side.service.service_type, name=f"{side.name} provider"
    )
    return pool


def _provider(side):
    _pool(side)
    return side.provider


def _allocation(side):
    _pool(side)
    budget_submitted(side)
    return reserve(side, side.service, "4")


def _endpoint(side):
    return WebhookEndpoint.objects.create(
        fund=side.fund,
        url=f"https://{side.name.lower()}.example.org/hook",
        description=f"{side.name} CRM",
    )


def _event(side):
    return record_event("comment.created", fund=side.fund, payload={"note": f"{side.name} note"})


def _delivery(side):
    endpoint = _endpoint(side)
    fan_out(_event(side).pk)
    return endpoint.deliveries.get()


def _task_result(side):
    return DBTaskResult.objects.get(pk=deliver_webhook.enqueue(_delivery(side).pk).id)


def _sign_in(side) -> dict:
    return {
        "username": f"{side.name.lower()}-officer",
        "ip_address": "192.0.2.7",
        "user_agent": "pytest",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }


#: Every registered model admin, by model label: how to make a row of a side's fund.
ROWS = {
    # Who sees what is the apps' selectors'.
    "funds.Fund": lambda side: side.fund,
    "funds.Programme": lambda side: side.programme,
    "funds.FundMembership": lambda side: FundMembership.objects.get(user=side.manager),
    "applications.Network": lambda side: side.network,
    "applications.Application": lambda side: side.application,
    "agreements.Agreement": _agreement,
    "agreements.Report": _report,
    "pools.SupportPool": _pool,
    "pools.Provider": _provider,
    "pools.Allocation": _allocation,
    "integrations.FundAPIKey": lambda side: fund_key_create(
        fund=side.fund, actor=side.manager, name=f"{side.name} CRM"
    )[0],
    "integrations.PersonalAccessToken": lambda side: personal_token_create(
        actor=side.officer, name=f"{side.name} script"
    )[0],
    "integrations.WebhookEndpoint": _endpoint,
    "core.Event": _event,
    "integrations.WebhookDelivery": _delivery,
    # Shared by every fund, owned by none.
    "funds.Theme": lambda side: Theme.objects.create(
        name=f"{side.name} theme", slug=f"{side.name.lower()}-theme"
    ),
    "pools.ServiceType": lambda side: service_type("secretarial"),
    "core.Province": lambda side: Province.objects.get(code="NL-UT"),
    "directory.DirectoryEntry": lambda side: DirectoryEntry.objects.create(
        name=f"{side.name} buurtwerk", offer="Hulp bij schrijven", phone="+31201234567"
    ),
    # For superusers only.
    "auth.User": lambda side: side.officer,
    # Messages are personal, not a fund's: only the operator sees them in the admin.
    "notifications.Notification": lambda side: Notification.objects.create(
        recipient=side.officer,
        email=side.officer.email,
        language="nl",
        kind="x",
        subject=f"{side.name} message",
        text="t",
        path="/",
    ),
    "notifications.Preference": lambda side: Preference.objects.get_or_create(user=side.officer)[0],
    "notifications.ReminderSent": lambda side: ReminderSent.objects.create(
        key=f"{side.name}-reminder"
    ),
    "auth.Group": lambda side: Group.objects.create(name=f"{side.name} group"),
    "rest_framework_api_key.APIKey": lambda side: APIKey.objects.create_key(
        name=f"{side.name} key"
    )[0],
    "django_tasks_database.DBTaskResult": _task_result,
    "axes.AccessAttempt": lambda side: AccessAttempt.objects.create(
        **_sign_in(side), get_data="", post_data="", failures_since_start=3
    ),
    "axes.AccessFailureLog": lambda side: AccessFailureLog.objects.create(**_sign_in(side)),
    "axes.AccessLog": lambda side: AccessLog.objects.create(**_sign_in(side)),
}

REGISTERED = sorted(model._meta.label for model in admin.site._registry)


def model_admin(label: str):
    return next(a for m, a in admin.site._registry.items() if m._meta.label == label)


def url(obj, view: str) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[quote(obj.pk)])


def page(label: str, view: str) -> str:
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model.lower()}_{view}")


def changelist(label: str) -> str:
    return page(label, "changelist")


def staffed(user, *, everything: bool):
    """``user`` as staff with every view right, or with every right there is."""
    user.is_staff = True
    user.save()
    rights = Permission.objects.all()
    user.user_permissions.set(rights if everything else rights.filter(codename__startswith="view_"))
    return user


def assert_not_shown(client, page: str):
    response = client.get(page)
    if response.status_code == HTTPStatus.FOUND:
        assert response.url == reverse("admin:index"), page
        said = " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert "doesn’t exist" in said, page
    else:
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND), page


def test_every_registered_admin_says_who_sees_what():
    kinds = (FundScopedAdmin, SharedAdmin, SuperuserOnly)
    unsaid = [label for label in REGISTERED if not isinstance(model_admin(label), kinds)]
    assert not unsaid, (
        f"subclass core.admin's FundScopedAdmin, SharedAdmin or SuperuserOnly: {unsaid}"
    )
    assert set(ROWS) == set(REGISTERED), (
        "every registered admin needs a case in ROWS, and only those"
    )


@pytest.mark.parametrize("label", REGISTERED)
def test_fund_staff_do_not_find_another_funds_row(label, sides, client):
    alfa, bravo = sides
    assert label in ROWS, f"{label} is registered in the admin: add it to ROWS here"
    kind = model_admin(label)
    theirs = ROWS[label](bravo)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert url(theirs, "change") in client.get(changelist(label)).text  # the test would see it
    assert client.get(url(theirs, "change")).status_code == HTTPStatus.OK

    ours = None if isinstance(kind, SuperuserOnly | SharedAdmin) else ROWS[label](alfa)
    for everything in (False, True):
        client.force_login(staffed(alfa.officer, everything=everything))
        if isinstance(kind, SuperuserOnly):
            assert client.get(changelist(label)).status_code == HTTPStatus.FORBIDDEN
            assert changelist(label) not in client.get(reverse("admin:index")).text
            assert_not_shown(client, url(theirs, "change"))
            continue
        if isinstance(kind, SharedAdmin):
            assert url(theirs, "change") in client.get(changelist(label)).text
            assert client.get(url(theirs, "change")).status_code == HTTPStatus.OK
            continue
        listed = client.get(changelist(label))
        assert listed.status_code == HTTPStatus.OK
        assert url(ours, "change") in listed.text
        assert url(theirs, "change") not in listed.text
        assert MARK not in listed.text.lower()
        for view in ("change", "history"):
            assert_not_shown(client, url(theirs, view))
            own = client.get(url(ours, view))
            assert own.status_code == HTTPStatus.OK
            assert MARK not in own.text.lower(), f"{label} {view} page shows Bravo's"
        added = client.get(page(label, "add"))
        assert added.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
        assert MARK not in added.text.lower(), f"{label} add page offers Bravo's"


def test_autocompletes_offer_fund_staff_nothing_of_another_fund(sides, client):
    alfa, _bravo = sides
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    fields = [
        (owner.model._meta, name)
        for model, model_admin_ in admin.site._registry.items()
        for owner in [model_admin_, *(i(model, admin.site) for i in model_admin_.inlines)]
        for name in owner.autocomplete_fields
    ]
    assert fields
    for opts, name in fields:
        query = {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": name}
        query["term"] = MARK
        client.force_login(superuser)
        assert client.get(reverse("admin:autocomplete"), query).json()["results"], (opts, name)
        client.force_login(staffed(alfa.officer, everything=True))
        response = client.get(reverse("admin:autocomplete"), query)
        if response.status_code != HTTPStatus.FORBIDDEN:
            assert response.json()["results"] == [], (opts, name)


def inline_management(page) -> dict:
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_a_forged_choice_of_another_funds_row_is_refused(sides, client):
    alfa, bravo = sides
    client.force_login(staffed(alfa.officer, everything=True))
    add = reverse("admin:funds_programme_add")
    data = {
        **inline_management(client.get(add)),
        "title": "Forged",
        "slug": "forged",
        "budget": "100",
        "max_amount": "50",
        "currency": "EUR",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "min_signatories": "2",
        "reply_working_days": "10",
        "accepts_cooperation_agreement": "on",
    }

    refused = client.post(add, {**data, "fund": bravo.fund.pk})

    assert refused.status_code == HTTPStatus.OK
    assert "fund" in refused.context["adminform"].form.errors
    assert not Programme.objects.filter(slug="forged").exists()
    assert client.post(add, {**data, "fund": alfa.fund.pk}).status_code == HTTPStatus.FOUND
    assert Programme.objects.get(slug="forged").fund == alfa.fund


def test_fund_staff_attach_no_accounts_in_the_admin(sides, client):
    alfa, bravo = sides
    staff = staffed(alfa.officer, everything=True)
    client.force_login(staff)
    assert client.get(reverse("admin:funds_fundmembership_add")).status_code == HTTPStatus.FORBIDDEN
    joined = client.post(
        reverse("admin:funds_fundmembership_add"),
        {"fund": alfa.fund.pk, "user": bravo.officer.pk, "role": "manager"},
    )
    assert joined.status_code == HTTPStatus.FORBIDDEN
    assert not FundMembership.objects.filter(fund=alfa.fund, user=bravo.officer).exists()
    request = RequestFactory().get("/")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    for inline, parent, obj in [
        (FundMembershipInline, Fund, alfa.fund),
        (NetworkMemberInline, Network, alfa.network),
    ]:
        request.user = staff
        assert not inline(parent, admin.site).has_add_permission(request, obj)
        assert "user" in inline(parent, admin.site).get_readonly_fields(request, obj)
    request.user = root
    assert FundMembershipInline(Fund, admin.site).has_add_permission(request, alfa.fund)
    # Membership of a network is by consent: not even a superuser adds someone to one.
    assert not NetworkMemberInline(Network, admin.site).has_add_permission(request, alfa.network)


def test_an_inline_asks_the_selector_too(sides, client):
    """A draft's tranches are its fund's business: staff of another fund who see the agreement
    as a member of its network see it without them, as on the agreement page."""
    alfa, bravo = sides
    agreement = _agreement(bravo)
    NetworkMemberFactory(network=bravo.network, user=alfa.officer)
    client.force_login(staffed(alfa.officer, everything=False))

    page = client.get(url(agreement, "change"))

    assert page.status_code == HTTPStatus.OK
    tranches = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Tranche
    )
    assert agreement.tranches.exists()
    assert not tranches.queryset.exists()

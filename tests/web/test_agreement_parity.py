"""One answer to "what may this person do now" for agreements, tranches and reports.

For every state an agreement, a tranche and a report pass through, and every kind of caller,
four places must agree: the buttons on the web page (``data-action``), the API's transitions
list, the registry's ``available()`` and django-fsm's ``get_available_user_state_transitions``.
Whoever cannot see the object gets a 404 on the web and in the API, and is offered nothing.
"""

import datetime

import pytest
from django.urls import reverse

from agreements import services
from agreements.actions import AGREEMENT_ACTIONS, REPORT_ACTIONS, TRANCHE_ACTIONS
from agreements.models import Agreement, Report, Tranche
from applications.models import NetworkMember
from funds.models import FundMembership
from tests.agreements.helpers import VALID_IBAN, award, sign_all
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory
from tests.parity import check, fund_keys, person, who

pytestmark = pytest.mark.django_db

#: Every kind of person, besides the fund's keys. "preparer" prepared the agreement (an
#: officer), "awarder" awarded the grant (a manager); "treasurer" is another officer of the fund.
#: "outsider" stands for anyone else who is signed in, such as a support pool's provider.
PEOPLE = (
    "member",
    "coordinator",
    "preparer",
    "awarder",
    "treasurer",
    "conflicted_officer",
    "other_fund_officer",
    "outsider",
)
KEYS = ("read_key", "write_key")


@pytest.fixture
def callers(world):
    treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    conflicted = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    NetworkMemberFactory(network=world.network, user=conflicted, role=NetworkMember.Role.MEMBER)
    other = FundMembershipFactory(fund=ProgrammeFactory().fund, role=FundMembership.Role.OFFICER)
    users = {
        "member": world.member,
        "coordinator": world.coordinator,
        "preparer": world.officer,
        "awarder": world.manager,
        "treasurer": treasurer,
        "conflicted_officer": conflicted,
        "other_fund_officer": other.user,
        "outsider": UserFactory(),
    }
    return {
        **{role: person(user) for role, user in users.items()},
        **fund_keys(world.fund, actor=world.manager),
    }


def check_agreement(agreement, callers):
    return check(
        agreement,
        AGREEMENT_ACTIONS,
        callers,
        page=reverse("agreement_detail", args=[agreement.pk]),
        api=f"/api/v1/agreements/{agreement.pk}/transitions/",
        on_page=lambda found: {name for name, tranche in found if tranche is None},
    )


def check_tranche(tranche, callers):
    return check(
        tranche,
        TRANCHE_ACTIONS,
        callers,
        page=reverse("agreement_detail", args=[tranche.agreement_id]),
        api=f"/api/v1/tranches/{tranche.pk}/transitions/",
        on_page=lambda found: {name for name, pk in found if pk == str(tranche.pk)},
        own_page=False,
    )


def check_report(report, callers):
    return check(
        report,
        REPORT_ACTIONS,
        callers,
        page=reverse("report_detail", args=[report.pk]),
        api=f"/api/v1/reports/{report.pk}/transitions/",
        on_page=lambda found: {name for name, _tranche in found},
    )


FUND_STAFF = {"preparer", "awarder", "treasurer", "write_key"}


def test_web_api_registry_and_fsm_agree_in_every_state_for_every_caller(
    world, callers, django_capture_on_commit_callbacks
):
    world.application = award(world)
    agreement = services.agreement_prepare(
        application=world.application, actor=world.officer, arrangement="cooperation_agreement"
    )

    # A draft that misses its IBAN: cancel only; sending waits for the checklist.
    offered = check_agreement(agreement, callers)
    assert who(offered, "cancel") == FUND_STAFF and who(offered, "send") == set()
    for tranche in agreement.tranches.all():
        assert check_tranche(tranche, callers) == dict.fromkeys(callers, set())

    services.agreement_update(
        agreement=agreement, actor=world.officer, iban=VALID_IBAN, payee_name="A. Member"
    )
    offered = check_agreement(agreement, callers)
    assert who(offered, "send") == who(offered, "cancel") == FUND_STAFF

    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_send(
            agreement=agreement, actor=world.officer, note="Checked", confirmed=True
        )
    offered = check_agreement(agreement, callers)
    assert who(offered, "cancel") == FUND_STAFF and who(offered, "send") == set()

    agreement = sign_all(agreement)
    assert agreement.state == Agreement.State.EXECUTED
    assert set().union(*check_agreement(agreement, callers).values()) == set()
    first, second = agreement.tranches.order_by("number")
    # Four eyes on money: neither the preparer nor the awarder is offered "mark paid", nor the
    # keys, which the awarder created and which therefore count as her.
    assert who(check_tranche(first, callers), "mark_paid") == {"treasurer"}
    assert set().union(*check_tranche(second, callers).values()) == set()  # planned

    report = services.report_submit(
        agreement=agreement, actor=world.member, kind="final", what_was_done="Grown."
    )
    offered = check_report(report, callers)
    assert who(offered, "accept") == who(offered, "request_changes") == FUND_STAFF
    assert who(offered, "resubmit") == set()

    services.report_request_changes(report=report, actor=world.officer, comment="Receipts?")
    offered = check_report(report, callers)
    # The conflicted officer is a member of the network too: a member may resubmit.
    assert who(offered, "resubmit") == {"member", "coordinator", "conflicted_officer"}
    assert who(offered, "accept") == set()

    services.report_resubmit(report=report, actor=world.coordinator, what_was_done="Grown!")
    services.report_accept(report=report, actor=world.manager)
    assert set().union(*check_report(report, callers).values()) == set()
    second.refresh_from_db()
    assert second.state == Tranche.State.DUE
    assert who(check_tranche(second, callers), "mark_paid") == {"treasurer"}

    services.tranche_mark_paid(
        tranche=first,
        actor=callers["treasurer"].user,
        paid_on=datetime.date(2026, 11, 28),
        reference="BANK-1",
    )
    assert set().union(*check_tranche(first, callers).values()) == set()  # paid

    amendment = services.agreement_prepare(
        application=world.application,
        actor=world.officer,
        arrangement="cooperation_agreement",
        amends=agreement,
    )
    services.agreement_cancel(agreement=amendment, actor=world.manager)
    assert set().union(*check_agreement(amendment, callers).values()) == set()
    assert Report.objects.get().state == Report.State.ACCEPTED

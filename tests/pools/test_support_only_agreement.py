"""A support-only award: no money, no IBAN, no legal entity; the contract lists the hours apart."""

from decimal import Decimal

import pytest

from agreements import services as agreement_services
from agreements.text import render_agreement_html
from applications import services as application_services
from applications.models import Application
from pools.models import Allocation
from tests.agreements.helpers import sign_all
from tests.applications.helpers import bring_to_state

from .helpers import pool_for, reserve

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_only(world):
    world.programme.accepts_support_only = True
    world.programme.save()
    service, provider = pool_for(world, capacity="40")
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    allocation = reserve(world, service, "16", provider=provider)
    application_services.application_award(
        application=application, actor=world.manager, amount=Decimal("0")
    )
    agreement = agreement_services.agreement_prepare(
        application=application, actor=world.officer, arrangement="support_only"
    )
    return agreement, allocation


def test_a_support_only_agreement_is_sent_without_iban_or_entity(support_only, world):
    agreement, _ = support_only

    agreement_services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement = sign_all(agreement)

    assert agreement.state == "executed"
    assert (agreement.amount, agreement.iban, agreement.kvk_number) == (Decimal("0"), "", "")
    assert not agreement.tranches.exists()
    world.application.refresh_from_db()
    assert world.application.state == Application.State.CONTRACTED


def test_the_contract_lists_the_hours_apart_from_money(support_only, world):
    agreement, allocation = support_only

    html = render_agreement_html(agreement)

    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.CONFIRMED
    assert "Ondersteuning in natura" in html
    assert "Secretariaat" in html
    assert ">16 uur<" in html  # hours read as hours (issue 14)
    assert "geen geld" in html

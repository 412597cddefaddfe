"""The action registries of agreements: who may, when, and the admin going through them.

The full comparison of web buttons, API lists, ``available()`` and django-fsm for every state
and caller is ``tests/web/test_agreement_parity.py``; these are the rules on their own.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements import permissions, services
from agreements.actions import AGREEMENT_ACTIONS, TRANCHE_ACTIONS
from agreements.models import Agreement
from core.exceptions import InvalidTransition
from funds.models import FundMembership
from tests.agreements.helpers import award, prepare_cooperation
from tests.funds.factories import FundMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class ReadOnly:
    read_only = True


class ReadWrite:
    read_only = False


@pytest.fixture
def draft(world):
    world.application = award(world)
    return prepare_cooperation(world)


def names(offers) -> list[str]:
    return [offer.name for offer in offers]


def test_a_draft_offers_its_officers_to_send_and_cancel(world, draft):
    assert names(AGREEMENT_ACTIONS.available(draft, world.officer)) == ["send", "cancel"]
    assert names(AGREEMENT_ACTIONS.available(draft, world.officer, credential=ReadWrite())) == [
        "send",
        "cancel",
    ]
    assert AGREEMENT_ACTIONS.available(draft, world.officer, credential=ReadOnly()) == []
    for person in (world.coordinator, world.member, world.outsider):
        refused = AGREEMENT_ACTIONS.offered(draft, person)
        assert all(offer.refusal and not offer.conflict for offer in refused)


def test_send_is_not_available_while_the_checklist_has_problems(world, draft):
    draft = services.agreement_update(agreement=draft, actor=world.officer, iban="")
    send = AGREEMENT_ACTIONS.offer(AGREEMENT_ACTIONS.get("send"), draft, world.officer)
    assert send.conflict and "IBAN" in send.refusal
    fsm = {t.name for t in draft.get_available_user_state_transitions(world.officer)}
    assert fsm == {"cancel"}


def test_the_registry_refuses_a_person_before_the_service_is_asked(world, draft):
    with pytest.raises(PermissionDenied):
        AGREEMENT_ACTIONS.run("cancel", draft, actor=world.coordinator)
    with pytest.raises(PermissionDenied):
        AGREEMENT_ACTIONS.run("cancel", draft, actor=world.officer, credential=ReadOnly())
    AGREEMENT_ACTIONS.run("cancel", draft, actor=world.manager, data={"note": "Wrong network"})
    draft.refresh_from_db()
    assert draft.state == Agreement.State.CANCELLED
    with pytest.raises(InvalidTransition):
        AGREEMENT_ACTIONS.require_available("cancel", draft, world.manager)


def test_four_eyes_names_the_preparer_and_the_awarder(world, draft):
    assert permissions.awarded_by(world.application) == world.manager.pk
    tranche = draft.tranches.first()
    treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    for person in (world.officer, world.manager):
        assert "Four eyes" in permissions.mark_paid_refusal(tranche, person)
    assert permissions.mark_paid_refusal(tranche, treasurer) is None
    # A planned tranche: the treasurer may, but not now.
    offer = TRANCHE_ACTIONS.offered(tranche, treasurer)[0]
    assert offer.conflict and not offer.available
    world.fund.four_eyes_on_payments = False
    world.fund.save()
    tranche = draft.tranches.select_related("agreement__application__programme__fund").first()
    assert permissions.mark_paid_refusal(tranche, world.officer) is None


def test_the_admin_cancels_through_the_registry(world, draft, client):
    changelist = reverse("admin:agreements_agreement_changelist")
    action = {"action": "cancel_agreements", "_selected_action": [draft.pk]}
    # A superuser who is not an officer of the fund is refused, with the reason.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(changelist, action, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "Only an officer of the fund" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Agreement.State.DRAFT

    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    client.force_login(world.officer)
    client.post(changelist, action)
    draft.refresh_from_db()
    assert draft.state == Agreement.State.CANCELLED

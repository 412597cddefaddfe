"""The lead officer: who may assign one, who may be one, the log, the event and the message."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from applications import services
from applications.lead_officers import candidates, network_contact
from applications.models import Application, LeadOfficerChange, NetworkMember
from core.models import Event
from funds.models import FundMembership
from integrations.events import EVENT_TYPES
from integrations.services import fund_key_create
from notifications.models import Notification
from tests.applications.helpers import dual_role_user, user_for
from tests.funds.factories import FundMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "application.lead_officer_changed"


def assign(world, officer, *, actor=None):
    return services.application_assign_lead_officer(
        application=world.application, officer=officer, actor=actor or world.manager
    )


def colleague(world, **user):
    """Another officer of the world's fund."""
    return FundMembershipFactory(
        fund=world.fund, role=FundMembership.Role.OFFICER, user=UserFactory(**user)
    ).user


def nothing_changed(world):
    world.application.refresh_from_db()
    return (
        world.application.lead_officer_id is None
        and not LeadOfficerChange.objects.exists()
        and not Event.objects.filter(type=EVENT).exists()
        and not Notification.objects.filter(kind="application.lead_officer_assigned").exists()
    )


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_the_funds_officers_and_managers_assign_a_lead_officer(world, role):
    actor = user_for(world, role)
    application = assign(world, world.officer, actor=actor)
    application.refresh_from_db()
    assert application.lead_officer == world.officer
    change = LeadOfficerChange.objects.get()
    assert (change.previous, change.new, change.changed_by) == (None, world.officer, actor)


@pytest.mark.parametrize(
    "role",
    [
        "member",
        "coordinator",
        "outsider",
        "other_fund_officer",
        "other_fund_manager",
        "anonymous",
    ],
)
def test_nobody_else_may_assign_and_nothing_changes(world, role):
    with pytest.raises(PermissionDenied):
        assign(world, world.officer, actor=user_for(world, role))
    assert nothing_changed(world)


def test_fund_staff_in_the_network_may_not_assign_conflict_of_interest(world):
    actor = dual_role_user(
        world, fund_role=FundMembership.Role.MANAGER, network_role=NetworkMember.Role.MEMBER
    )
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        assign(world, world.officer, actor=actor)
    assert nothing_changed(world)


def test_an_officer_of_another_fund_cannot_be_the_lead_officer(world):
    elsewhere = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    with pytest.raises(ValidationError) as refused:
        assign(world, elsewhere)
    assert "works for the fund of this application" in refused.value.message_dict["officer"][0]
    assert nothing_changed(world)


@pytest.mark.parametrize("who", ["outsider", "coordinator"])
def test_someone_who_does_not_work_for_the_fund_cannot_be_the_lead_officer(world, who):
    with pytest.raises(ValidationError) as refused:
        assign(world, getattr(world, who))
    assert "officer" in refused.value.message_dict
    assert nothing_changed(world)


def test_fund_staff_in_the_network_cannot_be_its_lead_officer(world):
    insider = dual_role_user(
        world, fund_role=FundMembership.Role.OFFICER, network_role=NetworkMember.Role.MEMBER
    )
    with pytest.raises(ValidationError, match="conflict of interest"):
        assign(world, insider)
    assert nothing_changed(world)


def test_an_inactive_account_cannot_be_the_lead_officer(world):
    gone = colleague(world, is_active=False)
    with pytest.raises(ValidationError):
        assign(world, gone)
    assert nothing_changed(world)


def test_an_api_key_cannot_be_the_lead_officer(world):
    key, _secret = fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    with pytest.raises(ValidationError, match="API key"):
        assign(world, key.user)
    assert nothing_changed(world)
    assert key.user not in candidates(world.application)


def test_the_choices_are_the_people_who_may_lead(world):
    insider = dual_role_user(
        world, fund_role=FundMembership.Role.OFFICER, network_role=NetworkMember.Role.MEMBER
    )
    gone = colleague(world, is_active=False)
    elsewhere = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    fund_key_create(fund=world.fund, actor=world.manager, name="CRM")
    found = set(candidates(world.application))
    assert found == {world.officer, world.manager}
    assert not found & {insider, gone, elsewhere}


def test_every_change_is_logged_and_recorded_as_an_event(world):
    other = colleague(world)
    assign(world, world.officer)
    assign(world, other, actor=world.officer)
    assign(world, None, actor=other)
    changes = list(LeadOfficerChange.objects.order_by("pk"))
    assert [(c.previous, c.new, c.changed_by) for c in changes] == [
        (None, world.officer, world.manager),
        (world.officer, other, world.officer),
        (other, None, other),
    ]
    events = list(Event.objects.filter(type=EVENT).order_by("created_at"))
    assert [event.payload["change"] for event in events] == ["assigned", "assigned", "cleared"]
    assert events[0].fund_id == world.fund.pk
    assert events[0].payload["application_id"] == world.application.pk
    assert EVENT in EVENT_TYPES  # documented for the webhook subscriptions
    world.application.refresh_from_db()
    assert world.application.lead_officer is None


def test_assigning_the_same_officer_again_logs_nothing(world):
    assign(world, world.officer)
    assign(world, world.officer, actor=world.officer)
    assign(world, None)
    assign(world, None)
    assert LeadOfficerChange.objects.count() == 2
    assert Event.objects.filter(type=EVENT).count() == 2


def test_assigning_leaves_updated_at_alone(world):
    # An idle draft stays idle: the reminders read updated_at as the network's last change.
    before = Application.objects.get(pk=world.application.pk).updated_at
    assign(world, world.officer)
    assert Application.objects.get(pk=world.application.pk).updated_at == before


def test_the_new_lead_officer_hears_of_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assign(world, world.officer, actor=world.manager)
    notification = Notification.objects.get(kind="application.lead_officer_assigned")
    assert notification.recipient == world.officer
    assert notification.path == f"/applications/{world.application.pk}/#lead-officer"
    assert "Garden" in notification.subject
    [message] = mail.outbox
    assert message.to == [world.officer.email]
    assert "Garden" in message.subject


def test_nobody_hears_of_assigning_themselves_or_of_a_removal(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(world, world.officer, actor=world.officer)
        assign(world, None, actor=world.manager)
    assert not Notification.objects.filter(kind="application.lead_officer_assigned").exists()
    assert mail.outbox == []


def test_the_network_calls_the_lead_officers_work_phone_else_mails_them(world):
    world.fund.contact_name, world.fund.contact_email = "Fondsbureau", "info@fonds.example"
    world.fund.save()
    world.officer.first_name, world.officer.last_name = "Anna", "Jansen"
    world.officer.save()
    assert network_contact(world.application).email == "info@fonds.example"

    assign(world, world.officer)
    world.application.refresh_from_db()
    contact = network_contact(world.application)
    assert (contact.name, contact.phone, contact.email) == ("Anna Jansen", "", world.officer.email)

    FundMembership.objects.filter(user=world.officer).update(phone="020 555 0101")
    contact = network_contact(world.application)
    assert (contact.phone, contact.email) == ("020 555 0101", "")


def test_without_any_contact_the_network_is_shown_none(world):
    assert network_contact(world.application) is None

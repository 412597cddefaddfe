"""Membership by consent, from the attacker's side: an invitation is pending until the invited
person, signed in with the invited address, accepts it; inviting tells the inviter nothing about
the address and creates no account; only accepted memberships count for conflict of interest."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from applications import permissions, services
from applications.actions import APPLICATION_ACTIONS
from applications.invitation_links import SALT, invitation_token
from applications.models import NetworkInvitation, NetworkMember
from applications.selectors import Relationships, visible_networks
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.applications.helpers import to_ready_for_decision
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def network():
    network = NetworkFactory(name="Buurtmoestuin")
    network.coordinator = NetworkMemberFactory(
        network=network, role=NetworkMember.Role.COORDINATOR
    ).user
    network.member = NetworkMemberFactory(network=network, role=NetworkMember.Role.MEMBER).user
    return network


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite through the service, as a coordinator; the invitation and its e-mailed token."""

    def invite(network, email, *, role="member", actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.network_invite_member(
                network=network, actor=actor or network.coordinator, email=email, role=role
            )
        return invitation, token_in(mail.outbox[-1].body)

    return invite


def token_in(body: str) -> str:
    return re.search(r"/invitations/([^/\s]+)/", body).group(1)


# ---------------------------------------------------------------------------------------------
# Inviting tells nothing and creates nothing


def test_inviting_an_unknown_address_creates_no_account_and_no_member(network, invite):
    users, members = User.objects.count(), NetworkMember.objects.count()
    invitation, _token = invite(network, "Nieuw.Lid@Example.org")
    assert User.objects.count() == users
    assert NetworkMember.objects.count() == members
    assert invitation.email == "Nieuw.Lid@Example.org"  # as typed
    assert invitation.status == NetworkInvitation.Status.PENDING
    assert mail.outbox[-1].to == ["Nieuw.Lid@Example.org"]


def test_inviting_a_known_address_does_not_make_them_a_member(network, invite):
    known = UserFactory(email="dewi@example.org", first_name="Dewi", last_name="Jansen")
    invite(network, "dewi@example.org")
    assert not NetworkMember.objects.filter(network=network, user=known).exists()
    assert network not in visible_networks(known)


def test_the_invitation_is_the_same_for_a_known_and_an_unknown_address(network, invite):
    UserFactory(email="known@example.org", first_name="Dewi", last_name="Jansen")
    known, known_token = invite(network, "known@example.org")
    known_mail = mail.outbox[-1]
    unknown, unknown_token = invite(network, "unknown@example.org")
    unknown_mail = mail.outbox[-1]

    def shape(message, email, token):
        return (message.subject, message.body.replace(token, "TOKEN").replace(email, "EMAIL"))

    assert shape(known_mail, "known@example.org", known_token) == shape(
        unknown_mail, "unknown@example.org", unknown_token
    )
    assert "Dewi" not in known_mail.body and "Jansen" not in known_mail.body
    assert known.accepted_by is None and unknown.accepted_by is None


def test_only_coordinators_invite(network, invite):
    for actor in (network.member, UserFactory(), None):
        with pytest.raises(PermissionDenied):
            services.network_invite_member(network=network, actor=actor, email="x@example.org")
    assert not NetworkInvitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not-an-address", "member", "email"), ("x@example.org", "boss", "role")],
)
def test_bad_input_is_refused_on_its_field(network, email, role, field):
    with pytest.raises(ValidationError) as refused:
        services.network_invite_member(
            network=network, actor=network.coordinator, email=email, role=role
        )
    assert field in refused.value.message_dict
    assert not NetworkInvitation.objects.exists()


def test_an_open_invitation_is_not_sent_twice_but_an_expired_one_is_renewed(network, invite):
    invitation, old_token = invite(network, "twice@example.org")
    with pytest.raises(ValidationError) as refused:
        services.network_invite_member(
            network=network, actor=network.coordinator, email="TWICE@example.org"
        )
    assert "email" in refused.value.message_dict

    NetworkInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    renewed, new_token = invite(network, "TWICE@example.org", role="coordinator")
    assert renewed.pk == invitation.pk and renewed.status == NetworkInvitation.Status.PENDING
    assert renewed.role == NetworkMember.Role.COORDINATOR
    assert new_token != old_token


def test_inviting_a_member_says_so(network):
    with pytest.raises(ValidationError) as refused:
        services.network_invite_member(
            network=network, actor=network.coordinator, email=network.member.email.upper()
        )
    assert "already a member" in " ".join(refused.value.message_dict["email"])


# ---------------------------------------------------------------------------------------------
# Accepting, declining and the link


def test_the_invited_person_accepts_and_becomes_a_member_with_the_invited_role(network, invite):
    invitation, token = invite(network, "Co@Example.org", role="coordinator")
    person = UserFactory(email="co@example.org")
    member = services.network_invitation_accept(token=token, actor=person)
    assert member.role == NetworkMember.Role.COORDINATOR and member.network == network
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.ACCEPTED
    assert invitation.accepted_by == person
    assert network in visible_networks(person)


def test_someone_else_signed_in_cannot_accept_another_address_invitation(network, invite):
    invitation, token = invite(network, "invited@example.org")
    thief = UserFactory(email="thief@example.org")
    for answer in (services.network_invitation_accept, services.network_invitation_decline):
        with pytest.raises(PermissionDenied) as refused:
            answer(token=token, actor=thief)
        assert "invited@example.org" in str(refused.value)
    assert not NetworkMember.objects.filter(user=thief).exists()
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.PENDING


def test_a_deactivated_account_cannot_accept(network, invite):
    _invitation, token = invite(network, "gone@example.org")
    with pytest.raises(PermissionDenied):
        services.network_invitation_accept(
            token=token, actor=UserFactory(email="gone@example.org", is_active=False)
        )
    assert not NetworkMember.objects.filter(user__email="gone@example.org").exists()


def test_a_used_link_is_refused(network, invite):
    _invitation, token = invite(network, "once@example.org")
    person = UserFactory(email="once@example.org")
    services.network_invitation_accept(token=token, actor=person)
    with pytest.raises(ValidationError, match="already been accepted"):
        services.network_invitation_accept(token=token, actor=person)
    with pytest.raises(ValidationError, match="already been accepted"):
        services.network_invitation_decline(token=token, actor=person)
    assert NetworkMember.objects.filter(user=person).count() == 1


def test_declining_adds_nobody_and_kills_the_link(network, invite):
    invitation, token = invite(network, "no@example.org")
    person = UserFactory(email="no@example.org")
    services.network_invitation_decline(token=token, actor=person)
    with pytest.raises(ValidationError, match="declined"):
        services.network_invitation_accept(token=token, actor=person)
    assert not NetworkMember.objects.filter(user=person).exists()
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.DECLINED


def test_an_expired_link_is_refused(network, invite):
    invitation, token = invite(network, "late@example.org")
    person = UserFactory(email="late@example.org")
    eight_days = 8 * 24 * 3600
    later = timezone.now() + timedelta(seconds=eight_days)
    with (
        mock.patch("time.time", return_value=time.time() + eight_days),
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.network_invitation_accept(token=token, actor=person)
    # and by the stored expiry alone, e.g. a shorter one
    NetworkInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError, match="expired"):
        services.network_invitation_accept(token=token, actor=person)
    assert not NetworkMember.objects.filter(user=person).exists()


def test_a_revoked_link_is_refused(network, invite):
    invitation, token = invite(network, "withdrawn@example.org")
    services.network_invitation_revoke(invitation=invitation, actor=network.coordinator)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.network_invitation_accept(
            token=token, actor=UserFactory(email="withdrawn@example.org")
        )
    with pytest.raises(ValidationError):
        services.network_invitation_resend(invitation=invitation, actor=network.coordinator)


def test_resending_kills_the_old_link_and_renews_the_expiry(network, invite):
    invitation, old_token = invite(network, "again@example.org")
    NetworkInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.EXPIRED
    services.network_invitation_resend(invitation=invitation, actor=network.coordinator)
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.PENDING
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    person = UserFactory(email="again@example.org")
    with pytest.raises(ValidationError, match="new link"):
        services.network_invitation_accept(token=old_token, actor=person)
    services.network_invitation_accept(token=invitation_token(invitation), actor=person)
    assert network.members.filter(user=person).exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token, pk: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token, pk: signing.dumps({"i": pk, "n": "guessed"}, salt=SALT, compress=True),
        lambda token, pk: signing.dumps({"i": pk, "n": "x"}, salt="other", compress=True),
        lambda token, pk: signing.dumps(["not", "a", "dict"], salt=SALT),
        lambda token, pk: "",
    ],
)
def test_a_forged_or_tampered_link_is_refused(network, invite, forge):
    invitation, token = invite(network, "target@example.org")
    with pytest.raises(ValidationError):
        services.network_invitation_accept(
            token=forge(token, invitation.pk), actor=UserFactory(email="target@example.org")
        )
    assert not NetworkMember.objects.filter(user__email="target@example.org").exists()


def test_only_coordinators_resend_or_revoke(network, invite):
    invitation, _token = invite(network, "x@example.org")
    sent_at = invitation.sent_at
    for actor in (network.member, UserFactory(), NetworkMemberFactory(role="coordinator").user):
        with pytest.raises(PermissionDenied):
            services.network_invitation_resend(invitation=invitation, actor=actor)
        with pytest.raises(PermissionDenied):
            services.network_invitation_revoke(invitation=invitation, actor=actor)
    invitation.refresh_from_db()
    assert invitation.sent_at == sent_at and invitation.status == NetworkInvitation.Status.PENDING


# ---------------------------------------------------------------------------------------------
# Conflict of interest counts only accepted memberships


def test_a_pending_invitee_who_is_a_fund_officer_can_still_decide(world, invite):
    w = world
    application = to_ready_for_decision(w)
    _invitation, token = invite(w.network, w.manager.email, actor=w.coordinator)

    assert permissions.officer_refusal(application, w.manager) is None
    assert permissions.manager_refusal(application, w.manager) is None
    assert Relationships(w.manager).is_manager(application)
    assert "award" in {
        offer.name for offer in APPLICATION_ACTIONS.available(application, w.manager)
    }

    services.network_invitation_accept(token=token, actor=w.manager)
    assert permissions.manager_refusal(application, w.manager) == permissions.CONFLICT_OF_INTEREST
    assert not Relationships(w.manager).is_manager(application)


def test_a_removed_member_who_is_an_officer_may_decide_again(world):
    w = world
    officer = NetworkMemberFactory(network=w.network, user=w.officer).user
    assert permissions.officer_refusal(w.application, officer) == permissions.CONFLICT_OF_INTEREST
    member = w.network.members.get(user=officer)
    services.network_member_remove(network=w.network, actor=w.coordinator, member=member)
    assert permissions.officer_refusal(w.application, officer) is None


def test_invitations_are_kept_apart_from_members_in_the_schema():
    """No invitation is ever a NetworkMember row: the members table knows nothing of them."""
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), NetworkMember._meta.db_table
        )
    }
    assert columns == {"id", "network_id", "user_id", "role", "joined_at"}


# ---------------------------------------------------------------------------------------------
# Leaving and removing; the last coordinator stays


def test_a_member_leaves(network):
    services.network_member_leave(network=network, actor=network.member)
    assert not network.members.filter(user=network.member).exists()
    assert network not in visible_networks(network.member)


def test_the_last_coordinator_cannot_leave_be_removed_or_step_down(network):
    mine = network.members.get(user=network.coordinator)
    with pytest.raises(ValidationError, match="last coordinator"):
        services.network_member_leave(network=network, actor=network.coordinator)
    with pytest.raises(ValidationError, match="last coordinator"):
        services.network_member_remove(network=network, actor=network.coordinator, member=mine)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.network_set_role(
            network=network, actor=network.coordinator, member=mine, role="member"
        )
    mine.refresh_from_db()
    assert mine.role == NetworkMember.Role.COORDINATOR


def test_a_coordinator_leaves_when_another_remains(network):
    other = network.members.get(user=network.member)
    services.network_set_role(
        network=network, actor=network.coordinator, member=other, role="coordinator"
    )
    services.network_member_leave(network=network, actor=network.coordinator)
    assert list(network.members.values_list("user", flat=True)) == [network.member.pk]


def test_a_coordinator_removes_a_member(network):
    member = network.members.get(user=network.member)
    services.network_member_remove(network=network, actor=network.coordinator, member=member)
    assert not network.members.filter(user=network.member).exists()


def test_a_member_cannot_remove_others(network):
    coordinator = network.members.get(user=network.coordinator)
    with pytest.raises(PermissionDenied):
        services.network_member_remove(network=network, actor=network.member, member=coordinator)
    assert network.members.count() == 2


def test_nobody_outside_leaves_or_removes(network):
    stranger = NetworkMemberFactory()
    with pytest.raises(PermissionDenied):
        services.network_member_leave(network=network, actor=UserFactory())
    with pytest.raises(ValidationError):  # a member of another network is not one of these
        services.network_member_remove(network=network, actor=network.coordinator, member=stranger)
    assert NetworkMember.objects.filter(pk=stranger.pk).exists()

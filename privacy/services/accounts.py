"""Deleting one's own account: deactivate it, clear what identifies the person, keep the records.

The account row stays, as a placeholder ("deleted-<id>"): applications, comments, revisions, the
transition log, payments and reports point at it and must keep saying that *someone* did this,
so that four eyes can still be checked. Only a signed contract keeps a name: the name as signed
(``Signatory.name`` and ``typed_name``) and nothing more.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from agreements.models import Agreement, Signatory
from applications.models import Application, ApplicationHelper, NetworkInvitation, NetworkMember
from funds.models import FundMembership
from integrations.models import FundAPIKey, FundKeyChange, PersonalAccessToken, Scope
from integrations.services import key_role
from integrations.services.key_changes import key_change_log
from notifications.models import Notification, Preference
from pools.models import Provider

#: Agreements whose signatories are still needed as they are: the text is not signed by everyone.
UNFINISHED = (Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE)


def placeholder_username(user) -> str:
    return f"deleted-{user.pk}"


def signatories_of(user):
    """The signatories with this account's e-mail address (the only link a signatory has)."""
    email = (user.email or "").strip()
    if not email:
        return Signatory.objects.none()
    return Signatory.objects.filter(email__iexact=email)


def _last_coordinator_of(user) -> list[str]:
    """Networks where this person is the only coordinator and others could take over."""
    coordinated = NetworkMember.objects.filter(user=user, role=NetworkMember.Role.COORDINATOR)
    networks = (
        NetworkMember.objects.filter(network__in=coordinated.values("network"))
        .values("network", "network__name")
        .annotate(
            coordinators=Count("pk", filter=Q(role=NetworkMember.Role.COORDINATOR)),
            members=Count("pk"),
        )
        .filter(coordinators=1, members__gt=1)
        .order_by("network__name")
    )
    return [row["network__name"] for row in networks]


def _last_manager_of(user) -> list[str]:
    """Funds where this person is the only manager (a key's account is not a person)."""
    managed = FundMembership.objects.filter(user=user, role=FundMembership.Role.MANAGER)
    funds = (
        FundMembership.objects.filter(
            fund__in=managed.values("fund"),
            role=FundMembership.Role.MANAGER,
            user__fund_api_key__isnull=True,
        )
        .values("fund", "fund__name")
        .annotate(managers=Count("pk"))
        .filter(managers=1)
        .order_by("fund__name")
    )
    return [row["fund__name"] for row in funds]


def account_delete_refusals(user) -> list[str]:
    """Why this account cannot be deleted now (each with what to do first), or an empty list."""
    if user.is_superuser:
        return [_("An administrator's account is removed by another administrator.")]
    if hasattr(user, "fund_api_key"):
        return [_("This is the account of an API key: revoke the key instead.")]
    refusals = [
        _(
            "You are the last coordinator of “%(network)s”. Make another member coordinator "
            "first, so the network keeps someone who can act for it."
        )
        % {"network": name}
        for name in _last_coordinator_of(user)
    ]
    refusals += [
        _(
            "You are the last manager of %(fund)s. Ask the site's administrator to make "
            "someone else manager of the fund first."
        )
        % {"fund": name}
        for name in _last_manager_of(user)
    ]
    pending = (
        signatories_of(user)
        .filter(agreement__state__in=UNFINISHED)
        .values_list("agreement__application__title", flat=True)
        .order_by("agreement_id")
        .distinct()
    )
    refusals += [
        _(
            "You are named to sign the agreement for “%(application)s”, which is not signed by "
            "everyone yet. Sign it, or ask the fund to change or cancel it first."
        )
        % {"application": title}
        for title in pending
    ]
    return refusals


@transaction.atomic
def account_delete(*, user, actor) -> None:
    """Delete ``user``'s account at their own request; refused with the reasons if not possible."""
    if actor is None or actor.pk != user.pk or not actor.is_active:
        raise PermissionDenied(_("You can only delete your own account."))
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    # Lock the memberships the refusals count, so a coordinator or manager stepping down at
    # the same moment cannot leave a network or fund without one.
    list(NetworkMember.objects.select_for_update().filter(network__members__user=user))
    list(FundMembership.objects.select_for_update().filter(fund__memberships__user=user))
    refusals = account_delete_refusals(user)
    if refusals:
        raise ValidationError(refusals)

    _erase_signatures(user)
    addressed = Q(accepted_by=user) | (Q(email__iexact=user.email) if user.email else Q())
    NetworkInvitation.objects.filter(addressed).delete()
    # Helping ends with the account; what the helper wrote stays, under the placeholder name.
    ApplicationHelper.objects.filter(
        Q(user=user) | (Q(email__iexact=user.email) if user.email else Q(pk__in=[]))
    ).delete()
    NetworkMember.objects.filter(user=user).delete()
    FundMembership.objects.filter(user=user).delete()
    Provider.objects.filter(user=user).update(user=None, email="", phone="", active=False)
    PersonalAccessToken.objects.filter(user=user, revoked=False).update(revoked=True)
    # A lead officer who leaves is nobody's contact person any more.
    Application.objects.filter(lead_officer=user).update(lead_officer=None)
    # Messages are the person's own: they go, also those not yet sent.
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    _stop_keys_writing(user)

    user.username = placeholder_username(user)
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every session: its hash no longer matches
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _stop_keys_writing(user) -> None:
    """What a key writes is the responsibility of the person who created it; with that person
    gone the key may still read for the fund's back office, but no longer write. Written down
    like every change of a key (``FundKeyChange``), so the fund's managers see why."""
    keys = FundAPIKey.objects.select_for_update().filter(
        created_by=user, scope=Scope.READ_WRITE, revoked=False
    )
    for key in keys:
        key.scope = Scope.READ
        key.save(update_fields=["scope"])
        role = key_role(key)
        key_change_log(
            key=key,
            actor=user,
            what=FundKeyChange.What.CHANGED,
            role=role,
            previous_role=role,
            previous_scope=Scope.READ_WRITE,
        )


def _erase_signatures(user) -> None:
    """A signed (or cancelled) contract keeps the name as signed; the rest of the person goes.

    The e-mail address is unique per agreement, so each gets a placeholder of its own in the
    reserved ``.invalid`` domain (RFC 2606).
    """
    for signatory in signatories_of(user).exclude(agreement__state__in=UNFINISHED):
        signatory.email = f"deleted-{signatory.pk}@example.invalid"
        signatory.date_of_birth = None
        signatory.address = ""
        signatory.ip_address = None
        signatory.user_agent = ""
        signatory.link_nonce = ""
        signatory.save(
            update_fields=[
                "email",
                "date_of_birth",
                "address",
                "ip_address",
                "user_agent",
                "link_nonce",
            ]
        )

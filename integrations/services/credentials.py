"""Creating, changing, approving and revoking API keys, and personal tokens.

The secret is returned once, never stored. A fund key is managed by the fund's managers, as
people: a key's own account (even a manager's) never manages keys. Every write to a fund key is
written down (``key_changes.key_change_log``); creating a manager key and changing a key's role
or scope are also e-mailed to the fund's other managers after the commit.

Where the fund asks for it (``Fund.manager_keys_need_approval``), a key that acts as a manager,
or is changed to have more power as one, waits for a second manager: until another manager than
the one who created or changed it approves it, its account is inactive and the API refuses it.
Whoever approves, the key stays its creator's for separation of duties (``core.people``).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.permissions import fund_role
from funds.models import Fund, FundMembership
from integrations.models import FundAPIKey, FundKeyChange, PersonalAccessToken, Scope

from .key_changes import key_change_log, notify_after_commit

NAME_LIMIT = 50
MANAGER = FundMembership.Role.MANAGER


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name, for example 'CRM'.")})
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            {"name": _("Keep the name under %(n)s characters.") % {"n": NAME_LIMIT}}
        )
    return name


def _clean_scope(scope: str) -> str:
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read, or read and write.")})
    return scope


def _clean_role(role: str) -> str:
    if role not in FundMembership.Role.values:
        raise ValidationError({"role": _("Choose officer or manager.")})
    return role


def manager_refusal(fund, actor) -> str | None:
    """Managing a fund's keys is for its managers, signed in as themselves (never as a key)."""
    if hasattr(actor, "fund_api_key"):
        return _("An API key cannot manage keys: sign in as yourself.")
    if fund_role(fund, actor) != MANAGER:
        return _("Only a manager of the fund manages its API keys.")
    return None


def _require_manager(fund, actor) -> None:
    refusal = manager_refusal(fund, actor)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _needs_approval(
    fund: Fund, *, role: str, scope: str, previous_role: str = "", previous_scope: str = ""
) -> bool:
    """A key gains a manager's power (the role, or writing as a manager) where the fund asks for
    a second manager's approval of that."""
    if not fund.manager_keys_need_approval or role != MANAGER:
        return False
    return previous_role != MANAGER or (
        scope == Scope.READ_WRITE and previous_scope != Scope.READ_WRITE
    )


def _set_waiting(key: FundAPIKey, waiting: bool) -> None:
    """A waiting key's account is inactive, so no rule lets it act even if it got through."""
    key.pending_approval = waiting
    if waiting:
        key.approved_by, key.approved_at = None, None
    key.user.is_active = not waiting
    key.user.save(update_fields=["is_active"])


def key_people(account_ids: set[int]) -> dict[int, int | None]:
    """For ``core.people``: the keys among these accounts, each with the person who created it."""
    return dict(
        FundAPIKey.objects.filter(user_id__in=account_ids).values_list("user_id", "created_by_id")
    )


def key_role(key: FundAPIKey) -> str:
    """The role the key acts in: its account's membership of the fund."""
    return (
        FundMembership.objects.filter(fund=key.fund_id, user=key.user_id)
        .values_list("role", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def fund_key_create(
    *,
    fund: Fund,
    actor,
    name: str,
    scope: str = Scope.READ,
    role: str = FundMembership.Role.OFFICER,
) -> tuple[FundAPIKey, str]:
    """A key for the fund's back office; returns it with the secret, which is shown only now."""
    _require_manager(fund, actor)
    name, scope, role = _clean_name(name), _clean_scope(scope), _clean_role(role)
    waiting = _needs_approval(fund, role=role, scope=scope)
    key = FundAPIKey(fund=fund, name=name, scope=scope, created_by=actor, pending_approval=waiting)
    secret = FundAPIKey.objects.assign_key(key)
    user = get_user_model().objects.create(
        username=f"key-{key.prefix}",
        first_name=name[:150],
        last_name=f"({fund.name})"[:150],
        is_active=not waiting,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    FundMembership.objects.create(fund=fund, user=user, role=role)
    key.user = user
    key.save()
    change = key_change_log(
        key=key, actor=actor, what=FundKeyChange.What.CREATED, role=role, needs_approval=waiting
    )
    if role == MANAGER:
        notify_after_commit(change)
    return key, secret


def _lock(key: FundAPIKey) -> FundAPIKey:
    return FundAPIKey.objects.select_for_update().select_related("fund", "user").get(pk=key.pk)


@transaction.atomic
def fund_key_change(
    *, key: FundAPIKey, actor, role: str | None = None, scope: str | None = None
) -> FundAPIKey:
    """Give a key another role or scope; the fund's other managers hear of it.

    Where the fund asks for it, a key that gains a manager's power waits for another manager's
    approval again; a key that stops acting as a manager no longer waits.
    """
    key = _lock(key)
    _require_manager(key.fund, actor)
    if key.revoked:
        raise PermissionDenied(_("This key is revoked: it cannot be changed."))
    previous_role, previous_scope = key_role(key), key.scope
    role = previous_role if role is None else _clean_role(role)
    scope = previous_scope if scope is None else _clean_scope(scope)
    if (role, scope) == (previous_role, previous_scope):
        return key
    waiting = _needs_approval(
        key.fund,
        role=role,
        scope=scope,
        previous_role=previous_role,
        previous_scope=previous_scope,
    ) or (key.pending_approval and role == MANAGER)
    FundMembership.objects.filter(fund=key.fund, user=key.user).update(role=role)
    key.scope = scope
    if waiting or key.pending_approval:
        _set_waiting(key, waiting)
    key.save(update_fields=["scope", "pending_approval", "approved_by", "approved_at"])
    change = key_change_log(
        key=key,
        actor=actor,
        what=FundKeyChange.What.CHANGED,
        role=role,
        previous_role=previous_role,
        previous_scope=previous_scope,
        needs_approval=waiting,
    )
    notify_after_commit(change)
    return key


def approve_refusal(key: FundAPIKey, actor) -> str | None:
    """Why ``actor`` may not approve ``key`` now, or ``None``: another manager, not its author."""
    refusal = manager_refusal(key.fund, actor)
    if refusal is not None:
        return refusal
    if key.revoked:
        return _("This key is revoked: there is nothing to approve.")
    if not key.pending_approval:
        return _("This key does not wait for approval.")
    asked_by = key.changes.filter(needs_approval=True).values_list("by_id", flat=True).first()
    if actor.pk in (key.created_by_id, asked_by):
        return _(
            "Four eyes: you created or changed this key yourself, so another manager of the "
            "fund approves it."
        )
    return None


@transaction.atomic
def fund_key_approve(*, key: FundAPIKey, actor) -> FundAPIKey:
    """A second manager lets a waiting manager key work."""
    key = _lock(key)
    refusal = approve_refusal(key, actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    _set_waiting(key, False)
    key.approved_by, key.approved_at = actor, timezone.now()
    key.save(update_fields=["pending_approval", "approved_by", "approved_at"])
    key_change_log(key=key, actor=actor, what=FundKeyChange.What.APPROVED, role=key_role(key))
    return key


@transaction.atomic
def fund_key_revoke(*, key: FundAPIKey, actor) -> FundAPIKey:
    key = _lock(key)
    _require_manager(key.fund, actor)
    key.revoked = True
    key.save(update_fields=["revoked"])
    # The key's account stays for the log's sake, but can do nothing any more.
    key.user.is_active = False
    key.user.save(update_fields=["is_active"])
    key_change_log(key=key, actor=actor, what=FundKeyChange.What.REVOKED, role=key_role(key))
    return key


@transaction.atomic
def personal_token_create(
    *, actor, name: str, scope: str = Scope.READ_WRITE
) -> tuple[PersonalAccessToken, str]:
    if not getattr(actor, "is_authenticated", False) or hasattr(actor, "fund_api_key"):
        raise PermissionDenied(_("Sign in as yourself to create a personal token."))
    token = PersonalAccessToken(user=actor, name=_clean_name(name), scope=_clean_scope(scope))
    secret = PersonalAccessToken.objects.assign_key(token)
    token.save()
    return token, secret


@transaction.atomic
def personal_token_revoke(*, token: PersonalAccessToken, actor) -> PersonalAccessToken:
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    token.revoked = True
    token.save(update_fields=["revoked"])
    return token
